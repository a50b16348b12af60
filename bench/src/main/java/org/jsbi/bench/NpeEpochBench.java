package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
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
 * Seconds per NPE training epoch on 10,000 pairs at sbi's defaults (MAF 5 × 2 × 50 tanh or MDN 2 × 50 ReLU with 10
 * components; batch 200, 10% validation, Adam 5e-4, clipping 5): one call is a one-epoch {@link Trainer#train}, so
 * it includes the split, the z-scoring, building the estimator and one validation pass, as an sbi epoch includes its
 * validation pass. The peer (sbi 0.27, PyTorch, one thread, this machine type): NPE-MAF 0.22 s per epoch on two_moons
 * and on gaussian_linear, NPE-MDN 0.12 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class NpeEpochBench {

    @Param({"maf", "mdn"})
    public String estimator;

    @Param({"two_moons", "gaussian_linear"})
    public String task;

    @Param({"scalar", "simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Backend be;
    private TrainingData data;
    private TrainingConfig cfg;
    private EstimatorFactory factory;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        be = BenchBackends.create(backend);
        factory = switch (estimator) {
            case "maf" -> (b, td, xd, ts, xs, rng) -> new Maf(b, td, xd, ts, xs, MafConfig.defaults(), rng);
            case "mdn" -> (b, td, xd, ts, xs, rng) -> new Mdn(b, td, xd, ts, xs, MdnConfig.defaults(), rng);
            default -> throw new IllegalArgumentException("estimator must be maf or mdn, got " + estimator);
        };
        data = BenchTasks.pairs(task, 10_000, 1);
        cfg = TrainingConfig.defaults().withMaxEpochs(1).withSeed(1);
        double loss = epoch().history().trainLoss().get(0);
        if (!Double.isFinite(loss)) throw new IllegalStateException("training loss is not finite: " + loss);
    }

    @Benchmark
    public TrainedEstimator epoch() {
        return Trainer.train(be, factory, data, cfg, TrainingListener.NONE);
    }
}
