package org.jsbi.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendProvider;
import org.jsbi.backend.BackendUnavailableException;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.Probe;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.simulation.Simulations;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jsbi bench train}: seconds per NPE training epoch on several backends side by side, in one JVM, so the
 * figures are comparable. Each setup is a number of simulated pairs and a batch size; each backend trains the same
 * data from the same seed for a few epochs (early stopping off), after {@code --warmup-seconds} of warm-up training
 * (whole epochs, at least one), and the median epoch is reported with its ratio to the first backend. The warm-up is
 * a time, not a count of epochs: the JIT compiler needs about 5 s of a MAF training at 10,000 pairs on a 2-core
 * machine, and a one-epoch warm-up left it at work in the timed epochs (2 threads: a median of 44–53 ms per epoch
 * against 22 once compiled). Past that time the warm-up goes on while the compiler is still busy (up to four times
 * as long). JMH benchmarks in the bench module remain the reference for the
 * CPU kernels; this command is what a user runs to see whether a GPU pays off for their sizes.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that compare backends side by side.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Simulate.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Advice for a backend that cannot run here: the same option without it, where others are named. */
    static String leaveOut(String option, List<String> named, String unusable) {
        List<String> others = named.stream().map(String::trim).filter(n -> !n.equalsIgnoreCase(unusable)).toList();
        return others.isEmpty() ? "" : "; leave it out with " + option + " " + String.join(",", others);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Seconds per training epoch of NPE (MAF or MDN) on each backend, side by side.")
    static final class Train implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--task", description = "Benchmark task that simulates the pairs (default: ${DEFAULT-VALUE}).")
        String task = "two_moons";

        @Option(names = "--estimator", description = "maf or mdn (default: ${DEFAULT-VALUE}).")
        String estimator = "maf";

        @Option(names = "--setups", split = ",", description = "PAIRSxBATCH, comma-separated"
                + " (default: ${DEFAULT-VALUE}).")
        List<String> setups = List.of("10000x200", "200000x10000");

        @Option(names = "--backends", split = ",", description = "Backends to compare, the first is the baseline"
                + " (default: ${DEFAULT-VALUE}).")
        List<String> backends = List.of("simd", "cuda");

        @Option(names = "--epochs", description = "Timed epochs per run (default: ${DEFAULT-VALUE}).")
        int epochs = 5;

        @Option(names = "--warmup-seconds", description = "Seconds of training before the timed epochs, in whole"
                + " epochs (at least one), then more while the JIT compiler is still busy, up to four times as long"
                + " (default: ${DEFAULT-VALUE}).")
        double warmupSeconds = 8;

        @Override
        public Integer call() {
            if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
                throw new IllegalArgumentException("--warmup-seconds must be a finite number >= 0, got "
                        + warmupSeconds);
            }
            EstimatorFactory factory = switch (estimator.toLowerCase(Locale.ROOT)) {
                case "maf" -> EstimatorFactory.maf();
                case "mdn" -> EstimatorFactory.mdn();
                default -> throw new IllegalArgumentException("--estimator must be maf or mdn, got " + estimator);
            };
            BenchmarkTask t = BenchmarkTasks.byName(task);
            List<Setup> parsed = new ArrayList<>();
            for (String setup : setups) parsed.add(Setup.parse(spec.commandLine(), setup));
            List<Backend> bes = new ArrayList<>();
            for (String b : backends) bes.add(backend(spec.commandLine(), b.trim(), backends));
            System.out.println("jsbi bench train: " + estimator + " on " + task + ", " + epochs + " timed epochs, "
                    + Parallel.threads() + " CPU threads (-Djsbi.threads)");
            for (Backend be : bes) {
                System.out.println("  " + be.name() + ": " + be.describe());
                if (be instanceof org.jsbi.cuda.CudaBackend cb) System.out.println("  cuda overheads: " + cb.overheadReport());
            }
            System.out.println("| pairs | batch | steps/epoch | backend | median s/epoch | min | max | vs "
                    + bes.get(0).name() + " |");
            System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|");
            for (Setup setup : parsed) {
                int pairs = setup.pairs(), batch = setup.batch();
                TrainingData data = Simulations.run(t.simulator(), t.prior(), pairs, 1).toTrainingData();
                int steps = (pairs - (int) Math.max(1, Math.round(pairs * 0.1))) / batch;
                double base = Double.NaN;
                for (Backend be : bes) {
                    TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(batch).withSeed(1)
                            .withStopAfterEpochs(epochs + 10);
                    warmUp(be, factory, data, cfg);
                    double[] sec = new double[epochs];
                    int[] n = {0};
                    Trainer.train(be, factory, data, cfg.withMaxEpochs(epochs), (e, tl, vl, bl, s, secs) ->
                            sec[n[0]++] = secs);
                    Arrays.sort(sec);
                    double median = sec[epochs / 2];
                    if (Double.isNaN(base)) base = median;
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %s | %.4f | %.4f | %.4f | %.2fx |%n", pairs, batch,
                            steps, be.name(), median, sec[0], sec[epochs - 1], base / median);
                }
            }
            return 0;
        }

        /**
         * A backend of --backends: a name no backend has is an option error (exit code 2); a backend that cannot run
         * here is {@link Backends#byName}'s error (exit code 1), as for --implementations of bench simulate.
         */
        private static Backend backend(CommandLine cl, String name, List<String> named) {
            List<String> known = Backends.providers().stream().map(BackendProvider::name).toList();
            if (known.stream().noneMatch(name::equalsIgnoreCase)) {
                throw new ParameterException(cl, "--backends: no backend named '" + name + "'; found: "
                        + String.join(", ", known));
            }
            try {
                return Backends.byName(name);
            } catch (BackendUnavailableException e) {
                throw new BackendUnavailableException(e.getMessage() + leaveOut("--backends", named, name));
            }
        }

        /** One of --setups: PAIRSxBATCH, both at least 1, and at least one training batch after the hold-out. */
        record Setup(int pairs, int batch) {

            /** Checks one setup before any training; a malformed one is an option error that names it. */
            static Setup parse(CommandLine cl, String setup) {
                String[] pb = setup.trim().toLowerCase(Locale.ROOT).split("x", -1);
                int pairs, batch;
                try {
                    if (pb.length != 2) throw new NumberFormatException();
                    pairs = Integer.parseInt(pb[0].trim());
                    batch = Integer.parseInt(pb[1].trim());
                } catch (NumberFormatException e) {
                    throw new ParameterException(cl, "--setups takes PAIRSxBATCH, two whole numbers, e.g. 10000x200;"
                            + " got '" + setup + "'");
                }
                if (pairs < 1 || batch < 1) {
                    throw new ParameterException(cl, "--setups '" + setup + "': pairs and batch must be at least 1");
                }
                int needed = Trainer.minimumSimulations(TrainingConfig.defaults().withBatchSize(batch));
                if (pairs < needed) {
                    throw new ParameterException(cl, "--setups '" + setup + "': " + pairs + " pairs do not fill one"
                            + " training batch of " + batch + " after the validation hold-out; use " + needed
                            + " pairs or more, or a smaller batch");
                }
                return new Setup(pairs, batch);
            }
        }

        /**
         * Trains in runs of whole epochs until --warmup-seconds have passed and the JIT compiler has gone quiet: one
         * epoch, then runs of about a second's worth at the last epoch's pace (each run a fresh estimator, as the timed
         * run will be). Past --warmup-seconds a run that still kept the compiler busy ({@link #jitQuiet}) is followed by
         * another, up to {@link #WARMUP_CAP} times --warmup-seconds: on a 2-core machine an MDN's last kernels reached
         * C2 8.4 s into some runs and 7.5 s into others, so an 8 s warm-up timed 11 ms epochs in one run and 6 ms in
         * the next (docs/ARCHITECTURE.md, "Session 31").
         */
        private void warmUp(Backend be, EstimatorFactory factory, TrainingData data, TrainingConfig cfg) {
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
            long start = System.nanoTime();
            double[] last = {0};
            int run = 1;
            boolean quiet;
            double elapsed;
            do {
                long compiled = watch ? jit.getTotalCompilationTime() : 0, t0 = System.nanoTime();
                Trainer.train(be, factory, data, cfg.withMaxEpochs(run).withStopAfterEpochs(run + 1),
                        (e, tl, vl, bl, s, sec) -> last[0] = sec);
                quiet = !watch || jitQuiet(jit.getTotalCompilationTime() - compiled, (System.nanoTime() - t0) / 1e9);
                run = warmupRun(last[0]);
                elapsed = (System.nanoTime() - start) / 1e9;
            } while (elapsed < warmupSeconds || (!quiet && elapsed < WARMUP_CAP * warmupSeconds));
        }

        /** How many times --warmup-seconds the warm-up may run while the JIT compiler is still at work. */
        static final double WARMUP_CAP = 4;

        /**
         * Whether a warm-up run of {@code runSeconds} left the JIT compiler quiet: it spent less than 5% of the run
         * compiling ({@code compileMillis}, summed over its threads). A run during the first seconds of a training
         * compiles most of the time on every compiler thread; a warm one now and then compiles a method for a few
         * milliseconds.
         */
        static boolean jitQuiet(long compileMillis, double runSeconds) {
            return compileMillis < 0.05 * runSeconds * 1000;
        }

        /** Epochs in the next warm-up run: about one second's worth at {@code epochSeconds} each, at least one. */
        static int warmupRun(double epochSeconds) {
            return (int) Math.max(1, Math.min(1000, Math.floor(1.0 / Math.max(1e-6, epochSeconds))));
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Hodgkin–Huxley simulations per second on each implementation, side by side.")
    static final class Simulate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--implementations", split = ",", description = "scalar, simd, cuda; the first is the"
                + " baseline (default: ${DEFAULT-VALUE}).")
        List<String> implementations = List.of("simd", "cuda");

        @Option(names = "--count", description = "Simulations timed on the GPU (default: ${DEFAULT-VALUE}).")
        int count = 1_000_000;

        @Option(names = "--cpu-count", description = "Simulations timed on the CPU implementations, whose rate is"
                + " what is compared (default: ${DEFAULT-VALUE}).")
        int cpuCount = 20_000;

        @Option(names = "--seed", description = "Seed of the prior draws and the noise (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Integer call() {
            if (count < 1 || cpuCount < 1) throw new IllegalArgumentException("--count and --cpu-count must be >= 1");
            // Every implementation before any timing: an unknown name or a GPU that cannot run was found after the
            // first rows, and a missing GPU ended them with a native-library stack trace.
            List<org.jsbi.simulation.Simulator> sims = new ArrayList<>();
            for (String impl : implementations) {
                String name = impl.trim().toLowerCase(Locale.ROOT);
                try {
                    sims.add(hh(spec.commandLine(), name));
                } catch (BackendUnavailableException e) {
                    throw new BackendUnavailableException(e.getMessage() + leaveOut("--implementations",
                            implementations, name));
                }
            }
            System.out.println("jsbi bench simulate: Hodgkin–Huxley (120 ms, dt 0.01 ms, noise on, 7 features), "
                    + Parallel.threads() + " CPU threads (-Djsbi.threads)");
            System.out.println("| implementation | simulations | seconds | simulations/s | vs "
                    + implementations.get(0) + " |");
            System.out.println("|---|---:|---:|---:|---:|");
            double base = Double.NaN;
            for (int k = 0; k < implementations.size(); k++) {
                String impl = implementations.get(k);
                org.jsbi.simulation.Simulator sim = sims.get(k);
                int n = impl.trim().equalsIgnoreCase("cuda") ? count : cpuCount;
                float[][] draws = org.jsbi.sim.hh.HodgkinHuxley.prior().sample(n, new org.jsbi.random.Rng(seed));
                float[] theta = new float[n * 8];
                for (int i = 0; i < n; i++) System.arraycopy(draws[i], 0, theta, i * 8, 8);
                float[] out = new float[n * 7];
                int warm = Math.min(n, 2048);
                sim.simulate(new org.jsbi.simulation.ParameterBatch(java.util.Arrays.copyOf(theta, warm * 8), warm, 8,
                        0), seed, new float[warm * 7]);
                long t0 = System.nanoTime();
                int chunk = 1 << 18;
                for (int from = 0; from < n; from += chunk) {
                    int m = Math.min(chunk, n - from);
                    float[] part = new float[m * 7];
                    sim.simulate(new org.jsbi.simulation.ParameterBatch(
                            java.util.Arrays.copyOfRange(theta, from * 8, (from + m) * 8), m, 8, from), seed, part);
                    System.arraycopy(part, 0, out, from * 7, m * 7);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                double rate = n / sec;
                if (Double.isNaN(base)) base = rate;
                System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.0f | %.1fx |%n", impl, n, sec, rate, rate / base);
            }
            return 0;
        }

        private static org.jsbi.simulation.Simulator hh(CommandLine cl, String impl) {
            org.jsbi.sim.hh.HodgkinHuxley model = org.jsbi.sim.hh.HodgkinHuxley.withDefaults();
            return switch (impl) {
                case "scalar" -> model.withImplementation(org.jsbi.sim.hh.HodgkinHuxley.Implementation.SCALAR);
                case "simd" -> model;
                case "cuda" -> {
                    requireCuda();
                    yield new org.jsbi.cuda.CudaHodgkinHuxley(model, org.jsbi.cuda.CudaDevice.shared());
                }
                default -> throw new ParameterException(cl, "--implementations are scalar, simd and cuda; got '"
                        + impl + "'");
            };
        }

        /**
         * The CUDA backend's probe, as bench train's --backends cuda gets it through {@link Backends#byName}: where it
         * fails, one line naming why (exit code 1), not the native library's error in the middle of the table.
         */
        private static void requireCuda() {
            BackendProvider cuda = Backends.providers().stream().filter(p -> p.name().equals("cuda")).findFirst()
                    .orElse(null);
            Probe probe = cuda == null ? Probe.no("engine-cuda is not on the class path") : cuda.probe();
            if (!probe.usable()) {
                throw new BackendUnavailableException("implementation 'cuda' is not usable here: " + probe.reason());
            }
        }
    }
}
