package org.jsbi.sim.benchmark;

/**
 * NumPy's legacy {@code numpy.random.RandomState} (MT19937 with {@code init_genrand} seeding, 53-bit doubles, the
 * polar Gaussian with its cached second variate), just enough to regenerate sbibm's Bernoulli GLM stimulus
 * {@code RandomState(42).randn(100)} so that task needs no data file; the
 * paper's LN/GLM model ({@code org.jsbi.sim.glm}) regenerates its stimulus and observation the same way.
 */
public final class NumpyRandomState {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /** As {@code RandomState(seed)} for an integer seed in [0, 2³²). */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) throw new IllegalArgumentException("seed must be in [0, 2^32), got " + seed);
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            mt[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
    }

    public int nextInt() {
        if (pos >= N) twist();
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7FFFFFFF);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908B0DF : 0);
        }
        pos = 0;
    }

    /** {@code random_sample()}: 27 + 26 bits into [0, 1). */
    public double nextDouble() {
        int a = nextInt() >>> 5, b = nextInt() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** {@code standard_normal()} of the legacy generator (Marsaglia's polar method, second variate cached). */
    public double nextGaussian() {
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
}
