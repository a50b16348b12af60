package org.jsbi.backend;

/** What a provider's checks found: usable, or the first reason it is not. */
public record Probe(boolean usable, String reason) {

    public static Probe ok(String detail) {
        return new Probe(true, detail);
    }

    public static Probe no(String reason) {
        return new Probe(false, reason);
    }
}
