package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * The baseline for {@link GemmBench}: EJML's single-threaded float32 product C = A · B at the same shapes, with the
 * same inputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EjmlGemmBench {

    // The same list as GemmBench.
    @Param({"m=50:n=200:k=10", "m=50:n=200:k=60", "m=100:n=200:k=10", "m=100:n=200:k=60",
            "m=50:n=10000:k=10", "m=50:n=10000:k=60", "m=100:n=10000:k=10", "m=100:n=10000:k=60", "512^3"})
    public String shape;

    private FMatrixRMaj a, b, c;

    @Setup
    public void setup() {
        GemmShape s = GemmShape.parse(shape);
        float[] w = Verify.uniform(s.m() * s.k(), -1f, 1f, 1);
        float[] x = Verify.uniform(s.k() * s.n(), -1f, 1f, 2);
        a = FMatrixRMaj.wrap(s.m(), s.k(), w);
        b = FMatrixRMaj.wrap(s.k(), s.n(), x);
        c = new FMatrixRMaj(s.m(), s.n());
        mult();
        Verify.matrixClose("EjmlGemmBench[" + shape + "]", c.data,
                Verify.gemm(false, false, s.m(), s.n(), s.k(), w, s.k(), x, s.n()));
    }

    @Benchmark
    public void mult() {
        CommonOps_FDRM.mult(a, b, c);
    }
}
