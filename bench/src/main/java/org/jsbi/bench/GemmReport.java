package org.jsbi.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsbi.simd.SimdConfig;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link GemmBench}, {@link EjmlGemmBench} and {@link FmaPeakBench} in one go and prints a markdown table that
 * reads every gemm time against the machine: GFLOP/s, share of the measured one-core FMA peak, ratio to EJML at the
 * same shape, and the SIMD backend's two-thread speedup.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.GemmReport \
 *     [--quick] [--shape S]...
 * </pre>
 *
 * {@code --quick}: 1 warmup and 3 measurements of 1 s each instead of the benchmarks' own settings;
 * {@code --shape S} (repeatable): only these shapes, e.g. {@code --shape 512^3}.
 */
public final class GemmReport {

    private static final List<String> BACKEND_ORDER = List.of("ejml", "scalar", "simd");

    /** One gemm measurement: seconds per product and JMH's 99.9% error as a fraction of it. */
    private record Row(String shape, String backend, int threads, double seconds, double relError) {
        String key() {
            return key(backend, threads);
        }

        static String key(String backend, int threads) {
            return backend + "/" + threads;
        }
    }

    private GemmReport() {
    }

    public static void main(String[] args) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(only(GemmBench.class))
                .include(only(EjmlGemmBench.class))
                .include(only(FmaPeakBench.class))
                .shouldFailOnError(true);
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(3).measurementTime(TimeValue.seconds(1));
                case "--shape" -> {
                    if (++i == args.length) usage("--shape needs a value");
                    shapes.add(args[i]);
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        if (!shapes.isEmpty()) options.param("shape", shapes.toArray(String[]::new));
        System.out.println(render(new Runner(options.build()).run()));
    }

    private static void usage(String problem) {
        System.err.println("GemmReport: " + problem);
        System.err.println("usage: GemmReport [--quick] [--shape S]...  (S as in GemmBench: 512^3, m=50:n=200:k=10)");
        System.exit(2);
    }

    /** A JMH include pattern that matches this class's benchmarks only (GemmBench must not match EjmlGemmBench). */
    private static String only(Class<?> benchmark) {
        return "^" + Pattern.quote(benchmark.getName() + ".");
    }

    private static String render(Collection<RunResult> results) {
        Map<String, Double> peaks = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String[] name = p.getBenchmark().split("\\.");
            String cls = name[name.length - 2], method = name[name.length - 1];
            double score = r.getPrimaryResult().getScore();
            double seconds = score * p.getTimeUnit().toNanos(1) * 1e-9;
            double relError = r.getPrimaryResult().getScoreError() / score;
            switch (cls) {
                case "FmaPeakBench" -> peaks.put(method, FmaPeakBench.flops(FmaPeakBench.chains(method)) / seconds);
                case "GemmBench" -> rows.add(new Row(p.getParam("shape"), p.getParam("backend"),
                        Integer.parseInt(p.getParam("threads")), seconds, relError));
                case "EjmlGemmBench" -> rows.add(new Row(p.getParam("shape"), "ejml", 1, seconds, relError));
                default -> throw new IllegalStateException("unexpected benchmark " + p.getBenchmark());
            }
        }
        double peak = peaks.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);

        Map<String, Map<String, Double>> byShape = new HashMap<>();
        for (Row row : rows) byShape.computeIfAbsent(row.shape(), s -> new HashMap<>()).put(row.key(), row.seconds());
        rows.sort(Comparator.comparingDouble((Row row) -> GemmShape.parse(row.shape()).flops())
                .thenComparing(Row::shape)
                .thenComparingInt(row -> BACKEND_ORDER.indexOf(row.backend()))
                .thenComparingInt(Row::threads));

        StringBuilder out =
                new StringBuilder("\n## GEMM, batch-major C[out x batch] = W[out x in] · X[in x batch]\n\n");
        out.append(String.format("FMA peak, one core (%d-bit vectors, %d float lanes): ", SimdConfig.bits(),
                SimdConfig.LANES));
        peaks.forEach((method, flops) -> out.append(String.format("%s %.1f GFLOP/s; ", method, flops * 1e-9)));
        out.append(String.format("peak = %.1f GFLOP/s%n%n", peak * 1e-9));
        out.append("m = out, n = batch, k = in. ± = JMH's 99.9% error of the time (NaN after a single iteration). "
                + "GFLOP/s = 2mnk / time. vs EJML = EJML time / this time (> 1: faster). "
                + "2T/1T = simd 1-thread time / 2-thread time.\n\n");
        out.append("| shape | backend | threads | µs/op | ± | GFLOP/s | % 1-core peak | vs EJML | 2T/1T |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            Map<String, Double> same = byShape.get(row.shape());
            double gflops = GemmShape.parse(row.shape()).flops() / row.seconds() * 1e-9;
            Double ejml = same.get(Row.key("ejml", 1));
            Double simd1 = same.get(Row.key("simd", 1));
            boolean simd2 = row.backend().equals("simd") && row.threads() == 2;
            out.append(String.format("| %s | %s | %d | %.1f | %.0f%% | %.2f | %.1f%% | %s | %s |%n",
                    row.shape(), row.backend(), row.threads(), row.seconds() * 1e6, 100 * row.relError(), gflops,
                    100 * gflops * 1e9 / peak,
                    ejml == null ? "–" : String.format("%.2f", ejml / row.seconds()),
                    simd2 && simd1 != null ? String.format("%.2f", simd1 / row.seconds()) : ""));
        }
        return out.toString();
    }
}
