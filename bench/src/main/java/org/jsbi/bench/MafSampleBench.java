package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
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
 * Drawing 10,000 samples from a MAF (sbi's defaults) for one observation: D sequential passes per transform, batched
 * over all samples. Samples per second = 10,000 / time. The flow is untrained (sampling cost does not depend on the
 * weights); setup checks that the samples are finite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MafSampleBench {

    @Param({"2", "10"})
    public int dim;

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Maf maf;
    private float[] x;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Backend be = BenchBackends.create(backend);
        maf = new Maf(be, dim, dim, ZScore.identity(dim), ZScore.identity(dim), MafConfig.defaults(), new Rng(1));
        x = new float[dim];
        for (float v : sample().toArray()) {
            if (!Float.isFinite(v)) throw new IllegalStateException("MAF sample is not finite: " + v);
        }
    }

    @Benchmark
    public Tensor sample() {
        return maf.sample(10_000, x, new Rng(2));
    }
}
