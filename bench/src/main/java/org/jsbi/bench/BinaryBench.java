package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
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
 * {@code Backend.binary} (c = a op b elementwise) on a 50 x 200 layer's worth of floats, one thread, against {@code
 * axpy} on the same arrays: the same two loads and one store per element, so on SIMD the two should take about the
 * same time. Setup runs every operation first, one after another, as a process meets them: one loop with the
 * operation switched inside, recompiled as each new operation arrived, then took 3–5 times axpy's time on AVX-512;
 * SimdBackend now has a loop per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BinaryBench {

    static final int N = 10_000;

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"ADD", "MUL", "AXPY"})
    public String op;

    private Backend be;
    private HostStorage a, b, c;

    @Setup
    public void setup() {
        Parallel.setThreads(1);
        be = BenchBackends.create(backend);
        float[] av = Verify.uniform(N, -5f, 5f, 7), bv = Verify.uniform(N, -5f, 5f, 8);
        a = new HostStorage(av);
        b = new HostStorage(bv);
        c = new HostStorage(new float[N]);
        // Every operation first, one after another, as a process meets them: C2 compiles the kernel for the first,
        // and recompiles it when the next arrives.
        for (BinaryOp o : BinaryOp.values()) {
            for (int rep = 0; rep < 20_000; rep++) be.binary(o, N, a, 0, b, 0, c, 0);
        }
        if (!op.equals("AXPY")) {
            BinaryOp o = BinaryOp.valueOf(op);
            run();
            for (int i = 0; i < N; i++) {
                if (Float.floatToIntBits(c.data()[i]) != Float.floatToIntBits(o.apply(av[i], bv[i]))) {
                    throw new IllegalStateException("BinaryBench[" + backend + ", " + op + "]: element " + i);
                }
            }
        }
    }

    @Benchmark
    public HostStorage run() {
        switch (op) {
            case "ADD" -> be.binary(BinaryOp.ADD, N, a, 0, b, 0, c, 0);
            case "MUL" -> be.binary(BinaryOp.MUL, N, a, 0, b, 0, c, 0);
            default -> be.axpy(N, 1f, a, 0, c, 0);
        }
        return c;
    }
}
