package org.jsbi.flow;

/**
 * Degrees and masks of MADE (Germain et al. 2015) with sequential, not random, degrees, as nflows builds them for
 * sbi's MAF: inputs have degrees 1..D; hidden unit h has degree (h mod max(1, D-1)) + min(1, D-1); a hidden unit sees
 * the inputs and hidden units of degree ≤ its own, and an output of input i's degree sees hidden units of degree
 * strictly below it. Output i therefore depends on inputs 1..i-1 only: the autoregressive property.
 */
public final class MadeMasks {

    private MadeMasks() {
    }

    /** Degrees 1..D of the inputs. */
    public static int[] inputDegrees(int d) {
        int[] deg = new int[d];
        for (int i = 0; i < d; i++) deg[i] = i + 1;
        return deg;
    }

    /** Degrees of a hidden layer of the given width for D inputs. */
    public static int[] hiddenDegrees(int width, int d) {
        int[] deg = new int[width];
        int mod = Math.max(1, d - 1), low = Math.min(1, d - 1);
        for (int h = 0; h < width; h++) deg[h] = h % mod + low;
        return deg;
    }

    /**
     * The order in which {@link Made} keeps a hidden layer's units: position i holds unit order[i] of nflows' order
     * ({@link #hiddenDegrees}), the units sorted by degree, ties in nflows' order. A relabelling of the units, so the
     * same family of functions; but each block of rows then sees a prefix of the previous layer's units (a suffix in
     * the input gradient), which the SIMD products skip past (SimdGemm.blockPanels). Model files keep nflows' order.
     */
    public static int[] hiddenOrder(int width, int d) {
        int[] deg = hiddenDegrees(width, d);
        Integer[] idx = new Integer[width];
        for (int i = 0; i < width; i++) idx[i] = i;
        java.util.Arrays.sort(idx, java.util.Comparator.comparingInt((Integer i) -> deg[i]));   // stable
        int[] order = new int[width];
        for (int i = 0; i < width; i++) order[i] = idx[i];
        return order;
    }

    /** Degrees of a hidden layer in {@link Made}'s order ({@link #hiddenOrder}): non-decreasing. */
    public static int[] orderedHiddenDegrees(int width, int d) {
        int[] deg = hiddenDegrees(width, d), order = hiddenOrder(width, d), out = new int[width];
        for (int i = 0; i < width; i++) out[i] = deg[order[i]];
        return out;
    }

    /** Mask of a hidden layer (out x in, row-major): 1 where deg(out) ≥ deg(in). */
    public static float[] hiddenMask(int[] outDeg, int[] inDeg) {
        float[] m = new float[outDeg.length * inDeg.length];
        for (int o = 0; o < outDeg.length; o++) {
            for (int i = 0; i < inDeg.length; i++) m[o * inDeg.length + i] = outDeg[o] >= inDeg[i] ? 1f : 0f;
        }
        return m;
    }

    /** Mask of the output layer (out x in): 1 where deg(out) > deg(in). */
    public static float[] outputMask(int[] outDeg, int[] inDeg) {
        float[] m = new float[outDeg.length * inDeg.length];
        for (int o = 0; o < outDeg.length; o++) {
            for (int i = 0; i < inDeg.length; i++) m[o * inDeg.length + i] = outDeg[o] > inDeg[i] ? 1f : 0f;
        }
        return m;
    }
}
