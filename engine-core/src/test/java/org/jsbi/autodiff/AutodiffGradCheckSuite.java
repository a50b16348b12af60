package org.jsbi.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.ReduceOp;
import org.jsbi.backend.UnaryOp;
import org.jsbi.flow.Maf;
import org.jsbi.nn.Activation;
import org.jsbi.nn.Linear;
import org.jsbi.nn.Mlp;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Float64 central-difference gradient checks of every autodiff {@link Op} (every variant), run on a backend.
 *
 * <p>Method, for each case: the loss is {@code L = Σ w ⊙ f(inputs)} with fixed random weights w (so every output
 * element matters). The analytic gradient is the tape's, on the backend, in float32: {@code tape.backward(y, w)}
 * seeds the output with w, which is exactly the gradient of L and keeps other ops out of the check. The numeric
 * gradient comes from a float64 re-implementation of the op's forward written here (plain double loops,
 * {@link UnaryOp#apply(double)} for unary functions), at the same (float-valued) inputs, by central differences with
 * step {@code h = 1e-6 · max(1, |x|)} on each input element (truncation error O(h²) ≈ 1e-12, rounding
 * ≈ 1e-16 |L| / h ≈ 1e-9, both far below the tolerance).
 *
 * <p>Measure (gradients and forward values alike), stated once:
 * <pre>
 *   err = max_i |analytic_i − numeric_i| / max( max_i max(|numeric_i|, S_i), 1e-3 )  ≤  1e-5
 * </pre>
 * a max-norm relative error whose scale is the larger of the largest true value and the largest S_i, the sum of the
 * magnitudes of the terms that make element i: for a gradient element, S_i = Σ_j |w_j ∂y_j/∂x_i| (the terms the
 * chain rule adds; S_i ≥ |∂L/∂x_i|); for a forward element, S_j = Σ_i |∂y_j/∂x_i · x_i| (the terms of a product
 * or a sum). Both are read off the same central differences. Why this scale: float32 rounding of a sum is
 * proportional to the magnitudes of its terms, not to its (possibly cancelled) result, so with max|numeric| alone
 * as the scale, a 1x9 by 9x1 product or a 9-term sum that happens to land near zero would fail on rounding alone.
 * With it, float32 rounding (a few dozen roundings of 2^-24 at most, with these small shapes) stays below ~1e-6
 * (the largest seen over 60 seeds is 1.2e-6: tanh's derivative, computed from y, near |y| = 1 on SIMD), while a
 * wrong rule (missing factor, wrong transpose, wrong sign, a dropped or doubled contribution) moves some element by
 * a sizeable fraction of the scale (S exceeds max|numeric| by about √K, a small factor here) and fails by orders of
 * magnitude. The 1e-3 floor only matters where every true value is (near) zero.
 *
 * <p>Input domains keep each function smooth around the inputs: positive for LOG and SQRT, |x| ≥ 0.1 for RELU,
 * |denominator| ≥ 0.5 for DIV, and values at least 2e-2 apart for MAX (so the arg-max cannot change within ±h).
 *
 * <p>The cases and {@link #evaluate} are public so that backend conformance tests (engine-simd) run the same graphs.
 * Seeds: fixed, overridable with {@code -Djsbi.test.seed}, printed in every assertion message.
 */
public abstract class AutodiffGradCheckSuite {

    /** The seed of every random draw here; -Djsbi.test.seed overrides it. */
    public static final long SEED = TestSeeds.seed(20250611L);

    /** Tolerance of gradients against central differences, and of float32 against float64 forwards (see above). */
    static final double TOLERANCE = 1e-5;
    /** Floor of the denominator of the relative measure. */
    static final double FLOOR = 1e-3;

    /** The backend under test. */
    protected abstract Backend backend();

    // =================================================================================================================
    // Cases
    // =================================================================================================================

    /** Builds the graph of a case on a tape from its input variables. */
    @FunctionalInterface
    public interface Graph {
        Var build(Tape tape, Var[] in);
    }

    /** The float64 forward of a case, from its inputs (row-major, as doubles). */
    @FunctionalInterface
    public interface Reference {
        double[] forward(double[][] in);
    }

    /** One input of a case: its shape and float32 values (row-major). */
    public record Input(int rows, int cols, float[] data) {
    }

    /**
     * One gradient-check graph.
     *
     * @param op           the op of the output node (the op under test)
     * @param variant      which variant of the op ("MUL", "transA=true,transB=false", ...), for the coverage check
     * @param accumulation the longest run of values summed together in forward or backward (1 for elementwise ops
     *                     and data movement; the inner dimensions for products; the reduced length for reductions),
     *                     for cross-backend tolerances
     */
    public record OpCase(String name, Op op, String variant, int accumulation, List<Input> inputs, Graph graph,
                         Reference reference, long weightSeed) {

        /** The fixed loss weights w of an output of n elements, uniform in [-1, 1]. */
        public float[] weights(int n) {
            SplittableRandom r = new SplittableRandom(weightSeed);
            float[] w = new float[n];
            for (int i = 0; i < n; i++) w[i] = (float) r.nextDouble(-1, 1);
            return w;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What one backend computed for a case: the forward output, the weights and every input's gradient. */
    public record Evaluation(Op op, int rows, int cols, float[] forward, float[] weights, List<float[]> gradients) {
    }

    /** Runs a case on a backend: forward, then backward seeded with the case's weights. */
    public static Evaluation evaluate(OpCase c, Backend backend) {
        Tape tape = Tape.recording(backend);
        Var[] vars = new Var[c.inputs().size()];
        for (int i = 0; i < vars.length; i++) {
            Input in = c.inputs().get(i);
            vars[i] = tape.variable(Tensor.of(backend, in.rows(), in.cols(), in.data().clone()));
        }
        Var y = c.graph().build(tape, vars);
        float[] w = c.weights(y.rows() * y.cols());
        tape.backward(y, Tensor.of(backend, y.rows(), y.cols(), w));
        List<float[]> grads = new ArrayList<>();
        for (Var v : vars) grads.add(v.grad().toArray());
        return new Evaluation(y.op(), y.rows(), y.cols(), y.value().toArray(), w, grads);
    }

    /** Awkward small shapes (rows x cols) for elementwise ops, reductions and data movement. */
    private static final int[][] SMALL_SHAPES = {{3, 5}, {7, 1}, {1, 9}, {13, 4}, {6, 19}};
    /** Larger shapes, used only by cross-backend conformance (no finite differences there). */
    private static final int[][] LARGE_SHAPES = {{1, 1021}, {50, 207}, {17, 33}};
    /** Products (m, k, n): op(A) is m x k, op(B) is k x n. */
    private static final int[][] SMALL_PRODUCTS = {{3, 5, 4}, {7, 1, 9}, {1, 9, 1}, {13, 4, 17}, {6, 19, 2}};
    private static final int[][] LARGE_PRODUCTS = {{37, 300, 41}, {50, 4, 207}, {3, 50, 1021}};

    /**
     * Every op and variant of the tape on awkward shapes, plus a few composites (fan-out: an input used more than
     * once, so gradients accumulate). {@code large} adds bigger shapes, for conformance tests that need no finite
     * differences.
     */
    public static List<OpCase> opCases(long seed, boolean large) {
        Cases cs = new Cases(seed);
        int[][] shapes = large ? concat(SMALL_SHAPES, LARGE_SHAPES) : SMALL_SHAPES;
        int[][] products = large ? concat(SMALL_PRODUCTS, LARGE_PRODUCTS) : SMALL_PRODUCTS;

        // ---- MATMUL, all four transpose combinations
        for (int[] p : products) {
            int m = p[0], k = p[1], n = p[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Input a = ta ? cs.uniform(k, m, -1, 1) : cs.uniform(m, k, -1, 1);
                    Input b = tb ? cs.uniform(n, k, -1, 1) : cs.uniform(k, n, -1, 1);
                    cs.add("MATMUL " + (ta ? "aT" : "a") + "·" + (tb ? "bT" : "b") + " " + m + "x" + k + "x" + n,
                            Op.MATMUL, "transA=" + ta + ",transB=" + tb, Math.max(m, Math.max(k, n)),
                            (t, v) -> t.matmul(v[0], ta, v[1], tb),
                            x -> Ref.matmul(x[0], ta, x[1], tb, m, k, n), a, b);
                }
            }
        }
        // ---- MASKED_MATMUL with a random 0/1 mask (at least one of each where there is room)
        for (int[] p : products) {
            int m = p[0], k = p[1], n = p[2];
            float[] mask = cs.mask(m * k);
            cs.add("MASKED_MATMUL " + m + "x" + k + "x" + n, Op.MASKED_MATMUL, "-", Math.max(m, Math.max(k, n)),
                    (t, v) -> t.maskedMatmul(v[0], Tensor.of(t.backend(), m, k, mask), v[1]),
                    x -> Ref.maskedMatmul(x[0], mask, x[1], m, k, n),
                    cs.uniform(m, k, -1, 1), cs.uniform(k, n, -1, 1));
        }
        // ---- DENSE: f((W ⊙ M) X + b (+ addend)) with and without mask and addend. RELU is left to
        // DenseLayerTest (bit-identical to the unfused ops): its pre-activations cannot be kept away from the kink here.
        for (int[] p : products) {
            int m = p[0], k = p[1], n = p[2];
            float[] mask = cs.mask(m * k);
            for (String variant : new String[] {"mask,TANH,addend", "mask,SIGMOID", "nomask,TANH", "nomask,identity,addend"}) {
                boolean masked = variant.startsWith("mask"), withAddend = variant.endsWith("addend");
                UnaryOp f = variant.contains("TANH") ? UnaryOp.TANH : variant.contains("SIGMOID") ? UnaryOp.SIGMOID : null;
                Input w = cs.uniform(m, k, -1, 1), x = cs.uniform(k, n, -1, 1), b = cs.uniform(m, 1, -1, 1);
                Input[] in = withAddend ? new Input[] {w, x, b, cs.uniform(m, n, -1, 1)} : new Input[] {w, x, b};
                cs.add("DENSE " + variant + " " + m + "x" + k + "x" + n, Op.DENSE, variant, k + 2,
                        (t, v) -> t.dense(v[0], masked ? Tensor.of(t.backend(), m, k, mask) : null, v[1], v[2],
                                withAddend ? v[3] : null, f),
                        xs -> {
                            double[] pre = masked ? Ref.maskedMatmul(xs[0], mask, xs[1], m, k, n)
                                    : Ref.matmul(xs[0], false, xs[1], false, m, k, n);
                            pre = Ref.broadcastColumn(BinaryOp.ADD, pre, m, n, xs[2]);
                            if (withAddend) pre = Ref.binary(BinaryOp.ADD, pre, xs[3]);
                            return f == null ? pre : Ref.unary(f, pre);
                        }, in);
            }
        }
        for (int[] s : shapes) {
            int r = s[0], c = s[1];
            String shape = " " + r + "x" + c;
            // ---- BINARY
            for (BinaryOp op : BinaryOp.values()) {
                Input b = op == BinaryOp.DIV ? cs.awayFromZero(r, c, 0.5, 2) : cs.uniform(r, c, -2, 2);
                cs.add("BINARY " + op + shape, Op.BINARY, op.name(), 1,
                        (t, v) -> t.binary(op, v[0], v[1]),
                        x -> Ref.binary(op, x[0], x[1]), cs.uniform(r, c, -2, 2), b);
            }
            // ---- BROADCAST_COLUMN / BROADCAST_ROW; the vector's gradient sums along the broadcast axis
            for (BinaryOp op : BinaryOp.values()) {
                Input vc = op == BinaryOp.DIV ? cs.awayFromZero(r, 1, 0.5, 2) : cs.uniform(r, 1, -2, 2);
                cs.add("BROADCAST_COLUMN " + op + shape, Op.BROADCAST_COLUMN, op.name(), c,
                        (t, v) -> t.broadcastColumn(op, v[0], v[1]),
                        x -> Ref.broadcastColumn(op, x[0], r, c, x[1]), cs.uniform(r, c, -2, 2), vc);
                Input vr = op == BinaryOp.DIV ? cs.awayFromZero(1, c, 0.5, 2) : cs.uniform(1, c, -2, 2);
                cs.add("BROADCAST_ROW " + op + shape, Op.BROADCAST_ROW, op.name(), r,
                        (t, v) -> t.broadcastRow(op, v[0], v[1]),
                        x -> Ref.broadcastRow(op, x[0], r, c, x[1]), cs.uniform(r, c, -2, 2), vr);
            }
            // ---- UNARY, each function on a domain where it is smooth
            for (UnaryOp op : UnaryOp.values()) {
                Input a = switch (op) {
                    case LOG, SQRT -> cs.uniform(r, c, 0.3, 3);
                    case RELU -> cs.awayFromZero(r, c, 0.1, 2);
                    case SIGMOID, SOFTPLUS -> cs.uniform(r, c, -4, 4);
                    case TANH -> cs.uniform(r, c, -2.5, 2.5);
                    default -> cs.uniform(r, c, -2, 2);
                };
                cs.add("UNARY " + op + shape, Op.UNARY, op.name(), 1,
                        (t, v) -> t.unary(op, v[0]), x -> Ref.unary(op, x[0]), a);
            }
            // ---- AFFINE
            float alpha = (float) (cs.rnd.nextBoolean() ? 1 : -1) * (float) cs.rnd.nextDouble(0.3, 2);
            float beta = (float) cs.rnd.nextDouble(-1, 1);
            cs.add("AFFINE " + alpha + "x+" + beta + shape, Op.AFFINE, "-", 1,
                    (t, v) -> t.affine(v[0], alpha, beta), x -> Ref.affine(x[0], alpha, beta),
                    cs.uniform(r, c, -2, 2));
            // ---- REDUCE_ROWS / REDUCE_COLUMNS / REDUCE_ALL
            for (ReduceOp op : ReduceOp.values()) {
                cs.add("REDUCE_ROWS " + op + shape, Op.REDUCE_ROWS, op.name(), c,
                        (t, v) -> t.reduceRows(op, v[0]), x -> Ref.reduceRows(op, x[0], r, c),
                        cs.reduceInput(op, r, c));
                cs.add("REDUCE_COLUMNS " + op + shape, Op.REDUCE_COLUMNS, op.name(), r,
                        (t, v) -> t.reduceColumns(op, v[0]), x -> Ref.reduceColumns(op, x[0], r, c),
                        cs.reduceInput(op, r, c));
                cs.add("REDUCE_ALL " + op + shape, Op.REDUCE_ALL, op.name(), r * c,
                        (t, v) -> t.reduceAll(op, v[0]), x -> new double[] {Ref.reduce(op, x[0], 0, r * c, 1)},
                        cs.reduceInput(op, r, c));
            }
            // ---- SLICE_ROWS / SLICE_COLUMNS
            int rs = r / 3, rn = Math.max(1, r - rs - r / 4);
            cs.add("SLICE_ROWS [" + rs + ", " + (rs + rn) + ")" + shape, Op.SLICE_ROWS, "-", 1,
                    (t, v) -> t.sliceRows(v[0], rs, rn), x -> Ref.sliceRows(x[0], c, rs, rn), cs.uniform(r, c, -2, 2));
            int cst = c / 3, cn = Math.max(1, c - cst - c / 4);
            cs.add("SLICE_COLUMNS [" + cst + ", " + (cst + cn) + ")" + shape, Op.SLICE_COLUMNS, "-", 1,
                    (t, v) -> t.sliceColumns(v[0], cst, cn), x -> Ref.sliceColumns(x[0], r, c, cst, cn),
                    cs.uniform(r, c, -2, 2));
            // ---- CONCAT_ROWS / CONCAT_COLUMNS with 2 and 3 inputs of different sizes
            int[] rows3 = {r, 2, 1 + r / 3};
            cs.add("CONCAT_ROWS " + Arrays.toString(rows3) + " x " + c, Op.CONCAT_ROWS, "3 inputs", 1,
                    (t, v) -> t.concatRows(v[0], v[1], v[2]), x -> Ref.concatRows(x),
                    cs.uniform(rows3[0], c, -2, 2), cs.uniform(rows3[1], c, -2, 2), cs.uniform(rows3[2], c, -2, 2));
            cs.add("CONCAT_ROWS [1, " + r + "] x " + c, Op.CONCAT_ROWS, "2 inputs", 1,
                    (t, v) -> t.concatRows(v[0], v[1]), x -> Ref.concatRows(x),
                    cs.uniform(1, c, -2, 2), cs.uniform(r, c, -2, 2));
            int[] cols3 = {c, 1 + c / 2, 3};
            cs.add("CONCAT_COLUMNS " + r + " x " + Arrays.toString(cols3), Op.CONCAT_COLUMNS, "3 inputs", 1,
                    (t, v) -> t.concatColumns(v[0], v[1], v[2]), x -> Ref.concatColumns(r, cols3, x),
                    cs.uniform(r, cols3[0], -2, 2), cs.uniform(r, cols3[1], -2, 2), cs.uniform(r, cols3[2], -2, 2));
            int[] cols2 = {c, 2};
            cs.add("CONCAT_COLUMNS " + r + " x " + Arrays.toString(cols2), Op.CONCAT_COLUMNS, "2 inputs", 1,
                    (t, v) -> t.concatColumns(v[0], v[1]), x -> Ref.concatColumns(r, cols2, x),
                    cs.uniform(r, cols2[0], -2, 2), cs.uniform(r, cols2[1], -2, 2));
            // ---- GATHER_ROWS / GATHER_COLUMNS: more indices than rows/columns, so some repeat (some may be absent)
            int[] ri = cs.indices(r + 3, r);
            cs.add("GATHER_ROWS " + Arrays.toString(ri) + shape, Op.GATHER_ROWS, "repeated indices", maxRepeat(ri),
                    (t, v) -> t.gatherRows(v[0], ri), x -> Ref.gatherRows(x[0], c, ri), cs.uniform(r, c, -2, 2));
            int[] ci = cs.indices(c + 3, c);
            cs.add("GATHER_COLUMNS " + Arrays.toString(ci) + shape, Op.GATHER_COLUMNS, "repeated indices",
                    maxRepeat(ci), (t, v) -> t.gatherColumns(v[0], ci), x -> Ref.gatherColumns(x[0], r, c, ci),
                    cs.uniform(r, c, -2, 2));
        }

        // ---- AFFINE_FLOW and its log-determinant (a MAF transform): fused where the backend fuses it, else built from
        // the primitives as Maf builds it (the same function); output alone, log-determinant alone (first and chained)
        for (int d : new int[] {1, 3}) {
            int n = d == 1 ? 19 : 5;   // past one 16-lane vector, and less than one
            int[] perm = cs.permutation(d);
            float floor = 1e-3f;
            String shape = " d=" + d + " n=" + n + " perm " + Arrays.toString(perm);
            cs.add("AFFINE_FLOW out" + shape, Op.AFFINE_FLOW, "out", 2,
                    (t, v) -> Maf.affineTransform(t, v[0], v[1], floor, perm, null)[0],
                    x -> Ref.affineFlow(x[0], x[1], d, n, floor, perm), cs.uniform(2 * d, n, -2, 2),
                    cs.uniform(d, n, -2, 2));
            cs.add("AFFINE_FLOW_LOG_DET first" + shape, Op.AFFINE_FLOW_LOG_DET, "first", d,
                    (t, v) -> Maf.affineTransform(t, v[0], v[1], floor, perm, null)[1],
                    x -> Ref.affineFlowLogDet(x[0], null, d, n, floor), cs.uniform(2 * d, n, -2, 2),
                    cs.uniform(d, n, -2, 2));
            cs.add("AFFINE_FLOW_LOG_DET chained" + shape, Op.AFFINE_FLOW_LOG_DET, "chained", d + 1,
                    (t, v) -> Maf.affineTransform(t, v[0], v[1], floor, perm, v[2])[1],
                    x -> Ref.affineFlowLogDet(x[0], x[2], d, n, floor), cs.uniform(2 * d, n, -2, 2),
                    cs.uniform(d, n, -2, 2), cs.uniform(1, n, -2, 2));
        }

        // ---- GAUSSIAN_MIXTURE (an MDN's density, fused on the CPU backends; a backend without the kernels refuses the
        // node, and its MDN builds the same function from the ops above): 3 components, 1 and 3 dimensions, past one
        // 16-lane vector; a positive diagonal, as softplus + ε gives it
        for (int d : new int[] {1, 3}) {
            int k = 3, n = 19, kd = k * d, ku = k * d * (d - 1) / 2;
            String shape = " K=" + k + " d=" + d + " n=" + n;
            if (d == 1) {
                cs.add("GAUSSIAN_MIXTURE" + shape, Op.GAUSSIAN_MIXTURE, "d=1", k,
                        (t, v) -> t.gaussianMixture(v[0], v[1], v[2], null, v[3]),
                        x -> Ref.gaussianMixture(x[0], x[1], x[2], null, x[3], k, d, n), cs.uniform(k, n, -2, 2),
                        cs.uniform(kd, n, -1, 1), cs.uniform(kd, n, 0.5, 2), cs.uniform(d, n, -1, 1));
            } else {
                cs.add("GAUSSIAN_MIXTURE" + shape, Op.GAUSSIAN_MIXTURE, "upper triangle", k * d,
                        (t, v) -> t.gaussianMixture(v[0], v[1], v[2], v[4], v[3]),
                        x -> Ref.gaussianMixture(x[0], x[1], x[2], x[4], x[3], k, d, n), cs.uniform(k, n, -2, 2),
                        cs.uniform(kd, n, -1, 1), cs.uniform(kd, n, 0.5, 2), cs.uniform(d, n, -1, 1),
                        cs.uniform(ku, n, -0.5, 0.5));
            }
        }

        // ---- composites: fan-out (one input used several times, gradients accumulate), ops feeding ops
        int[] s0 = shapes[3];
        int r = s0[0], c = s0[1];
        cs.add("composite a ⊙ a " + r + "x" + c, Op.BINARY, "composite", 1,
                (t, v) -> t.mul(v[0], v[0]), x -> Ref.binary(BinaryOp.MUL, x[0], x[0]), cs.uniform(r, c, -2, 2));
        cs.add("composite aᵀ·a " + r + "x" + c, Op.MATMUL, "composite", Math.max(r, c),
                (t, v) -> t.matmul(v[0], true, v[0], false), x -> Ref.matmul(x[0], true, x[0], false, c, r, c),
                cs.uniform(r, c, -1, 1));
        cs.add("composite tanh(a) + a ⊙ b " + r + "x" + c, Op.BINARY, "composite", 1,
                (t, v) -> t.add(t.tanh(v[0]), t.mul(v[0], v[1])),
                x -> Ref.binary(BinaryOp.ADD, Ref.unary(UnaryOp.TANH, x[0]), Ref.binary(BinaryOp.MUL, x[0], x[1])),
                cs.uniform(r, c, -2, 2), cs.uniform(r, c, -2, 2));
        cs.add("composite a ⊙col logsumexp_rows(a) " + r + "x" + c, Op.BROADCAST_COLUMN, "composite", c,
                (t, v) -> t.broadcastColumn(BinaryOp.MUL, v[0], t.reduceRows(ReduceOp.LOGSUMEXP, v[0])),
                x -> Ref.broadcastColumn(BinaryOp.MUL, x[0], r, c, Ref.reduceRows(ReduceOp.LOGSUMEXP, x[0], r, c)),
                cs.uniform(r, c, -2, 2));
        int[] cc = {c, c, c};
        cs.add("composite sliceColumns(concatColumns(a, b, a)) " + r + "x" + c, Op.SLICE_COLUMNS, "composite", 1,
                (t, v) -> t.sliceColumns(t.concatColumns(v[0], v[1], v[0]), 1, 2 * c - 1),
                x -> Ref.sliceColumns(Ref.concatColumns(r, cc, x[0], x[1], x[0]), r, 3 * c, 1, 2 * c - 1),
                cs.uniform(r, c, -2, 2), cs.uniform(r, c, -2, 2));
        return cs.list;
    }

    private static int[][] concat(int[][] a, int[][] b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(int[][]::new);
    }

    private static int maxRepeat(int[] idx) {
        int mx = 0;
        for (int i : idx) {
            int n = 0;
            for (int j : idx) if (j == i) n++;
            mx = Math.max(mx, n);
        }
        return mx;
    }

    /** Draws inputs; each case also gets its own weight seed from the same stream. */
    private static final class Cases {
        final SplittableRandom rnd;
        final List<OpCase> list = new ArrayList<>();

        Cases(long seed) {
            this.rnd = new SplittableRandom(seed);
        }

        void add(String name, Op op, String variant, int accumulation, Graph g, Reference ref, Input... in) {
            list.add(new OpCase(name, op, variant, accumulation, List.of(in), g, ref, rnd.nextLong()));
        }

        Input uniform(int r, int c, double lo, double hi) {
            float[] a = new float[r * c];
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(lo, hi);
            return new Input(r, c, a);
        }

        /** Random sign times U(lo, hi). */
        Input awayFromZero(int r, int c, double lo, double hi) {
            float[] a = new float[r * c];
            for (int i = 0; i < a.length; i++) a[i] = (float) ((rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble(lo, hi));
            return new Input(r, c, a);
        }

        /** Values in [lo, hi), a random permutation of a jittered grid: any two differ by ≥ 0.4 (hi - lo) / n. */
        Input distinct(int r, int c, double lo, double hi) {
            int n = r * c;
            int[] perm = permutation(n);
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (lo + (hi - lo) * (perm[i] + 0.5 + 0.6 * (rnd.nextDouble() - 0.5)) / n);
            }
            return new Input(r, c, a);
        }

        Input reduceInput(ReduceOp op, int r, int c) {
            return switch (op) {
                case SUM -> uniform(r, c, -2, 2);
                case MAX -> distinct(r, c, -3, 3);
                case LOGSUMEXP -> uniform(r, c, -3, 3);
            };
        }

        /** A 0/1 mask with at least one 0 and one 1 when n ≥ 2. */
        float[] mask(int n) {
            float[] m = new float[n];
            for (int i = 0; i < n; i++) m[i] = rnd.nextBoolean() ? 1f : 0f;
            if (n >= 2) {
                int i = rnd.nextInt(n), j = (i + 1 + rnd.nextInt(n - 1)) % n;
                m[i] = 1f;
                m[j] = 0f;
            } else if (n == 1) {
                m[0] = 1f;
            }
            return m;
        }

        /** count indices in [0, bound), the first two equal (so a repeat is certain). */
        int[] indices(int count, int bound) {
            int[] idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = rnd.nextInt(bound);
            idx[1] = idx[0];
            return idx;
        }

        int[] permutation(int n) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            return p;
        }
    }

    // =================================================================================================================
    // The float64 reference forwards
    // =================================================================================================================

    /** Float64 forwards of every op, plain loops over row-major arrays. */
    static final class Ref {

        private Ref() {
        }

        /** Row r: (softplus(s) + floor) ⊙ u + t at row perm[r], with s, t the rows [0, d), [d, 2d) of p. */
        static double[] affineFlow(double[] p, double[] u, int d, int n, float floor, int[] perm) {
            double[] y = new double[d * n];
            for (int r = 0; r < d; r++) {
                int i = perm[r];
                for (int j = 0; j < n; j++) {
                    double scale = UnaryOp.SOFTPLUS.apply(p[i * n + j]) + floor;
                    y[r * n + j] = scale * u[i * n + j] + p[(d + i) * n + j];
                }
            }
            return y;
        }

        /**
         * LSE_c(logit_c + Σ_i log a_ii − ½‖A_c(μ_c − z)‖²) − LSE_c(logit_c) per column, A_c upper triangular with
         * diagonal a (rows i·K + c) and strict upper triangle u (rows p·K + c, p the pair's row-major index).
         */
        static double[] gaussianMixture(double[] logits, double[] means, double[] diag, double[] upper, double[] z,
                                        int k, int d, int n) {
            double[] y = new double[n];
            for (int j = 0; j < n; j++) {
                double[] t = new double[k], l = new double[k];
                for (int c = 0; c < k; c++) {
                    double s = logits[c * n + j], q = 0;
                    for (int i = 0; i < d; i++) {
                        double a = diag[(i * k + c) * n + j];
                        s += Math.log(a);
                        double yi = a * (means[(i * k + c) * n + j] - z[i * n + j]);
                        int p = i * (2 * d - i - 1) / 2;
                        for (int jj = i + 1; jj < d; jj++, p++) {
                            yi += upper[(p * k + c) * n + j] * (means[(jj * k + c) * n + j] - z[jj * n + j]);
                        }
                        q += yi * yi;
                    }
                    t[c] = s - 0.5 * q;
                    l[c] = logits[c * n + j];
                }
                y[j] = logSumExp(t) - logSumExp(l);
            }
            return y;
        }

        private static double logSumExp(double[] v) {
            double mx = Double.NEGATIVE_INFINITY;
            for (double x : v) mx = Math.max(mx, x);
            double s = 0;
            for (double x : v) s += Math.exp(x - mx);
            return mx + Math.log(s);
        }

        /** prev + Σ_i log(softplus(s_i) + floor) per column (prev null: 0). */
        static double[] affineFlowLogDet(double[] p, double[] prev, int d, int n, float floor) {
            double[] y = new double[n];
            for (int j = 0; j < n; j++) {
                double s = prev == null ? 0 : prev[j];
                for (int i = 0; i < d; i++) s += Math.log(UnaryOp.SOFTPLUS.apply(p[i * n + j]) + floor);
                y[j] = s;
            }
            return y;
        }

        /** op(A) (m x k) · op(B) (k x n); a transposed operand is stored the other way round. */
        static double[] matmul(double[] a, boolean ta, double[] b, boolean tb, int m, int k, int n) {
            double[] c = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = ta ? a[p * m + i] : a[i * k + p];
                        double bv = tb ? b[j * k + p] : b[p * n + j];
                        s += av * bv;
                    }
                    c[i * n + j] = s;
                }
            }
            return c;
        }

        static double[] maskedMatmul(double[] w, float[] mask, double[] x, int m, int k, int n) {
            double[] c = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += w[i * k + p] * mask[i * k + p] * x[p * n + j];
                    c[i * n + j] = s;
                }
            }
            return c;
        }

        static double[] binary(BinaryOp op, double[] a, double[] b) {
            double[] c = new double[a.length];
            for (int i = 0; i < a.length; i++) c[i] = op.apply(a[i], b[i]);
            return c;
        }

        static double[] broadcastColumn(BinaryOp op, double[] a, int rows, int cols, double[] v) {
            double[] c = new double[a.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) c[i * cols + j] = op.apply(a[i * cols + j], v[i]);
            }
            return c;
        }

        static double[] broadcastRow(BinaryOp op, double[] a, int rows, int cols, double[] v) {
            double[] c = new double[a.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) c[i * cols + j] = op.apply(a[i * cols + j], v[j]);
            }
            return c;
        }

        static double[] unary(UnaryOp op, double[] a) {
            double[] y = new double[a.length];
            for (int i = 0; i < a.length; i++) y[i] = op.apply(a[i]);
            return y;
        }

        static double[] affine(double[] a, float alpha, float beta) {
            double[] y = new double[a.length];
            for (int i = 0; i < a.length; i++) y[i] = (double) alpha * a[i] + beta;
            return y;
        }

        static double reduce(ReduceOp op, double[] x, int off, int n, int stride) {
            switch (op) {
                case SUM -> {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += x[off + i * stride];
                    return s;
                }
                case MAX -> {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) m = Math.max(m, x[off + i * stride]);
                    return m;
                }
                default -> {
                    double m = reduce(ReduceOp.MAX, x, off, n, stride);
                    double s = 0;
                    for (int i = 0; i < n; i++) s += Math.exp(x[off + i * stride] - m);
                    return m + Math.log(s);
                }
            }
        }

        static double[] reduceRows(ReduceOp op, double[] a, int rows, int cols) {
            double[] y = new double[rows];
            for (int i = 0; i < rows; i++) y[i] = reduce(op, a, i * cols, cols, 1);
            return y;
        }

        static double[] reduceColumns(ReduceOp op, double[] a, int rows, int cols) {
            double[] y = new double[cols];
            for (int j = 0; j < cols; j++) y[j] = reduce(op, a, j, rows, cols);
            return y;
        }

        static double[] sliceRows(double[] a, int cols, int start, int count) {
            return Arrays.copyOfRange(a, start * cols, (start + count) * cols);
        }

        static double[] sliceColumns(double[] a, int rows, int cols, int start, int count) {
            double[] y = new double[rows * count];
            for (int i = 0; i < rows; i++) System.arraycopy(a, i * cols + start, y, i * count, count);
            return y;
        }

        /** Row-major blocks of equal width stack by plain concatenation. */
        static double[] concatRows(double[]... parts) {
            int n = 0;
            for (double[] p : parts) n += p.length;
            double[] y = new double[n];
            int o = 0;
            for (double[] p : parts) {
                System.arraycopy(p, 0, y, o, p.length);
                o += p.length;
            }
            return y;
        }

        static double[] concatColumns(int rows, int[] cols, double[]... parts) {
            int total = 0;
            for (int c : cols) total += c;
            double[] y = new double[rows * total];
            for (int i = 0; i < rows; i++) {
                int o = 0;
                for (int p = 0; p < parts.length; p++) {
                    System.arraycopy(parts[p], i * cols[p], y, i * total + o, cols[p]);
                    o += cols[p];
                }
            }
            return y;
        }

        static double[] gatherRows(double[] a, int cols, int[] idx) {
            double[] y = new double[idx.length * cols];
            for (int r = 0; r < idx.length; r++) System.arraycopy(a, idx[r] * cols, y, r * cols, cols);
            return y;
        }

        static double[] gatherColumns(double[] a, int rows, int cols, int[] idx) {
            double[] y = new double[rows * idx.length];
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < idx.length; c++) y[i * idx.length + c] = a[i * cols + idx[c]];
            }
            return y;
        }
    }

    // =================================================================================================================
    // Numerics
    // =================================================================================================================

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /**
     * Central differences of L = Σ w ⊙ reference(x) with respect to every element of every input, and the scales of
     * the error measure: for gradient element i, S_i = Σ_j |w_j ∂y_j/∂x_i| (the sum of the magnitudes of the terms
     * that the chain rule adds up for it, ≥ |∂L/∂x_i|); for forward element j, T_j = Σ_i |∂y_j/∂x_i · x_i| (for a
     * product or a sum: the sum of the magnitudes of its terms). Both come from the same differences.
     */
    static Numeric numeric(OpCase c, float[] w) {
        double[][] x = new double[c.inputs().size()][];
        for (int i = 0; i < x.length; i++) x[i] = toDouble(c.inputs().get(i).data());
        double[][] g = new double[x.length][], s = new double[x.length][];
        double[] t = null;
        for (int i = 0; i < x.length; i++) {
            g[i] = new double[x[i].length];
            s[i] = new double[x[i].length];
            for (int e = 0; e < x[i].length; e++) {
                double x0 = x[i][e];
                double h = 1e-6 * Math.max(1.0, Math.abs(x0));
                double xp = x0 + h, xm = x0 - h;
                x[i][e] = xp;
                double[] yp = c.reference().forward(x);
                x[i][e] = xm;
                double[] ym = c.reference().forward(x);
                x[i][e] = x0;
                if (t == null) t = new double[yp.length];
                double gi = 0, si = 0;
                for (int j = 0; j < yp.length; j++) {
                    double d = (yp[j] - ym[j]) / (xp - xm);
                    gi += w[j] * d;
                    si += Math.abs(w[j] * d);
                    t[j] += Math.abs(d * x0);
                }
                g[i][e] = gi;
                s[i][e] = si;
            }
        }
        return new Numeric(g, s, t);
    }

    /** Numeric gradients of every input, their scales S, and the forward scales T (see {@link #numeric}). */
    record Numeric(double[][] gradient, double[][] scale, double[] forwardScale) {
    }

    /**
     * The measure of this suite: max_i |actual_i − expected_i| / max(max_i max(|expected_i|, scale_i), 1e-3).
     */
    static double relativeError(float[] actual, double[] expected, double[] scale) {
        double num = 0, den = FLOOR;
        for (int i = 0; i < expected.length; i++) {
            num = Math.max(num, Math.abs(actual[i] - expected[i]));
            den = Math.max(den, Math.max(Math.abs(expected[i]), scale[i]));
        }
        return num / den;
    }

    static int worstIndex(float[] actual, double[] expected) {
        int worst = 0;
        double mx = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (d > mx) {
                mx = d;
                worst = i;
            }
        }
        return worst;
    }

    private String ctx() {
        return " [backend " + backend().name() + "]" + TestSeeds.replay(SEED);
    }

    private void assertClose(String what, float[] actual, double[] expected, double[] scale, double tol) {
        assertEquals(expected.length, actual.length, what + ": length" + ctx());
        double err = relativeError(actual, expected, scale);
        if (!(err <= tol)) {
            int i = worstIndex(actual, expected);
            fail(String.format("%s: relative error %.3g > %.1g (max|got − expected| / max(max(|expected|, scale),"
                            + " %.0e)); worst at element %d: got %.9g, expected %.12g (scale %.4g)%s%n got      %s%n"
                            + " expected %s", what, err, tol, FLOOR, i, actual[i], expected[i], scale[i], ctx(),
                    abbreviate(actual), abbreviate(expected)));
        }
    }

    private static String abbreviate(float[] a) {
        return a.length <= 24 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 24)) + "...";
    }

    private static String abbreviate(double[] a) {
        return a.length <= 24 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 24)) + "...";
    }

    // =================================================================================================================
    // Tests: every op
    // =================================================================================================================

    @TestFactory
    Stream<DynamicTest> everyOpGradientMatchesCentralDifferences() {
        return opCases(SEED, false).stream().map(c -> dynamicTest(c.name(), () -> checkCase(c)));
    }

    private void checkCase(OpCase c) {
        Evaluation ev = evaluate(c, backend());
        boolean composed = (c.op() == Op.AFFINE_FLOW || c.op() == Op.AFFINE_FLOW_LOG_DET)
                && !backend().fusesAffineFlow();   // the same function from the primitives, checked all the same
        if (!composed) assertEquals(c.op(), ev.op(), c.name() + ": the graph's output op" + ctx());
        double[][] x = new double[c.inputs().size()][];
        for (int i = 0; i < x.length; i++) x[i] = toDouble(c.inputs().get(i).data());
        Numeric n = numeric(c, ev.weights());
        assertClose(c.name() + ": float32 forward vs float64", ev.forward(), c.reference().forward(x),
                n.forwardScale(), TOLERANCE);
        for (int i = 0; i < n.gradient().length; i++) {
            assertClose(c.name() + ": gradient of input " + i + " vs central differences", ev.gradients().get(i),
                    n.gradient()[i], n.scale()[i], TOLERANCE);
        }
    }

    @Test
    void casesCoverEveryOpAndVariant() {
        List<OpCase> cases = opCases(SEED, false);
        Set<String> seen = cases.stream().map(c -> c.op() + "/" + c.variant())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) expected.add("MATMUL/transA=" + ta + ",transB=" + tb);
        }
        expected.add("MASKED_MATMUL/-");
        for (String v : new String[] {"mask,TANH,addend", "mask,SIGMOID", "nomask,TANH", "nomask,identity,addend"}) {
            expected.add("DENSE/" + v);
        }
        for (BinaryOp op : BinaryOp.values()) {
            expected.add("BINARY/" + op);
            expected.add("BROADCAST_COLUMN/" + op);
            expected.add("BROADCAST_ROW/" + op);
        }
        for (UnaryOp op : UnaryOp.values()) expected.add("UNARY/" + op);
        expected.add("AFFINE/-");
        for (ReduceOp op : ReduceOp.values()) {
            expected.add("REDUCE_ROWS/" + op);
            expected.add("REDUCE_COLUMNS/" + op);
            expected.add("REDUCE_ALL/" + op);
        }
        expected.add("SLICE_ROWS/-");
        expected.add("SLICE_COLUMNS/-");
        for (String n : new String[] {"2 inputs", "3 inputs"}) {
            expected.add("CONCAT_ROWS/" + n);
            expected.add("CONCAT_COLUMNS/" + n);
        }
        expected.add("GATHER_ROWS/repeated indices");
        expected.add("GATHER_COLUMNS/repeated indices");
        expected.add("AFFINE_FLOW/out");
        expected.add("AFFINE_FLOW_LOG_DET/first");
        expected.add("AFFINE_FLOW_LOG_DET/chained");
        expected.add("GAUSSIAN_MIXTURE/d=1");
        expected.add("GAUSSIAN_MIXTURE/upper triangle");
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "variants without a gradient check: " + missing);
        Set<Op> ops = EnumSet.noneOf(Op.class);
        cases.forEach(c -> ops.add(c.op()));
        Set<Op> missingOps = EnumSet.complementOf(EnumSet.copyOf(ops));
        missingOps.remove(Op.LEAF);
        assertTrue(missingOps.isEmpty(), "ops without a gradient check: " + missingOps);
    }

    // =================================================================================================================
    // Tests: a whole MLP, directional derivatives
    // =================================================================================================================

    @TestFactory
    Stream<DynamicTest> mlpDirectionalDerivativeMatchesCentralDifferences() {
        return Stream.of(Activation.TANH, Activation.SOFTPLUS, Activation.SIGMOID)
                .map(a -> dynamicTest("Mlp 4-16-16-3 " + a + ", batch 11", () -> checkMlp(a)));
    }

    /** The float64 function of a hidden activation. */
    public static UnaryOp unaryOf(Activation a) {
        return switch (a) {
            case TANH -> UnaryOp.TANH;
            case RELU -> UnaryOp.RELU;
            case SIGMOID -> UnaryOp.SIGMOID;
            case SOFTPLUS -> UnaryOp.SOFTPLUS;
            case IDENTITY -> null;
        };
    }

    /**
     * Σ y² of an MLP in float64, given per layer its weight (out x in, row-major) and bias (out x 1) values;
     * x is in x batch.
     */
    static double mlpLoss64(List<Linear> layers, double[][] theta, UnaryOp act, double[] x, int batch) {
        double[] h = x;
        for (int l = 0; l < layers.size(); l++) {
            int in = layers.get(l).in(), out = layers.get(l).out();
            double[] w = theta[2 * l], b = theta[2 * l + 1];
            double[] z = new double[out * batch];
            for (int o = 0; o < out; o++) {
                for (int s = 0; s < batch; s++) {
                    double acc = b[o];
                    for (int i = 0; i < in; i++) acc += w[o * in + i] * h[i * batch + s];
                    z[o * batch + s] = (l < layers.size() - 1 && act != null) ? act.apply(acc) : acc;
                }
            }
            h = z;
        }
        double loss = 0;
        for (double v : h) loss += v * v;
        return loss;
    }

    private void checkMlp(Activation activation) {
        Backend be = backend();
        long seed = SEED + 31L * activation.ordinal();
        Rng rng = new Rng(seed);
        Mlp mlp = new Mlp(be, 4, new int[] {16, 16}, 3, activation, rng);
        List<Linear> layers = mlp.layers();
        assertEquals(2 * layers.size(), mlp.parameters().size(), "parameters are the layers' weights and biases");
        int batch = 11;
        float[] x = new float[4 * batch];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();

        Tape tape = Tape.recording(be);
        Var y = mlp.forward(tape, tape.constant(Tensor.of(be, 4, batch, x)));
        assertEquals(3, y.rows());
        assertEquals(batch, y.cols());
        Var loss = tape.sum(tape.square(y));
        mlp.zeroGrad();
        tape.backward(loss);

        // θ and g per tensor, in the order weight, bias of each layer.
        int nt = 2 * layers.size();
        double[][] theta = new double[nt][];
        float[][] grad = new float[nt][];
        for (int l = 0; l < layers.size(); l++) {
            Linear lin = layers.get(l);
            theta[2 * l] = toDouble(lin.weight().value().toArray());
            theta[2 * l + 1] = toDouble(lin.bias().value().toArray());
            grad[2 * l] = lin.weight().grad().toArray();
            grad[2 * l + 1] = lin.bias().grad().toArray();
            assertEquals(lin.out() * lin.in(), theta[2 * l].length);
            assertEquals(lin.out(), theta[2 * l + 1].length);
        }
        UnaryOp act = unaryOf(activation);
        double[] x64 = toDouble(x);
        double l64 = mlpLoss64(layers, theta, act, x64, batch);
        String name = "Mlp 4-16-16-3 " + activation + " batch " + batch;
        double fwdErr = Math.abs(loss.item() - l64) / Math.max(Math.abs(l64), FLOOR);
        assertTrue(fwdErr <= TOLERANCE, name + ": float32 loss " + loss.item() + " vs float64 " + l64 + " (relative "
                + fwdErr + ")" + TestSeeds.replay(seed));

        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[][] v = new double[nt][];
        for (int p = 0; p < nt; p++) {
            v[p] = new double[theta[p].length];
            for (int i = 0; i < v[p].length; i++) v[p][i] = r.nextDouble(-1, 1);
        }
        // The direction over all parameters, then restricted to each tensor in turn (so no layer hides in the sum).
        checkDirection(name + ", direction over all parameters", layers, theta, grad, v, -1, act, x64, batch, seed);
        for (int p = 0; p < nt; p++) {
            String which = "layer " + p / 2 + (p % 2 == 0 ? " weight" : " bias");
            checkDirection(name + ", direction in " + which, layers, theta, grad, v, p, act, x64, batch, seed);
        }
    }

    /**
     * g·v against (L(θ + t v) − L(θ − t v)) / 2t in float64, t = 1e-6 (|v_i| ≤ 1). Measure:
     * {@code |g·v − numeric| / Σ_i |g_i v_i| ≤ 1e-5}, relative to the ℓ1 scale of the dot product (≥ |g·v|): float32
     * rounding moves each g_i by ~1e-7..1e-6 of itself, so it moves g·v by at most that fraction of Σ|g_i v_i|
     * whatever the direction, while plain |g·v| can be small by cancellation for an unlucky random v. A wrong rule
     * anywhere changes a group of g_i by O(|g_i|), i.e. g·v by ~Σ_group|g_i v_i| / √n_group, which is ≥ 1e-2 of the
     * scale for these sizes (directions restricted to one tensor make that sharper).
     */
    private static void checkDirection(String name, List<Linear> layers, double[][] theta, float[][] grad,
                                       double[][] v, int only, UnaryOp act, double[] x, int batch, long seed) {
        double gv = 0, scale = 0;
        for (int p = 0; p < theta.length; p++) {
            if (only >= 0 && p != only) continue;
            for (int i = 0; i < theta[p].length; i++) {
                gv += grad[p][i] * v[p][i];
                scale += Math.abs(grad[p][i] * v[p][i]);
            }
        }
        double t = 1e-6;
        double[][] plus = new double[theta.length][], minus = new double[theta.length][];
        for (int p = 0; p < theta.length; p++) {
            plus[p] = theta[p].clone();
            minus[p] = theta[p].clone();
            if (only >= 0 && p != only) continue;
            for (int i = 0; i < theta[p].length; i++) {
                plus[p][i] += t * v[p][i];
                minus[p][i] -= t * v[p][i];
            }
        }
        double numeric = (mlpLoss64(layers, plus, act, x, batch) - mlpLoss64(layers, minus, act, x, batch)) / (2 * t);
        double err = Math.abs(gv - numeric) / Math.max(scale, 1e-12);
        assertTrue(err <= TOLERANCE, String.format("%s: g·v = %.9g, central difference %.12g, Σ|g_i v_i| = %.6g,"
                + " relative error %.3g > %.1g (|g·v − numeric| / Σ|g_i v_i|)%s", name, gv, numeric, scale, err,
                TOLERANCE, TestSeeds.replay(seed)));
    }

    // =================================================================================================================
    // Tests: a deep chain, and the no-grad tape
    // =================================================================================================================

    /**
     * 20,001 ops: 6,667 times y ← 32·tanh(y / 32) (affine, tanh, affine), on a thread with a 512 KiB stack, where a
     * recursive backward of that depth would overflow. The expected gradient is the product of the chain's factors
     * in float64, from the forward values the tape recorded: ∏ (1 − tanh_k²) (the affine factors 1/32 and 32 are
     * exact in float32 and cancel); the forward is checked against the same chain in float64. Tolerance 2e-4
     * relative, for both: each of the 6,667 tanh steps adds a few float32 roundings of 2^-24 (about 1e-7), which
     * accumulate like a random walk, √6,667 · 1e-7 ≈ 1e-5 (1.2e-5 is the largest seen over 45 seeds, scalar and SIMD
     * at 128 and 256 bits); the worst case of fully correlated roundings, 6,667 · 3 · 2^-24 ≈ 1.2e-3, is not
     * approached. A skipped node or a wrong rule is off by far more (the tanh factors make the gradient ≈ 0.01–0.3,
     * the affine ones are 32 and 1/32).
     */
    private static final double DEEP_TOLERANCE = 2e-4;

    @Test
    void deepChainBackwardDoesNotOverflowTheStackAndIsCorrect() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                deepChain();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "jsbi-deep-chain", 512 * 1024);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof AssertionError ae) throw ae;
        if (e != null) {
            throw new AssertionError("deep chain backward failed with " + e + ctx(), e);
        }
    }

    private void deepChain() {
        Backend be = backend();
        SplittableRandom r = new SplittableRandom(SEED + 7);
        int width = 5;
        float[] x0 = new float[width];
        for (int j = 0; j < width; j++) x0[j] = (float) ((r.nextBoolean() ? 1 : -1) * r.nextDouble(0.5, 1.5));
        float[] w = new float[width];
        for (int j = 0; j < width; j++) w[j] = (float) r.nextDouble(0.5, 1.5);

        Tape tape = Tape.recording(be);
        Var x = tape.variable(Tensor.of(be, 1, width, x0));
        Var h = x;
        List<Var> tanhs = new ArrayList<>();
        int ops = 0;
        while (ops < 20_000) {
            h = tape.affine(h, 1f / 32, 0f);
            h = tape.tanh(h);
            tanhs.add(h);
            h = tape.affine(h, 32f, 0f);
            ops += 3;
        }
        assertTrue(tape.size() > 20_000, "tape records every op: " + tape.size());
        tape.backward(h, Tensor.of(be, 1, width, w));
        float[] g = x.grad().toArray();

        double[] expected = new double[width];
        Arrays.fill(expected, 1.0);
        for (Var th : tanhs) {
            float[] y = th.value().toArray();
            for (int j = 0; j < width; j++) expected[j] *= 1.0 - (double) y[j] * y[j];
        }
        double[] fwd = toDouble(x0);
        for (int k = 0; k < tanhs.size(); k++) {
            for (int j = 0; j < width; j++) fwd[j] = 32 * Math.tanh(fwd[j] / 32);
        }
        float[] out = h.value().toArray();
        for (int j = 0; j < width; j++) {
            expected[j] *= w[j];
            double ge = Math.abs(g[j] - expected[j]) / Math.abs(expected[j]);
            assertTrue(ge <= DEEP_TOLERANCE, "deep chain gradient[" + j + "] = " + g[j] + ", expected " + expected[j]
                    + " (relative error " + ge + ")" + ctx());
            assertTrue(Math.abs(expected[j]) > 1e-3 * w[j], "the chain's gradient should not vanish: " + expected[j]);
            double fe = Math.abs(out[j] - fwd[j]) / Math.abs(fwd[j]);
            assertTrue(fe <= DEEP_TOLERANCE, "deep chain forward[" + j + "] = " + out[j] + ", float64 " + fwd[j]
                    + " (relative error " + fe + ")" + ctx());
        }
    }

    @Test
    void noGradTapeComputesTheSameValuesAndRefusesBackward() {
        Backend be = backend();
        SplittableRandom r = new SplittableRandom(SEED + 11);
        int m = 6, k = 5, n = 13;
        float[] wv = randomArray(r, m * k);
        float[] xv = randomArray(r, k * n);
        float[] bv = randomArray(r, m);

        Tape rec = Tape.recording(be);
        Tape ng = Tape.noGrad(be);
        List<Var> a = noGradGraph(rec, wv, xv, bv, m, k, n);
        List<Var> b = noGradGraph(ng, wv, xv, bv, m, k, n);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().toArray(), b.get(i).value().toArray(), 0f,
                    "no-grad value of node " + i + " (" + b.get(i) + ") differs from the recording tape's" + ctx());
            assertFalse(b.get(i).requiresGrad(), "a no-grad tape's node " + i + " requires no gradient");
        }
        assertFalse(ng.isRecording());
        assertEquals(0, ng.size(), "a no-grad tape records nothing");
        Var leaf = ng.variable(Tensor.of(be, 1, 1, 2f));
        assertNull(leaf.grad(), "a no-grad variable has no gradient");
        Var loss = b.get(b.size() - 1);
        assertEquals(1, loss.rows() * loss.cols());
        assertThrows(IllegalStateException.class, () -> ng.backward(loss), "backward on a no-grad tape" + ctx());
        Var mid = b.get(2);
        assertThrows(IllegalStateException.class,
                () -> ng.backward(mid, Tensor.zeros(be, mid.rows(), mid.cols())), "seeded backward on a no-grad tape");
        // The recording tape does run backward on the same graph.
        rec.backward(a.get(a.size() - 1));
        assertTrue(a.get(0).grad() != null, "the recording tape's variable gets a gradient");

        // An MLP through a no-grad tape: the same output, and its parameters' gradients stay untouched.
        Mlp mlp = new Mlp(be, 4, new int[] {16, 16}, 3, Activation.TANH, new Rng(SEED + 13));
        float[] x = randomArray(r, 4 * 9);
        Tape rec2 = Tape.recording(be);
        float[] yRec = mlp.forward(rec2, rec2.constant(Tensor.of(be, 4, 9, x))).value().toArray();
        Tape ng2 = Tape.noGrad(be);
        Var yNg = mlp.forward(ng2, ng2.constant(Tensor.of(be, 4, 9, x)));
        assertArrayEquals(yRec, yNg.value().toArray(), 0f, "no-grad MLP output" + ctx());
        assertFalse(yNg.requiresGrad());
        assertEquals(0, ng2.size());
        Var ngLoss = ng2.sum(ng2.square(yNg));
        assertThrows(IllegalStateException.class, () -> ng2.backward(ngLoss));
        for (var p : mlp.parameters()) {
            for (float gi : p.grad().toArray()) assertEquals(0f, gi, p + " gradient after no-grad use");
        }
    }

    private static float[] randomArray(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1);
        return a;
    }

    /** x (variable), w, b → tanh(w x + b) → logsumexp over rows → gather → sum. */
    private static List<Var> noGradGraph(Tape tape, float[] wv, float[] xv, float[] bv, int m, int k, int n) {
        Backend be = tape.backend();
        List<Var> out = new ArrayList<>();
        Var x = tape.variable(Tensor.of(be, k, n, xv));
        Var w = tape.variable(Tensor.of(be, m, k, wv));
        Var b = tape.variable(Tensor.of(be, m, 1, bv));
        out.add(x);
        Var z = tape.matmul(w, x);
        out.add(z);
        Var h = tape.broadcastColumn(BinaryOp.ADD, z, b);
        out.add(h);
        Var t = tape.tanh(h);
        out.add(t);
        Var l = tape.reduceColumns(ReduceOp.LOGSUMEXP, t);
        out.add(l);
        Var g = tape.gatherColumns(l, new int[] {0, 3, 3, n - 1});
        out.add(g);
        Var s = tape.sum(tape.square(g));
        out.add(s);
        return out;
    }
}
