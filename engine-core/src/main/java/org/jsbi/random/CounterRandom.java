package org.jsbi.random;

/**
 * The random stream of one simulation: Philox4x32-10 keyed by the run's seed, with the counter holding the simulation's
 * global index, a stream number (one per noise source, so adding a source does not shift the others) and the block
 * index. Two simulators that draw in the same order from the same (seed, index, stream) see the same numbers,
 * whatever the batching; this is what makes the scalar, SIMD and GPU simulators comparable draw for draw.
 *
 * <p>Not thread-safe; cheap to create (no table, no warm-up), so make one per simulation and stream.
 */
public final class CounterRandom {

    private static final double TWO_POW_M53 = 0x1.0p-53;
    private static final float TWO_POW_M24 = 0x1.0p-24f;

    private final int k0;
    private final int k1;
    private final int index0;
    private final int index1;
    private final int stream;
    private final int[] words = new int[4];
    private int block;
    private int used = 4;
    private double spareGaussian = Double.NaN;

    public CounterRandom(long seed, long simulationIndex, int stream) {
        this.k0 = (int) seed;
        this.k1 = (int) (seed >>> 32);
        this.index0 = (int) simulationIndex;
        this.index1 = (int) (simulationIndex >>> 32);
        this.stream = stream;
    }

    /** The next 32 random bits. */
    public int nextInt() {
        if (used == 4) {
            Philox.block(index0, index1, stream, block++, k0, k1, words, 0);
            used = 0;
        }
        return words[used++];
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        long hi = (nextInt() & 0xFFFFFFFFL) >>> 6;   // 26 bits
        long lo = (nextInt() & 0xFFFFFFFFL) >>> 5;   // 27 bits
        return ((hi << 27) | lo) * TWO_POW_M53;
    }

    /** Uniform in (0, 1]: safe under log. */
    public double nextOpenDouble() {
        return 1.0 - nextDouble();
    }

    /** Uniform in [0, 1) with 24 random bits, one draw per call. */
    public float nextFloat() {
        return (nextInt() >>> 8) * TWO_POW_M24;
    }

    /** Standard normal by the Box–Muller transform; the second variate of each pair is kept for the next call. */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double r = Math.sqrt(-2.0 * Math.log(nextOpenDouble()));
        double a = 2.0 * Math.PI * nextDouble();
        spareGaussian = r * Math.sin(a);
        return r * Math.cos(a);
    }

    /** Exponential with rate 1. */
    public double nextExponential() {
        return -Math.log(nextOpenDouble());
    }
}
