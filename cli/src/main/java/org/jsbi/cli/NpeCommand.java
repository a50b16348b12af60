package org.jsbi.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.diagnostics.ParameterRanges;
import org.jsbi.dist.PriorEntries;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.inference.SequentialNpe;
import org.jsbi.io.Npy;
import org.jsbi.plot.PairPlot;
import org.jsbi.plot.SbcPlot;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.simulation.SimulationInterruptedException;
import org.jsbi.simulation.SimulationListener;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingHistory;
import org.jsbi.train.TrainingListener;
import org.jsbi.validation.C2st;
import org.jsbi.validation.C2stInterruptedException;
import org.jsbi.validation.CalibrationCheck;
import org.jsbi.validation.PredictiveCheck;
import org.jsbi.validation.ProgressLines;
import org.jsbi.validation.ReferenceData;
import org.jsbi.validation.ReferenceTask;
import org.jsbi.validation.StopOnShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jsbi npe}: a whole inference on a benchmark task — simulate from the prior, train, sample the posterior for
 * one of the reference observations, and score it against the reference posterior.
 */
@Command(name = "npe", mixinStandardHelpOptions = true,
        description = "Neural posterior estimation on a built-in benchmark task: simulate, train, sample, and score "
                + "the posterior against the task's reference posterior (C2ST).")
final class NpeCommand implements Callable<Integer> {

    @Option(names = "--task", description = "Benchmark task (default: ${DEFAULT-VALUE}); one of: two_moons, "
            + "gaussian_linear, gaussian_linear_uniform, slcp, bernoulli_glm, sir, lotka_volterra, and without "
            + "reference data slcp_distractors, bernoulli_glm_raw, gaussian_mixture.")
    String task = "two_moons";

    @Option(names = "--estimator", description = "maf or mdn (default: ${DEFAULT-VALUE}).")
    String estimator = "maf";

    @Option(names = "--simulations", description = "Simulation budget (default: ${DEFAULT-VALUE}).")
    int simulations = 10_000;

    @Option(names = "--observation", description = "Reference observation, 1 to 10 (default: ${DEFAULT-VALUE}).")
    int observation = 1;

    @Option(names = "--samples", description = "Posterior samples (default: ${DEFAULT-VALUE}; at least "
            + MIN_SAMPLES + "). The C2ST compares them with as many reference samples, up to the 10,000 there are.")
    int samples = 10_000;

    /**
     * The fewest posterior samples npe takes: the C2ST cuts the posterior and reference samples into 5 folds and trains
     * a classifier on each, and the summary's standard deviation needs two. Fewer gave an index error after the whole
     * training, or a "± NaN".
     */
    static final int MIN_SAMPLES = 5;

    @Option(names = "--seed", description = "Seed of simulation, training and sampling (default: ${DEFAULT-VALUE}).")
    long seed = 1L;

    @Option(names = "--max-epochs", description = "Upper bound on training epochs (default: ${DEFAULT-VALUE}).")
    int maxEpochs = 1_000;

    @Option(names = "--stop-after-epochs", paramLabel = "E", description = "Stop training after E epochs without"
            + " improvement of the validation loss, keeping the best weights (default: ${DEFAULT-VALUE}, sbi's)."
            + " An MDN can sit on a plateau for longer than that before it improves: raise E when its validation"
            + " loss stalls early (docs: validation/RESULTS.md).")
    int stopAfterEpochs = NpeConfig.defaults().training().stopAfterEpochs();

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", description = "Sequential rounds for this observation (default: ${DEFAULT-VALUE},"
            + " amortized NPE). With R > 1 the simulations are split evenly over R rounds, each drawn from the prior"
            + " truncated to the previous round's posterior (TSNPE).")
    int rounds = 1;

    // A string, not a Path: Path drops the trailing slash of "--out results/", which names a folder.
    @Option(names = "--out", paramLabel = "FILE", description = "Write the posterior samples to this CSV file"
            + " (its folder is created; an existing file is replaced).")
    String out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the posterior samples' pair plot"
            + " (histograms on the diagonal, 2-D histograms above it; the true θ marked in red) as a PNG.")
    String plot;

    /** --plot's checked file, or null. */
    private Path plotFile;

    @Option(names = "--save-posterior", paramLabel = "FILE", description = "Save the trained posterior (estimator,"
            + " prior and sampling settings) to this file, to sample or score it later without training again:"
            + " DirectPosterior.load(path, backend) in Java.")
    String savePosterior;

    @Option(names = "--sbc", paramLabel = "N", description = "Also run simulation-based calibration of the amortized"
            + " posterior on N fresh simulations from the prior: rank tests per parameter and the expected coverage of"
            + " its highest-density regions (default: ${DEFAULT-VALUE}, off).")
    int sbc = 0;

    @Option(names = "--sbc-samples", paramLabel = "L", description = "Posterior samples per calibration test"
            + " (default: ${DEFAULT-VALUE}).")
    int sbcSamples = 1_000;

    @Option(names = "--sbc-plot", paramLabel = "FILE.png", description = "Draw the calibration (with --sbc): each"
            + " parameter's rank histogram in the band of a calibrated posterior, and the expected coverage against"
            + " the credibility level.")
    String sbcPlot;

    /** --sbc-plot's checked file, or null. */
    private Path sbcPlotFile;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        BenchmarkTask t = BenchmarkTasks.byName(task);
        ReferenceTask refTask = null;
        for (ReferenceTask rt : ReferenceTask.values()) {
            if (rt.id().equals(t.name())) refTask = rt;
        }
        if (refTask == null) {
            throw new IllegalArgumentException("task " + t.name() + " has no reference observations; choose one of the "
                    + "seven tasks with reference data");
        }
        ReferenceData reference = ReferenceData.locate();
        float[] xo = reference.observation(refTask, observation);
        // Before any simulation: a bad --out found after the training lost the samples it was to hold.
        Path outFile = out == null ? null : writableFile(spec.commandLine(), "--out", out, "posterior.csv");
        Path posteriorFile = savePosterior == null ? null
                : writableFile(spec.commandLine(), "--save-posterior", savePosterior, "posterior.jsbi");
        plotFile = plot == null ? null : SampleCommand.plotFile(spec.commandLine(), plot);
        sbcPlotFile = sbcPlot == null ? null : SampleCommand.plotFile(spec.commandLine(), sbcPlot);
        distinctOutputs(spec.commandLine(), new String[] {"--out", "--save-posterior", "--plot", "--sbc-plot"},
                new Path[] {outFile, posteriorFile, plotFile, sbcPlotFile});
        if (plotFile != null || sbcPlotFile != null) PairPlot.checkCanDraw();
        if (posteriorFile != null && !PriorEntries.canWrite(t.prior())) {
            throw new ParameterException(spec.commandLine(), "--save-posterior: " + t.name() + "'s prior ("
                    + t.prior().describe() + ") cannot be written to a file");
        }
        NpeConfig cfg = NpeConfig.defaults()
                .withEstimator(estimator.equals("maf") ? EstimatorFactory.maf() : EstimatorFactory.mdn())
                .withTraining(NpeConfig.defaults().training().withSeed(seed).withMaxEpochs(maxEpochs)
                        .withStopAfterEpochs(stopAfterEpochs));
        // What Npe and SequentialNpe train on: on a GPU machine the host's backend at this batch size, unless
        // -Djsbi.backend names one.
        Backend trainOn = Backends.forTraining(cfg.training().batchSize());
        System.out.printf(Locale.ROOT, "jsbi npe: %s (θ %d-D, x %d-D), %s, %,d simulations, observation %d; backend %s, "
                        + "%d threads%n", t.name(), t.parameterDim(), t.dataDim(), estimator.toUpperCase(Locale.ROOT),
                simulations, observation, trainOn.name(), Parallel.threads());
        if (!trainOn.splitsWorkOverHostThreads()) {
            System.out.println("note: on a GPU, training pays off for wide batches (10,000 and more); at the default"
                    + " batch of 200 the CPU backend is faster (leave -Djsbi.backend unset, or set it to simd)");
        }
        SimulationListener simLog = (done, total, nonFinite, sec) -> {
            if (done == total) {
                System.out.printf(Locale.ROOT, "simulated %,d in %.2f s (%,.0f /s), %d with non-finite data%n",
                        done, sec, done / Math.max(sec, 1e-9), nonFinite);
            }
        };
        TrainingListener trainLog = epochLines(System.out);
        // Ctrl-C or SIGTERM interrupts this thread instead of ending the JVM at once: the simulation, training or
        // sampling in progress stops, and what was finished is saved and reported before the hook is released
        // (closed), which lets the JVM exit; so the interrupt is caught inside, not after, the try-with-resources.
        try (StopOnShutdown stop = StopOnShutdown.install(System.err::println, "stopping: the simulation, training"
                + " epoch, sampling or check in progress ends, then what was finished is saved (kill -9 would lose it)"
                + " ...")) {
            try {
                return run(t, refTask, reference, xo, outFile, posteriorFile, cfg, simLog, trainLog);
            } catch (SimulationInterruptedException e) {
                // Its "kept" simulations live in this JVM only: npe keeps nothing it has not trained on.
                System.out.println("interrupted before the first training epoch finished; nothing was saved, npe"
                        + " starts over when run again");
                return EXIT_INTERRUPTED;
            }
        }
    }

    /** A training's progress as npe and train print it: epoch 1, then every tenth. */
    static TrainingListener epochLines(java.io.PrintStream o) {
        return (epoch, train, val, best, since, sec) -> {
            if (epoch == 1 || epoch % 10 == 0) {
                o.printf(Locale.ROOT, "  epoch %4d  train %.4f  validation %.4f  best %.4f  (%.0f ms/epoch)%n",
                        epoch, train, val, best, sec * 1e3);
            }
        };
    }

    /** How a training ended, as npe and train print it. */
    static String trainedLine(TrainingHistory h, double seconds, int stopAfterEpochs) {
        String why = switch (h.stopReason()) {
            case CONVERGED -> "no improvement for " + epochs(stopAfterEpochs);
            case MAX_EPOCHS -> "--max-epochs reached";
            case DIVERGED -> "the loss diverged; the best epoch's weights were kept";
            case INTERRUPTED -> "interrupted";
        };
        return String.format(Locale.ROOT, "trained %s in %.1f s (%s); best validation loss %.4f at epoch %d",
                epochs(h.epochs()), seconds, why, h.bestValidationLoss(), h.bestEpoch());
    }

    /** "1 epoch", "2 epochs". */
    static String epochs(int n) {
        return n + (n == 1 ? " epoch" : " epochs");
    }

    /** Exit code of a run stopped by Ctrl-C or SIGTERM, as pyloric's (the JVM itself exits with 128 + the signal). */
    static final int EXIT_INTERRUPTED = PyloricCommand.EXIT_INTERRUPTED;

    private Integer run(BenchmarkTask t, ReferenceTask refTask, ReferenceData reference, float[] xo, Path outFile,
                        Path posteriorFile, NpeConfig cfg, SimulationListener simLog, TrainingListener trainLog)
            throws IOException {
        DirectPosterior posterior;
        NpeResult r;
        if (rounds == 1) {
            r = new Npe(cfg).run(t.simulator(), t.prior(), simulations, seed, simLog, trainLog);
            posterior = r.posterior(t.prior());
        } else {
            SequentialNpe.Result seq = new SequentialNpe(cfg).run(t.simulator(), t.prior(), xo,
                    SequentialNpe.evenRounds(simulations, rounds), seed, simLog, trainLog);
            for (SequentialNpe.Round rd : seq.rounds()) {
                System.out.printf(Locale.ROOT, "round %d: %,d simulations from %s, %s on %,d rows%n", rd.round(),
                        rd.simulations(), rd.round() == 0 ? "the prior" : String.format(Locale.ROOT, "the prior truncated"
                                + " to log q >= %.4g (%.3g%% of its mass)", rd.threshold(), 100 * rd.regionMass()),
                        epochs(rd.epochs()), rd.trainingRows());
            }
            if (seq.interrupted()) {
                // As for one round: report what was done; the sampling below then stops on the same interrupt.
                System.out.printf(Locale.ROOT, "interrupted after %d of %d rounds (%,d simulations, %,d trained on);"
                        + " the posterior is round %d's%n", seq.rounds().size(), rounds, seq.simulations().simulated(),
                        seq.rounds().getLast().trainingRows(), seq.rounds().size() - 1);
            }
            if (!seq.proposalFailure().isEmpty()) {
                System.out.printf(Locale.ROOT, "stopped after %d of %d rounds: %s%nthe posterior is round %d's%n",
                        seq.rounds().size(), rounds, seq.proposalFailure(), seq.rounds().size() - 1);
            }
            r = seq.last();
            posterior = seq.posterior();
        }
        System.out.println(trainedLine(r.trained().history(), r.trainingSeconds(), stopAfterEpochs));
        if (posteriorFile != null) {
            // Before sampling: an interrupt there must not lose the training.
            posterior.withSimulator(t.simulator().name()).withParameterNames(t.parameterNames()).save(posteriorFile);
            System.out.println("posterior saved to " + posteriorFile + " (load it with DirectPosterior.load)");
        }
        if (Thread.currentThread().isInterrupted()) {
            System.out.println(posteriorFile == null
                    ? "interrupted: stopped before sampling; npe starts over when run again (--save-posterior keeps"
                            + " what a training reached)"
                    : "interrupted: stopped before sampling; the posterior trained so far is in " + posteriorFile);
            return EXIT_INTERRUPTED;
        }

        long t0 = System.nanoTime();
        float[][] draws;
        try {
            draws = posterior.sample(samples, xo, seed);
        } catch (SamplingIncompleteException e) {
            if (!e.interrupted()) throw e;
            System.out.println("interrupted while sampling (" + e.getMessage() + ")"
                    + (posteriorFile == null ? "" : "; the posterior is in " + posteriorFile));
            return EXIT_INTERRUPTED;
        }
        double sampleSeconds = (System.nanoTime() - t0) * 1e-9;
        System.out.printf(Locale.ROOT, "sampled %,d posterior draws in %.2f s (acceptance inside the prior %.3f)%n",
                draws.length, sampleSeconds, posterior.acceptanceRate(xo));
        if (outFile != null) {
            // At once: an interrupt in the checks below must not lose the samples.
            writeCsv(outFile, draws);
            System.out.println("posterior samples written to " + outFile);
        }

        describe("posterior", draws);
        float[][] ref = reference.referenceSamples(refTask, observation);
        describe("reference", ref);
        float[] truth = reference.trueParameters(refTask, observation);
        System.out.println("true θ:           " + row(truth));
        if (plotFile != null) {
            double[][] range = ParameterRanges.of(t.prior(), draws);
            for (int j = 0; j < truth.length; j++) {
                // A posterior that misses the truth still shows where the truth is.
                double w = range[1][j] - range[0][j];
                range[0][j] = Math.min(range[0][j], truth[j] - 0.05 * w);
                range[1][j] = Math.max(range[1][j], truth[j] + 0.05 * w);
            }
            PairPlot.writePng(draws, PairPlot.Options.of(range[0], range[1]).withMarker(truth)
                    .withLabels(t.parameterNames().toArray(String[]::new)), plotFile);
            System.out.println("pair plot written to " + plotFile + " (the true θ marked in red)");
        }

        // The checks below score what is saved; after Ctrl-C they would only delay the exit (the C2ST by seconds).
        if (Thread.currentThread().isInterrupted()) return skippedChecks(false, outFile, posteriorFile);
        long t1 = System.nanoTime();
        int compared = Math.min(ref.length, draws.length);
        double c2st;
        try {
            c2st = C2st.accuracyOnEqualCounts(ref, draws);
        } catch (C2stInterruptedException e) {
            return skippedChecks(false, outFile, posteriorFile);
        }
        System.out.printf(Locale.ROOT, "C2ST against the reference posterior: %.3f (0.5 = indistinguishable; %,d"
                + " samples of each; %.1f s)%n", c2st, compared, (System.nanoTime() - t1) * 1e-9);
        if (Thread.currentThread().isInterrupted()) return skippedChecks(true, outFile, posteriorFile);
        float[][] predictive = Arrays.copyOf(draws, Math.min(1_000, draws.length));
        System.out.printf(Locale.ROOT, "posterior predictive: median distance of simulated data to the observation %.4g%n",
                PredictiveCheck.medianDistance(t.simulator(), predictive, xo, seed + 1));
        if (sbc > 0) {
            System.out.printf(Locale.ROOT, "calibration: simulating %,d test pairs from the prior, %,d posterior samples"
                    + " each ...%n", sbc, sbcSamples);
            PrintWriter progress = new PrintWriter(System.out, true);
            CalibrationCheck.Report cal;
            try {
                cal = CalibrationCheck.run(t.simulator(), t.prior(), posterior, sbc, sbcSamples, seed,
                        ProgressLines.every10Seconds(progress, "tests sampled"));
            } catch (SimulationInterruptedException | IllegalArgumentException e) {
                // Stopped in its simulations or before its first test: nothing to report, and an interrupt, not bad
                // input (the check says "interrupted before its first test" as an IllegalArgumentException).
                if (!Thread.currentThread().isInterrupted()) throw e;
                System.out.println("interrupted in the calibration check before its first test: no calibration to"
                        + " report" + (outFile == null ? "" : "; the samples are in " + outFile)
                        + (posteriorFile == null ? "" : "; the posterior is in " + posteriorFile));
                return EXIT_INTERRUPTED;
            }
            System.out.print(cal.text());
            if (sbcPlotFile != null && cal.result().tests() > 0) {
                SbcPlot.writePng(cal.result(), t.parameterNames().toArray(String[]::new), sbcPlotFile);
                System.out.println("calibration drawn to " + sbcPlotFile);
            }
        }
        return Thread.currentThread().isInterrupted() ? EXIT_INTERRUPTED : 0;
    }

    /**
     * Ends a run interrupted after sampling: says which checks were skipped and where the samples and the posterior
     * are, if they were asked for (both were written before the checks began).
     */
    private int skippedChecks(boolean c2stDone, Path outFile, Path posteriorFile) {
        List<String> skipped = new ArrayList<>();
        if (!c2stDone) skipped.add("the C2ST");
        skipped.add("the predictive check");
        if (sbc > 0) skipped.add("the calibration check");
        String checks = skipped.size() == 1 ? skipped.get(0)
                : String.join(", ", skipped.subList(0, skipped.size() - 1)) + " and " + skipped.getLast();
        StringBuilder kept = new StringBuilder();
        if (outFile != null) kept.append("; the samples are in ").append(outFile);
        if (posteriorFile != null) kept.append("; the posterior is in ").append(posteriorFile);
        System.out.println("interrupted after sampling: skipped " + checks + kept);
        return EXIT_INTERRUPTED;
    }

    /** The option checks that need no data; each failure is an option error (exit code 2) before any work. */
    private void checkOptions() {
        if (simulations < 1) {
            throw new ParameterException(spec.commandLine(), "--simulations must be at least 1, got " + simulations);
        }
        if (rounds < 1 || rounds > simulations) {
            throw new ParameterException(spec.commandLine(), "--rounds must be between 1 and --simulations ("
                    + simulations + "), got " + rounds);
        }
        if (stopAfterEpochs < 1) {
            throw new ParameterException(spec.commandLine(), "--stop-after-epochs must be at least 1, got "
                    + stopAfterEpochs);
        }
        if (maxEpochs < 1) {
            throw new ParameterException(spec.commandLine(), "--max-epochs must be at least 1, got " + maxEpochs);
        }
        if (samples < MIN_SAMPLES) {
            throw new ParameterException(spec.commandLine(), "--samples must be at least " + MIN_SAMPLES + ", got "
                    + samples + ": the C2ST trains a classifier on each of 5 folds of the samples, and the summary"
                    + " gives their standard deviation");
        }
        if (sbc < 0) throw new ParameterException(spec.commandLine(), "--sbc must be >= 0, got " + sbc);
        if (sbcPlot != null && sbc == 0) {
            throw new ParameterException(spec.commandLine(), "--sbc-plot draws the calibration check; give --sbc N"
                    + " (say 200) with it");
        }
        if (sbcSamples < 1) {
            throw new ParameterException(spec.commandLine(), "--sbc-samples must be at least 1, got " + sbcSamples);
        }
        if (sbc > 0 && rounds > 1) {
            throw new ParameterException(spec.commandLine(), "--sbc checks an amortized posterior over the prior's"
                    + " data; a sequential posterior (--rounds " + rounds + ") is trained for one observation only."
                    + " Use --rounds 1 with --sbc");
        }
        if (!estimator.equals("maf") && !estimator.equals("mdn")) {
            throw new IllegalArgumentException("--estimator must be maf or mdn, got '" + estimator + "'");
        }
        checkBudgetFillsABatch();
    }

    /**
     * The first round's share of --simulations (all of them with one round) must fill one training batch after the
     * validation hold-out; later rounds train on every round so far. The trainer refuses less too, but only after the
     * simulations, and its advice to lower the batch size names an option npe does not have.
     */
    private void checkBudgetFillsABatch() {
        TrainingConfig training = NpeConfig.defaults().training();
        int needed = Trainer.minimumSimulations(training);
        int firstRound = SequentialNpe.evenRounds(simulations, rounds)[0];
        if (firstRound >= needed) return;
        String budget = rounds == 1 ? "--simulations " + simulations
                : "--simulations " + simulations + " over " + rounds + " rounds (" + firstRound + " in the first)";
        String advice = rounds == 1 ? "use --simulations " + needed + " or more"
                : "use --simulations " + (long) needed * rounds + " or more, or fewer --rounds";
        throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "%s is too few to train on: after"
                + " holding out %.0f%% for validation, one training batch of %d needs %d simulations%s; %s", budget,
                100 * training.validationFraction(), training.batchSize(), needed, rounds == 1 ? "" : " a round",
                advice));
    }

    private static void describe(String label, float[][] s) {
        int d = s[0].length;
        double[] mean = new double[d], sd = new double[d];
        for (float[] r : s) {
            for (int j = 0; j < d; j++) mean[j] += r[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= s.length;
        for (float[] r : s) {
            for (int j = 0; j < d; j++) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < d; j++) {
            sb.append(String.format(Locale.ROOT, "%s%.3f ± %.3f", j == 0 ? "" : ", ", mean[j], Math.sqrt(sd[j] / (s.length - 1))));
        }
        System.out.printf("%-17s %s%n", label + " mean ± sd:", sb);
    }

    private static String row(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < v.length; j++) sb.append(String.format(Locale.ROOT, "%s%.3f", j == 0 ? "" : ", ", v[j]));
        return sb.toString();
    }

    /**
     * The absolute path a file option (--out, --save-posterior) names, checked before any work: not a folder, its
     * folder created, and a file creatable there (a trial file, deleted at once). Any failure is an option error;
     * {@code example} is the file name a folder given instead is told to append.
     */
    static Path writableFile(CommandLine cl, String option, String value, String example) {
        if (value.isBlank()) throw new ParameterException(cl, option + " is empty; give the file to write");
        Path path;
        try {
            path = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ParameterException(cl, option + " " + value + " is not a usable file name: " + e.getMessage());
        }
        if (value.endsWith("/") || value.endsWith(File.separator) || Files.isDirectory(path)) {
            throw new ParameterException(cl, option + " " + value + " names a folder; give a file in it, e.g. " + option
                    + " " + path.resolve(example));
        }
        Path dir = path.getParent();
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, "." + path.getFileName(), ".tmp"));
        } catch (IOException e) {
            throw new ParameterException(cl, option + " " + value + ": cannot write a file in " + dir + " ("
                    + ErrorReport.message(e) + "); choose a folder you can write to");
        }
        return path;
    }

    /** A description cut to one readable line (a 10-D Gaussian prior's covariance ran to 2 KB). */
    static String shortDescription(String text) {
        return text.length() <= 160 ? text : text.substring(0, 157) + "...";
    }

    /**
     * Refuses two outputs of one command in the same file ({@code options[k]} names {@code files[k]}; null files are
     * options not given): the later would silently replace the earlier, the samples with a figure, say.
     */
    static void distinctOutputs(CommandLine cl, String[] options, Path[] files) {
        for (int a = 0; a < files.length; a++) {
            for (int b = a + 1; b < files.length; b++) {
                if (files[a] != null && files[a].equals(files[b])) {
                    throw new ParameterException(cl, options[a] + " and " + options[b] + " are the same file, "
                            + files[a] + ": the second would replace the first; give each its own file");
                }
            }
        }
    }

    /**
     * Refuses an output file that is one of the command's input files (a typo away: --out hh.jsbi for --posterior
     * hh.jsbi): replacing it would destroy what was read, a trained posterior or the user's data.
     */
    static void notAnInput(CommandLine cl, String outOption, Path out, String inOption, Path in) {
        boolean same;
        try {
            same = out != null && in != null && Files.exists(out) && Files.exists(in) && Files.isSameFile(out, in);
        } catch (IOException e) {
            same = false;   // an input that cannot be examined is reported when it is read
        }
        if (same) {
            throw new ParameterException(cl, outOption + " " + out + " is the " + inOption + " file: writing there"
                    + " would replace it; give another file");
        }
    }

    /**
     * Writes the samples as CSV (header theta_1,..,theta_d) to a temporary file beside {@code path} and renames it into
     * place, as the model files are saved: an interrupted or failed write leaves an earlier file whole.
     */
    private static void writeCsv(Path path, float[][] s) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < s[0].length; j++) csv.append(j == 0 ? "" : ",").append("theta_").append(j + 1);
        csv.append(System.lineSeparator());
        for (float[] r : s) {
            for (int j = 0; j < r.length; j++) csv.append(j == 0 ? "" : ",").append(r[j]);
            csv.append(System.lineSeparator());
        }
        // Npy's atomic write takes any bytes; it is the project's one temporary-file-and-rename (links, permissions).
        Npy.writeAtomically(path, csv.toString().getBytes(StandardCharsets.UTF_8));
    }
}
