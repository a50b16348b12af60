package org.jsbi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.backend.Parallel;
import org.jsbi.io.ModelFormatException;
import org.jsbi.inference.SequentialNpe;
import org.jsbi.io.NpyFormatException;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.sim.channel.PaperDataException;
import org.jsbi.simulation.SimulationStoreException;
import org.jsbi.simulation.StoreListener;
import org.jsbi.validation.InferenceInterruptedException;
import org.jsbi.validation.InsufficientSimulationsException;
import org.jsbi.validation.PyloricCalibration;
import org.jsbi.validation.PyloricCorrelations;
import org.jsbi.validation.PyloricInference;
import org.jsbi.validation.PyloricSimulation;
import org.jsbi.validation.StopOnShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jsbi pyloric}: the paper's stomatogastric pyloric-network example (models/PAPER.md §5) in two steps, so the
 * hours of simulation survive interruptions: {@code simulate} fills a resumable simulation store, {@code infer}
 * trains NPE on its triphasic networks and checks the posterior for the experimental observation, and
 * {@code correlations} gives the paper's marginal and conditional correlations of that posterior.
 */
@Command(name = "pyloric", mixinStandardHelpOptions = true,
        description = {"The stomatogastric pyloric network (31 conductances, 18 rhythm features): simulate the prior"
                + " into a resumable store, infer the posterior for the experimental observation, then analyse it"
                + " (conditional correlations; calibration of a first-round posterior).",
                "A simulated network costs about 20 ms of CPU with AVX-512 (40-70 ms with AVX2); only ~1%% of prior"
                        + " samples are triphasic (the training set), so 100,000 networks give ~900 training rows in"
                        + " about 20 minutes on 2 free cores (40-60 with AVX2)."},
        subcommands = {PyloricCommand.Simulate.class, PyloricCommand.Infer.class, PyloricCommand.Correlations.class,
            PyloricCommand.Calibration.class})
final class PyloricCommand implements Runnable {

    /** Exit code of a run stopped by Ctrl-C (what shells report for SIGINT). */
    static final int EXIT_INTERRUPTED = 130;
    /** Exit code of a clear user-side problem (missing store, too few rows, missing x_o). */
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Simulate N networks drawn from the paper's prior into a simulation store (chunked .npy files"
                    + " with checksums), or resume one. Ctrl-C stops after the chunk in progress and keeps everything"
                    + " finished; the same command resumes, and gives the same data as an uninterrupted run."})
    static final class Simulate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory (created,"
                + " or resumed when it holds a store).")
        Path store;

        @Option(names = "--n", paramLabel = "N", description = "Networks the store holds when complete; required to"
                + " create a store, taken from the store when resuming.")
        Long n;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the prior draws and the noise (default: "
                + PyloricSimulation.DEFAULT_SEED + ", or the store's).")
        Long seed;

        @Option(names = "--chunk", paramLabel = "C", description = "Networks per chunk, the unit written to disk and"
                + " redone after a crash (default: " + PyloricSimulation.DEFAULT_CHUNK + ", or the store's).")
        Integer chunk;

        @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors, or"
                + " -Djsbi.threads); the data do not depend on it.")
        Integer threads;

        @Option(names = "--proposal", paramLabel = "FILE", description = "Draw the networks from the prior truncated"
                + " to a previous round's posterior (truncated-prior.properties, written by 'jsbi pyloric infer'), a"
                + " sequential round (TSNPE); give it again to resume such a store.")
        Path proposal;

        @Option(names = "--progress-seconds", paramLabel = "S", hidden = true, description = "Seconds between progress"
                + " lines (default: ${DEFAULT-VALUE}).")
        double progressSeconds = 5;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            if (n != null && n < 1) throw new ParameterException(cl, "--n must be at least 1, got " + n);
            if (chunk != null && chunk < 1) throw new ParameterException(cl, "--chunk must be at least 1, got " + chunk);
            checkThreads(cl, threads);
            if (!(progressSeconds >= 0)) throw new ParameterException(cl, "--progress-seconds must be >= 0");
            PrintWriter out = cl.getOut(), err = cl.getErr();
            int threadsBefore = Parallel.threads();
            if (threads != null) Parallel.setThreads(threads);
            try (StopOnShutdown stop = stopOnCtrlC(err)) {
                PyloricSimulation.Result r = PyloricSimulation.run(
                        new PyloricSimulation.Settings(store, n, seed, chunk, proposal), out, progressSeconds,
                        StoreListener.NONE);
                if (r.run().interrupted() && !r.run().complete()) return EXIT_INTERRUPTED;
                if (!r.run().complete()) return 1;
                out.println(String.format(Locale.ROOT, "next: jsbi pyloric infer --store %s --out %s-posterior", store,
                        store));
                out.flush();
                return 0;
            } catch (SimulationStoreException | IllegalArgumentException e) {
                return usageError(err, e);
            } finally {
                if (threads != null) Parallel.setThreads(threadsBefore);
            }
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = {"Train NPE (MAF, 5 transforms x 3 hidden layers of 100, as the paper) on the triphasic"
                    + " networks of one or more stores (x = the 18 features), sample the posterior for the experimental"
                    + " x_o, and run the paper's posterior predictive check (posterior against factorised posterior).",
                    "Writes posterior.npy, posterior-maf.jsbi, the check's .npy files and summary.md to --out, through"
                            + " --out/" + PyloricInference.STAGING_DIR + ": nothing there is replaced until the run has"
                            + " succeeded, so a failed or interrupted rerun keeps the earlier results."})
    static final class Infer implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--store", required = true, paramLabel = "DIR", description = "A store made by 'jsbi pyloric"
                + " simulate'; repeat to pool stores made with different seeds.")
        List<Path> stores;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
        Path out;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of training, sampling and the check's"
                + " simulations (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--samples", paramLabel = "N", description = "Posterior samples (default: ${DEFAULT-VALUE}).")
        int samples = 10_000;

        @Option(names = "--threshold-samples", paramLabel = "N", description = "Posterior samples whose log-density"
                + " sets the next round's proposal threshold (default: ${DEFAULT-VALUE}, as TSNPE; fewer than 10,000"
                + " cannot resolve its 1e-4 quantile).")
        int thresholdSamples = SequentialNpe.DEFAULT_THRESHOLD_SAMPLES;

        @Option(names = "--ppc", paramLabel = "N", description = "Samples simulated for the predictive check, of the"
                + " posterior and of its factorised version each (default: ${DEFAULT-VALUE}, as the paper).")
        int ppc = 500;

        @Option(names = "--max-epochs", paramLabel = "E", description = "Upper bound on training epochs"
                + " (default: ${DEFAULT-VALUE}).")
        int maxEpochs = 1_000;

        @Option(names = "--batch-size", paramLabel = "B", description = "Training batch (default: ${DEFAULT-VALUE},"
                + " the paper's).")
        int batchSize = PyloricInference.DEFAULT_BATCH;

        @Option(names = "--time-limit", paramLabel = "S", description = "Seconds posterior sampling may take before it"
                + " gives up (a flow that puts almost all its mass outside the prior; default: ${DEFAULT-VALUE}).")
        double timeLimit = 600;

        @Option(names = "--min-triphasic", paramLabel = "K", description = "Fewest triphasic networks to train on"
                + " (default: ${DEFAULT-VALUE}; the paper had 174,000).")
        int minTriphasic = PyloricInference.DEFAULT_MIN_TRIPHASIC;

        @Option(names = "--xo", paramLabel = "CSV", description = "The observation (index,summary_statistic,value,unit;"
                + " 18 rows); default: the paper's, shared/paper-data/stg/" + PyloricInference.XO_FILE + ".")
        Path xo;

        @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors).")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            if (samples < 1) throw new ParameterException(cl, "--samples must be at least 1, got " + samples);
            if (ppc < 1) throw new ParameterException(cl, "--ppc must be at least 1, got " + ppc);
            if (thresholdSamples < PyloricInference.MIN_THRESHOLD_SAMPLES) {
                throw new ParameterException(cl, "--threshold-samples must be at least "
                        + PyloricInference.MIN_THRESHOLD_SAMPLES + ", got " + thresholdSamples);
            }
            if (ppc > samples) {
                throw new ParameterException(cl, "--ppc (" + ppc + ") must not exceed --samples (" + samples + ")");
            }
            if (maxEpochs < 1) throw new ParameterException(cl, "--max-epochs must be at least 1, got " + maxEpochs);
            if (batchSize < 1) throw new ParameterException(cl, "--batch-size must be at least 1, got " + batchSize);
            if (minTriphasic < 2) {
                throw new ParameterException(cl, "--min-triphasic must be at least 2, got " + minTriphasic);
            }
            checkThreads(cl, threads);
            if (!(timeLimit > 0)) throw new ParameterException(cl, "--time-limit must be > 0 s, got " + timeLimit);
            PrintWriter o = cl.getOut(), err = cl.getErr();
            int threadsBefore = Parallel.threads();
            if (threads != null) Parallel.setThreads(threads);
            // Ctrl-C or SIGTERM interrupts the run: a training stops keeping its best weights, which are saved in
            // the staging folder; the earlier results stay. Caught inside the hook, which lets the JVM exit once closed.
            try (StopOnShutdown stop = stopOnCtrlC(err, "stopping: the training epoch (or sampling, or check) in"
                    + " progress ends, then the flow trained so far is saved (kill -9 would lose it) ...")) {
                PyloricInference.Settings s = PyloricInference.Settings.defaults(stores, out).withObservation(xo)
                        .withSeed(seed).withSamples(samples).withPpc(ppc).withMaxEpochs(maxEpochs)
                        .withBatchSize(batchSize).withMinTriphasic(minTriphasic).withThresholdSamples(thresholdSamples)
                        .withPosterior(PosteriorConfig.defaults().withTimeLimitSeconds(timeLimit));
                try {
                    PyloricInference.Result r = PyloricInference.run(s, o);
                    printSummary(o, r.summary(), out);
                    return 0;
                } catch (InferenceInterruptedException e) {
                    err.println("jsbi pyloric: " + e.getMessage());
                    err.flush();
                    return EXIT_INTERRUPTED;
                } catch (RuntimeException e) {
                    // After the training, an interrupt stops sampling, the threshold or the check with their own
                    // exceptions; the flow is in the staging folder either way.
                    if (!stop.triggered() && !Thread.currentThread().isInterrupted()) throw e;
                    err.println("jsbi pyloric: interrupted (" + e.getMessage() + "); the trained flow is in "
                            + out.resolve(PyloricInference.STAGING_DIR) + ", and the earlier results in " + out
                            + " stay as they are");
                    err.flush();
                    return EXIT_INTERRUPTED;
                }
            } catch (SimulationStoreException | InsufficientSimulationsException | PaperDataException
                     | SamplingIncompleteException | IllegalArgumentException e) {
                return usageError(err, e);
            } finally {
                if (threads != null) Parallel.setThreads(threadsBefore);
            }
        }
    }

    @Command(name = "correlations", mixinStandardHelpOptions = true,
            description = {"The paper's correlation analysis of a posterior written by 'infer': marginal correlations"
                    + " over its samples, and conditional correlations of parameter pairs (the pair's 2-D posterior"
                    + " density on a grid over the prior's box, the other 29 parameters fixed at a posterior sample,"
                    + " averaged over samples).",
                    "Writes correlations.md, marginal-correlations.npy and conditional-correlations.csv into the"
                            + " posterior's directory (after Ctrl-C: correlations.partial.md and"
                            + " conditional-correlations.partial.csv, so a complete run's tables stay). The paper's"
                            + " 10 pairs at its 500 samples x 50 x 50 grids take about 12.5 million flow evaluations"
                            + " (a few minutes on 2 cores)."})
    static final class Correlations implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--posterior", required = true, paramLabel = "DIR", description = "An output directory of"
                + " 'jsbi pyloric infer' (posterior-maf.jsbi and posterior.npy).")
        Path posterior;

        @Option(names = "--pairs", paramLabel = "SPEC", description = "'paper' (the 10 pairs of the paper's Fig. 6e),"
                + " 'all' (465), or a list i:j,... of 0-based indices or parameter names such as LP_A:LP_H"
                + " (default: ${DEFAULT-VALUE}).")
        String pairs = "paper";

        @Option(names = "--conditions", paramLabel = "N", description = "Posterior samples to condition on, the first"
                + " of posterior.npy (default: ${DEFAULT-VALUE}, as the paper).")
        int conditions = PyloricCorrelations.PAPER_CONDITIONS;

        @Option(names = "--resolution", paramLabel = "R", description = "Grid points per axis (default:"
                + " ${DEFAULT-VALUE}, as the paper).")
        int resolution = PyloricCorrelations.PAPER_RESOLUTION;

        @Option(names = "--xo", paramLabel = "CSV", description = "The observation; default: the one the posterior's"
                + " truncated-prior.properties records, else the paper's.")
        Path xo;

        @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors).")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            if (conditions < 1) throw new ParameterException(cl, "--conditions must be at least 1, got " + conditions);
            if (resolution < 2 || resolution > 200) {
                throw new ParameterException(cl, "--resolution must be 2..200, got " + resolution);
            }
            checkThreads(cl, threads);
            int[][] pairList;
            try {
                pairList = PyloricCorrelations.parsePairs(pairs);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, "--pairs: " + e.getMessage());
            }
            PrintWriter o = cl.getOut(), err = cl.getErr();
            int threadsBefore = Parallel.threads();
            if (threads != null) Parallel.setThreads(threads);
            try (StopOnShutdown stop = stopOnCtrlC(err)) {
                PyloricCorrelations.Result r = PyloricCorrelations.run(new PyloricCorrelations.Settings(posterior, xo,
                        conditions, pairList, resolution), o);
                printSummary(o, r.summary(), r.summaryFile());
                return r.conditional().complete() ? 0 : EXIT_INTERRUPTED;
            } catch (PaperDataException | IllegalArgumentException | ModelFormatException | NpyFormatException e) {
                return usageError(err, e);
            } finally {
                if (threads != null) Parallel.setThreads(threadsBefore);
            }
        }
    }

    @Command(name = "calibration", mixinStandardHelpOptions = true,
            description = {"Simulation-based calibration of a first-round (amortized) posterior written by 'infer':"
                    + " rank the true parameters of held-out triphasic networks among posterior samples for their"
                    + " features, and measure the coverage of the posterior's highest-density regions.",
                    "The test networks come from prior stores the posterior was not trained on (a store made with"
                            + " another seed). Writes calibration.md into the posterior's directory (after Ctrl-C:"
                            + " calibration.partial.md, so a complete run's report stays)."})
    static final class Calibration implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--posterior", required = true, paramLabel = "DIR", description = "An output directory of"
                + " 'jsbi pyloric infer' trained on prior stores only.")
        Path posterior;

        @Option(names = "--store", required = true, paramLabel = "DIR", description = "A prior store made by 'jsbi"
                + " pyloric simulate' with a seed the posterior did not use; repeat to pool.")
        List<Path> stores;

        @Option(names = "--tests", paramLabel = "N", description = "Most test networks (default: ${DEFAULT-VALUE}).")
        int tests = 1_000;

        @Option(names = "--samples", paramLabel = "L", description = "Posterior samples per test (default:"
                + " ${DEFAULT-VALUE}).")
        int samples = 1_000;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the posterior samples (default:"
                + " ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all processors).")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            if (tests < 1) throw new ParameterException(cl, "--tests must be at least 1, got " + tests);
            if (samples < 1) throw new ParameterException(cl, "--samples must be at least 1, got " + samples);
            checkThreads(cl, threads);
            PrintWriter o = cl.getOut(), err = cl.getErr();
            int threadsBefore = Parallel.threads();
            if (threads != null) Parallel.setThreads(threads);
            try (StopOnShutdown stop = stopOnCtrlC(err)) {
                PyloricCalibration.Result r;
                try {
                    r = PyloricCalibration.run(new PyloricCalibration.Settings(posterior, stores, tests, samples, seed),
                            o);
                } catch (IllegalArgumentException e) {
                    if (!stop.triggered() && !Thread.currentThread().isInterrupted()) throw e;
                    // Stopped before a first test was ranked: no report to write, and an interrupt, not a usage error.
                    err.println("jsbi pyloric: " + e.getMessage() + "; nothing was written");
                    err.flush();
                    return EXIT_INTERRUPTED;
                }
                printSummary(o, r.summary(), r.summaryFile());
                return stop.triggered() || !r.complete() ? EXIT_INTERRUPTED : 0;
            } catch (SimulationStoreException | IllegalArgumentException | ModelFormatException e) {
                return usageError(err, e);
            } finally {
                if (threads != null) Parallel.setThreads(threadsBefore);
            }
        }
    }

    private static void checkThreads(CommandLine cl, Integer threads) {
        if (threads != null && threads < 1) {
            throw new ParameterException(cl, "--threads must be at least 1, got " + threads);
        }
    }

    /** The run's summary after a blank line, and where it was written. */
    private static void printSummary(PrintWriter o, String summary, Path written) {
        o.println();
        o.print(summary);
        o.println();
        o.println("written to " + written.toAbsolutePath());
        o.flush();
    }

    /** Ctrl-C and SIGTERM interrupt the run on this thread, which finishes its unit of work; the notice goes to err. */
    private static StopOnShutdown stopOnCtrlC(PrintWriter err) {
        return stopOnCtrlC(err, StopOnShutdown.CHUNK_MESSAGE);
    }

    /** As {@link #stopOnCtrlC(PrintWriter)}, the notice saying what the run does with its work in progress. */
    private static StopOnShutdown stopOnCtrlC(PrintWriter err, String stopping) {
        return StopOnShutdown.install(msg -> {
            err.println(msg);
            err.flush();
        }, stopping);
    }

    private static int usageError(PrintWriter err, Exception e) {
        err.println("jsbi pyloric: " + e.getMessage());
        err.flush();
        return EXIT_USAGE;
    }
}
