package org.jsbi.bench;

import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.TapeArena;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.estimator.ZScore;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An NPE-MDN's loss (sbi's MDN: 2 x 50 ReLU, 10 full-covariance components) forward and backward on a tape over a
 * training batch, one thread, SIMD: the mixture's density as one fused node ({@code Tape.gaussianMixture}, kernels in
 * {@code GaussianMixtureKernels}) against the same density from the primitives ({@code Mdn.logProbFromPrimitives},
 * what a backend without the fused kernels runs). The trunk and heads are the same in both. The batch of 200 has a
 * tail past whole 16-lane vectors, as in training; 112 is the larger part of a two-thread step. Setup checks that
 * both give the same loss to float rounding.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GaussianMixtureBench {

    @Param({"fused", "primitives"})
    public String mixture;

    @Param({"2", "10"})
    public int dim;

    @Param({"200", "112"})
    public int batch;

    private Backend be;
    private TapeArena arena;
    private Mdn mdn;
    private Tensor theta;
    private Tensor x;

    @Setup
    public void setup() {
        Parallel.setThreads(1);
        be = BenchBackends.create("simd");
        arena = new TapeArena(be);
        Rng rng = new Rng(7);
        mdn = new Mdn(be, dim, dim, ZScore.identity(dim), ZScore.identity(dim), MdnConfig.defaults(), rng);
        // Away from the near-uniform initialisation, so that the components differ as in a trained network.
        for (Parameter p : mdn.parameters()) {
            float[] v = p.value().toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.2 * rng.nextGaussian());
            p.value().set(v);
        }
        theta = Tensor.of(be, dim, batch, Verify.uniform(dim * batch, -2f, 2f, 11));
        x = Tensor.of(be, dim, batch, Verify.uniform(dim * batch, -2f, 2f, 12));
        float fused = step("fused"), composed = step("primitives");
        if (!(Math.abs(fused - composed) <= 1e-4 * Math.max(1, Math.abs(composed)))) {
            throw new IllegalStateException("GaussianMixtureBench: fused loss " + fused + ", primitives " + composed);
        }
    }

    @Benchmark
    public float forwardAndBackward() {
        return step(mixture);
    }

    private float step(String how) {
        for (Parameter p : mdn.parameters()) p.zeroGrad();
        Tape tape = Tape.recording(be, new IdentityHashMap<>(), arena);
        Var t = tape.constant(theta), c = tape.constant(x);
        Var lp = how.equals("fused") ? mdn.logProb(tape, t, c) : mdn.logProbFromPrimitives(tape, t, c);
        Var loss = tape.scale(tape.mean(lp), -1f);
        tape.backward(loss);
        return loss.item();
    }
}
