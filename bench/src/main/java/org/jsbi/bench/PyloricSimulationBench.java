package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.sim.stg.PyloricNetwork.Implementation;
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
 * Wall time per simulated 11-s pyloric network (440,000 steps of three neurons, noise on, the 18 online features) for
 * a batch of prior draws, the scalar reference and the SIMD implementation, on 1 and 2 threads. JMH's score is
 * milliseconds per network (one operation = one network); per core it is the score × threads. Setup checks that the
 * timed implementation gives the scalar reference's features bit for bit on the first rows.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PyloricSimulationBench -f 1 -wi 1 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
public class PyloricSimulationBench {

    /**
     * Networks per operation: 64, so that on 2 threads each thread simulates a full SIMD chunk of 32 networks (with
     * 32, each thread ran one vector of 16 lanes in a chunk of two, and paid a chunk's per-step overhead for half the
     * networks: 13.6 ms per network against 10 in the bench harness). The scalar reference (about 0.2 s per network
     * here) then needs about 14 s per operation on one thread, longer than an iteration's 10 s; JMH still times whole
     * operations.
     */
    static final int BATCH = 64;
    private static final int CHECKED = 2;

    @Param({"scalar", "simd"})
    public String implementation;

    @Param({"1", "2"})
    public int threads;

    private PyloricNetwork sim;
    private ParameterBatch batch;
    private float[] out;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Implementation impl = switch (implementation) {
            case "scalar" -> Implementation.SCALAR;
            case "simd" -> Implementation.SIMD;
            default -> throw new IllegalArgumentException("implementation must be scalar or simd, got " + implementation);
        };
        sim = PyloricNetwork.withDefaults().withImplementation(impl);
        int n = BATCH;
        float[][] rows = PyloricNetwork.prior().sample(n, new Rng(1));
        float[] theta = new float[n * 31];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, theta, i * 31, 31);
        batch = new ParameterBatch(theta, n, 31, 0);
        out = new float[n * 18];
        sim.simulate(batch, 7, out);
        float[] ref = new float[CHECKED * 18];
        PyloricNetwork.withDefaults().withImplementation(Implementation.SCALAR)
                .simulate(new ParameterBatch(theta, CHECKED, 31, 0), 7, ref);
        for (int k = 0; k < CHECKED * 18; k++) {
            if (Float.floatToIntBits(ref[k]) != Float.floatToIntBits(out[k])) {
                throw new IllegalStateException("pyloric " + implementation + ": network " + k / 18 + " feature "
                        + k % 18 + " is " + out[k] + ", the scalar reference " + ref[k]);
            }
        }
    }

    /** One batch of {@link #BATCH} networks, scored per network. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] perNetwork() {
        sim.simulate(batch, 7, out);
        return out;
    }
}
