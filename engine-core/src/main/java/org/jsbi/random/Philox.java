package org.jsbi.random;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a counter-based generator.
 * A 128-bit counter and a 64-bit key map to 128 random bits with no state, so simulation i's noise is a pure function
 * of (seed, i, stream, draw) and never depends on batch size, chunking, thread count or device. The same function is
 * what the SIMD and CUDA simulators compute lane by lane.
 */
public final class Philox {

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private Philox() {
    }

    /** Ten rounds over counter (c0..c3) under key (k0, k1); the four output words go to out[outOff..outOff+3]. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out, int outOff) {
        for (int r = 0; r < 10; r++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0;
            int n2 = hi0 ^ c3 ^ k1;
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        out[outOff] = c0;
        out[outOff + 1] = c1;
        out[outOff + 2] = c2;
        out[outOff + 3] = c3;
    }
}
