package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.simd.SimdConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's single-core float32 FMA peak through the Vector API, the ceiling that the gemm figures are read
 * against. Each method runs {@link #ITERATIONS} rounds of acc = x · y + acc ({@code vx.fma(vy, acc)}: the Vector
 * API's {@code a.fma(b, c)} is a · b + c) on independent accumulators. An FMA has a latency of several cycles
 * (4 on Zen 3) and two pipes each start one per cycle, so at least latency × pipes = 8 chains are needed to keep
 * the pipes full; the 12-chain variant shows whether 8 were enough.
 *
 * <p>GFLOP/s = {@link #flops}(chains) / (seconds per op) / 1e9, with flops = ITERATIONS × chains × lanes × 2
 * (a multiply and an add per lane). With ms/op: GFLOP/s = flops / (ms/op) / 1e6.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FmaPeakBench {

    public static final int ITERATIONS = 1_000_000;
    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;

    // Fields, not constants, so the JIT cannot fold the loop. x · y = 2^-21 and the chains start at c/16 below 1, so
    // every accumulator stays below 2 where adding 2^-21 is exact: the setup check can demand the exact sum.
    public float x = 0.5f;
    public float y = 0x1p-20f;

    /** Floating-point operations of one call of the method with this many chains. */
    public static double flops(int chains) {
        return 2.0 * ITERATIONS * chains * SimdConfig.LANES;
    }

    /** The chain count of a benchmark method, by its name. */
    public static int chains(String method) {
        return switch (method) {
            case "fma8" -> 8;
            case "fma12" -> 12;
            default -> throw new IllegalArgumentException("not an FmaPeakBench method: " + method);
        };
    }

    @Setup
    public void check() {
        checkSum("fma8", fma8(), 8);
        checkSum("fma12", fma12(), 12);
    }

    private void checkSum(String method, float got, int chains) {
        double want = 0;
        for (int c = 0; c < chains; c++) want += SimdConfig.LANES * (c / 16.0 + ITERATIONS * (double) x * y);
        if (Math.abs(got - want) > 1e-6 * want) {
            throw new IllegalStateException("FmaPeakBench." + method + " summed to " + got + ", expected " + want
                    + ": the loop does not run the FMAs it is timed for");
        }
    }

    private static FloatVector start(int chain) {
        return FloatVector.broadcast(S, chain / 16f);
    }

    @Benchmark
    public float fma8() {
        FloatVector vx = FloatVector.broadcast(S, x), vy = FloatVector.broadcast(S, y);
        FloatVector a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3);
        FloatVector a4 = start(4), a5 = start(5), a6 = start(6), a7 = start(7);
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = vx.fma(vy, a0);
            a1 = vx.fma(vy, a1);
            a2 = vx.fma(vy, a2);
            a3 = vx.fma(vy, a3);
            a4 = vx.fma(vy, a4);
            a5 = vx.fma(vy, a5);
            a6 = vx.fma(vy, a6);
            a7 = vx.fma(vy, a7);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public float fma12() {
        FloatVector vx = FloatVector.broadcast(S, x), vy = FloatVector.broadcast(S, y);
        FloatVector a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3);
        FloatVector a4 = start(4), a5 = start(5), a6 = start(6), a7 = start(7);
        FloatVector a8 = start(8), a9 = start(9), a10 = start(10), a11 = start(11);
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = vx.fma(vy, a0);
            a1 = vx.fma(vy, a1);
            a2 = vx.fma(vy, a2);
            a3 = vx.fma(vy, a3);
            a4 = vx.fma(vy, a4);
            a5 = vx.fma(vy, a5);
            a6 = vx.fma(vy, a6);
            a7 = vx.fma(vy, a7);
            a8 = vx.fma(vy, a8);
            a9 = vx.fma(vy, a9);
            a10 = vx.fma(vy, a10);
            a11 = vx.fma(vy, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .add(a8).add(a9).add(a10).add(a11).reduceLanes(VectorOperators.ADD);
    }
}
