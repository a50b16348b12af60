package org.jsbi.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A paired A/B timing of two or more builds of jsbi in one JVM, for a machine whose speed drifts (this 2-vCPU VM
 * swings 1.5× between runs of the same code, so timing jar A in one run and jar B in the next can hide or invent a
 * 10% change). Each entry is a bench jar (any build that has {@link PairedWorkload}) and a workload; each gets its own
 * class loader, so the two builds' classes and JIT profiles stay apart, and after the warm-up rounds the entries run
 * one round each in turn, the order reversed every other round. The report gives each entry's median time per unit and,
 * for two entries, the median and quartiles of the per-round ratio first/second: adjacent rounds see the same machine,
 * so the ratio is far steadier than either time.
 * <p>
 * The order of the entries is not neutral for the training workloads: one bench jar against a copy of itself
 * ({@code maf:gaussian_linear}, one thread, AMD EPYC Zen 5) gave ratios of 1.021 and 1.073, the second entry faster
 * (the HH workload: 0.999). Compare two builds in both orders and take the geometric mean of ratio(A, B) and
 * 1 / ratio(B, A), which cancels a bias of the position: {@code -Dpaired.bothOrders=true} runs the swapped order in
 * a fresh JVM after the first and prints that mean.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.PairedReport \
 *     JAR[=WORKLOAD],JAR[=WORKLOAD][,...] [workload=hh] [threads=1] [rounds=30] [warmup=20]
 * </pre>
 * e.g. {@code /tmp/old.jar,bench/target/benchmarks.jar hh 1 40 40}, or one jar against itself with two workloads,
 * {@code J=maf:two_moons@1,J=maf:two_moons@2} (two threads against one). Pause other work on the machine meanwhile.
 */
public final class PairedReport {

    private PairedReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PairedReport JAR[=WORKLOAD],JAR[=WORKLOAD][,...] [workload] [threads] [rounds] "
                    + "[warmup]");
            System.exit(2);
        }
        String[] entries = args[0].split(",");
        String workload = args.length > 1 ? args[1] : "hh";
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int k = entries.length;
        Object[] runners = new Object[k];
        Method[] round = new Method[k];
        for (int j = 0; j < k; j++) {
            int eq = entries[j].indexOf('=');
            String jar = eq < 0 ? entries[j] : entries[j].substring(0, eq);
            String w = eq < 0 ? workload : entries[j].substring(eq + 1);
            File f = new File(jar);
            if (!f.isFile()) throw new IllegalArgumentException("no such jar: " + jar);
            URLClassLoader cl = new URLClassLoader(new URL[] {f.toURI().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> c;
            try {
                c = Class.forName("org.jsbi.bench.PairedWorkload", true, cl);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(jar + " has no org.jsbi.bench.PairedWorkload: build it from a "
                        + "commit that has the paired report", e);
            }
            runners[j] = c.getConstructor(String.class, int.class).newInstance(w, threads);
            round[j] = c.getMethod("round");
        }
        for (int w = 0; w < warmup; w++) {
            for (int j = 0; j < k; j++) round[j].invoke(runners[j]);
        }
        double[][] t = new double[k][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < k; i++) {
                int j = r % 2 == 0 ? i : k - 1 - i;
                t[j][r] = (Double) round[j].invoke(runners[j]);
            }
        }
        for (int j = 0; j < k; j++) {
            double[] s = t[j].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%s: median %.4f ms per unit (min %.4f, max %.4f)%n", entries[j],
                    s[rounds / 2], s[0], s[rounds - 1]);
        }
        if (k == 2) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) ratio[r] = t[0][r] / t[1][r];
            Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "time ratio first/second per round: median %.3f (quartiles %.3f, %.3f), "
                    + "%d rounds%n", ratio[rounds / 2], ratio[rounds / 4], ratio[(3 * rounds) / 4], rounds);
            if (Boolean.getBoolean("paired.bothOrders")) swappedOrder(args, ratio[rounds / 2]);
        }
        System.exit(0);
    }

    /**
     * With -Dpaired.bothOrders=true (two entries): the same comparison again in a fresh JVM with the entries
     * swapped, and the geometric mean of ratio(A, B) and 1 / ratio(B, A), which cancels the bias of the position
     * that the class comment describes.
     */
    private static void swappedOrder(String[] args, double ratioAB) throws Exception {
        String[] entries = args[0].split(",");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Dpaired.bothOrders")) cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PairedReport.class.getName());
        cmd.add(entries[1] + "," + entries[0]);
        cmd.addAll(Arrays.asList(args).subList(1, args.length));
        System.out.println("the same with the entries swapped, in a fresh JVM:");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Double ratioBA = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("WARNING: Using incubator modules")) continue;
                System.out.println("  " + line);
                Matcher m = RATIO.matcher(line);
                if (m.find()) ratioBA = Double.parseDouble(m.group(1));
            }
        }
        if (p.waitFor() != 0 || ratioBA == null) {
            throw new IllegalStateException("the swapped run failed (exit " + p.exitValue() + "); see its output above");
        }
        System.out.printf(Locale.ROOT, "both orders: time ratio %s / %s = %.3f (geometric mean of %.3f and 1 / %.3f)%n",
                entries[0], entries[1], Math.sqrt(ratioAB / ratioBA), ratioAB, ratioBA);
    }

    private static final Pattern RATIO = Pattern.compile("time ratio first/second per round: median ([0-9.]+)");
}
