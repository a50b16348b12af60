package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ReduceOp;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * {@code Tape.gaussianMixture} on the SIMD backend (its fused kernels, {@code GaussianMixtureKernels}) against the
 * scalar reference ({@code GaussianMixtureReference}, double inside): the log-density and every input's gradient, to
 * float rounding, over widths below, at and past a vector, the training batch and wide enough to be split over
 * threads; 1 to 10 dimensions; 1 to 10 components; gradients that already hold a contribution; inputs that want none.
 * A conformance test by name, so the 128- and 256-bit surefire executions run it too. The MDN's agreement with its
 * graph from the primitives is {@code MdnTest.fusedMixtureAgreesWithThePrimitives}.
 */
class GaussianMixtureConformanceTest {

    private static final long SEED = TestSeeds.seed(20261128L);
    private final Backend simd = new SimdBackend();
    private final Backend scalar = new ScalarBackend();

    @Test
    void fusedKernelsMatchTheScalarReference() {
        SplittableRandom r = new SplittableRandom(SEED);
        int cases = 0;
        for (int d : new int[] {1, 2, 3, 10}) {
            for (int k : new int[] {1, 3, 10}) {
                for (int n : new int[] {1, 7, 16, 200, 203, 4099}) {
                    Case c = new Case(k, d, n, cases % 3, r);
                    Result want = c.run(scalar), got = c.run(simd);
                    String what = "d=" + d + " K=" + k + " n=" + n + " variant " + (cases % 3) + TestSeeds.replay(SEED);
                    close(want.out, got.out, what + ": log-density");
                    for (int i = 0; i < want.grads.length; i++) {
                        if (want.grads[i] == null) {
                            assertTrue(got.grads[i] == null, what);
                            continue;
                        }
                        close(want.grads[i], got.grads[i], what + ": gradient of input " + i);
                    }
                    cases++;
                }
            }
        }
        assertEquals(72, cases);
    }

    @Test
    void oneComponentGivesTheLogitsNoGradient() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        Case c = new Case(1, 3, 37, 0, r);
        float[] dLogits = c.run(simd).grads[0];
        for (int j = 0; j < dLogits.length; j++) assertEquals(c.gradInit[0][j], dLogits[j], 0f, "column " + j);
    }

    @Test
    void badShapesAndNonFusingBackendsAreRefused() {
        Tape t = Tape.recording(simd);
        Var logits = t.variable(Tensor.zeros(simd, 2, 5)), means = t.variable(Tensor.zeros(simd, 6, 5));
        Var diag = t.variable(Tensor.zeros(simd, 6, 5)), upper = t.variable(Tensor.zeros(simd, 6, 5));
        Var z = t.constant(Tensor.zeros(simd, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> t.gaussianMixture(logits, means, diag, null, z));
        assertThrows(IllegalArgumentException.class,
                () -> t.gaussianMixture(logits, t.variable(Tensor.zeros(simd, 5, 5)), diag, upper, z));
        assertThrows(IllegalArgumentException.class,
                () -> t.gaussianMixture(logits, means, diag, t.variable(Tensor.zeros(simd, 5, 5)), z));
        assertThrows(IllegalArgumentException.class,
                () -> t.gaussianMixture(logits, means, diag, upper, t.constant(Tensor.zeros(simd, 3, 4))));
        Var z1 = t.constant(Tensor.zeros(simd, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> t.gaussianMixture(logits, t.variable(Tensor.zeros(simd, 2,
                5)), t.variable(Tensor.zeros(simd, 2, 5)), upper, z1));
        Backend unfused = new ScalarBackend() {
            @Override
            public boolean fusesGaussianMixture() {
                return false;
            }
        };
        Tape u = Tape.recording(unfused);
        Var ul = u.variable(Tensor.zeros(unfused, 1, 2)), um = u.variable(Tensor.zeros(unfused, 1, 2));
        Var ud = u.variable(Tensor.zeros(unfused, 1, 2)), uz = u.constant(Tensor.zeros(unfused, 1, 2));
        assertThrows(IllegalStateException.class, () -> u.gaussianMixture(ul, um, ud, null, uz));
    }

    /** |got − want| within float rounding of the reference's magnitudes. */
    private static void close(float[] want, float[] got, String what) {
        double scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            double tol = 2e-5 * Math.abs(want[i]) + 2e-6 * scale + 1e-6;
            assertTrue(Math.abs(got[i] - want[i]) <= tol || Float.floatToIntBits(got[i]) == Float.floatToIntBits(want[i]),
                    what + " [" + i + "]: " + got[i] + " against " + want[i] + " (tolerance " + tol + ")");
        }
    }

    private record Result(float[] out, float[][] grads) {
    }

    /**
     * Inputs as an MDN's heads give them: logits and means of order one, a diagonal of softplus + 1e-4 and an upper
     * triangle of order one half. Variants: 0 every input wants a gradient, z's and the means' already hold one; 1 z
     * wants none (training); 2 only z wants one (a MAP search).
     */
    private static final class Case {
        final int k, d, n, variant;
        final float[][] inputs = new float[5][];
        final float[][] gradInit = new float[5][];
        final float[] seed;

        Case(int k, int d, int n, int variant, SplittableRandom r) {
            this.k = k;
            this.d = d;
            this.n = n;
            this.variant = variant;
            int[] rows = {k, k * d, k * d, k * d * (d - 1) / 2, d};
            double[] sd = {2, 1, 1, 0.5, 1};
            for (int i = 0; i < 5; i++) {
                inputs[i] = new float[rows[i] * n];
                for (int j = 0; j < inputs[i].length; j++) {
                    double v = sd[i] * r.nextGaussian();
                    inputs[i][j] = (float) (i == 2 ? Math.log1p(Math.exp(v)) + 1e-4 : v);
                }
                gradInit[i] = new float[rows[i] * n];
                if (variant == 0 && (i == 1 || i == 4)) {
                    for (int j = 0; j < gradInit[i].length; j++) gradInit[i][j] = (float) r.nextGaussian();
                }
            }
            seed = new float[n];
            for (int j = 0; j < n; j++) seed[j] = (float) r.nextGaussian();
        }

        boolean wants(int input) {
            return switch (variant) {
                case 0 -> true;
                case 1 -> input != 4;
                default -> input == 4;
            };
        }

        Result run(Backend be) {
            Tape t = Tape.recording(be);
            Var[] v = new Var[5];
            int[] rows = {k, k * d, k * d, k * d * (d - 1) / 2, d};
            for (int i = 0; i < 5; i++) {
                if (i == 3 && d == 1) continue;
                Tensor x = Tensor.of(be, rows[i], n, inputs[i].clone());
                v[i] = wants(i) ? t.variable(x) : t.constant(x);
            }
            // An earlier contribution to the means' and z's gradients, through a node of their own.
            Var extra = null;
            if (variant == 0) {
                extra = t.add(t.reduceAll(ReduceOp.SUM, t.mul(v[1], t.constant(Tensor.of(be, k * d, n, gradInit[1].clone())))),
                        t.reduceAll(ReduceOp.SUM, t.mul(v[4], t.constant(Tensor.of(be, d, n, gradInit[4].clone())))));
            }
            Var out = t.gaussianMixture(v[0], v[1], v[2], v[3], v[4]);
            Var loss = t.reduceAll(ReduceOp.SUM, t.mul(out, t.constant(Tensor.of(be, 1, n, seed.clone()))));
            if (extra != null) loss = t.add(loss, extra);
            t.backward(loss);
            float[][] grads = new float[5][];
            for (int i = 0; i < 5; i++) {
                if (v[i] != null && wants(i)) grads[i] = v[i].grad().toArray();
            }
            return new Result(out.value().toArray(), grads);
        }
    }
}
