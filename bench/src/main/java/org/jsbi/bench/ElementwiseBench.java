package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.HostStorage;
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
 * The transcendental activations of the estimators (tanh in MADE, exp in densities, sigmoid and softplus in the
 * flows' scales) over a million floats uniform in [-5, 5] (fixed seed). ns per element = µs/op · 1000 / N.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ElementwiseBench {

    static final int N = 1_000_000;
    /** Results that round to about zero (tanh near 0) are held to this absolute error instead. */
    private static final double ATOL = 1e-6;

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    @Param({"EXP", "TANH", "SIGMOID", "SOFTPLUS"})
    public UnaryOp op;

    private Backend be;
    private HostStorage x, y;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        be = BenchBackends.create(backend);
        float[] xv = Verify.uniform(N, -5f, 5f, 7);
        x = new HostStorage(xv);
        y = new HostStorage(new float[N]);
        unary();
        double[] want = new double[N];
        for (int i = 0; i < N; i++) want[i] = op.apply(xv[i]);
        Verify.elementsClose("ElementwiseBench[" + backend + ", threads=" + threads + ", " + op + "]", y.data(), want,
                ATOL);
    }

    @Benchmark
    public void unary() {
        be.unary(op, N, x, 0, y, 0);
    }
}
