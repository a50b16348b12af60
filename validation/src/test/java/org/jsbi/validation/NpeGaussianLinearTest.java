package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * NPE-MAF on gaussian_linear with 10,000 simulations against the analytic posterior of observation 1:
 * N(x_o / 2, 0.05 I) (TASKS.md). Mean and covariance are compared in units of the posterior's own scale.
 *
 * <p>The issue asks for 5%. What this estimator reaches (seed 4, nflows' MADE since 2026-11-26): mean error 0.137 of
 * ‖μ‖ (0.36 posterior sd in the worst dimension), variances within 16%, covariances within 8% of 0.05 (the earlier
 * MADE: 0.115, 0.28 sd, 20%, 7%) — in line with the benchmark's NPE-MAF C2ST
 * of 0.564 at 10,000 simulations, not with 5%. The bounds below guard that level (a broken estimator misses them by
 * far) and are not the target, which stays open.
 *
 * <p>How far 5% is from what 9,000 training pairs allow at all (2026-11-26, session 16): the exact model's maximum
 * likelihood fit (least squares of θ on x with an intercept, residual covariance; EJML), on the same 9,000 pairs for
 * seeds 1–20, has a median mean error of 0.029 of ‖μ‖ (worst 0.054) and a median worst-variance error of 0.028 (worst
 * 0.058). So 5% sits just above the floor of the exact parametric fit; the MAF (seeds 1–10: mean error
 * 0.061–0.137, median 0.11; worst variance 0.16–0.33) is about three times the floor. Lowering Adam's rate to 1e-4 or
 * the batch to 50 did not move it (seeds 1–6).
 *
 * <p>Session 19 (validation/RESULTS.md, "The analytic posterior of gaussian_linear", {@code AnalyticPosteriorReport}):
 * over 30 trainings the variances are 10% too large on average (a bias, largest where x_o lies 2.3 prior-predictive
 * standard deviations out), and mixtures of five trainings halve the mean error (median 0.067) but keep that bias.
 */
class NpeGaussianLinearTest {

    @Test
    void mafPosteriorMatchesTheAnalyticPosterior() {
        long seed = TestSeeds.seed(4);
        BenchmarkTask task = BenchmarkTasks.byName("gaussian_linear");
        NpeResult r = new Npe(NpeConfig.defaults().withTraining(NpeConfig.defaults().training().withSeed(seed)))
                .run(task.simulator(), task.prior(), 10_000, seed);
        float[] xo = ReferenceData.locate().observation(ReferenceTask.GAUSSIAN_LINEAR, 1);
        float[][] s = r.posterior(task.prior()).sample(10_000, xo, seed);
        int d = 10, n = s.length;
        double[] mean = new double[d];
        for (float[] row : s) {
            for (int i = 0; i < d; i++) mean[i] += row[i] / (double) n;
        }
        double[][] cov = new double[d][d];
        for (float[] row : s) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) cov[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (n - 1.0);
            }
        }
        double postVar = 0.05, postSd = Math.sqrt(postVar);
        double maxMean = 0, meanNorm = 0, truthNorm = 0, maxVar = 0, maxCov = 0;
        for (int i = 0; i < d; i++) {
            double mu = xo[i] / 2.0;
            maxMean = Math.max(maxMean, Math.abs(mean[i] - mu) / postSd);
            meanNorm += (mean[i] - mu) * (mean[i] - mu);
            truthNorm += mu * mu;
            maxVar = Math.max(maxVar, Math.abs(cov[i][i] / postVar - 1));
            for (int j = 0; j < d; j++) {
                if (j != i) maxCov = Math.max(maxCov, Math.abs(cov[i][j]) / postVar);
            }
        }
        String report = String.format(Locale.ROOT, "gaussian_linear obs 1, NPE-MAF 10k (%d epochs, %.1f s): max |mean − μ| "
                        + "= %.3f posterior sd, ‖mean − μ‖/‖μ‖ = %.3f, max |var/0.05 − 1| = %.3f, max |cov_ij|/0.05 = %.3f%s",
                r.trained().history().epochs(), r.trainingSeconds(), maxMean, Math.sqrt(meanNorm / truthNorm), maxVar,
                maxCov, TestSeeds.replay(seed));
        System.out.println(report);
        assertTrue(Math.sqrt(meanNorm / truthNorm) <= 0.2, report);
        assertTrue(maxMean <= 0.5, report);
        assertTrue(maxVar <= 0.35, report);
        assertTrue(maxCov <= 0.15, report);
    }
}
