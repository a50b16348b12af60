package org.jsbi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.backend.Parallel;

/**
 * A MAF's affine transform in one pass over a block of columns, forward and backward ({@code
 * SimdBackend.affineFlowForward} and {@code affineFlowBackward}). Built from the primitives, the transform was
 * about 11 backend calls and 10 tape nodes forward and 24 calls and 10 zeroed gradients backward per MADE, each
 * over only d x n floats (2 x 200 for two_moons): the calls' fixed costs, not the arithmetic, were its time.
 * <p>
 * Every lane computes what the primitives' SIMD kernels compute, in their order and roundings: {@link
 * SimdMath#softplus}, {@code fma(1, floor)} as {@code affine}, {@code mul}, {@code add}, {@link SimdMath#log} and a
 * column sum from +0 in row order; backward the rules of {@code Gradients} with every contribution added into a
 * zeroed gradient as {@code axpy} does ({@code x·1 + y} in one rounding). The conformance test holds the fused node
 * to the primitives bit for bit. Columns go in whole vectors; the last n mod L through zero-padded copies of their
 * rows, as the unary kernels' tails (each lane computes the same values; the padding's are dropped). The loops have
 * one body each: a second, masked copy of a body that holds an exp doubled the compiled method and C2 boxed its
 * vectors.
 */
final class AffineFlowKernels {

    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;
    private static final int L = SimdConfig.LANES;
    /** Columns per task: a block of a few thousand floats, as the elementwise kernels' grain. */
    private static final int GRAIN_FLOATS = 1 << 15;

    /**
     * Whether the tail's rows are copied to and from the zero-padded scratch with masked loads and stores (AVX-512
     * has them in hardware; AVX2 would box them, see SimdGemm.MASKED_TAILS).
     */
    private static final boolean MASKED_TAILS = SimdGemm.MASKED_TAILS;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private AffineFlowKernels() {
    }

    private static float[] scratch(int slot, int size) {
        float[][] h = SCRATCH.get();
        if (h[slot].length < size) h[slot] = new float[Math.max(size, 2 * h[slot].length)];
        return h[slot];
    }

    static void forward(int d, int n, float floor, int[] perm, float[] p, int pOff, float[] u, int uOff,
                        float[] ldIn, int ldInOff, float[] scale, int sOff, float[] out, int oOff, float[] logDet,
                        int ldOff) {
        int full = n / L * L;
        int grain = Math.max(L, GRAIN_FLOATS / (4 * d));
        if (full > 0 && Parallel.runsInline(full, grain)) {
            // Called directly where nothing is split (inside the trainer's parts): no lambda allocated per call.
            forwardColumns(d, floor, perm, p, pOff, n, u, uOff, n, ldIn, ldInOff, scale, sOff, n, out, oOff, n, logDet,
                    ldOff, 0, full);
        } else if (full > 0) {
            Parallel.forRange(full, grain, L, (j0, j1) -> forwardColumns(d, floor, perm,
                    p, pOff, n, u, uOff, n, ldIn, ldInOff, scale, sOff, n, out, oOff, n, logDet, ldOff, j0, j1));
        }
        if (full == n) return;
        // The tail: inputs copied into zero-padded rows of L (p: 2d rows, u: d rows, logDetIn: 1), the same code,
        // outputs (scale: d rows, out: d rows, logDet: 1) copied back.
        int tail = n - full;
        float[] w = scratch(0, (5 * d + 2) * L);
        int wp = 0, wu = 2 * d * L, wi = 3 * d * L, ws = wi + L, wo = ws + d * L, wl = wo + d * L;
        padRows(p, pOff + full, n, 2 * d, tail, w, wp);
        padRows(u, uOff + full, n, d, tail, w, wu);
        if (ldIn != null) padRows(ldIn, ldInOff + full, n, 1, tail, w, wi);
        forwardColumns(d, floor, perm, w, wp, L, w, wu, L, ldIn == null ? null : w, wi, w, ws, L, w, wo, L, w, wl, 0, L);
        unpadRows(w, ws, d, tail, scale, sOff + full, n);
        unpadRows(w, wo, d, tail, out, oOff + full, n);
        unpadRows(w, wl, 1, tail, logDet, ldOff + full, n);
    }

    /** Columns [j0, j1), whole vectors; each matrix at its own leading dimension. */
    private static void forwardColumns(int d, float floor, int[] perm, float[] p, int pOff, int ldp, float[] u,
                                       int uOff, int ldu, float[] ldIn, int ldInOff, float[] scale, int sOff, int lds,
                                       float[] out, int oOff, int ldo, float[] logDet, int ldOff, int j0, int j1) {
        for (int r = 0; r < d; r++) {
            int i = perm[r];
            int s = pOff + i * ldp, t = pOff + (d + i) * ldp, x = uOff + i * ldu, sc = sOff + i * lds, o = oOff + r * ldo;
            for (int j = j0; j < j1; j += L) {
                FloatVector scl = SimdMath.softplus(FloatVector.fromArray(S, p, s + j)).fma(1f, floor);
                scl.intoArray(scale, sc + j);
                scl.mul(FloatVector.fromArray(S, u, x + j)).add(FloatVector.fromArray(S, p, t + j)).intoArray(out, o + j);
            }
        }
        // The column sums of log(scale), row by row from +0, as reduceColumns(SUM); then 1·s and the add.
        float[] lg = scratch(1, j1 - j0);
        FloatVector zero = FloatVector.zero(S);
        for (int j = j0; j < j1; j += L) zero.intoArray(logDet, ldOff + j);
        for (int i = 0; i < d; i++) {
            SimdMath.log(scale, sOff + i * lds + j0, lg, 0, 0, j1 - j0);
            for (int j = j0; j < j1; j += L) {
                FloatVector.fromArray(S, lg, j - j0).add(FloatVector.fromArray(S, logDet, ldOff + j))
                        .intoArray(logDet, ldOff + j);
            }
        }
        FloatVector one = FloatVector.broadcast(S, 1f);
        if (ldIn == null) {
            for (int j = j0; j < j1; j += L) {
                one.mul(FloatVector.fromArray(S, logDet, ldOff + j)).intoArray(logDet, ldOff + j);
            }
        } else {
            for (int j = j0; j < j1; j += L) {
                FloatVector.fromArray(S, ldIn, ldInOff + j).add(one.mul(FloatVector.fromArray(S, logDet, ldOff + j)))
                        .intoArray(logDet, ldOff + j);
            }
        }
    }

    static void backward(int d, int n, int[] perm, float[] p, int pOff, float[] u, int uOff, float[] scale, int sOff,
                         float[] g, int gOff, float[] gld, int gldOff, float[] dp, int dpOff, float[] du, int duOff) {
        int full = n / L * L;
        int grain = Math.max(L, GRAIN_FLOATS / (6 * d));
        if (full > 0 && Parallel.runsInline(full, grain)) {
            backwardColumns(d, perm, p, pOff, n, u, uOff, n, scale, sOff, n, g, gOff, n, gld, gldOff, dp, dpOff, n, du,
                    duOff, n, 0, full);
        } else if (full > 0) {
            Parallel.forRange(full, grain, L, (j0, j1) -> backwardColumns(d, perm, p,
                    pOff, n, u, uOff, n, scale, sOff, n, g, gOff, n, gld, gldOff, dp, dpOff, n, du, duOff, n, j0, j1));
        }
        if (full == n) return;
        int tail = n - full;
        float[] w = scratch(0, (9 * d + 1) * L);
        int wp = 0, wu = 2 * d * L, ws = 3 * d * L, wg = 4 * d * L, wl = 5 * d * L, wdp = wl + L, wdu = wdp + 2 * d * L;
        padRows(p, pOff + full, n, d, tail, w, wp);   // the scales' rows only: the shifts' are not read
        padRows(u, uOff + full, n, d, tail, w, wu);
        padRows(scale, sOff + full, n, d, tail, w, ws);
        padRows(g, gOff + full, n, d, tail, w, wg);
        if (gld != null) padRows(gld, gldOff + full, n, 1, tail, w, wl);
        if (dp != null) padRows(dp, dpOff + full, n, 2 * d, tail, w, wdp);
        if (du != null) padRows(du, duOff + full, n, d, tail, w, wdu);
        backwardColumns(d, perm, w, wp, L, w, wu, L, w, ws, L, w, wg, L, gld == null ? null : w, wl,
                dp == null ? null : w, wdp, L, du == null ? null : w, wdu, L, 0, L);
        if (dp != null) unpadRows(w, wdp, 2 * d, tail, dp, dpOff + full, n);
        if (du != null) unpadRows(w, wdu, d, tail, du, duOff + full, n);
    }

    /**
     * Columns [j0, j1), whole vectors. Per element, in the order of the unfused rules: the gather's scatter into zeros,
     * gv = 0 + g; the add's gradient gm = gv·1 + 0; log's, 1/scale · (0 + gLogDet) + 0; mul's, gm·u added to it;
     * affine's, ·1 + 0; softplus's, sigmoid(s) · that + 0; the slices' adds into dp; mul's gm·scale added into du.
     */
    private static void backwardColumns(int d, int[] perm, float[] p, int pOff, int ldp, float[] u, int uOff, int ldu,
                                        float[] scale, int sOff, int lds, float[] g, int gOff, int ldg, float[] gld,
                                        int gldOff, float[] dp, int dpOff, int lddp, float[] du, int duOff, int lddu,
                                        int j0, int j1) {
        if (gld == null) {
            // No log-determinant gradient: zeros in its place make log's term +0, which adds nothing (x + +0 = x for
            // every x but -0, and mul's term it meets is then +0 too), and keep the loop free of a vector that may be
            // absent (C2 boxes a merge of a vector and null).
            gld = scratch(2, j1 - j0);
            java.util.Arrays.fill(gld, 0, j1 - j0, 0f);
            gldOff = -j0;
        }
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < d; r++) {
            int i = perm[r];
            int s = pOff + i * ldp, x = uOff + i * ldu, sc = sOff + i * lds, gr = gOff + r * ldg;
            int ds = dpOff + i * lddp, dt = dpOff + (d + i) * lddp, dx = duOff + i * lddu;
            for (int j = j0; j < j1; j += L) {
                FloatVector gv = zero.add(FloatVector.fromArray(S, g, gr + j));
                FloatVector gm = gv.fma(one, zero);
                FloatVector scl = FloatVector.fromArray(S, scale, sc + j);
                FloatVector lt = one.div(scl).fma(zero.add(FloatVector.fromArray(S, gld, gldOff + j)), zero);
                FloatVector gs = gm.mul(FloatVector.fromArray(S, u, x + j)).fma(one, lt).fma(one, zero);
                if (dp != null) {
                    SimdMath.sigmoid(FloatVector.fromArray(S, p, s + j)).fma(gs, zero)
                            .fma(one, FloatVector.fromArray(S, dp, ds + j)).intoArray(dp, ds + j);
                    gm.fma(one, FloatVector.fromArray(S, dp, dt + j)).intoArray(dp, dt + j);
                }
                if (du != null) gm.mul(scl).fma(one, FloatVector.fromArray(S, du, dx + j)).intoArray(du, dx + j);
            }
        }
    }

    /**
     * dst rows [r L, (r + 1) L) = src's rows' columns off .. off + width − 1 (row stride ld), zeros after them: one
     * masked load per row on 512 bits (a copy and a fill per row took about 0.5 µs a call at 2 x 200), else a copy.
     */
    static void padRows(float[] src, int off, int ld, int rows, int width, float[] dst, int dOff) {
        if (MASKED_TAILS) {
            VectorMask<Float> m = S.indexInRange(0, width);
            for (int r = 0; r < rows; r++) FloatVector.fromArray(S, src, off + r * ld, m).intoArray(dst, dOff + r * L);
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, off + r * ld, dst, dOff + r * L, width);
            java.util.Arrays.fill(dst, dOff + r * L + width, dOff + (r + 1) * L, 0f);
        }
    }

    /** The first width columns of rows of L in src back into dst (leading dimension ld). */
    static void unpadRows(float[] src, int sOff, int rows, int width, float[] dst, int off, int ld) {
        if (MASKED_TAILS) {
            VectorMask<Float> m = S.indexInRange(0, width);
            for (int r = 0; r < rows; r++) FloatVector.fromArray(S, src, sOff + r * L).intoArray(dst, off + r * ld, m);
            return;
        }
        for (int r = 0; r < rows; r++) System.arraycopy(src, sOff + r * L, dst, off + r * ld, width);
    }
}
