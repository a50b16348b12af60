package org.jsbi.sim.stg;

/**
 * numpy's legacy {@code RandomState(seed).normal()} stream (MT19937 seeded by init_genrand, 53-bit doubles from two
 * 32-bit words, the polar Box–Muller method with its cached second value), written from the published algorithms so
 * that a test can drive jsbi's simulator with the very noise the pyloric package's regression case used. Checked
 * against numpy's first values in {@code PyloricRegressionTest}.
 */
final class NumpyLegacyNormal {

    private final int[] mt = new int[624];
    private int index = 624;
    private boolean hasGauss;
    private double gauss;

    NumpyLegacyNormal(long seed) {
        mt[0] = (int) seed;
        for (int i = 1; i < 624; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
    }

    private int nextInt() {
        if (index >= 624) {
            for (int k = 0; k < 624; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
                mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private double nextDouble() {
        long a = (nextInt() & 0xffffffffL) >>> 5, b = (nextInt() & 0xffffffffL) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    double normal() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1, x2, r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code RandomState(seed).normal(size=(rows, cols))} row-major. */
    static double[] matrix(long seed, int rows, int cols) {
        NumpyLegacyNormal r = new NumpyLegacyNormal(seed);
        double[] out = new double[rows * cols];
        for (int i = 0; i < out.length; i++) out[i] = r.normal();
        return out;
    }
}
