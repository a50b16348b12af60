package org.jsbi.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jsbi.tensor.Storage;
import org.jsbi.testing.Arrays2;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad sizes, offsets, leading dimensions and indices passed straight to a backend (not through Tensor or Tape): every
 * backend must refuse each call before any work with an IllegalArgumentException naming the argument, and with the
 * same message as the scalar reference ({@link KernelChecks}), where before a negative size was a silent no-op on one
 * backend and an ArrayIndexOutOfBoundsException in a kernel on another. Calls at the edge of what is legal (empty
 * runs at a storage's end, a single row with any leading dimension, exact fits) must pass on every backend.
 */
public abstract class BackendArgumentSuite {

    /** The backend under test. */
    protected abstract Backend candidate();

    private final Backend ref = new ScalarBackend();

    /** One call, what it names in its refusal (null: it must be accepted), and the call on a given backend. */
    private record Call(String what, String names, Consumer<Backend> on) {
    }

    private static Storage s(Backend be, int n) {
        return be.allocate(n);
    }

    private static Call bad(String what, String names, Consumer<Backend> on) {
        return new Call(what, names, on);
    }

    private static Call ok(String what, Consumer<Backend> on) {
        return new Call(what, null, on);
    }

    private List<Call> calls() {
        List<Call> c = new ArrayList<>();
        int[] lengths = {4, 6};
        // allocation and host copies (on the GPU: cuMemcpy reads or writes exactly the floats named)
        c.add(bad("allocate negative", "allocate: length = -1", be -> be.allocate(-1)));
        c.add(bad("upload n negative", "upload: n = -1", be -> be.upload(new float[4], 0, s(be, 4), 0, -1)));
        c.add(bad("upload past the host array", "upload: src needs floats [2, 6)",
                be -> be.upload(new float[4], 2, s(be, 8), 0, 4)));
        c.add(bad("upload before the host array", "upload: src starts at offset -1",
                be -> be.upload(new float[4], -1, s(be, 8), 0, 2)));
        c.add(bad("upload past the storage", "upload: dst needs floats [3, 7)",
                be -> be.upload(new float[8], 0, s(be, 4), 3, 4)));
        c.add(bad("download past the host array", "download: dst needs floats [1, 5)",
                be -> be.download(s(be, 8), 0, new float[4], 1, 4)));
        c.add(bad("download past the storage", "download: src needs floats [6, 10)",
                be -> be.download(s(be, 8), 6, new float[8], 0, 4)));
        c.add(bad("download offset past the storage with n = 0", "download: src needs floats [9, 9)",
                be -> be.download(s(be, 8), 9, new float[8], 0, 0)));
        // products
        c.add(bad("gemm m negative", "gemm: m = -1", be -> be.gemm(false, false, -1, 2, 2, 1f, s(be, 4), 0, 2,
                s(be, 4), 0, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("gemm n negative", "gemm: n = -2", be -> be.gemm(false, false, 2, -2, 2, 1f, s(be, 4), 0, 2,
                s(be, 4), 0, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("gemm k negative", "gemm: k = -3", be -> be.gemm(false, false, 2, 2, -3, 1f, s(be, 4), 0, 2,
                s(be, 4), 0, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("gemm lda below k", "gemm: lda = 2 is less than the 3 columns of a",
                be -> be.gemm(false, false, 2, 2, 3, 1f, s(be, 6), 0, 2, s(be, 6), 0, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("gemm Aᵀ too short", "gemm: a needs floats [0, 8) (4 rows of 2, lda = 2",
                be -> be.gemm(true, false, 2, 2, 4, 1f, s(be, 7), 0, 2, s(be, 8), 0, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("gemm C past its storage", "gemm: c needs floats [1, 5)",
                be -> be.gemm(false, false, 2, 2, 2, 1f, s(be, 4), 0, 2, s(be, 4), 0, 2, 0f, s(be, 4), 1, 2)));
        c.add(bad("gemm Bᵀ negative offset", "gemm: b starts at offset -1",
                be -> be.gemm(false, true, 2, 2, 2, 1f, s(be, 4), 0, 2, s(be, 4), -1, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("maskedGemm k negative", "maskedGemm: k = -1", be -> be.maskedGemm(false, 2, 2, -1, s(be, 4), 0,
                s(be, 4), 0, 2, s(be, 4), 0, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("maskedGemm mask too short", "maskedGemm: mask needs floats [0, 4)", be -> be.maskedGemm(false, 2,
                2, 2, s(be, 4), 0, s(be, 3), 0, 2, s(be, 4), 0, 2, 0f, s(be, 4), 0, 2)));
        c.add(bad("maskedGemm Wᵀ ldw below m", "maskedGemm: ldw = 2 is less than the 3 columns of w",
                be -> be.maskedGemm(true, 3, 2, 2, s(be, 6), 0, s(be, 6), 0, 2, s(be, 4), 0, 2, 0f, s(be, 6), 0, 2)));
        c.add(bad("denseForward m negative", "denseForward: m = -1", be -> be.denseForward(-1, 2, 2, s(be, 4), 0,
                null, 0, s(be, 4), 0, s(be, 2), 0, null, 0, UnaryOp.TANH, s(be, 4), 0)));
        c.add(bad("denseForward y too short", "denseForward: y needs floats [0, 6)", be -> be.denseForward(3, 2, 2,
                s(be, 6), 0, null, 0, s(be, 4), 0, s(be, 3), 0, null, 0, UnaryOp.TANH, s(be, 5), 0)));
        c.add(bad("denseForward mask too short", "denseForward: mask needs floats [0, 6)", be -> be.denseForward(3,
                2, 2, s(be, 6), 0, s(be, 5), 0, s(be, 4), 0, s(be, 3), 0, null, 0, null, s(be, 6), 0)));
        c.add(bad("denseForward addend too short", "denseForward: addend needs floats [1, 7)", be -> be.denseForward(
                3, 2, 2, s(be, 6), 0, null, 0, s(be, 4), 0, s(be, 3), 0, s(be, 6), 1, null, s(be, 6), 0)));
        c.add(bad("denseParameterGradients n negative", "denseParameterGradients: n = -1",
                be -> be.denseParameterGradients(2, 2, -1, s(be, 4), 0, s(be, 4), 0, 1f, s(be, 4), 0, null, 0)));
        c.add(bad("denseParameterGradients db too short", "denseParameterGradients: db needs floats [0, 3)",
                be -> be.denseParameterGradients(3, 2, 2, s(be, 6), 0, s(be, 4), 0, 1f, s(be, 6), 0, s(be, 2), 0)));
        c.add(bad("maskedParameterGradients k negative", "maskedParameterGradients: k = -1",
                be -> be.maskedParameterGradients(2, -1, 2, s(be, 4), 0, s(be, 4), 0, s(be, 4), 0, s(be, 4), 0,
                        s(be, 4), 0, null, 0)));
        c.add(bad("maskedParameterGradients dw too short", "maskedParameterGradients: dw needs floats [0, 6)",
                be -> be.maskedParameterGradients(3, 2, 2, s(be, 6), 0, s(be, 4), 0, s(be, 6), 0, s(be, 6), 0,
                        s(be, 5), 0, s(be, 3), 0)));
        // elementwise
        c.add(bad("unary n negative", "unary: n = -1", be -> be.unary(UnaryOp.EXP, -1, s(be, 4), 0, s(be, 4), 0)));
        c.add(bad("unary y too short", "unary: y needs floats [1, 5)",
                be -> be.unary(UnaryOp.TANH, 4, s(be, 4), 0, s(be, 4), 1)));
        c.add(bad("unaryBackward dx too short", "unaryBackward: dx needs floats [0, 4)", be -> be.unaryBackward(
                UnaryOp.SOFTPLUS, 4, s(be, 4), 0, s(be, 4), 0, s(be, 4), 0, s(be, 3), 0)));
        c.add(bad("activationBackwardInPlace n negative", "activationBackwardInPlace: n = -1",
                be -> be.activationBackwardInPlace(UnaryOp.TANH, -1, s(be, 4), 0, s(be, 4), 0)));
        c.add(bad("activationBackwardInPlace without a kernel, dy too short",
                "activationBackwardInPlace: dy needs floats [0, 4)",
                be -> be.activationBackwardInPlace(UnaryOp.EXP, 4, s(be, 4), 0, s(be, 3), 0)));
        c.add(bad("binary n negative", "binary: n = -1",
                be -> be.binary(BinaryOp.ADD, -1, s(be, 4), 0, s(be, 4), 0, s(be, 4), 0)));
        c.add(bad("binary b past its storage", "binary: b needs floats [2, 6)",
                be -> be.binary(BinaryOp.MUL, 4, s(be, 4), 0, s(be, 4), 2, s(be, 4), 0)));
        c.add(bad("axpy n negative", "axpy: n = -1", be -> be.axpy(-1, 1f, s(be, 4), 0, s(be, 4), 0)));
        c.add(bad("axpy y past its storage", "axpy: y needs floats [1, 5)",
                be -> be.axpy(4, 1f, s(be, 4), 0, s(be, 4), 1)));
        c.add(bad("affine negative offset", "affine: x starts at offset -1",
                be -> be.affine(2, 1f, 0f, s(be, 4), -1, s(be, 4), 0)));
        c.add(bad("fill n negative", "fill: n = -5", be -> be.fill(-5, 1f, s(be, 4), 0)));
        c.add(bad("fill past the storage", "fill: x needs floats [2, 6)", be -> be.fill(4, 1f, s(be, 4), 2)));
        c.add(bad("dot n negative", "dot: n = -1", be -> be.dot(-1, s(be, 4), 0, s(be, 4), 0)));
        c.add(bad("dot y too short", "dot: y needs floats [0, 4)", be -> be.dot(4, s(be, 4), 0, s(be, 3), 0)));
        // broadcasts and reductions
        c.add(bad("broadcastColumn rows negative", "broadcastColumn: rows = -1", be -> be.broadcastColumn(
                BinaryOp.ADD, -1, 2, s(be, 4), 0, 2, s(be, 2), 0, s(be, 4), 0, 2)));
        c.add(bad("broadcastColumn v too short", "broadcastColumn: v needs floats [0, 2)", be -> be.broadcastColumn(
                BinaryOp.ADD, 2, 2, s(be, 4), 0, 2, s(be, 1), 0, s(be, 4), 0, 2)));
        c.add(bad("broadcastRow v too short", "broadcastRow: v needs floats [0, 3)", be -> be.broadcastRow(
                BinaryOp.MUL, 2, 3, s(be, 6), 0, 3, s(be, 2), 0, s(be, 6), 0, 3)));
        c.add(bad("broadcastRow ldc below cols", "broadcastRow: ldc = 2 is less than the 3 columns of c",
                be -> be.broadcastRow(BinaryOp.MUL, 2, 3, s(be, 6), 0, 3, s(be, 3), 0, s(be, 6), 0, 2)));
        c.add(bad("reduceRows rows negative", "reduceRows: rows = -1",
                be -> be.reduceRows(ReduceOp.SUM, -1, 2, s(be, 4), 0, 2, s(be, 2), 0)));
        c.add(bad("reduceRows out too short", "reduceRows: out needs floats [0, 2)",
                be -> be.reduceRows(ReduceOp.MAX, 2, 2, s(be, 4), 0, 2, s(be, 1), 0)));
        c.add(bad("reduceColumns cols negative", "reduceColumns: cols = -1",
                be -> be.reduceColumns(ReduceOp.SUM, 2, -1, s(be, 4), 0, 2, s(be, 2), 0)));
        c.add(bad("reduceColumns a too short", "reduceColumns: a needs floats [0, 6) (3 rows of 2, lda = 2",
                be -> be.reduceColumns(ReduceOp.LOGSUMEXP, 3, 2, s(be, 5), 0, 2, s(be, 2), 0)));
        c.add(bad("reduceAll n negative", "reduceAll: n = -1",
                be -> be.reduceAll(ReduceOp.SUM, -1, s(be, 4), 0, s(be, 1), 0)));
        c.add(bad("reduceAll out past its storage", "reduceAll: out needs floats [1, 2)",
                be -> be.reduceAll(ReduceOp.SUM, 4, s(be, 4), 0, s(be, 1), 1)));
        c.add(bad("reduceRowsBackward rows negative", "reduceRowsBackward: rows = -1", be -> be.reduceRowsBackward(
                ReduceOp.SUM, -1, 2, s(be, 4), 0, 2, s(be, 2), 0, s(be, 2), 0, s(be, 4), 0, 2)));
        c.add(bad("reduceColumnsBackward dx too short", "reduceColumnsBackward: dx needs floats [0, 4)",
                be -> be.reduceColumnsBackward(ReduceOp.SUM, 2, 2, s(be, 4), 0, 2, s(be, 2), 0, s(be, 2), 0,
                        s(be, 3), 0, 2)));
        // data movement
        c.add(bad("copy2d rows negative", "copy2d: rows = -1",
                be -> be.copy2d(-1, 2, s(be, 4), 0, 2, s(be, 4), 0, 2)));
        c.add(bad("copy2d ldd below cols", "copy2d: ldd = 1 is less than the 2 columns of dst",
                be -> be.copy2d(2, 2, s(be, 4), 0, 2, s(be, 4), 0, 1)));
        c.add(bad("copy2d dst too short", "copy2d: dst needs floats [0, 7) (2 rows of 2, ldd = 5",
                be -> be.copy2d(2, 2, s(be, 4), 0, 2, s(be, 6), 0, 5)));
        c.add(bad("gatherRows negative index", "gatherRows: idx[1] = -1 is negative",
                be -> be.gatherRows(new int[] {0, -1}, 2, s(be, 4), 0, 2, s(be, 4), 0, 2)));
        c.add(bad("gatherRows index past src", "gatherRows: src needs floats [0, 6) (3 rows of 2",
                be -> be.gatherRows(new int[] {2, 0}, 2, s(be, 4), 0, 2, s(be, 4), 0, 2)));
        c.add(bad("gatherColumns cols of dst", "gatherColumns: dst needs floats [0, 6) (2 rows of 3",
                be -> be.gatherColumns(new int[] {0, 1, 0}, 2, s(be, 4), 0, 2, s(be, 5), 0, 3)));
        c.add(bad("scatterAddRows index past dst", "scatterAddRows: dst needs floats [0, 8) (4 rows of 2",
                be -> be.scatterAddRows(new int[] {3, 1}, 2, s(be, 4), 0, 2, s(be, 6), 0, 2)));
        c.add(bad("scatterAddColumns index past dst", "scatterAddColumns: ldd = 2 is less than the 3 columns of dst",
                be -> be.scatterAddColumns(new int[] {2, 0}, 2, s(be, 4), 0, 2, s(be, 6), 0, 2)));
        c.add(bad("scatterAddColumns rows negative", "scatterAddColumns: rows = -1",
                be -> be.scatterAddColumns(new int[] {0}, -1, s(be, 4), 0, 1, s(be, 4), 0, 1)));
        // the optimizer and several tensors at once
        c.add(bad("adamStep n negative", "adamStep: n = -1", be -> be.adamStep(-1, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f,
                0.001f, s(be, 4), 0, s(be, 4), 0, s(be, 4), 0, s(be, 4), 0)));
        c.add(bad("adamStep v too short", "adamStep: v needs floats [0, 4)", be -> be.adamStep(4, 1e-3f, 0.9f,
                0.999f, 1e-8f, 0.1f, 0.001f, s(be, 4), 0, s(be, 4), 0, s(be, 4), 0, s(be, 3), 0)));
        c.add(bad("sumOfSquares length past a storage", "sumOfSquares: xs[1] holds 5 floats, fewer than lengths[1] = 6",
                be -> be.sumOfSquares(new Storage[] {s(be, 4), s(be, 5)}, lengths)));
        c.add(bad("scaleMany negative length", "scaleMany: lengths[0] = -1 is negative",
                be -> be.scaleMany(2f, new Storage[] {s(be, 4)}, new int[] {-1})));
        c.add(bad("zeroMany fewer storages than lengths", "zeroMany: xs has 1 storages for 2 lengths",
                be -> be.zeroMany(new Storage[] {s(be, 4)}, lengths)));
        c.add(bad("addManyAndSumSquares part too short",
                "addManyAndSumSquares: parts[1][0] holds 3 floats, fewer than lengths[0] = 4",
                be -> be.addManyAndSumSquares(new Storage[] {s(be, 4), s(be, 6)},
                        new Storage[][] {null, {s(be, 3), s(be, 6)}}, lengths)));
        c.add(bad("adamStepMany v too short", "adamStepMany: v[1] holds 2 floats, fewer than lengths[1] = 6",
                be -> be.adamStepMany(1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, tensors(be, 4, 6), tensors(be, 4, 6),
                        tensors(be, 4, 6), tensors(be, 4, 2), lengths)));
        c.add(bad("adamStepMany (scaled, zeroing) grads null", "adamStepMany: grads[0] is null",
                be -> be.adamStepMany(1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, 0.5f, true, tensors(be, 4, 6),
                        new Storage[] {null, s(be, 6)}, tensors(be, 4, 6), tensors(be, 4, 6), lengths)));
        // legal at the edges: nothing refused
        c.add(ok("empty runs at a storage's end", be -> {
            be.axpy(0, 1f, s(be, 3), 3, s(be, 3), 3);
            be.fill(0, 1f, s(be, 2), 2);
            be.upload(new float[2], 2, s(be, 2), 2, 0);
            be.copy2d(0, 5, s(be, 4), 4, 5, s(be, 4), 4, 5);
            be.gemm(false, false, 0, 3, 2, 1f, s(be, 1), 1, 2, s(be, 6), 0, 3, 0f, s(be, 1), 1, 3);
            be.gatherRows(new int[0], 3, s(be, 1), 1, 3, s(be, 1), 1, 3);
        }));
        c.add(ok("one row: any leading dimension", be -> be.copy2d(1, 5, s(be, 5), 0, 1, s(be, 5), 0, 0)));
        c.add(ok("exact fits", be -> {
            be.gemm(true, true, 2, 3, 4, 1f, s(be, 8), 0, 2, s(be, 12), 0, 4, 0f, s(be, 10), 4, 3);
            be.maskedGemm(true, 2, 3, 4, s(be, 9), 1, s(be, 8), 0, 2, s(be, 12), 0, 3, 1f, s(be, 6), 0, 3);
            be.reduceRows(ReduceOp.SUM, 2, 0, s(be, 0), 0, 0, s(be, 2), 0);
            be.scatterAddColumns(new int[] {1, 1}, 2, s(be, 4), 0, 2, s(be, 6), 2, 2);
        }));
        return c;
    }

    private static Storage[] tensors(Backend be, int... lengths) {
        Storage[] t = new Storage[lengths.length];
        for (int i = 0; i < t.length; i++) t[i] = s(be, lengths[i]);
        return t;
    }

    @TestFactory
    List<DynamicTest> badCallsAreRefusedAsTheReferenceRefusesThem() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Call call : calls()) {
            tests.add(DynamicTest.dynamicTest(call.what(), () -> {
                if (call.names() == null) {
                    call.on().accept(candidate());
                    return;
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> call.on().accept(candidate()), candidate().name() + ": " + call.what());
                assertTrue(e.getMessage().startsWith(call.names()),
                        candidate().name() + ": " + call.what() + " refused with \"" + e.getMessage()
                                + "\", which does not start \"" + call.names() + "\"");
                IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                        () -> call.on().accept(ref), "the reference: " + call.what());
                assertEquals(r.getMessage(), e.getMessage(), candidate().name() + ": " + call.what()
                        + " refused otherwise than by the reference");
            }));
        }
        return tests;
    }

    /** The fused kernels, where the backend has them: a bad size is refused as the others are. */
    @TestFactory
    List<DynamicTest> fusedKernels() {
        Backend be = candidate();
        List<Call> c = new ArrayList<>();
        if (be.fusesAffineFlow()) {
            int[] perm = {1, 0};
            c.add(bad("affineFlowForward perm of another length", "affineFlowForward: perm has 2 entries for d = 3",
                    b -> b.affineFlowForward(3, 2, 1e-3f, perm, s(b, 12), 0, s(b, 6), 0, null, 0, s(b, 6), 0,
                            s(b, 6), 0, s(b, 2), 0)));
            c.add(bad("affineFlowForward perm entry outside", "affineFlowForward: perm[0] = 2 is outside [0, 2)",
                    b -> b.affineFlowForward(2, 2, 1e-3f, new int[] {2, 0}, s(b, 8), 0, s(b, 4), 0, null, 0,
                            s(b, 4), 0, s(b, 4), 0, s(b, 2), 0)));
            c.add(bad("affineFlowForward out too short", "affineFlowForward: out needs floats [0, 4)",
                    b -> b.affineFlowForward(2, 2, 1e-3f, perm, s(b, 8), 0, s(b, 4), 0, s(b, 2), 0, s(b, 4), 0,
                            s(b, 3), 0, s(b, 2), 0)));
            c.add(bad("affineFlowBackward n negative", "affineFlowBackward: n = -1",
                    b -> b.affineFlowBackward(2, -1, perm, s(b, 8), 0, s(b, 4), 0, s(b, 4), 0, s(b, 4), 0, null, 0,
                            s(b, 8), 0, null, 0)));
            c.add(bad("affineFlowBackward dp too short", "affineFlowBackward: dp needs floats [0, 8)",
                    b -> b.affineFlowBackward(2, 2, perm, s(b, 8), 0, s(b, 4), 0, s(b, 4), 0, s(b, 4), 0, null, 0,
                            s(b, 7), 0, null, 0)));
        }
        if (be.fusesGaussianMixture()) {
            c.add(bad("gaussianMixtureForward k negative", "gaussianMixtureForward: k = -1",
                    b -> b.gaussianMixtureForward(-1, 2, 3, s(b, 6), s(b, 12), s(b, 12), s(b, 6), s(b, 6), s(b, 3),
                            s(b, 12))));
            c.add(bad("gaussianMixtureForward work too short", "gaussianMixtureForward: work needs floats [0, 12)",
                    b -> b.gaussianMixtureForward(2, 2, 3, s(b, 6), s(b, 12), s(b, 12), s(b, 6), s(b, 6), s(b, 3),
                            s(b, 11))));
            c.add(bad("gaussianMixtureForward upper missing", "gaussianMixtureForward: upper is null",
                    b -> b.gaussianMixtureForward(2, 2, 3, s(b, 6), s(b, 12), s(b, 12), null, s(b, 6), s(b, 3),
                            s(b, 12))));
            c.add(bad("gaussianMixtureBackward dz too short", "gaussianMixtureBackward: dz needs floats [0, 6)",
                    b -> b.gaussianMixtureBackward(2, 2, 3, s(b, 6), s(b, 12), s(b, 12), s(b, 6), s(b, 6), s(b, 12),
                            s(b, 3), null, null, null, null, s(b, 5))));
            c.add(ok("gaussianMixtureForward in one dimension without an upper triangle",
                    b -> b.gaussianMixtureForward(2, 1, 3, Arrays2.store(b, new float[6]), s(b, 6),
                            Arrays2.store(b, new float[] {1, 1, 1, 1, 1, 1}), null, s(b, 3), s(b, 3), s(b, 12))));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Call call : c) {
            tests.add(DynamicTest.dynamicTest(call.what(), () -> {
                if (call.names() == null) {
                    call.on().accept(be);
                    return;
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.on().accept(be),
                        be.name() + ": " + call.what());
                assertTrue(e.getMessage().startsWith(call.names()), be.name() + ": " + call.what()
                        + " refused with \"" + e.getMessage() + "\", which does not start \"" + call.names() + "\"");
            }));
        }
        return tests;
    }
}
