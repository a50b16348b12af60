package org.jsbi.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.jsbi.backend.Parallel;
import org.jsbi.validation.C2st;
import org.jsbi.validation.C2stConfig;
import org.jsbi.validation.C2stResult;
import org.jsbi.validation.ReferenceData;
import org.jsbi.validation.ReferenceTask;

/**
 * Seconds per C2ST, the cost that dominates the validation of the 10-D tasks: a task's reference posterior samples
 * (observation 1, 10,000) against a copy resampled with replacement and jittered by 0.05 reference sd, with sbibm's
 * settings except the epoch cap, so every fold trains exactly {@code epochs} epochs and runs compare like with like.
 * Each round is one C2ST in the same JVM; the first round includes the JIT's warm-up. Wall and process CPU seconds.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.C2stReport \
 *     [task=gaussian_linear] [epochs=30] [threads=2] [parallelFolds=true] [rounds=3]
 * </pre>
 */
public final class C2stReport {

    private C2stReport() {
    }

    public static void main(String[] args) {
        String task = arg(args, 0, "gaussian_linear");
        int epochs = Integer.parseInt(arg(args, 1, "30"));
        int threads = Integer.parseInt(arg(args, 2, "2"));
        boolean parallelFolds = Boolean.parseBoolean(arg(args, 3, "true"));
        int rounds = Integer.parseInt(arg(args, 4, "3"));
        Parallel.setThreads(threads);
        float[][] reference = ReferenceData.locate().referenceSamples(ReferenceTask.byId(task), 1);
        float[][] jittered = jitter(reference, new Random(5));
        C2stConfig config = C2stConfig.defaults().withMaxEpochs(epochs).withParallelFolds(parallelFolds);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("C2ST %s (%d-D), %d folds x %d epochs, %d thread(s), folds %s%n", task,
                reference[0].length, config.folds(), epochs, threads, parallelFolds ? "side by side" : "in sequence");
        for (int r = 0; r < rounds; r++) {
            long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            C2stResult res = C2st.run(reference, jittered, config);
            System.out.printf("round %d: accuracy %.4f, epochs %s, %.2f s wall, %.2f s CPU%n", r + 1, res.accuracy(),
                    Arrays.toString(res.foldEpochs()), (System.nanoTime() - t0) / 1e9,
                    (os.getProcessCpuTime() - cpu0) / 1e9);
        }
    }

    /** Rows drawn with replacement, each value moved by N(0, (0.05 sd)²) of its dimension. */
    private static float[][] jitter(float[][] reference, Random random) {
        int n = reference.length, d = reference[0].length;
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double mean = 0, sq = 0;
            for (float[] row : reference) mean += row[j];
            mean /= n;
            for (float[] row : reference) sq += (row[j] - mean) * (row[j] - mean);
            sd[j] = Math.sqrt(sq / (n - 1));
        }
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = reference[random.nextInt(n)].clone();
            for (int j = 0; j < d; j++) out[i][j] += (float) (0.05 * sd[j] * random.nextGaussian());
        }
        return out;
    }

    private static String arg(String[] args, int i, String def) {
        return args.length > i ? args[i] : def;
    }
}
