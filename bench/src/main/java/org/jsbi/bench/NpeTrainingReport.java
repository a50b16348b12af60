package org.jsbi.bench;

import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import org.jsbi.train.TrainingListener;

/**
 * The bench harness for whole trainings: NPE-MAF at sbi's defaults on 10,000 pairs of a task, trained to convergence
 * (20 epochs without validation improvement), for each backend and thread count, after untimed warm-up trainings
 * on the same backend and thread count. Prints epochs, total seconds, seconds per epoch and the best validation loss.
 *
 * <p>The warm-up runs short trainings (other seed) for at least {@code warmupSeconds} (default 8), so that the JIT
 * has compiled the kernels of this thread count's shapes before the timed one, as JMH would: a two-thread step runs
 * products on 112 and 88 columns that a one-thread training never compiles. With 0 the timed training starts after
 * one epoch of warm-up; a fresh JVM with 0 gives the figure a command-line run sees, JIT compilation included (about
 * 4 s of it on this project's 2-core machine: docs/ARCHITECTURE.md).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.NpeTrainingReport \
 *     [two_moons|gaussian_linear] [backends=simd,scalar] [threads=1,2] [warmupSeconds=8]
 * </pre>
 */
public final class NpeTrainingReport {

    private NpeTrainingReport() {
    }

    public static void main(String[] args) {
        String task = args.length > 0 ? args[0] : "two_moons";
        String[] backends = (args.length > 1 ? args[1] : "simd").split(",");
        String[] threads = (args.length > 2 ? args[2] : "1,2").split(",");
        double warmup = args.length > 3 ? Double.parseDouble(args[3]) : 8;
        TrainingData data = BenchTasks.pairs(task, 10_000, 1);
        System.out.printf("NPE-MAF on 10,000 %s pairs, trained to convergence after %.0f s of warm-up per setup%n%n",
                task, warmup);
        System.out.println("| task | backend | threads | epochs | seconds | s/epoch | best val NLL |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (String b : backends) {
            for (String t : threads) {
                Parallel.setThreads(Integer.parseInt(t.trim()));
                Backend be = BenchBackends.create(b.trim());
                long w0 = System.nanoTime();
                do {
                    train(be, data, TrainingConfig.defaults().withMaxEpochs(warmup > 0 ? 10 : 1).withSeed(2));
                } while ((System.nanoTime() - w0) / 1e9 < warmup);
                TrainedEstimator te = train(be, data, TrainingConfig.defaults().withSeed(1));
                var h = te.history();
                System.out.printf("| %s | %s | %s | %d | %.2f | %.4f | %.4f |%n", task, b, t, h.epochs(), h.seconds(),
                        h.seconds() / h.epochs(), h.bestValidationLoss());
            }
        }
    }

    private static TrainedEstimator train(Backend be, TrainingData data, TrainingConfig cfg) {
        return Trainer.train(be, (b, td, xd, ts, xs, rng) -> new Maf(b, td, xd, ts, xs, MafConfig.defaults(), rng),
                data, cfg, TrainingListener.NONE);
    }
}
