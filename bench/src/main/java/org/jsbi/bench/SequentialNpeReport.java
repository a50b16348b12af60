package org.jsbi.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.SequentialNpe;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.validation.C2st;
import org.jsbi.validation.PublishedResults;
import org.jsbi.validation.ReferenceData;
import org.jsbi.validation.ReferenceTask;

/**
 * Truncated sequential NPE (MAF, jsbi's defaults) on a benchmark task against its reference posteriors: for each
 * observation, the budget split evenly over ROUNDS rounds ({@link SequentialNpe}), 10,000 posterior samples, the
 * benchmark's C2ST; then the mean beside the benchmark's SNPE-MAF and SNPE (NSF) rows, which used 10 rounds of
 * SNPE-C with the atomic loss.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.SequentialNpeReport \
 *     TASK BUDGET ROUNDS [OBSERVATIONS, default 1-10] [SEED, default 1]
 * </pre>
 */
public final class SequentialNpeReport {

    private SequentialNpeReport() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: SequentialNpeReport TASK BUDGET ROUNDS [FIRST-LAST] [SEED]");
            System.exit(2);
        }
        BenchmarkTask task = BenchmarkTasks.byName(args[0]);
        int budget = Integer.parseInt(args[1].replace("_", "").replace(",", ""));
        int rounds = Integer.parseInt(args[2]);
        int first = 1, last = 10;
        if (args.length > 3) {
            String[] r = args[3].split("-");
            first = Integer.parseInt(r[0]);
            last = Integer.parseInt(r[r.length - 1]);
        }
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1L;
        ReferenceTask ref = null;
        for (ReferenceTask rt : ReferenceTask.values()) if (rt.id().equals(task.name())) ref = rt;
        if (ref == null) throw new IllegalArgumentException(task.name() + " has no reference posteriors");
        int[] perRound = SequentialNpe.evenRounds(budget, rounds);
        ReferenceData data = ReferenceData.locate();
        System.out.printf(Locale.ROOT, "TSNPE-MAF on %s: %,d simulations in %d rounds, observations %d-%d, seed %d;"
                + " backend %s, %d threads%n", task.name(), budget, rounds, first, last, seed, Backends.current().name(),
                Parallel.threads());
        List<Double> scores = new ArrayList<>();
        for (int k = first; k <= last; k++) {
            long t0 = System.nanoTime();
            float[] xo = data.observation(ref, k);
            NpeConfig cfg = NpeConfig.defaults().withTraining(NpeConfig.defaults().training().withSeed(seed));
            SequentialNpe.Result r = new SequentialNpe(cfg).run(task.simulator(), task.prior(), xo, perRound, seed);
            float[][] samples = r.posterior().sample(10_000, xo, seed);
            double c2st = C2st.accuracy(data.referenceSamples(ref, k), samples);
            scores.add(c2st);
            SequentialNpe.Round lastRound = r.rounds().get(r.rounds().size() - 1);
            System.out.printf(Locale.ROOT, "observation %2d: C2ST %.4f  (last region %.3g%% of the prior, %d epochs;"
                    + " %.0f s)%n", k, c2st, 100 * lastRound.regionMass(), lastRound.epochs(),
                    (System.nanoTime() - t0) * 1e-9);
        }
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = scores.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, scores.size() - 1);
        System.out.printf(Locale.ROOT, "mean C2ST %.3f ± %.3f over %d observations; benchmark SNPE-MAF %.3f, SNPE (NSF)"
                        + " %.3f, NPE-MAF %.3f%n", mean, Math.sqrt(var), scores.size(),
                PublishedResults.snpeMaf(task.name(), budget), PublishedResults.snpeNsf(task.name(), budget),
                PublishedResults.npeMaf(task.name(), budget));
    }
}
