package org.jsbi.validation;

import java.util.Map;

/**
 * The benchmark's published mean C2ST over its 10 observations (Lueckmann et al. 2021; the results repository's
 * {@code main_paper.csv} for NPE, whose estimator is a neural spline flow, and
 * {@code supplement_hyperparameters_snpe.csv} for NPE-MAF), as collected in ../shared/models/PEERS.md §2.5. They are
 * the yardstick the harness prints next to jsbi's own numbers.
 */
public final class PublishedResults {

    /** Budgets the benchmark reports: 1,000, 10,000, 100,000. */
    private static final int[] BUDGETS = {1_000, 10_000, 100_000};

    private static final Map<String, double[]> NPE_MAF = Map.of(
            "gaussian_linear", new double[] {0.694, 0.564, 0.513},
            "gaussian_linear_uniform", new double[] {0.693, 0.599, 0.553},
            "slcp", new double[] {0.976, 0.938, 0.869},
            "slcp_distractors", new double[] {0.982, 0.977, 0.897},
            "bernoulli_glm", new double[] {0.837, 0.637, 0.555},
            "bernoulli_glm_raw", new double[] {0.988, 0.736, 0.609},
            "gaussian_mixture", new double[] {0.779, 0.752, 0.711},
            "two_moons", new double[] {0.872, 0.814, 0.770},
            "sir", new double[] {0.825, 0.837, 0.665},
            "lotka_volterra", new double[] {0.999, 0.989, 0.977});

    private static final Map<String, double[]> NPE_NSF = Map.of(
            "gaussian_linear", new double[] {0.694, 0.552, 0.506},
            "gaussian_linear_uniform", new double[] {0.696, 0.553, 0.509},
            "slcp", new double[] {0.975, 0.901, 0.831},
            "slcp_distractors", new double[] {0.982, 0.970, 0.863},
            "bernoulli_glm", new double[] {0.863, 0.678, 0.559},
            "bernoulli_glm_raw", new double[] {0.900, 0.765, 0.607},
            "gaussian_mixture", new double[] {0.731, 0.661, 0.555},
            "two_moons", new double[] {0.725, 0.606, 0.542},
            "sir", new double[] {0.815, 0.680, 0.585},
            "lotka_volterra", new double[] {0.999, 0.997, 0.981});

    private PublishedResults() {
    }

    /** The benchmark's NPE-MAF mean C2ST, or NaN where it did not report that task and budget. */
    public static double npeMaf(String task, int budget) {
        return lookup(NPE_MAF, task, budget);
    }

    /** The benchmark's NPE (neural spline flow) mean C2ST, or NaN. */
    public static double npeNsf(String task, int budget) {
        return lookup(NPE_NSF, task, budget);
    }

    private static double lookup(Map<String, double[]> table, String task, int budget) {
        double[] row = table.get(task);
        if (row == null) return Double.NaN;
        for (int i = 0; i < BUDGETS.length; i++) {
            if (BUDGETS[i] == budget) return row[i];
        }
        return Double.NaN;
    }
}
