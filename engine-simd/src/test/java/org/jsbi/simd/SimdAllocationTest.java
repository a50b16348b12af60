package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ReduceOp;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.HostStorage;
import org.jsbi.tensor.Storage;
import org.jsbi.testing.AllocationProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels allocate nothing per element once C2 has compiled them. A vector that C2 cannot keep in registers
 * (a helper it did not inline, a masked load it does not intrinsify on AVX2, a vector stored in an array) is boxed on
 * the heap at every operation; the results stay right, only 3–30× slower, so no conformance test notices. Three such
 * kernels were found by profiling (docs/ARCHITECTURE.md); this test keeps them from coming back: after warm-up, each
 * kernel's calls on 1,021 and 4,096 floats (a tail and none) must allocate at most {@link #BUDGET} bytes per call,
 * where one boxed loop allocates kilobytes. A kernel gets up to {@link #PATIENCE_S} seconds of calls for C2 to
 * compile it (the JIT runs on other threads, and CI machines are loaded), then fails with its figure.
 */
class SimdAllocationTest {

    /**
     * Bytes per call allowed: the Parallel body's lambda, a masked tail load where one is left (AVX2 does not
     * intrinsify them: ~50 bytes each), depending on what escape analysis removes in the JVM at hand; never a boxed
     * vector per element, which at 1,021 floats is at least 128 × 48 bytes.
     */
    static final long BUDGET = 1024;
    static final double PATIENCE_S = 30;

    private static int threadsBefore;
    private final SimdBackend be = new SimdBackend();

    @BeforeAll
    static void oneThread() {
        threadsBefore = Parallel.threads();
        Parallel.setThreads(1);   // the work then runs on this thread, whose allocations are what is counted
    }

    @AfterAll
    static void restore() {
        Parallel.setThreads(threadsBefore);
    }

    /** Calls the kernel until a round of calls allocates at most BUDGET bytes each, or the patience runs out. */
    static void assertAllocationFree(String name, Runnable call) {
        AllocationProbe.Result r = AllocationProbe.settle(call, 1, 200, 100, BUDGET, PATIENCE_S);
        if (r.bytesPerUnit() > BUDGET) {
            fail(name + " still allocates " + r.bytesPerUnit() + " bytes per call after " + r.rounds() + " rounds ("
                    + String.format("%.0f", r.seconds()) + " s): a boxed vector in its loop? "
                    + "Profile it (jfr, jdk.ObjectAllocationSample) and see docs/ARCHITECTURE.md on boxing");
        }
    }

    static Storage data(int n, float lo, float hi, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextFloat();
        return new HostStorage(a);
    }

    @Test
    void unaryForwardAndBackward() {
        for (int n : new int[] {1021, 4096}) {
            Storage x = data(n, 0.1f, 3f, 1), y = data(n, 0f, 1f, 2), dy = data(n, -1f, 1f, 3), dx = data(n, 0f, 0f, 4);
            for (UnaryOp op : UnaryOp.values()) {
                be.unary(op, n, x, 0, y, 0);   // y = f(x), so the backward rules see consistent values
                assertAllocationFree(op + " forward, n = " + n, () -> be.unary(op, n, x, 0, y, 0));
                assertAllocationFree(op + " backward, n = " + n,
                        () -> be.unaryBackward(op, n, x, 0, y, 0, dy, 0, dx, 0));
                // The fused layer's in-place gradient (dy is overwritten; its values do not matter here).
                assertAllocationFree(op + " in-place activation backward, n = " + n,
                        () -> be.activationBackwardInPlace(op, n, y, 0, dx, 0));
            }
        }
    }

    @Test
    void binaryAxpyDotAndAdam() {
        for (int n : new int[] {1021, 4096}) {
            Storage a = data(n, 0.5f, 2f, 5), b = data(n, 0.5f, 2f, 6), c = data(n, 0f, 0f, 7);
            for (BinaryOp op : BinaryOp.values()) {
                assertAllocationFree(op + ", n = " + n, () -> be.binary(op, n, a, 0, b, 0, c, 0));
            }
            assertAllocationFree("axpy, n = " + n, () -> be.axpy(n, 0.5f, a, 0, c, 0));
            assertAllocationFree("dot, n = " + n, () -> be.dot(n, a, 0, b, 0));
            Storage p = data(n, -1f, 1f, 8), g = data(n, -1f, 1f, 9), m = data(n, 0f, 0f, 10), v = data(n, 0f, 0f, 11);
            assertAllocationFree("adam, n = " + n,
                    () -> be.adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, p, 0, g, 0, m, 0, v, 0));
            // The multi-tensor kernels of a training step: their bookkeeping arrays are per call, not per element.
            Storage[] ps = {p}, gs = {g}, ms = {m}, vs = {v};
            int[] len = {n};
            assertAllocationFree("adam with a gradient scale, n = " + n,
                    () -> be.adamStepMany(1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0.5f, false, ps, gs, ms, vs, len));
            assertAllocationFree("adam zeroing its gradients, n = " + n,
                    () -> be.adamStepMany(1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 1f, true, ps, gs, ms, vs, len));
            Storage[][] parts = {null, {a}};
            Storage[] dst = {c};
            assertAllocationFree("addManyAndSumSquares, n = " + n, () -> be.addManyAndSumSquares(dst, parts, len));
        }
    }

    @Test
    void rowAndColumnKernels() {
        int rows = 55, cols = 203;   // cols with a tail, as an odd batch
        Storage a = data(rows * cols, -2f, 2f, 12), col = data(rows, -1f, 1f, 13), row = data(cols, -1f, 1f, 14);
        Storage c = data(rows * cols, 0f, 0f, 15), outR = data(rows, 0f, 0f, 16), outC = data(cols, 0f, 0f, 17);
        assertAllocationFree("broadcastColumn", () -> be.broadcastColumn(BinaryOp.ADD, rows, cols, a, 0, cols, col, 0,
                c, 0, cols));
        assertAllocationFree("broadcastRow", () -> be.broadcastRow(BinaryOp.MUL, rows, cols, a, 0, cols, row, 0, c, 0,
                cols));
        // A layer's bias add on a batch of 200: rows of 12.5 vectors, which the SIMD backend takes in pairs.
        assertAllocationFree("broadcastColumn 55 x 200", () -> be.broadcastColumn(BinaryOp.ADD, rows, 200, a, 0, 200,
                col, 0, c, 0, 200));
        for (ReduceOp op : ReduceOp.values()) {
            assertAllocationFree("reduceRows " + op, () -> be.reduceRows(op, rows, cols, a, 0, cols, outR, 0));
            assertAllocationFree("reduceColumns " + op, () -> be.reduceColumns(op, rows, cols, a, 0, cols, outC, 0));
        }
    }

    @Test
    void matrixProductsOfTrainingShapes() {
        // (m, n, k, transA, transB): a MADE layer's forward (B in place), its input gradient (A transposed), its
        // weight gradient (on 512 bits Bᵀ written out, else the dot-product path), a weight gradient over a batch
        // longer than KC (the dot-product path everywhere), a product big enough for the packed GotoBLAS path, the
        // short-k products of a 2-D MADE (its first layer, k = 2; its output layer's input gradient, k = 4) and that
        // output layer's weight gradient (4 rows).
        int[][] shapes = {{50, 200, 50, 0, 0}, {50, 200, 50, 1, 0}, {50, 50, 200, 0, 1}, {50, 50, 300, 0, 1},
            {100, 300, 300, 0, 0}, {50, 200, 2, 0, 0}, {50, 200, 4, 1, 0}, {4, 50, 200, 0, 1}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean ta = s[3] == 1, tb = s[4] == 1;
            Storage a = data(m * k, -1f, 1f, 18), b = data(k * n, -1f, 1f, 19), c = data(m * n, 0f, 0f, 20);
            int lda = ta ? m : k, ldb = tb ? k : n;
            assertAllocationFree("gemm " + m + "x" + n + "x" + k + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : ""),
                    () -> be.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n));
        }
        // Masked products added into a gradient (beta = 1), as a 10-D MADE's input gradient (10 x 200 x 50, its first
        // layer's mask transposed) and a masked block's: C1 once stopped compiling the masked 8-column tail that adds
        // into C, half8MaskedAdd, and left it boxed for good (JitDirectives keeps C1 off SimdGemm).
        for (int[] s : new int[][] {{10, 200, 50}, {50, 200, 50}}) {
            int m = s[0], n = s[1], k = s[2];
            Storage w = data(k * m, -1f, 1f, 25), b = data(k * n, -1f, 1f, 26), c = data(m * n, 0f, 0f, 27);
            float[] bits = new float[k * m];
            for (int i = 0; i < bits.length; i++) bits[i] = (i * 7) % 3 == 0 ? 0f : 1f;
            Storage mask = new HostStorage(bits);
            assertAllocationFree("maskedGemm Wᵀ " + m + "x" + n + "x" + k + ", beta 1",
                    () -> be.maskedGemm(true, m, n, k, w, 0, mask, 0, m, b, 0, n, 1f, c, 0, n));
        }
        // A 10-D MADE block with its units in order of degree (Made): the masked products skip each 8-row block's
        // zero range of k (SimdGemm.blockPanels), forward (beta 0) and input gradient (Wᵀ, beta 0 and 1).
        float[] stair = MaskedBlockConformanceTest.staircase(50, 50, 10, false);
        Storage sm = new HostStorage(stair), sw = data(2500, -1f, 1f, 28), sb = data(50 * 200, -1f, 1f, 29),
                sc = data(50 * 200, 0f, 0f, 43);
        assertAllocationFree("maskedGemm 50x200x50, staircase mask",
                () -> be.maskedGemm(false, 50, 200, 50, sw, 0, sm, 0, 50, sb, 0, 200, 0f, sc, 0, 200));
        for (float beta : new float[] {0f, 1f}) {
            assertAllocationFree("maskedGemm Wᵀ 50x200x50, staircase mask, beta " + beta,
                    () -> be.maskedGemm(true, 50, 200, 50, sw, 0, sm, 0, 50, sb, 0, 200, beta, sc, 0, 200));
        }
        // The same block's weight and bias gradients, the mask applied as they are added (maskedGemmWithRowSums).
        Storage sdy = data(50 * 200, -1f, 1f, 44), sdw = data(2500, 0f, 0f, 45), sdb = data(50, 0f, 0f, 46),
                scratch = data(2500, 0f, 0f, 47);
        assertAllocationFree("maskedParameterGradients 50x50x200, staircase mask",
                () -> be.maskedParameterGradients(50, 50, 200, sdy, 0, sb, 0, sm, 0, scratch, 0, sdw, 0, sdb, 0));
        // A MADE block's weight and bias gradients in one product (on 512 bits a column of ones in Xᵀ).
        Storage dy = data(50 * 200, -1f, 1f, 21), x = data(50 * 200, -1f, 1f, 22), dw = data(2500, 0f, 0f, 23),
                db = data(50, 0f, 0f, 24);
        assertAllocationFree("denseParameterGradients 50x50x200",
                () -> be.denseParameterGradients(50, 50, 200, dy, 0, x, 0, 0f, dw, 0, db, 0));
        // A MAF's affine transform, fused, at 2-D and 10-D over the training batch (a tail past whole vectors).
        for (int d : new int[] {2, 10}) {
            int n = 200;
            int[] perm = new int[d];
            for (int i = 0; i < d; i++) perm[i] = d - 1 - i;
            Storage p = data(2 * d * n, -3f, 3f, 30), u = data(d * n, -2f, 2f, 31), ld = data(n, -1f, 1f, 32),
                    scale = data(d * n, 0f, 0f, 33), out = data(d * n, 0f, 0f, 34), logDet = data(n, 0f, 0f, 35),
                    g = data(d * n, -1f, 1f, 36), gld = data(n, -1f, 1f, 37), dp = data(2 * d * n, 0f, 0f, 38),
                    du = data(d * n, 0f, 0f, 39);
            assertAllocationFree("affineFlowForward " + d + "x" + n, () -> be.affineFlowForward(d, n, 1e-3f, perm, p, 0,
                    u, 0, ld, 0, scale, 0, out, 0, logDet, 0));
            assertAllocationFree("affineFlowBackward " + d + "x" + n, () -> be.affineFlowBackward(d, n, perm, p, 0, u,
                    0, scale, 0, g, 0, gld, 0, dp, 0, du, 0));
        }
        // An MDN's mixture density, fused, at 2-D and 10-D with 10 components over the training batch (a tail past
        // whole vectors): forward, and backward into every input's gradient.
        for (int d : new int[] {2, 10}) {
            int k = 10, n = 200, kd = k * d, ku = k * d * (d - 1) / 2;
            Storage lg = data(k * n, -2f, 2f, 50), mu = data(kd * n, -1f, 1f, 51), dg = data(kd * n, 0.5f, 2f, 52),
                    up = data(ku * n, -0.5f, 0.5f, 53), z = data(d * n, -1f, 1f, 54), out = data(n, 0f, 0f, 55),
                    work = data((k + 2) * n, 0f, 0f, 56), g = data(n, -1f, 1f, 57), dlg = data(k * n, 0f, 0f, 58),
                    dmu = data(kd * n, 0f, 0f, 59), ddg = data(kd * n, 0f, 0f, 60), dup = data(ku * n, 0f, 0f, 61),
                    dz = data(d * n, 0f, 0f, 62);
            assertAllocationFree("gaussianMixtureForward K=" + k + " d=" + d + " n=" + n,
                    () -> be.gaussianMixtureForward(k, d, n, lg, mu, dg, up, z, out, work));
            assertAllocationFree("gaussianMixtureBackward K=" + k + " d=" + d + " n=" + n,
                    () -> be.gaussianMixtureBackward(k, d, n, lg, mu, dg, up, z, work, g, dlg, dmu, ddg, dup, dz));
        }
        // A 2-D MADE's first layer in one pass (on 512 bits shortKDense): with its context term and tanh, and bare.
        Storage w2 = data(100, -1f, 1f, 40), x2 = data(400, -1f, 1f, 41), y2 = data(50 * 200, 0f, 0f, 42);
        assertAllocationFree("denseForward 50x200x2 + addend, tanh",
                () -> be.denseForward(50, 200, 2, w2, 0, null, 0, x2, 0, db, 0, dy, 0, UnaryOp.TANH, y2, 0));
        assertAllocationFree("denseForward 50x200x2",
                () -> be.denseForward(50, 200, 2, w2, 0, null, 0, x2, 0, db, 0, null, 0, null, y2, 0));
        // Layers of more inputs with tanh: the product, then bias, addend and tanh in one pass (DenseEpilogue), whose
        // tanh boxed when a method held three inlined copies of it.
        Storage w10 = data(500, -1f, 1f, 43), x10 = data(2000, -1f, 1f, 44);
        assertAllocationFree("denseForward 50x200x10 + addend, tanh",
                () -> be.denseForward(50, 200, 10, w10, 0, null, 0, x10, 0, db, 0, dy, 0, UnaryOp.TANH, y2, 0));
        assertAllocationFree("denseForward 50x200x10, tanh",
                () -> be.denseForward(50, 200, 10, w10, 0, null, 0, x10, 0, db, 0, null, 0, UnaryOp.TANH, y2, 0));
        assertAllocationFree("denseForward 50x37x10 + addend, tanh (row tails)",
                () -> be.denseForward(50, 37, 10, w10, 0, null, 0, x10, 0, db, 0, dy, 0, UnaryOp.TANH, y2, 0));
        // A layer fed by 10-D θ or x: fewer inputs than lanes (on 512 bits the one-vector tile on Xᵀ).
        assertAllocationFree("denseParameterGradients 50x10x200",
                () -> be.denseParameterGradients(50, 10, 200, dy, 0, x, 0, 0f, dw, 0, db, 0));
    }

    /**
     * A whole training step of the peers' MAF at gaussian_linear's shapes (10-D θ and x, batch 200) on a tape arena,
     * with Adam's update: the tape's Vars come from the arena, the kernels' lambdas are not made where nothing is
     * split, products reuse one Operand per thread, Adam its arrays. Before session 36 a step allocated about 20 KB,
     * which in a heap grown by earlier work landed on fresh pages, each a page fault (docs/ARCHITECTURE.md).
     */
    @Test
    void aTrainingStepOnATapeArena() {
        int d = 10, n = 200;
        org.jsbi.random.Rng rng = new org.jsbi.random.Rng(70);
        org.jsbi.flow.Maf maf = new org.jsbi.flow.Maf(be, d, d, org.jsbi.estimator.ZScore.identity(d),
                org.jsbi.estimator.ZScore.identity(d), org.jsbi.flow.MafConfig.defaults(), rng);
        org.jsbi.tensor.Tensor theta = org.jsbi.tensor.Tensor.wrap(be, data(d * n, -1f, 1f, 71), d, n);
        org.jsbi.tensor.Tensor x = org.jsbi.tensor.Tensor.wrap(be, data(d * n, -1f, 1f, 72), d, n);
        org.jsbi.autodiff.TapeArena arena = new org.jsbi.autodiff.TapeArena(be);
        org.jsbi.optim.Adam adam = new org.jsbi.optim.Adam(maf.parameters(), org.jsbi.optim.AdamConfig.defaults());
        AllocationProbe.Result r = AllocationProbe.settle(() -> {
            org.jsbi.autodiff.Tape tape = org.jsbi.autodiff.Tape.recording(be, null, arena);
            tape.backward(tape.neg(tape.mean(maf.logProb(tape, tape.constant(theta), tape.constant(x)))));
            adam.stepAndZeroGrad(1f);
        }, 1, 20, 20, STEP_BUDGET, PATIENCE_S);
        if (r.bytesPerUnit() > STEP_BUDGET) {
            fail("a MAF training step allocates " + r.bytesPerUnit() + " bytes after " + r.rounds() + " rounds, more "
                    + "than " + STEP_BUDGET + ": profile it (async-profiler's alloc event) and see docs/ARCHITECTURE.md, "
                    + "session 36");
        }
    }

    /**
     * Bytes a whole MAF training step may allocate: the few small objects left (the tape, the flow's {v, logDet}
     * pairs), 160 bytes here, against about 20 KB before; any of the removed sources (tape nodes and their input
     * arrays, about 150 of each a step; the kernels' lambdas, about 20; the products' operands) would exceed it.
     */
    static final long STEP_BUDGET = 1024;
}
