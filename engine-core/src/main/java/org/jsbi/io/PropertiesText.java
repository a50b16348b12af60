package org.jsbi.io;

/**
 * Writes {@code key=value} lines that {@link java.util.Properties#load} reads back exactly, in an order the caller
 * chooses ({@code Properties.store} orders by hash and adds a date), so jsbi's small text files (store manifests,
 * truncated priors) read in a fixed order. Control and non-ASCII characters become Unicode escapes (a backslash, 'u' and four hex digits), so the files are
 * ASCII.
 */
public final class PropertiesText {

    private PropertiesText() {
    }

    /** Appends {@code key=value} and a line break, with the value escaped for {@code Properties.load}. */
    public static void line(StringBuilder s, String key, String value) {
        s.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\f' -> s.append("\\f");
                default -> {
                    if (c == ' ' && i == 0) {
                        s.append("\\ ");
                    } else if (c < 0x20 || c > 0x7e) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('\n');
    }
}
