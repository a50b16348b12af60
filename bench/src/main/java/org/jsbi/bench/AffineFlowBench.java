package org.jsbi.bench;

import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.TapeArena;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ReduceOp;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
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
 * A MAF's five affine transforms (the part of a training step between the MADEs: scales, shifts, log-determinants,
 * permutations) forward and backward on a tape over a training batch, one thread: the fused node pair
 * ({@code Tape.affineFlow}, SIMD kernels in {@code AffineFlowKernels}) against the same transforms from the
 * primitives. The batch of 200 has a tail past whole 16-lane vectors, as in training; 112 is the larger part of a
 * two-thread step. Setup checks that both give the same loss, bit for bit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AffineFlowBench {

    private static final int TRANSFORMS = 5;

    @Param({"fused", "primitives"})
    public String transform;

    @Param({"2", "10"})
    public int dim;

    @Param({"200", "112"})
    public int batch;

    private Backend be;
    private TapeArena arena;
    private Tensor u0;
    private Tensor[] params;
    private int[][] perms;

    @Setup
    public void setup() {
        Parallel.setThreads(1);
        be = BenchBackends.create("simd");
        arena = new TapeArena(be);
        u0 = Tensor.of(be, dim, batch, Verify.uniform(dim * batch, -2f, 2f, 11));
        params = new Tensor[TRANSFORMS];
        perms = new int[TRANSFORMS][dim];
        for (int t = 0; t < TRANSFORMS; t++) {
            params[t] = Tensor.of(be, 2 * dim, batch, Verify.uniform(2 * dim * batch, -3f, 3f, 12 + t));
            for (int i = 0; i < dim; i++) perms[t][i] = (i + t + 1) % dim;
        }
        String other = transform.equals("fused") ? "primitives" : "fused";
        float mine = step(transform), theirs = step(other);
        if (Float.floatToRawIntBits(mine) != Float.floatToRawIntBits(theirs)) {
            throw new IllegalStateException("AffineFlowBench: " + transform + " gives loss " + mine + ", " + other + " "
                    + theirs);
        }
    }

    @Benchmark
    public float forwardAndBackward() {
        return step(transform);
    }

    private float step(String how) {
        Tape tape = Tape.recording(be, new IdentityHashMap<>(), arena);
        Var u = tape.constant(u0), logDet = null;
        for (int t = 0; t < TRANSFORMS; t++) {
            Var p = tape.variable(params[t]);
            Var[] out = how.equals("fused")
                    ? tape.affineFlow(p, u, MafConfig.SCALE_FLOOR, perms[t], logDet)
                    : Maf.affineTransformFromPrimitives(tape, p, u, MafConfig.SCALE_FLOOR, perms[t], logDet);
            u = out[0];
            logDet = out[1];
        }
        Var base = tape.affine(tape.reduceColumns(ReduceOp.SUM, tape.square(u)), -0.5f, 0f);
        Var loss = tape.scale(tape.mean(tape.add(base, logDet)), -1f);
        tape.backward(loss);
        return loss.item();
    }
}
