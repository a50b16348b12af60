package org.jsbi.simd;

import static org.jsbi.tensor.HostStorage.array;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.KernelChecks;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ReduceOp;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.backend.UnaryOp;
import org.jsbi.optim.AdamMath;
import org.jsbi.tensor.Storage;

/**
 * The Vector API backend. Compute kernels run across lanes (in the batch-major layout, across samples) with a
 * masked tail, and split over threads through {@link Parallel} when the work is large. Data movement (copies,
 * gathers, scatters) is inherited from the scalar backend: it is {@code System.arraycopy} and index loops, which the
 * JIT already vectorises where it can.
 */
public final class SimdBackend extends ScalarBackend {

    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;
    private static final int L = SimdConfig.LANES;
    /** Elements below which elementwise work stays on one thread. */
    private static final int ELEMENTWISE_GRAIN = 1 << 15;
    /** Whether tanh layers take DenseEpilogue after their product; -Djsbi.simd.epilogue=false, for comparisons. */
    static final boolean EPILOGUE = Boolean.parseBoolean(System.getProperty("jsbi.simd.epilogue", "true"));
    /** Lanes L/2 .. L-1: in broadcastColumn's row pairs, the second row's half of the middle vector. */
    private static final VectorMask<Float> UPPER_HALF = S.indexInRange(0, L / 2).not();
    /** Adam's elements per thread at least: a step over a MAF's 16,000 parameters takes about 20 µs on one thread. */
    private static final int ADAM_GRAIN = 4096;

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public String describe() {
        return "Vector API, " + SimdConfig.bits() + "-bit (" + L + " float lanes; hardware prefers "
                + SimdConfig.preferredBits() + "), " + Parallel.threads() + " thread(s)";
    }

    /**
     * Lanes [idx, idx + L) when at least L remain, else the first {@code remaining} lanes of them. Loops call this on
     * every step: only the tail pays for a masked load, which C2 does not compile to a SIMD instruction on AVX2.
     */
    static FloatVector load(float[] a, int idx, int remaining) {
        return remaining >= L ? FloatVector.fromArray(S, a, idx)
                : FloatVector.fromArray(S, a, idx, S.indexInRange(0, remaining));
    }

    /** Stores the first min(L, remaining) lanes of v at idx. */
    static void store(FloatVector v, float[] a, int idx, int remaining) {
        if (remaining >= L) {
            v.intoArray(a, idx);
        } else {
            v.intoArray(a, idx, S.indexInRange(0, remaining));
        }
    }

    // ---- matmul -------------------------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int aOff, int lda,
                     Storage b, int bOff, int ldb, float beta, Storage c, int cOff, int ldc) {
        KernelChecks.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        SimdGemm.gemm(m, n, k, alpha, SimdGemm.operand(array(a), aOff, lda, transA, null, 0),
                array(b), bOff, ldb, transB, beta, array(c), cOff, ldc);
    }

    @Override
    public void maskedGemm(boolean transW, int m, int n, int k, Storage w, int wOff, Storage mask, int maskOff, int ldw,
                           Storage b, int bOff, int ldb, float beta, Storage c, int cOff, int ldc) {
        KernelChecks.maskedGemm(transW, m, n, k, w, wOff, mask, maskOff, ldw, b, bOff, ldb, c, cOff, ldc);
        SimdGemm.gemm(m, n, k, 1f, SimdGemm.operand(array(w), wOff, ldw, transW, array(mask), maskOff),
                array(b), bOff, ldb, false, beta, array(c), cOff, ldc);
    }

    @Override
    public void denseForward(int m, int n, int k, Storage w, int wOff, Storage mask, int maskOff, Storage x, int xOff,
                             Storage b, int bOff, Storage addend, int addendOff, UnaryOp f, Storage y, int yOff) {
        KernelChecks.denseForward(m, n, k, w, wOff, mask, maskOff, x, xOff, b, bOff, addend, addendOff, y, yOff);
        if ((f == null || f == UnaryOp.TANH) && SimdGemm.shortKDense(m, n, k,
                SimdGemm.operand(array(w), wOff, k, false, mask == null ? null : array(mask), maskOff),
                array(x), xOff, array(b), bOff, addend == null ? null : array(addend), addendOff, f != null, array(y),
                yOff)) {
            return;
        }
        if (f == UnaryOp.TANH && EPILOGUE) {
            // The product, then bias, addend and tanh in one pass (DenseEpilogue) instead of the default's three:
            // DenseForwardBench, 50 x 200 with an addend, from 10 inputs 4.05 against 4.60 µs, from 50 9.44 against
            // 10.38; a one-thread gaussian_linear MAF epoch about 1% less (docs/ARCHITECTURE.md, "Session 31").
            if (mask == null) {
                gemm(false, false, m, n, k, 1f, w, wOff, k, x, xOff, n, 0f, y, yOff, n);
            } else {
                maskedGemm(false, m, n, k, w, wOff, mask, maskOff, k, x, xOff, n, 0f, y, yOff, n);
            }
            denseEpilogue(m, n, array(y), yOff, array(b), bOff, addend == null ? null : array(addend), addendOff);
            return;
        }
        super.denseForward(m, n, k, w, wOff, mask, maskOff, x, xOff, b, bOff, addend, addendOff, f, y, yOff);
    }

    /**
     * {@link DenseEpilogue#biasTanh} over rows 0..m, on this thread where {@link #forRows} would not split them (no
     * lambda made: most of what a training step still allocated), else split. Its own method, which the JIT
     * directive keeps out of its caller ({@link JitDirectives}): with the call in {@code denseForward} itself, C2
     * compiled that method's 2-input path ({@code shortKDense}) with boxed vectors once a 10-D training had run first
     * (SimdAllocationTest, 4,800 bytes per call).
     */
    private static void denseEpilogue(int m, int n, float[] y, int yOff, float[] b, int bOff, float[] addend,
                                      int addendOff) {
        if (rowsInline(m, n)) {
            DenseEpilogue.biasTanh(n, y, yOff, b, bOff, addend, addendOff, 0, m);
        } else {
            forRows(m, n, (r0, r1) -> DenseEpilogue.biasTanh(n, y, yOff, b, bOff, addend, addendOff, r0, r1));
        }
    }

    @Override
    public void denseParameterGradients(int m, int k, int n, Storage dy, int dyOff, Storage x, int xOff, float beta,
                                        Storage dw, int dwOff, Storage db, int dbOff) {
        KernelChecks.denseParameterGradients(m, k, n, dy, dyOff, x, xOff, dw, dwOff, db, dbOff);
        if (db == null || !SimdGemm.gemmWithRowSums(m, k, n, array(dy), dyOff, n, array(x), xOff, n, beta, array(dw),
                dwOff, k, array(db), dbOff)) {
            super.denseParameterGradients(m, k, n, dy, dyOff, x, xOff, beta, dw, dwOff, db, dbOff);
        }
    }

    @Override
    public void maskedParameterGradients(int m, int k, int n, Storage dy, int dyOff, Storage x, int xOff, Storage mask,
                                         int maskOff, Storage scratch, int scratchOff, Storage dw, int dwOff,
                                         Storage db, int dbOff) {
        KernelChecks.maskedParameterGradients(m, k, n, dy, dyOff, x, xOff, mask, maskOff, scratch, scratchOff, dw,
                dwOff, db, dbOff);
        if (!SimdGemm.maskedGemmWithRowSums(m, k, n, array(dy), dyOff, n, array(x), xOff, n, array(mask), maskOff, k,
                array(dw), dwOff, k, db == null ? null : array(db), dbOff)) {
            super.maskedParameterGradients(m, k, n, dy, dyOff, x, xOff, mask, maskOff, scratch, scratchOff, dw, dwOff,
                    db, dbOff);
        }
    }

    @Override
    public boolean fusesAffineFlow() {
        return true;
    }

    /**
     * The lane count: a narrower batch runs every row through the kernels' tail code
     * ({@link org.jsbi.backend.Backend#preferredColumnMultiple}).
     */
    @Override
    public int preferredColumnMultiple() {
        return L;
    }

    @Override
    public void affineFlowForward(int d, int n, float floor, int[] perm, Storage p, int pOff, Storage u, int uOff,
                                  Storage logDetIn, int logDetInOff, Storage scale, int scaleOff, Storage out,
                                  int outOff, Storage logDet, int logDetOff) {
        KernelChecks.affineFlowForward(d, n, perm, p, pOff, u, uOff, logDetIn, logDetInOff, scale, scaleOff, out,
                outOff, logDet, logDetOff);
        AffineFlowKernels.forward(d, n, floor, perm, array(p), pOff, array(u), uOff,
                logDetIn == null ? null : array(logDetIn), logDetInOff, array(scale), scaleOff, array(out), outOff,
                array(logDet), logDetOff);
    }

    @Override
    public void affineFlowBackward(int d, int n, int[] perm, Storage p, int pOff, Storage u, int uOff, Storage scale,
                                   int scaleOff, Storage dOut, int dOutOff, Storage dLogDet, int dLogDetOff,
                                   Storage dp, int dpOff, Storage du, int duOff) {
        KernelChecks.affineFlowBackward(d, n, perm, p, pOff, u, uOff, scale, scaleOff, dOut, dOutOff, dLogDet,
                dLogDetOff, dp, dpOff, du, duOff);
        AffineFlowKernels.backward(d, n, perm, array(p), pOff, array(u), uOff, array(scale), scaleOff, array(dOut),
                dOutOff, dLogDet == null ? null : array(dLogDet), dLogDetOff, dp == null ? null : array(dp), dpOff,
                du == null ? null : array(du), duOff);
    }

    @Override
    public void gaussianMixtureForward(int k, int d, int n, Storage logits, Storage means, Storage diag, Storage upper,
                                       Storage z, Storage out, Storage work) {
        KernelChecks.gaussianMixtureForward(k, d, n, logits, means, diag, upper, z, out, work);
        GaussianMixtureKernels.forward(k, d, n, array(logits), array(means), array(diag), orNull(upper), array(z),
                array(out), array(work));
    }

    @Override
    public void gaussianMixtureBackward(int k, int d, int n, Storage logits, Storage means, Storage diag,
                                        Storage upper, Storage z, Storage work, Storage dOut, Storage dLogits,
                                        Storage dMeans, Storage dDiag, Storage dUpper, Storage dz) {
        KernelChecks.gaussianMixtureBackward(k, d, n, logits, means, diag, upper, z, work, dOut, dLogits, dMeans,
                dDiag, dUpper, dz);
        GaussianMixtureKernels.backward(k, d, n, array(logits), array(means), array(diag), orNull(upper), array(z),
                array(work), array(dOut), orNull(dLogits), orNull(dMeans), orNull(dDiag), orNull(dUpper), orNull(dz));
    }

    // ---- elementwise --------------------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, int n, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.unary(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        UnaryKernels.Loop loop = UnaryKernels.of(op);
        if (Parallel.runsInline(n, ELEMENTWISE_GRAIN)) {
            loop.run(x, xOff, y, yOff, 0, n);
            return;
        }
        Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> loop.run(x, xOff, y, yOff, from, to));
    }

    @Override
    public void unaryBackward(UnaryOp op, int n, Storage xs, int xOff, Storage ys, int yOff,
                              Storage dys, int dyOff, Storage dxs, int dxOff) {
        KernelChecks.unaryBackward(n, xs, xOff, ys, yOff, dys, dyOff, dxs, dxOff);
        float[] x = array(xs), y = array(ys), dy = array(dys), dx = array(dxs);
        UnaryKernels.BackwardLoop loop = UnaryKernels.backward(op);
        if (Parallel.runsInline(n, ELEMENTWISE_GRAIN)) {
            loop.run(x, xOff, y, yOff, dy, dyOff, dx, dxOff, 0, n);
            return;
        }
        Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> loop.run(x, xOff, y, yOff, dy, dyOff, dx, dxOff, from, to));
    }

    @Override
    public boolean activationBackwardInPlace(UnaryOp op, int n, Storage ys, int yOff, Storage dys, int dyOff) {
        KernelChecks.activationBackwardInPlace(n, ys, yOff, dys, dyOff);
        UnaryKernels.InPlaceBackwardLoop loop = UnaryKernels.inPlaceBackward(op);
        if (loop == null) return false;
        float[] y = array(ys), dy = array(dys);
        if (Parallel.runsInline(n, ELEMENTWISE_GRAIN)) {
            loop.run(y, yOff, dy, dyOff, 0, n);
        } else {
            Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> loop.run(y, yOff, dy, dyOff, from, to));
        }
        return true;
    }

    @Override
    public void binary(BinaryOp op, int n, Storage as, int aOff, Storage bs, int bOff, Storage cs, int cOff) {
        KernelChecks.binary(n, as, aOff, bs, bOff, cs, cOff);
        float[] a = array(as), b = array(bs), c = array(cs);
        // A loop per operation: one loop with SimdMath.binary's switch inside ran 10,000 floats in 2.3-3.4 µs once C2
        // had recompiled it, against 0.6 for axpy's loop (the same loads and stores); each of these runs in 0.6.
        if (Parallel.runsInline(n, ELEMENTWISE_GRAIN)) {
            switch (op) {
                case ADD -> add(a, aOff, b, bOff, c, cOff, 0, n);
                case SUB -> sub(a, aOff, b, bOff, c, cOff, 0, n);
                case MUL -> mul(a, aOff, b, bOff, c, cOff, 0, n);
                case DIV -> div(a, aOff, b, bOff, c, cOff, 0, n);
            }
            return;
        }
        switch (op) {
            case ADD -> Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> add(a, aOff, b, bOff, c, cOff, from, to));
            case SUB -> Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> sub(a, aOff, b, bOff, c, cOff, from, to));
            case MUL -> Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> mul(a, aOff, b, bOff, c, cOff, from, to));
            case DIV -> Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> div(a, aOff, b, bOff, c, cOff, from, to));
        }
    }

    // The scalar tails: the same IEEE operation, without the masked loads AVX2 does not intrinsify.

    private static void add(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int from, int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(c, cOff + i);
        }
        for (; i < to; i++) c[cOff + i] = a[aOff + i] + b[bOff + i];
    }

    private static void sub(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int from, int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(c, cOff + i);
        }
        for (; i < to; i++) c[cOff + i] = a[aOff + i] - b[bOff + i];
    }

    private static void mul(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int from, int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(c, cOff + i);
        }
        for (; i < to; i++) c[cOff + i] = a[aOff + i] * b[bOff + i];
    }

    private static void div(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int from, int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).div(FloatVector.fromArray(S, b, bOff + i)).intoArray(c, cOff + i);
        }
        for (; i < to; i++) c[cOff + i] = a[aOff + i] / b[bOff + i];
    }

    @Override
    public void axpy(int n, float alpha, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.axpy(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        if (Parallel.runsInline(n, ELEMENTWISE_GRAIN)) {
            axpyRange(alpha, x, xOff, y, yOff, 0, n);
            return;
        }
        Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> axpyRange(alpha, x, xOff, y, yOff, from, to));
    }

    private static void axpyRange(float alpha, float[] x, int xOff, float[] y, int yOff, int from, int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.broadcast(S, alpha), FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < to; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public void affine(int n, float alpha, float beta, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.affine(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        if (Parallel.runsInline(n, ELEMENTWISE_GRAIN)) {
            affineRange(alpha, beta, x, xOff, y, yOff, 0, n);
            return;
        }
        Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> affineRange(alpha, beta, x, xOff, y, yOff, from, to));
    }

    private static void affineRange(float alpha, float beta, float[] x, int xOff, float[] y, int yOff, int from,
                                    int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(alpha, beta).intoArray(y, yOff + i);
        }
        for (; i < to; i++) y[yOff + i] = alpha * x[xOff + i] + beta;
    }

    @Override
    public double dot(int n, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.dot(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        // Four independent float accumulators, summed lane by lane in a fixed order so results never depend on the JIT.
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), s3);
        }
        double s = SimdMath.laneSum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) s += (double) x[xOff + i] * y[yOff + i];
        return s;
    }

    // ---- broadcasts ---------------------------------------------------------------------------------------------

    @Override
    public void broadcastColumn(BinaryOp op, int rows, int cols, Storage as, int aOff, int lda,
                                Storage vs, int vOff, Storage cs, int cOff, int ldc) {
        KernelChecks.broadcastColumn(rows, cols, as, aOff, lda, vs, vOff, cs, cOff, ldc);
        float[] a = array(as), v = array(vs), c = array(cs);
        boolean pairs = SimdGemm.MASKED_TAILS && cols % L == L / 2 && lda == cols && ldc == cols;
        if (rowsInline(rows, cols)) {
            broadcastColumnRows(op, cols, a, aOff, lda, v, vOff, c, cOff, ldc, pairs, 0, rows);
            return;
        }
        forRows(rows, cols, (r0, r1) -> broadcastColumnRows(op, cols, a, aOff, lda, v, vOff, c, cOff, ldc, pairs, r0,
                r1));
    }

    private static void broadcastColumnRows(BinaryOp op, int cols, float[] a, int aOff, int lda, float[] v, int vOff,
                                            float[] c, int cOff, int ldc, boolean pairs, int r0, int r1) {
        int i = r0;
        if (pairs) {
            // Rows of half a vector past a whole number (200 = 12.5 x 16; the half-batches 88 and the validation's
            // 232 too) two at a time: two rows are a whole number of vectors, the middle one half each row's.
            int half = cols / L;
            for (; i + 1 < r1; i += 2) {
                FloatVector vi = FloatVector.broadcast(S, v[vOff + i]);
                FloatVector vn = FloatVector.broadcast(S, v[vOff + i + 1]);
                int ar = aOff + i * cols, cr = cOff + i * cols;
                for (int q = 0; q < half; q++, ar += L, cr += L) {
                    SimdMath.binary(op, FloatVector.fromArray(S, a, ar), vi).intoArray(c, cr);
                }
                SimdMath.binary(op, FloatVector.fromArray(S, a, ar), vi.blend(vn, UPPER_HALF)).intoArray(c, cr);
                ar += L;
                cr += L;
                for (int q = 0; q < half; q++, ar += L, cr += L) {
                    SimdMath.binary(op, FloatVector.fromArray(S, a, ar), vn).intoArray(c, cr);
                }
            }
        }
        for (; i < r1; i++) {
            FloatVector vi = FloatVector.broadcast(S, v[vOff + i]);
            int ar = aOff + i * lda, cr = cOff + i * ldc;
            int j = 0;
            for (; j <= cols - L; j += L) {
                SimdMath.binary(op, FloatVector.fromArray(S, a, ar + j), vi).intoArray(c, cr + j);
            }
            if (SimdGemm.MASKED_TAILS && j < cols) {
                // 512 bits: the tail as one masked vector (8 of a batch of 200 per row; the scalar loop, with
                // op's switch per element, took a fifth of the call).
                store(SimdMath.binary(op, load(a, ar + j, cols - j), vi), c, cr + j, cols - j);
                continue;
            }
            // The tail in scalar code: the same IEEE operation per element, and no masked load, which AVX2
            // does not intrinsify (each allocated, once per row: SimdAllocationTest).
            for (float vs0 = v[vOff + i]; j < cols; j++) c[cr + j] = op.apply(a[ar + j], vs0);
        }
    }

    @Override
    public void broadcastRow(BinaryOp op, int rows, int cols, Storage as, int aOff, int lda,
                             Storage vs, int vOff, Storage cs, int cOff, int ldc) {
        KernelChecks.broadcastRow(rows, cols, as, aOff, lda, vs, vOff, cs, cOff, ldc);
        float[] a = array(as), v = array(vs), c = array(cs);
        forRows(rows, cols, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                int ar = aOff + i * lda, cr = cOff + i * ldc;
                int j = 0;
                // Full vectors in the loop, the tail in scalar code (as broadcastColumn): masked loads inside the
                // loop boxed its vectors (SimdAllocationTest, an odd number of columns).
                for (; j <= cols - L; j += L) {
                    SimdMath.binary(op, FloatVector.fromArray(S, a, ar + j), FloatVector.fromArray(S, v, vOff + j))
                            .intoArray(c, cr + j);
                }
                for (; j < cols; j++) c[cr + j] = op.apply(a[ar + j], v[vOff + j]);
            }
        });
    }

    /** Splits rows over threads when the matrix is large. */
    private static void forRows(int rows, int cols, Parallel.RangeBody body) {
        Parallel.forRange(rows, rowGrain(cols), 1, body);
    }

    /** Whether {@link #forRows} would run its body on this thread over all rows (then call the kernel directly). */
    private static boolean rowsInline(int rows, int cols) {
        return Parallel.runsInline(rows, rowGrain(cols));
    }

    private static int rowGrain(int cols) {
        return Math.max(1, ELEMENTWISE_GRAIN / Math.max(1, cols));
    }

    // ---- reductions ---------------------------------------------------------------------------------------------

    @Override
    public void reduceRows(ReduceOp op, int rows, int cols, Storage as, int aOff, int lda, Storage outs, int outOff) {
        KernelChecks.reduceRows(rows, cols, as, aOff, lda, outs, outOff);
        float[] a = array(as), out = array(outs);
        if (rowsInline(rows, cols)) {
            reduceRowRange(op, cols, a, aOff, lda, out, outOff, 0, rows);
            return;
        }
        forRows(rows, cols, (r0, r1) -> reduceRowRange(op, cols, a, aOff, lda, out, outOff, r0, r1));
    }

    private static void reduceRowRange(ReduceOp op, int cols, float[] a, int aOff, int lda, float[] out, int outOff,
                                       int r0, int r1) {
        int i = r0;
        if (op == ReduceOp.SUM) {
            for (; i + 4 <= r1; i += 4) sum4(cols, a, aOff + i * lda, lda, out, outOff + i);
        }
        for (; i < r1; i++) out[outOff + i] = reduceContiguous(op, cols, a, aOff + i * lda);
    }

    /**
     * out[o + r] = {@link #sum} of row r = 0..3 (n long, from off + r·lda), each row with exactly sum's operations in
     * sum's order. One row alone is a chain of 16 + n mod 2L dependent double adds after its vector loop (a bias
     * gradient's 200 columns: 24 adds, about 100 cycles, against 12 vector adds); four rows interleaved overlap their
     * chains.
     */
    private static void sum4(int n, float[] a, int off, int lda, float[] out, int o) {
        int vec = n - n % (2 * L);
        int o1 = off + lda, o2 = o1 + lda, o3 = o2 + lda;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        for (int i = 0; i < vec; i += 2 * L) {
            a0 = FloatVector.fromArray(S, a, off + i).add(a0);
            a1 = FloatVector.fromArray(S, a, off + i + L).add(a1);
            b0 = FloatVector.fromArray(S, a, o1 + i).add(b0);
            b1 = FloatVector.fromArray(S, a, o1 + i + L).add(b1);
            c0 = FloatVector.fromArray(S, a, o2 + i).add(c0);
            c1 = FloatVector.fromArray(S, a, o2 + i + L).add(c1);
            d0 = FloatVector.fromArray(S, a, o3 + i).add(d0);
            d1 = FloatVector.fromArray(S, a, o3 + i + L).add(d1);
        }
        float[] lanes = scratch(LANES_ROW, 4 * L);
        FloatVector one = FloatVector.broadcast(S, 1f);
        one.mul(a0).add(a1).intoArray(lanes, 0);
        one.mul(b0).add(b1).intoArray(lanes, L);
        one.mul(c0).add(c1).intoArray(lanes, 2 * L);
        one.mul(d0).add(d1).intoArray(lanes, 3 * L);
        double sa = 0, sb = 0, sc = 0, sd = 0;
        for (int l = 0; l < L; l++) {
            sa += lanes[l];
            sb += lanes[L + l];
            sc += lanes[2 * L + l];
            sd += lanes[3 * L + l];
        }
        for (int i = vec; i < n; i++) {
            sa += a[off + i];
            sb += a[o1 + i];
            sc += a[o2 + i];
            sd += a[o3 + i];
        }
        out[o] = (float) sa;
        out[o + 1] = (float) sb;
        out[o + 2] = (float) sc;
        out[o + 3] = (float) sd;
    }

    @Override
    public void reduceAll(ReduceOp op, int n, Storage as, int aOff, Storage outs, int outOff) {
        KernelChecks.reduceAll(n, as, aOff, outs, outOff);
        array(outs)[outOff] = reduceContiguous(op, n, array(as), aOff);
    }

    private static float reduceContiguous(ReduceOp op, int n, float[] a, int off) {
        return switch (op) {
            case SUM -> (float) sum(n, a, off, 0f, false);
            case MAX -> max(n, a, off);
            case LOGSUMEXP -> {
                float mx = max(n, a, off);
                if (mx == Float.NEGATIVE_INFINITY || Float.isNaN(mx) || mx == Float.POSITIVE_INFINITY) yield mx;
                yield (float) (mx + Math.log(sum(n, a, off, mx, true)));
            }
        };
    }

    /**
     * Sum of a (or of exp(a - shift)), two float vector accumulators combined in double. With exp, the exps of the
     * vector part go through a scratch row first ({@link #expShifted}): two exps inside the accumulation loop were too
     * much for C2 to inline, and the loop's vectors were boxed (SimdAllocationTest).
     */
    private static double sum(int n, float[] a, int off, float shift, boolean exp) {
        int vec = n - n % (2 * L);
        float[] src = a;
        int so = off;
        if (exp && vec > 0) {
            src = scratch(EXP_ROW, vec);
            so = 0;
            expShifted(vec, a, off, shift, src);
        }
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        for (int i = 0; i < vec; i += 2 * L) {
            s0 = FloatVector.fromArray(S, src, so + i).add(s0);
            s1 = FloatVector.fromArray(S, src, so + i + L).add(s1);
        }
        // SimdMath.laneSum's order (lanes in turn, in double), through an array: a vector passed to it was boxed.
        float[] lanes = scratch(LANES_ROW, L);
        FloatVector.broadcast(S, 1f).mul(s0).add(s1).intoArray(lanes, 0);
        double s = 0;
        for (int l = 0; l < L; l++) s += lanes[l];
        for (int i = vec; i < n; i++) s += exp ? Math.exp(a[off + i] - shift) : a[off + i];
        return s;
    }

    /** out[0, n) = exp(a[off + i] − shift), n a multiple of L. */
    private static void expShifted(int n, float[] a, int off, float shift, float[] out) {
        for (int i = 0; i < n; i += L) SimdMath.exp(FloatVector.fromArray(S, a, off + i).sub(shift)).intoArray(out, i);
    }

    /**
     * Per-thread scratch rows, grown on demand: EXP_ROW for {@link #sum}'s exps and reduceColumns' padded tail,
     * LSE_ROW for the logsumexp passes (live at the same time as a padded tail), LANES_ROW for one vector's lanes.
     */
    private static final int EXP_ROW = 0, LSE_ROW = 1, LANES_ROW = 2;
    private static final ThreadLocal<float[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[L]});

    /** Scratch row {@code row} of this thread, at least n floats long. */
    private static float[] scratch(int row, int n) {
        float[][] holder = SCRATCH.get();
        if (holder[row].length < n) holder[row] = new float[Math.max(n, 2 * holder[row].length)];
        return holder[row];
    }

    // Loop-carried vectors and C2: such a vector has only the declared type FloatVector when C2 parses the code after
    // the loop, so an operation on it (each ends in a virtual call, lanewise or intoArray0) is inlined only where
    // the type profile is mature and single; a helper compiled early (on-stack replacement) sometimes had neither, and
    // its vectors were boxed for good (SimdAllocationTest: reduceRows MAX, about one run in five on AVX-512). So the
    // reductions below make the receiver a value of exact class: the loaded vector inside the loop (a + b = b + a,
    // max likewise, so the sums are unchanged) and, after it, broadcast(1)·v, which is v bit for bit
    // (NaN and −0 included), written out at each use rather than as a helper, which would need inlining itself.

    private static float max(int n, float[] a, int off) {
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= n - L; i += L) mv = FloatVector.fromArray(S, a, off + i).max(mv);
        float mx = FloatVector.broadcast(S, 1f).mul(mv).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) mx = Math.max(mx, a[off + i]);
        return mx;
    }

    @Override
    public void reduceColumns(ReduceOp op, int rows, int cols, Storage as, int aOff, int lda, Storage outs, int outOff) {
        KernelChecks.reduceColumns(rows, cols, as, aOff, lda, outs, outOff);
        float[] a = array(as), out = array(outs);
        // Vectorised across columns (samples), each lane walking down its column.
        int grain = Math.max(L, ELEMENTWISE_GRAIN / Math.max(1, rows));
        if (Parallel.runsInline(cols, grain)) {
            columnBlock(op, rows, a, aOff, lda, out, outOff, 0, cols);
            return;
        }
        Parallel.forRange(cols, grain, L, (j0, j1) -> columnBlock(op, rows, a, aOff, lda, out, outOff, j0, j1));
    }

    /**
     * Columns [j0, j1) of reduceColumns: full vectors of columns in place; the last (j1 − j0) mod L columns copied
     * into zero-padded full vectors and back (masked loads are not intrinsified on AVX2 and allocated, once per row).
     * LOGSUMEXP runs in three passes (max, sum of exps, log), one transcendental function per loop: as one loop with
     * an exp and a log its vectors were boxed (SimdAllocationTest). The same operations per lane as before.
     */
    private static void columnBlock(ReduceOp op, int rows, float[] a, int aOff, int lda, float[] out, int outOff,
                                    int j0, int j1) {
        int full = j0 + (j1 - j0) / L * L;
        columnVectors(op, rows, a, aOff, lda, out, outOff, j0, full);
        if (full == j1) return;
        int tail = j1 - full;
        float[] pad = scratch(EXP_ROW, rows * L + L);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, aOff + i * lda + full, pad, i * L, tail);
            java.util.Arrays.fill(pad, i * L + tail, (i + 1) * L, 0f);
        }
        // The padded block's result goes after it in the same scratch row.
        columnVectors(op, rows, pad, 0, L, pad, rows * L, 0, L);
        System.arraycopy(pad, rows * L, out, outOff + full, tail);
    }

    /** Columns [j0, j1), a multiple of L wide. */
    private static void columnVectors(ReduceOp op, int rows, float[] a, int aOff, int lda, float[] out, int outOff,
                                      int j0, int j1) {
        switch (op) {
            case SUM -> {
                for (int j = j0; j < j1; j += L) {
                    FloatVector s = FloatVector.zero(S);
                    for (int i = 0; i < rows; i++) s = FloatVector.fromArray(S, a, aOff + i * lda + j).add(s);
                    FloatVector.broadcast(S, 1f).mul(s).intoArray(out, outOff + j);
                }
            }
            case MAX -> columnMax(rows, a, aOff, lda, out, outOff, j0, j1);
            case LOGSUMEXP -> {
                float[] work = scratch(LSE_ROW, 2 * (j1 - j0));
                columnMax(rows, a, aOff, lda, work, -j0, j0, j1);
                columnExpSums(rows, a, aOff, lda, work, j0, j1);
                columnLogs(work, out, outOff, j0, j1);
            }
        }
    }

    /** out[outOff + j] = max over rows of column j. */
    private static void columnMax(int rows, float[] a, int aOff, int lda, float[] out, int outOff, int j0, int j1) {
        for (int j = j0; j < j1; j += L) {
            FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < rows; i++) mx = FloatVector.fromArray(S, a, aOff + i * lda + j).max(mx);
            FloatVector.broadcast(S, 1f).mul(mx).intoArray(out, outOff + j);
        }
    }

    /** work[w + j − j0] = Σ exp(a_ij − shift_j), shift = the max where finite, else 0; the max is at work[j − j0]. */
    private static void columnExpSums(int rows, float[] a, int aOff, int lda, float[] work, int j0, int j1) {
        int w = j1 - j0;
        for (int j = j0; j < j1; j += L) {
            FloatVector mx = FloatVector.fromArray(S, work, j - j0);
            FloatVector shift = mx.blend(0f, mx.test(VectorOperators.IS_INFINITE).or(mx.test(VectorOperators.IS_NAN)));
            FloatVector s = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                s = SimdMath.exp(FloatVector.fromArray(S, a, aOff + i * lda + j).sub(shift)).add(s);
            }
            FloatVector.broadcast(S, 1f).mul(s).intoArray(work, w + j - j0);
        }
    }

    /**
     * out = log(sum) + shift; rows of -inf give -inf; an infinite or NaN max is the answer itself. The logs go through
     * the LOG kernel's loop first (in place in work): SimdMath.log called from this short loop was not inlined.
     */
    private static void columnLogs(float[] work, float[] out, int outOff, int j0, int j1) {
        int w = j1 - j0;
        UnaryKernels.of(UnaryOp.LOG).run(work, w, work, w, 0, w);
        for (int j = j0; j < j1; j += L) {
            FloatVector mx = FloatVector.fromArray(S, work, j - j0);
            VectorMask<Float> special = mx.test(VectorOperators.IS_INFINITE).or(mx.test(VectorOperators.IS_NAN));
            FloatVector shift = mx.blend(0f, special);
            FloatVector.fromArray(S, work, w + j - j0).add(shift).blend(mx, special).intoArray(out, outOff + j);
        }
    }

    /*
     * The reductions' backward passes, a loop per operation. One loop with the operation's gradient switched inside
     * (as before 2026-11-28) stayed fast while a process used one operation, but once it had also run another (an MDN's
     * LOGSUMEXP, a MAX) the recompiled loop ran a 10 x 200 SUM backward in 1.6-33 µs instead of 0.19, and a 1 x 200
     * one in 0.16 instead of 0.03 (a throwaway probe, AVX-512): a validation run trains both estimators in one JVM.
     */

    @Override
    public void reduceRowsBackward(ReduceOp op, int rows, int cols, Storage xs, int xOff, int ldx, Storage ys, int yOff,
                                   Storage dys, int dyOff, Storage dxs, int dxOff, int lddx) {
        KernelChecks.reduceRowsBackward(rows, cols, xs, xOff, ldx, ys, yOff, dys, dyOff, dxs, dxOff, lddx);
        float[] x = array(xs), y = array(ys), dy = array(dys), dx = array(dxs);
        if (op == ReduceOp.SUM && rowsInline(rows, cols)) {
            rowsSumBackward(0, rows, cols, dy, dyOff, dx, dxOff, lddx);
            return;
        }
        switch (op) {
            case SUM -> forRows(rows, cols, (r0, r1) -> rowsSumBackward(r0, r1, cols, dy, dyOff, dx, dxOff, lddx));
            case MAX -> forRows(rows, cols, (r0, r1) -> rowsMaxBackward(r0, r1, cols, x, xOff, ldx, y, yOff, dy, dyOff,
                    dx, dxOff, lddx));
            case LOGSUMEXP -> forRows(rows, cols, (r0, r1) -> rowsLseBackward(r0, r1, cols, x, xOff, ldx, y, yOff, dy,
                    dyOff, dx, dxOff, lddx));
        }
    }

    private static void rowsSumBackward(int r0, int r1, int cols, float[] dy, int dyOff, float[] dx, int dxOff,
                                        int lddx) {
        for (int i = r0; i < r1; i++) {
            FloatVector g = FloatVector.broadcast(S, dy[dyOff + i]);
            int dr = dxOff + i * lddx;
            for (int j = 0; j < cols; j += L) store(load(dx, dr + j, cols - j).add(g), dx, dr + j, cols - j);
        }
    }

    private static void rowsMaxBackward(int r0, int r1, int cols, float[] x, int xOff, int ldx, float[] y, int yOff,
                                        float[] dy, int dyOff, float[] dx, int dxOff, int lddx) {
        for (int i = r0; i < r1; i++) {
            FloatVector yv = FloatVector.broadcast(S, y[yOff + i]), g = FloatVector.broadcast(S, dy[dyOff + i]);
            int xr = xOff + i * ldx, dr = dxOff + i * lddx;
            for (int j = 0; j < cols; j += L) {
                int m = cols - j;
                store(load(dx, dr + j, m).add(maxGrad(load(x, xr + j, m), yv, g)), dx, dr + j, m);
            }
        }
    }

    private static void rowsLseBackward(int r0, int r1, int cols, float[] x, int xOff, int ldx, float[] y, int yOff,
                                        float[] dy, int dyOff, float[] dx, int dxOff, int lddx) {
        for (int i = r0; i < r1; i++) {
            FloatVector yv = FloatVector.broadcast(S, y[yOff + i]), g = FloatVector.broadcast(S, dy[dyOff + i]);
            int xr = xOff + i * ldx, dr = dxOff + i * lddx;
            for (int j = 0; j < cols; j += L) {
                int m = cols - j;
                store(load(dx, dr + j, m).add(lseGrad(load(x, xr + j, m), yv, g)), dx, dr + j, m);
            }
        }
    }

    @Override
    public void reduceColumnsBackward(ReduceOp op, int rows, int cols, Storage xs, int xOff, int ldx, Storage ys,
                                      int yOff, Storage dys, int dyOff, Storage dxs, int dxOff, int lddx) {
        KernelChecks.reduceColumnsBackward(rows, cols, xs, xOff, ldx, ys, yOff, dys, dyOff, dxs, dxOff, lddx);
        float[] x = array(xs), y = array(ys), dy = array(dys), dx = array(dxs);
        int grain = Math.max(L, ELEMENTWISE_GRAIN / Math.max(1, rows));
        if (op == ReduceOp.SUM && Parallel.runsInline(cols, grain)) {
            columnsSumBackward(0, cols, rows, dy, dyOff, dx, dxOff, lddx);
            return;
        }
        switch (op) {
            case SUM -> Parallel.forRange(cols, grain, L, (j0, j1) -> columnsSumBackward(j0, j1, rows, dy, dyOff, dx,
                    dxOff, lddx));
            case MAX -> Parallel.forRange(cols, grain, L, (j0, j1) -> columnsMaxBackward(j0, j1, rows, x, xOff, ldx, y,
                    yOff, dy, dyOff, dx, dxOff, lddx));
            case LOGSUMEXP -> Parallel.forRange(cols, grain, L, (j0, j1) -> columnsLseBackward(j0, j1, rows, x, xOff,
                    ldx, y, yOff, dy, dyOff, dx, dxOff, lddx));
        }
    }

    private static void columnsSumBackward(int j0, int j1, int rows, float[] dy, int dyOff, float[] dx, int dxOff,
                                           int lddx) {
        for (int j = j0; j < j1; j += L) {
            int m = j1 - j;
            FloatVector g = load(dy, dyOff + j, m);
            for (int i = 0; i < rows; i++) {
                int di = dxOff + i * lddx + j;
                store(load(dx, di, m).add(g), dx, di, m);
            }
        }
    }

    private static void columnsMaxBackward(int j0, int j1, int rows, float[] x, int xOff, int ldx, float[] y, int yOff,
                                           float[] dy, int dyOff, float[] dx, int dxOff, int lddx) {
        for (int j = j0; j < j1; j += L) {
            int m = j1 - j;
            FloatVector yv = load(y, yOff + j, m), g = load(dy, dyOff + j, m);
            for (int i = 0; i < rows; i++) {
                int di = dxOff + i * lddx + j;
                store(load(dx, di, m).add(maxGrad(load(x, xOff + i * ldx + j, m), yv, g)), dx, di, m);
            }
        }
    }

    private static void columnsLseBackward(int j0, int j1, int rows, float[] x, int xOff, int ldx, float[] y, int yOff,
                                           float[] dy, int dyOff, float[] dx, int dxOff, int lddx) {
        for (int j = j0; j < j1; j += L) {
            int m = j1 - j;
            FloatVector yv = load(y, yOff + j, m), g = load(dy, dyOff + j, m);
            for (int i = 0; i < rows; i++) {
                int di = dxOff + i * lddx + j;
                store(load(dx, di, m).add(lseGrad(load(x, xOff + i * ldx + j, m), yv, g)), dx, di, m);
            }
        }
    }

    /** MAX's gradient: dy where x is the maximum y, else 0. */
    private static FloatVector maxGrad(FloatVector x, FloatVector y, FloatVector dy) {
        return FloatVector.zero(S).blend(dy, x.compare(VectorOperators.EQ, y));
    }

    /**
     * LOGSUMEXP's gradient exp(x − y) · dy, subnormal results flushed to zero: a mixture's far components get
     * responsibilities below 1e-38, and every FMA that later reads such a gradient takes a microcode assist on Intel
     * (an MDN epoch went from 12 to 30 ms once training had made them). Within the conformance tolerance (MIN_NORMAL).
     */
    private static FloatVector lseGrad(FloatVector x, FloatVector y, FloatVector dy) {
        FloatVector r = SimdMath.exp(x.sub(y)).mul(dy);
        return r.blend(0f, r.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
    }

    // ---- optimizer ----------------------------------------------------------------------------------------------

    @Override
    public void adamStep(int n, float lr, float beta1, float beta2, float eps, float c1, float c2,
                         Storage ps, int pOff, Storage gs, int gOff, Storage ms, int mOff, Storage vs, int vOff) {
        KernelChecks.adamStep(n, ps, pOff, gs, gOff, ms, mOff, vs, vOff);
        float[] p = array(ps), g = array(gs), m = array(ms), v = array(vs);
        Parallel.forRange(n, ELEMENTWISE_GRAIN, L, (from, to) -> adamLoop(from, to, lr, beta1, beta2, eps, c1, c2,
                1f, false, p, pOff, g, gOff, m, mOff, v, vOff));
    }

    /**
     * All the parameters' Adam steps as one range of elements over the tensors in turn, split over the threads
     * (the per-tensor default runs each tensor on one thread: a MADE's largest weight has 2,500 elements, far below a
     * split's worth). Every element gets adamLoop's arithmetic wherever the chunk bounds fall, so the result is the
     * same as tensor by tensor, on any number of threads.
     */
    @Override
    public void adamStepMany(float lr, float beta1, float beta2, float eps, float c1, float c2, Storage[] params,
                             Storage[] grads, Storage[] m, Storage[] v, int[] lengths) {
        KernelChecks.adamStepMany(params, grads, m, v, lengths);
        adamStepMany(lr, beta1, beta2, eps, c1, c2, 1f, false, params, grads, m, v, lengths);
    }

    /**
     * As above with clipping's scale applied to each gradient as it is read (g · s + 0, scaleMany's operation, so the
     * same bits as scaling first), which saves clipping its own pass over the gradients, and with zeroGrads a zero
     * stored over each gradient once read, which saves the next step's zeroing pass (a serial pass on two threads).
     */
    @Override
    public void adamStepMany(float lr, float beta1, float beta2, float eps, float c1, float c2, float gradScale,
                             boolean zeroGrads, Storage[] params, Storage[] grads, Storage[] m, Storage[] v,
                             int[] lengths) {
        KernelChecks.adamStepMany(params, grads, m, v, lengths);
        int t = params.length;
        long total = 0;
        for (int i = 0; i < t; i++) total += lengths[i];
        if (total > Integer.MAX_VALUE || Parallel.runsInline((int) total, ADAM_GRAIN)) {
            for (int i = 0; i < t; i++) {
                adamLoop(0, lengths[i], lr, beta1, beta2, eps, c1, c2, gradScale, zeroGrads, array(params[i]), 0,
                        array(grads[i]), 0, array(m[i]), 0, array(v[i]), 0);
            }
            return;
        }
        long[] start = new long[t + 1];
        for (int i = 0; i < t; i++) start[i + 1] = start[i] + lengths[i];
        Parallel.forRange((int) start[t], ADAM_GRAIN, L, (from, to) -> {
            for (int i = 0; i < t && start[i] < to; i++) {
                if (start[i + 1] <= from) continue;
                int lo = (int) Math.max(0, from - start[i]), hi = (int) Math.min(lengths[i], to - start[i]);
                adamLoop(lo, hi, lr, beta1, beta2, eps, c1, c2, gradScale, zeroGrads, array(params[i]), 0,
                        array(grads[i]), 0, array(m[i]), 0, array(v[i]), 0);
            }
        });
    }

    /**
     * The gradient reduction of a batch split over threads, with the squared norm for clipping. Each tensor is one
     * unit of work: its parts added in part order and its sum of squares as {@link #dot} computes it (the same
     * accumulators in the same order), on whichever thread; the tensors' sums are then added in tensor order. So the
     * result is bit for bit the axpy calls and {@link #sumOfSquares} that it replaces, on any number of threads,
     * and the gradients are read once instead of twice and by both threads instead of one.
     */
    @Override
    public double addManyAndSumSquares(Storage[] dst, Storage[][] parts, int[] lengths) {
        KernelChecks.addManyAndSumSquares(dst, parts, lengths);
        int t = dst.length;
        long total = 0;
        for (int i = 0; i < t; i++) total += lengths[i];
        if (total <= Integer.MAX_VALUE && Parallel.runsInline((int) total, ADAM_GRAIN)) {
            // On this thread, tensor by tensor, with no arrays or lambda made: the two-thread trainer calls this
            // once per tensor as part 0 finishes each gradient. The squares are added in tensor order, as below.
            float[][] src = partArrays(parts.length - 1);
            double s = 0;
            for (int i = 0; i < t; i++) {
                for (int p = 1; p < parts.length; p++) src[p - 1] = array(parts[p][i]);
                s += addAndSumSquares(array(dst[i]), src, lengths[i]);
            }
            java.util.Arrays.fill(src, null);
            return s;
        }
        long[] start = new long[t + 1];
        for (int i = 0; i < t; i++) start[i + 1] = start[i] + lengths[i];
        double[] squares = new double[t];
        float[][][] src = new float[t][parts.length - 1][];
        for (int i = 0; i < t; i++) {
            for (int p = 1; p < parts.length; p++) src[i][p - 1] = array(parts[p][i]);
        }
        // A tensor goes to the chunk in which its first element falls.
        Parallel.RangeBody body = (from, to) -> {
            for (int i = 0; i < t; i++) {
                if (start[i] >= from && start[i] < to) squares[i] = addAndSumSquares(array(dst[i]), src[i], lengths[i]);
            }
        };
        if (start[t] > Integer.MAX_VALUE) {
            body.run(0, Integer.MAX_VALUE);
        } else {
            Parallel.forRange((int) start[t], ADAM_GRAIN, 1, body);
        }
        double s = 0;
        for (double q : squares) s += q;
        return s;
    }

    private static final ThreadLocal<float[][]> PART_ARRAYS = ThreadLocal.withInitial(() -> new float[1][]);

    /** This thread's array of n part arrays for {@link #addAndSumSquares}. */
    private static float[][] partArrays(int n) {
        float[][] a = PART_ARRAYS.get();
        if (a.length != n) {
            a = new float[n][];
            PART_ARRAYS.set(a);
        }
        return a;
    }

    /** d += each of parts in turn, then Σ d² with {@link #dot}'s four accumulators, in one pass over d. */
    private static double addAndSumSquares(float[] d, float[][] parts, int n) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            FloatVector a0 = FloatVector.fromArray(S, d, i), a1 = FloatVector.fromArray(S, d, i + L);
            FloatVector a2 = FloatVector.fromArray(S, d, i + 2 * L), a3 = FloatVector.fromArray(S, d, i + 3 * L);
            for (float[] p : parts) {
                a0 = a0.add(FloatVector.fromArray(S, p, i));
                a1 = a1.add(FloatVector.fromArray(S, p, i + L));
                a2 = a2.add(FloatVector.fromArray(S, p, i + 2 * L));
                a3 = a3.add(FloatVector.fromArray(S, p, i + 3 * L));
            }
            a0.intoArray(d, i);
            a1.intoArray(d, i + L);
            a2.intoArray(d, i + 2 * L);
            a3.intoArray(d, i + 3 * L);
            s0 = a0.fma(a0, s0);
            s1 = a1.fma(a1, s1);
            s2 = a2.fma(a2, s2);
            s3 = a3.fma(a3, s3);
        }
        double s = SimdMath.laneSum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            float a = d[i];
            for (float[] p : parts) a += p[i];
            d[i] = a;
            s += (double) a * a;
        }
        return s;
    }

    /** The Adam update over [from, to): constants broadcast once, one static method so C2 compiles it alone. */
    private static void adamLoop(int from, int to, float lr, float beta1, float beta2, float eps, float c1, float c2,
                                 float gradScale, boolean zeroGrads, float[] p, int pOff, float[] g, int gOff,
                                 float[] m, int mOff, float[] v, int vOff) {
        boolean scaled = gradScale != 1f;
        FloatVector vs = FloatVector.broadcast(S, gradScale), zero = FloatVector.zero(S);
        FloatVector b1 = FloatVector.broadcast(S, beta1), b2 = FloatVector.broadcast(S, beta2);
        FloatVector ob1 = FloatVector.broadcast(S, 1f - beta1), ob2 = FloatVector.broadcast(S, 1f - beta2);
        float stepSize = AdamMath.stepSize(lr, c1), invRootC2 = AdamMath.inverseRootC2(c2);
        FloatVector vstep = FloatVector.broadcast(S, stepSize), vroot = FloatVector.broadcast(S, invRootC2);
        FloatVector veps = FloatVector.broadcast(S, eps);
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            if (zeroGrads) zero.intoArray(g, gOff + i);
            if (scaled) gv = gv.fma(vs, zero);
            FloatVector mv = FloatVector.fromArray(S, m, mOff + i).mul(b1).add(gv.mul(ob1));
            FloatVector vv = FloatVector.fromArray(S, v, vOff + i).mul(b2).add(gv.mul(gv).mul(ob2));
            mv.intoArray(m, mOff + i);
            vv.intoArray(v, vOff + i);
            FloatVector step = mv.mul(vstep).div(vv.lanewise(VectorOperators.SQRT).fma(vroot, veps));
            FloatVector.fromArray(S, p, pOff + i).sub(step).intoArray(p, pOff + i);
        }
        // The tail in scalar code with the same operations in the same order (so the same roundings): masked loads
        // are not compiled to SIMD instructions on AVX2, and the fallback boxed the whole loop's vectors.
        float ob1s = 1f - beta1, ob2s = 1f - beta2;
        for (; i < to; i++) {
            float gi = scaled ? gradScale * g[gOff + i] + 0f : g[gOff + i];
            if (zeroGrads) g[gOff + i] = 0f;
            float mi = m[mOff + i] * beta1 + gi * ob1s;
            float vi = v[vOff + i] * beta2 + gi * gi * ob2s;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            p[pOff + i] -= mi * stepSize / Math.fma((float) Math.sqrt(vi), invRootC2, eps);
        }
    }
}
