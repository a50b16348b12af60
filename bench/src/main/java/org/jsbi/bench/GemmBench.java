package org.jsbi.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
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
 * Backend.gemm at the shapes of training, in the batch-major layout: C[out x batch] = W[out x in] · X[in x batch],
 * i.e. m = out, n = batch, k = in, plus a square 512^3 for comparison with published GEMM figures. GFLOP/s =
 * 2·m·n·k / time (see {@link GemmShape}). The scalar backend is single-threaded and ignores {@code threads}; its
 * threads=2 rows show that. EjmlGemmBench runs the same shapes as the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    // The same list as EjmlGemmBench, so that every row has its baseline.
    @Param({"m=50:n=200:k=10", "m=50:n=200:k=60", "m=100:n=200:k=10", "m=100:n=200:k=60",
            "m=50:n=10000:k=10", "m=50:n=10000:k=60", "m=100:n=10000:k=10", "m=100:n=10000:k=60", "512^3"})
    public String shape;

    private Backend be;
    private GemmShape s;
    private HostStorage a, b, c;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        be = BenchBackends.create(backend);
        s = GemmShape.parse(shape);
        float[] w = Verify.uniform(s.m() * s.k(), -1f, 1f, 1);
        float[] x = Verify.uniform(s.k() * s.n(), -1f, 1f, 2);
        a = new HostStorage(w);
        b = new HostStorage(x);
        // NaN in C checks that beta = 0 really ignores the old contents, as the kernel contract says.
        float[] out = new float[s.m() * s.n()];
        Arrays.fill(out, Float.NaN);
        c = new HostStorage(out);
        gemm();
        Verify.matrixClose("GemmBench[" + backend + ", threads=" + threads + ", " + shape + "]", out,
                Verify.gemm(false, false, s.m(), s.n(), s.k(), w, s.k(), x, s.n()));
    }

    @Benchmark
    public void gemm() {
        be.gemm(false, false, s.m(), s.n(), s.k(), 1f, a, 0, s.k(), b, 0, s.n(), 0f, c, 0, s.n());
    }
}
