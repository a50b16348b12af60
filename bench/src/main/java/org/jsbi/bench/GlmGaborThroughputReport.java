package org.jsbi.bench;

import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.gabor.Gabor;
import org.jsbi.sim.glm.Glm;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/**
 * LN/GLM and Gabor-RF simulations per second (noise on, prior draws), scalar and SIMD, 1 and 2 threads. GLM:
 * batches of 1,024 and 16,384. Gabor: batches of 64 and 512 (the scalar cells at 512 are timed at 64 and say so;
 * the stimulus is generated before timing). Each cell runs its batch repeatedly for at least {@code seconds}
 * (default 1) after an untimed warm-up of at least 1 s
 * (the Vector API code is slow until C2 has compiled it).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.GlmGaborThroughputReport [seconds] [glm|gabor|both]
 * </pre>
 */
public final class GlmGaborThroughputReport {

    private GlmGaborThroughputReport() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        String which = args.length > 1 ? args[1] : "both";
        System.out.println("| model | implementation | threads | batch | sims/s | seconds timed |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        if (!which.equals("gabor")) {
            float[] theta = draws(Glm.prior().sample(16384, new Rng(1)));
            for (Glm.Implementation impl : Glm.Implementation.values()) {
                Simulator sim = Glm.withDefaults().withImplementation(impl);
                for (int threads : new int[] {1, 2}) {
                    for (int b : new int[] {1024, 16384}) cell("GLM", impl.name(), sim, theta, b, b, threads, seconds);
                }
            }
        }
        if (!which.equals("glm")) {
            float[] theta = draws(Gabor.prior().sample(512, new Rng(2)));
            Gabor.withDefaults().stimulus();
            for (Gabor.Implementation impl : Gabor.Implementation.values()) {
                Simulator sim = Gabor.withDefaults().withImplementation(impl);
                for (int threads : new int[] {1, 2}) {
                    for (int b : new int[] {64, 512}) {
                        int n = impl == Gabor.Implementation.SCALAR ? Math.min(b, 64) : b;
                        cell("Gabor", impl.name(), sim, theta, b, n, threads, seconds);
                    }
                }
            }
        }
    }

    private static float[] draws(float[][] rows) {
        int d = rows[0].length;
        float[] v = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, v, i * d, d);
        return v;
    }

    private static void cell(String model, String impl, Simulator sim, float[] theta, int b, int n, int threads,
                             double seconds) {
        Parallel.setThreads(threads);
        ParameterBatch batch = new ParameterBatch(theta, n, sim.parameterDim(), 0);
        float[] out = new float[n * sim.dataDim()];
        long w0 = System.nanoTime();                                   // warm-up (C2 must compile the vector code)
        do {
            sim.simulate(batch, 1, out);
        } while ((System.nanoTime() - w0) / 1e9 < Math.max(1.0, seconds / 2));
        long t0 = System.nanoTime();
        long sims = 0;
        double el;
        do {
            sim.simulate(batch, 1 + sims, out);
            sims += n;
            el = (System.nanoTime() - t0) / 1e9;
        } while (el < seconds);
        System.out.printf("| %s | %s | %d | %d%s | %.0f | %.1f |%n", model, impl, threads, b,
                n != b ? " (timed at " + n + ")" : "", sims / el, el);
    }
}
