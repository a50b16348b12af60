package org.jsbi.bench;

import java.util.Arrays;
import java.util.Locale;
import org.jsbi.backend.Backend;
import org.jsbi.estimator.LinearGaussianConditional;
import org.jsbi.random.Rng;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import org.jsbi.train.TrainingListener;

/**
 * The density-estimator issue's conditional fit over many seeds: for each seed, 10,000 pairs of θ | x ~ N(Ax + b, Σ)
 * in 3-D ({@link LinearGaussianConditional}, data and training seeded alike), a MAF or MDN at the defaults, then the
 * mean test NLL above the true conditional entropy and above the true density's NLL of the same 5,000 fresh pairs
 * (an estimate of the KL divergence without the test set's noise) and, at x = (0.3, −0.7, 1.1) or the X given, the
 * relative errors of 20,000 (or SAMPLES) samples' mean and covariance (‖m̂ − μ‖/‖μ‖, ‖Σ̂ − Σ‖_F/‖Σ‖_F) with the worst
 * dimension and entry, and each dimension's sample variance over the true one. The same measurements as {@code
 * SimdConditionalFitTest}, which runs seed 3 (with -Djsbi.test.seed it runs others).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.ConditionalFitReport \
 *     [maf|mdn] FIRST-SEED LAST-SEED [LEARNING-RATE [X1,X2,X3 [SAMPLES]]]
 * </pre>
 */
public final class ConditionalFitReport {

    private static final float[] X_O = {0.3f, -0.7f, 1.1f};

    private ConditionalFitReport() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 6 || !(args[0].equals("maf") || args[0].equals("mdn"))) {
            System.err.println("usage: ConditionalFitReport maf|mdn FIRST-SEED LAST-SEED [LEARNING-RATE [X1,X2,X3 "
                    + "[SAMPLES]]]");
            System.exit(2);
        }
        int first = Integer.parseInt(args[1]), last = Integer.parseInt(args[2]);
        if (first > last) throw new IllegalArgumentException("ConditionalFitReport: need FIRST-SEED <= LAST-SEED");
        EstimatorFactory factory = args[0].equals("maf") ? EstimatorFactory.maf() : EstimatorFactory.mdn();
        TrainingConfig base = TrainingConfig.defaults();
        if (args.length > 3) base = base.withLearningRate(Float.parseFloat(args[3]));
        float[] x = X_O;
        if (args.length > 4) {
            String[] v = args[4].split(",");
            if (v.length != LinearGaussianConditional.DIM) {
                throw new IllegalArgumentException("ConditionalFitReport: X needs " + LinearGaussianConditional.DIM
                        + " comma-separated values, got '" + args[4] + "'");
            }
            x = new float[v.length];
            for (int d = 0; d < v.length; d++) x[d] = Float.parseFloat(v[d]);
        }
        int samples = args.length > 5 ? Integer.parseInt(args[5]) : 20_000;
        Backend be = BenchBackends.create("simd");
        System.out.printf(Locale.ROOT, "%s, 10,000 pairs, learning rate %g, x = %s, %,d samples%n%n",
                args[0].toUpperCase(Locale.ROOT), base.learningRate(), Arrays.toString(x), samples);
        System.out.println("| seed | epochs | NLL − entropy | NLL − true density's | mean error | worst mean (σ) "
                + "| covariance error | worst entry | variance ratios |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        int n = last - first + 1;
        double[] meanErr = new double[n], covErr = new double[n];
        for (int seed = first; seed <= last; seed++) {
            float[][][] train = LinearGaussianConditional.pairs(10_000, new Rng(seed));
            TrainedEstimator te = Trainer.train(be, factory, TrainingData.of(train[0], train[1]),
                    base.withSeed(seed), TrainingListener.NONE);
            LinearGaussianConditional.Fit fit = LinearGaussianConditional.measure(be, te.estimator(), 5_000,
                    new Rng(seed + 1), x, samples, new Rng(seed + 2));
            meanErr[seed - first] = fit.meanError();
            covErr[seed - first] = fit.covError();
            StringBuilder ratios = new StringBuilder();
            for (int d = 0; d < LinearGaussianConditional.DIM; d++) {
                ratios.append(d == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f",
                        fit.sampleCov()[d][d] / fit.trueCov()[d][d]));
            }
            System.out.printf(Locale.ROOT, "| %d | %d | %.4f | %.4f | %.3f | %.3f | %.3f | %.3f | %s |%n", seed,
                    te.history().epochs(), fit.testNll() - fit.entropy(), fit.testNll() - fit.trueTestNll(),
                    fit.meanError(), fit.worstMeanSd(), fit.covError(), fit.worstCovEntry(), ratios);
        }
        System.out.printf(Locale.ROOT, "%nmean error: median %.3f, max %.3f, %d of %d within 0.05%n", median(meanErr),
                Arrays.stream(meanErr).max().orElseThrow(), Arrays.stream(meanErr).filter(e -> e <= 0.05).count(), n);
        System.out.printf(Locale.ROOT, "covariance error: median %.3f, max %.3f, %d of %d within 0.05%n",
                median(covErr), Arrays.stream(covErr).max().orElseThrow(),
                Arrays.stream(covErr).filter(e -> e <= 0.05).count(), n);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
