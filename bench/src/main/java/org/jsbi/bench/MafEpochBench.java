package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import org.jsbi.train.TrainingListener;
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
 * Seconds per NPE-MAF training epoch on 10,000 pairs at sbi's defaults (MAF 5 × 2 × 50 tanh, batch 200, 10%
 * validation, Adam 5e-4, clipping 5): one call is a one-epoch {@link Trainer#train}, so it includes the split, the
 * z-scoring, building the flow and one validation pass, as an sbi epoch includes its validation pass. The peer
 * (sbi 0.27, PyTorch, one thread, this machine type): 0.22 s per epoch on two_moons and on gaussian_linear.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class MafEpochBench {

    @Param({"two_moons", "gaussian_linear"})
    public String task;

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Backend be;
    private TrainingData data;
    private TrainingConfig cfg;
    private static final EstimatorFactory MAF = (b, td, xd, ts, xs, rng) ->
            new Maf(b, td, xd, ts, xs, MafConfig.defaults(), rng);

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        be = BenchBackends.create(backend);
        data = BenchTasks.pairs(task, 10_000, 1);
        cfg = TrainingConfig.defaults().withMaxEpochs(1).withSeed(1);
        double loss = epoch().history().trainLoss().get(0);
        if (!Double.isFinite(loss)) throw new IllegalStateException("training loss is not finite: " + loss);
    }

    @Benchmark
    public TrainedEstimator epoch() {
        return Trainer.train(be, MAF, data, cfg, TrainingListener.NONE);
    }
}
