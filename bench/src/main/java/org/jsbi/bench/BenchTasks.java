package org.jsbi.bench;

import org.jsbi.random.Rng;
import org.jsbi.train.TrainingData;

/**
 * Simulated pairs of two benchmark tasks (../shared/reference/TASKS.md), generated here so that the training
 * benchmarks do not wait for the simulator module: two_moons (θ ~ U(-1, 1)², 2-D x) and gaussian_linear
 * (θ ~ N(0, 0.1 I₁₀), x ~ N(θ, 0.1 I₁₀)).
 */
final class BenchTasks {

    private BenchTasks() {
    }

    static TrainingData pairs(String task, int n, long seed) {
        Rng rng = new Rng(seed);
        return switch (task) {
            case "two_moons" -> twoMoons(n, rng);
            case "gaussian_linear" -> gaussianLinear(n, rng);
            default -> throw new IllegalArgumentException("unknown task '" + task + "' (two_moons, gaussian_linear)");
        };
    }

    private static TrainingData twoMoons(int n, Rng rng) {
        float[][] t = new float[n][2], x = new float[n][2];
        for (int i = 0; i < n; i++) {
            double t1 = rng.uniform(-1, 1), t2 = rng.uniform(-1, 1);
            double a = rng.uniform(-Math.PI / 2, Math.PI / 2), r = 0.1 + 0.01 * rng.nextGaussian();
            t[i][0] = (float) t1;
            t[i][1] = (float) t2;
            x[i][0] = (float) (r * Math.cos(a) + 0.25 - Math.abs(t1 + t2) / Math.sqrt(2));
            x[i][1] = (float) (r * Math.sin(a) + (t2 - t1) / Math.sqrt(2));
        }
        return TrainingData.of(t, x);
    }

    private static TrainingData gaussianLinear(int n, Rng rng) {
        float[][] t = new float[n][10], x = new float[n][10];
        double sd = Math.sqrt(0.1);
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 10; d++) {
                t[i][d] = (float) (sd * rng.nextGaussian());
                x[i][d] = (float) (t[i][d] + sd * rng.nextGaussian());
            }
        }
        return TrainingData.of(t, x);
    }
}
