package org.jsbi.testing;

/**
 * Seeds for random tests: fixed by default, overridable with {@code -Djsbi.test.seed=N}, and always named in
 * assertion messages so a failure can be replayed.
 */
public final class TestSeeds {

    private TestSeeds() {
    }

    /** The seed for a test: -Djsbi.test.seed if set, else the given default. */
    public static long seed(long defaultSeed) {
        return Long.getLong("jsbi.test.seed", defaultSeed);
    }

    /** A suffix for assertion messages. */
    public static String replay(long seed) {
        return " [seed " + seed + "; replay with -Djsbi.test.seed=" + seed + "]";
    }
}
