package org.jsbi.sim.stg;

/**
 * The Savitzky–Golay filter of the pyloric features: window 21 samples, polynomial order 3, with the edge rule of
 * {@code scipy.signal.savgol_filter(v, 21, 3)} (its default {@code mode='interp'}).
 *
 * <ul>
 *   <li>Interior sample k, 10 ≤ k ≤ N − 11: the 21-tap least-squares smoothing of raw samples k − 10 .. k + 10
 *       ({@link #INTERIOR}).</li>
 *   <li>Head sample i &lt; 10: the cubic fitted by least squares to raw samples 0 .. 20, evaluated at i
 *       ({@link #HEAD}{@code [i]}).</li>
 *   <li>Tail sample N − 10 + i: the cubic fitted to raw samples N − 21 .. N − 1, evaluated at N − 10 + i
 *       ({@link #TAIL}{@code [i]}).</li>
 * </ul>
 *
 * <p><b>Coefficients.</b> Weight j of the fit evaluated at x₀ (positions centred on the window, x = −10 .. 10) is
 * e(x₀)ᵀ (AᵀA)⁻¹ a(x_j) with a(x) = (1, x, x², x³). With centred positions the odd moments vanish, so AᵀA splits into
 * the 2×2 blocks [[S₀, S₂], [S₂, S₄]] (even) and [[S₂, S₄], [S₄, S₆]] (odd), S_k = Σ x^k; the weight is then one
 * fraction of integers below 2⁵³ (checked in the static initialiser), so the double is the correctly rounded exact
 * rational, and the float is that double rounded (SavitzkyGolayTest checks it against exact rational arithmetic).
 *
 * <p><b>Evaluation order is part of the API</b>, so that a SIMD simulator that repeats it lane-wise gets the same bits
 * as the scalar stream. A head or tail sample is
 * {@code float f = 0f; for (int j = 0; j < 21; j++) f = Math.fma(w[j], raw[first + j], f);} ({@link #apply}). An
 * interior sample uses the interior weights' symmetry (w[j] = w[20 − j] exactly, as the weight depends on x_j² only)
 * and two accumulators ({@link #applyInterior}): half the multiply-adds and chains of five instead of one of 21, which
 * in the pyloric simulator's per-sample pipeline is latency, not arithmetic. scipy computes in double with
 * double weights; the float32 result here differs from scipy's float32 result by about 1e-6 mV, which can matter
 * only where two neighbouring filtered samples tie.
 *
 * <p>The arrays are public for the simulators' inner loops; they must not be modified.
 */
public final class SavitzkyGolay {

    /** Window length (samples). */
    public static final int WINDOW = 21;
    /** Half window: samples on each side of the centre, and the number of head (and tail) samples. */
    public static final int HALF = 10;
    /** Polynomial order. */
    public static final int ORDER = 3;

    /** Interior weights: filtered sample k = Σ_j INTERIOR[j] · raw[k − 10 + j]. */
    public static final float[] INTERIOR;
    /** Head rows: filtered sample i (0 ≤ i &lt; 10) = Σ_j HEAD[i][j] · raw[j]. */
    public static final float[][] HEAD;
    /** Tail rows: filtered sample N − 10 + i = Σ_j TAIL[i][j] · raw[N − 21 + j]. */
    public static final float[][] TAIL;

    // Moments of the centred positions −10 .. 10 and the determinants of the two 2×2 blocks.
    private static final long S0 = moment(0), S2 = moment(2), S4 = moment(4), S6 = moment(6);
    private static final long DET_EVEN = S0 * S4 - S2 * S2;
    private static final long DET_ODD = S2 * S6 - S4 * S4;

    static {
        INTERIOR = new float[WINDOW];
        HEAD = new float[HALF][WINDOW];
        TAIL = new float[HALF][WINDOW];
        for (int j = 0; j < WINDOW; j++) {
            INTERIOR[j] = (float) weight(0, j - HALF);
            for (int i = 0; i < HALF; i++) {
                HEAD[i][j] = (float) weight(i - HALF, j - HALF);       // samples 0..9 of the first window
                TAIL[i][j] = (float) weight(i + 1, j - HALF);          // samples 11..20 of the last window
            }
        }
    }

    private SavitzkyGolay() {
    }

    private static long moment(int k) {
        long s = 0;
        for (int x = -HALF; x <= HALF; x++) {
            long p = 1;
            for (int e = 0; e < k; e++) p *= x;
            s += p;
        }
        return s;
    }

    /**
     * The least-squares cubic's weight of the raw sample at centred position {@code xj} when evaluated at centred
     * position {@code x0} (both in −10 .. 10), in double: (n_even·D_odd + n_odd·D_even) / (D_even·D_odd), with
     * n_even = [1, x₀²]·adj(even)·[1, x_j²] and n_odd = [x₀, x₀³]·adj(odd)·[x_j, x_j³], all exact integers.
     */
    static double weight(int x0, int xj) {
        long a0 = (long) x0 * x0, aj = (long) xj * xj;
        long nEven = S4 - S2 * (a0 + aj) + S0 * a0 * aj;
        long b0 = (long) x0 * a0, bj = (long) xj * aj;
        long nOdd = (long) x0 * xj * S6 - S4 * ((long) x0 * bj + b0 * xj) + S2 * b0 * bj;
        long num = nEven * DET_ODD + nOdd * DET_EVEN;
        long den = DET_EVEN * DET_ODD;
        long exact = 1L << 53;
        if (Math.abs(num) > exact || den > exact) {
            throw new AssertionError("Savitzky-Golay weight is not exactly representable: " + num + "/" + den);
        }
        return (double) num / (double) den;
    }

    /**
     * One filtered sample, in THE order of the API: {@code f = fma(w[j], raw[first + j], f)} for j = 0 .. 20 from
     * {@code f = 0}.
     */
    public static float apply(float[] w, float[] raw, int first) {
        float f = 0f;
        for (int j = 0; j < WINDOW; j++) f = Math.fma(w[j], raw[first + j], f);
        return f;
    }

    /**
     * One interior filtered sample (weights {@link #INTERIOR}), in THE order of the API:
     * {@code a = w[10] * raw[first + 10]; b = 0;} then for t = 0, 2, 4, 6, 8:
     * {@code a = fma(w[t], raw[first + t] + raw[first + 20 − t], a); b = fma(w[t + 1], raw[first + t + 1] +
     * raw[first + 19 − t], b);} and the result {@code a + b}.
     */
    public static float applyInterior(float[] raw, int first) {
        float[] w = INTERIOR;
        float a = w[HALF] * raw[first + HALF];
        float b = 0f;
        for (int t = 0; t < HALF; t += 2) {
            a = Math.fma(w[t], raw[first + t] + raw[first + WINDOW - 1 - t], a);
            b = Math.fma(w[t + 1], raw[first + t + 1] + raw[first + WINDOW - 2 - t], b);
        }
        return a + b;
    }

    /**
     * Filters a whole trace (length N ≥ 21) into {@code out} (length ≥ N, not the same array): the same bits as
     * {@link SavitzkyGolayStream}.
     */
    public static void filter(float[] raw, float[] out) {
        int n = raw.length;
        if (n < WINDOW) {
            throw new IllegalArgumentException("Savitzky-Golay filter: a trace needs at least " + WINDOW
                    + " samples, got " + n);
        }
        if (out.length < n) {
            throw new IllegalArgumentException("Savitzky-Golay filter: output of length " + out.length
                    + " for a trace of " + n + " samples");
        }
        if (out == raw) {
            throw new IllegalArgumentException("Savitzky-Golay filter: cannot filter in place");
        }
        for (int i = 0; i < HALF; i++) {
            out[i] = apply(HEAD[i], raw, 0);
            out[n - HALF + i] = apply(TAIL[i], raw, n - WINDOW);
        }
        for (int k = HALF; k < n - HALF; k++) out[k] = applyInterior(raw, k - HALF);
    }
}
