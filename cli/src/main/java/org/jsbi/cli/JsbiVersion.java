package org.jsbi.cli;

import picocli.CommandLine;

/** Version line from the jar's manifest (or "development" when run from classes). */
final class JsbiVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Jsbi.class.getPackage().getImplementationVersion();
        return new String[] {"jsbi " + (v == null ? "development build" : v) + ", Java " + Runtime.version()};
    }
}
