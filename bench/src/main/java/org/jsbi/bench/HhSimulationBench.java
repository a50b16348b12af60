package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.sim.hh.HodgkinHuxley.Implementation;
import org.jsbi.simulation.ParameterBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hodgkin–Huxley simulations per second (the paper's synthetic protocol: 120 ms at dt = 0.01 ms, noise on, 7 online
 * features) for a batch of 1024 prior draws, the scalar reference and the SIMD implementation, on 1 and 2 threads.
 * JMH's score is simulations/s (one operation = one simulation). Setup checks that the batch's features are finite
 * except for the simulations the simulator itself reports as diverged, that some sets spike, and that the timed
 * implementation gives the scalar reference's features bit for bit on the first 16 sets.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar HhSimulationBench -f 1 -wi 2 -i 3 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HhSimulationBench {

    static final int BATCH = 1024;
    private static final int CHECKED = 16;

    @Param({"scalar", "simd"})
    public String implementation;

    @Param({"1", "2"})
    public int threads;

    private HodgkinHuxley sim;
    private ParameterBatch batch;
    private float[] out;
    private long seed;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Implementation impl = switch (implementation) {
            case "scalar" -> Implementation.SCALAR;
            case "simd" -> Implementation.SIMD;
            default -> throw new IllegalArgumentException("implementation must be scalar or simd, got " + implementation);
        };
        sim = HodgkinHuxley.withDefaults().withImplementation(impl);
        float[][] rows = HodgkinHuxley.prior().sample(BATCH, new Rng(1));
        float[] theta = new float[BATCH * 8];
        for (int i = 0; i < BATCH; i++) System.arraycopy(rows[i], 0, theta, i * 8, 8);
        batch = new ParameterBatch(theta, BATCH, 8, 0);
        out = new float[BATCH * 7];
        seed = 7;
        simulate();
        int nonFinite = 0, spiking = 0;
        for (int i = 0; i < BATCH; i++) {
            if (!Float.isFinite(out[i * 7])) nonFinite++;
            else if (out[i * 7] > 0) spiking++;
            for (int f = 1; f < 7; f++) {
                if (Float.isFinite(out[i * 7]) && !Float.isFinite(out[i * 7 + f])) {
                    throw new IllegalStateException("HH set " + i + ": feature " + f + " is " + out[i * 7 + f]);
                }
            }
        }
        if (nonFinite != sim.divergedCount()) {
            throw new IllegalStateException("HH: " + nonFinite + " rows with NaN features but " + sim.divergedCount()
                    + " reported as diverged");
        }
        if (spiking < BATCH / 10) throw new IllegalStateException("HH: only " + spiking + " of " + BATCH + " sets spike");
        float[] ref = new float[CHECKED * 7];
        HodgkinHuxley.withDefaults().withImplementation(Implementation.SCALAR)
                .simulate(new ParameterBatch(theta, CHECKED, 8, 0), seed, ref);
        for (int k = 0; k < CHECKED * 7; k++) {
            if (Float.floatToIntBits(ref[k]) != Float.floatToIntBits(out[k])) {
                throw new IllegalStateException("HH " + implementation + ": set " + k / 7 + " feature " + k % 7 + " is "
                        + out[k] + ", the scalar reference " + ref[k]);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] simulate() {
        sim.simulate(batch, seed, out);
        return out;
    }
}
