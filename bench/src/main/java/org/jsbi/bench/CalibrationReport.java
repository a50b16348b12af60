package org.jsbi.bench;

import java.util.Locale;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.diagnostics.Sbc;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.validation.CalibrationCheck;

/**
 * Simulation-based calibration of amortized NPE on benchmark tasks ({@link CalibrationCheck}): per task, one training
 * on BUDGET simulations, then TESTS fresh prior simulations with SAMPLES posterior samples each. One markdown row per
 * task: the smallest rank p-value over the parameters, the expected coverage of the 50/80/90/95% highest-density
 * regions, the largest coverage gap over all levels and its KS p-value.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.CalibrationReport \
 *     [TASKS=two_moons,...] [BUDGET=10000] [TESTS=200] [SAMPLES=1000] [ESTIMATOR=maf] [SEED=1]
 * </pre>
 */
public final class CalibrationReport {

    private CalibrationReport() {
    }

    public static void main(String[] args) {
        String[] tasks = (args.length > 0 ? args[0]
                : "two_moons,sir,lotka_volterra,slcp,gaussian_linear,gaussian_linear_uniform,bernoulli_glm").split(",");
        int budget = args.length > 1 ? Integer.parseInt(args[1].replace("_", "").replace(",", "")) : 10_000;
        int tests = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int samples = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        String estimator = args.length > 4 ? args[4] : "maf";
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 1L;
        System.out.printf(Locale.ROOT, "NPE-%s, %,d simulations, SBC with %,d tests x %,d samples, seed %d; backend %s,"
                        + " %d threads%n%n", estimator.toUpperCase(Locale.ROOT), budget, tests, samples, seed,
                Backends.current().name(), Parallel.threads());
        System.out.println("| task | min rank p | coverage 50% | 80% | 90% | 95% | largest gap | coverage KS p |"
                + " seconds (train / SBC) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : tasks) {
            BenchmarkTask task = BenchmarkTasks.byName(name.trim());
            NpeConfig cfg = NpeConfig.defaults()
                    .withEstimator(estimator.equals("mdn") ? EstimatorFactory.mdn() : EstimatorFactory.maf())
                    .withTraining(NpeConfig.defaults().training().withSeed(seed));
            NpeResult r = new Npe(cfg).run(task.simulator(), task.prior(), budget, seed);
            DirectPosterior post = r.posterior(task.prior());
            CalibrationCheck.Report cal = CalibrationCheck.run(task.simulator(), task.prior(), post, tests, samples,
                    seed, null);
            Sbc.Result s = cal.result();
            double minP = 1;
            for (int d = 0; d < s.dim(); d++) minP = Math.min(minP, s.rankPValue(d));
            System.out.printf(Locale.ROOT, "| %s | %.3g | %.3f | %.3f | %.3f | %.3f | %.3f | %.3g | %.0f / %.0f |%n",
                    task.name(), minP, s.expectedCoverage(0.5), s.expectedCoverage(0.8), s.expectedCoverage(0.9),
                    s.expectedCoverage(0.95), s.maxCoverageError(), s.coveragePValue(), r.trainingSeconds(),
                    cal.seconds());
        }
    }
}
