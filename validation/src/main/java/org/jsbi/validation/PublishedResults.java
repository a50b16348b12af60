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

    /** Sequential NPE (SNPE-C, 10 rounds, atomic loss) with a MAF: the supplement's {@code SNPE-MAF} rows. */
    private static final Map<String, double[]> SNPE_MAF = Map.of(
            "gaussian_linear", new double[] {0.663, 0.546, 0.510},
            "gaussian_linear_uniform", new double[] {0.649, 0.539, 0.510},
            "slcp", new double[] {0.972, 0.908, 0.733},
            "slcp_distractors", new double[] {0.979, 0.976, 0.908},
            "bernoulli_glm", new double[] {0.804, 0.561, 0.515},
            "bernoulli_glm_raw", new double[] {0.935, 0.707, 0.536},
            "gaussian_mixture", new double[] {0.744, 0.722, 0.627},
            "two_moons", new double[] {0.822, 0.754, 0.643},
            "sir", new double[] {0.815, 0.621, 0.556},
            "lotka_volterra", new double[] {0.985, 0.890, 0.795});

    /** Sequential NPE with a neural spline flow: {@code main_paper.csv}'s SNPE rows. */
    private static final Map<String, double[]> SNPE_NSF = Map.of(
            "gaussian_linear", new double[] {0.652, 0.544, 0.507},
            "gaussian_linear_uniform", new double[] {0.631, 0.527, 0.507},
            "slcp", new double[] {0.965, 0.845, 0.666},
            "slcp_distractors", new double[] {0.978, 0.931, 0.778},
            "bernoulli_glm", new double[] {0.855, 0.614, 0.525},
            "bernoulli_glm_raw", new double[] {0.906, 0.658, 0.607},
            "gaussian_mixture", new double[] {0.697, 0.583, 0.533},
            "two_moons", new double[] {0.643, 0.554, 0.530},
            "sir", new double[] {0.638, 0.561, 0.575},
            "lotka_volterra", new double[] {0.990, 0.953, 0.928});

    private PublishedResults() {
    }

    /** The benchmark's SNPE-MAF mean C2ST (10 rounds, SNPE-C), or NaN. */
    public static double snpeMaf(String task, int budget) {
        return lookup(SNPE_MAF, task, budget);
    }

    /** The benchmark's SNPE (neural spline flow, 10 rounds) mean C2ST, or NaN. */
    public static double snpeNsf(String task, int budget) {
        return lookup(SNPE_NSF, task, budget);
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
