package org.jsbi.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.BoxUniform;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.flow.MafConfig;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.io.Npy;
import org.jsbi.io.NpyFormatException;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.StoreManifest;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.NoEpochFinishedException;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingHistory;
import org.jsbi.train.TrainingListener;
import org.jsbi.validation.NumericCsv;
import org.jsbi.validation.ReferenceDataException;
import org.jsbi.validation.StopOnShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jsbi train}: NPE on simulations made elsewhere (a user's own simulator, in any language): θ and x from
 * {@code .npy} or CSV files, a box-uniform prior, and the trained posterior saved for {@code jsbi sample} and
 * {@code DirectPosterior.load}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a neural posterior (NPE) on a store made by jsbi simulate (--store), or on simulations"
                + " made elsewhere: parameters θ and data x, one simulation per row, from .npy matrices or CSV files"
                + " with a header row, and the box the θ were drawn from (--low, --high). Saves the posterior for"
                + " jsbi sample.",
                "Rows whose x has a NaN or infinite value (in CSV also an empty cell, as pandas writes NaN) are left"
                        + " out and counted (a simulator's way of saying a feature is undefined); a θ that is not"
                        + " finite or lies outside the prior is an error."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--store", paramLabel = "DIR", description = "A complete store made by jsbi simulate: its"
            + " simulations (rows with a NaN or infinite x left out), and its model's prior.")
    Path store;

    @Option(names = "--theta", paramLabel = "FILE", description = "Parameters, one row per"
            + " simulation (.npy, or CSV with a header row).")
    Path thetaFile;

    @Option(names = "--x", paramLabel = "FILE", description = "Data (summary features), one row per"
            + " simulation, in the order of --theta (.npy, or CSV with a header row).")
    Path xFile;

    @Option(names = "--low", paramLabel = "L1,L2,...", description = "The box-uniform prior's lower"
            + " bounds, one per parameter.")
    String low;

    @Option(names = "--high", paramLabel = "H1,H2,...", description = "Its upper bounds.")
    String high;

    @Option(names = "--save-posterior", required = true, paramLabel = "FILE", description = "Where to save the"
            + " trained posterior (estimator, prior and sampling settings); sample it with jsbi sample.")
    String savePosterior;

    @Option(names = "--names", paramLabel = "N1,N2,...", description = "The parameters' names, saved with the"
            + " posterior for jsbi sample's tables, files and plots (default: a CSV --theta's header, a built-in"
            + " model's names, else theta_1, theta_2, ...).")
    String names;

    @Option(names = "--estimator", description = "maf or mdn (default: ${DEFAULT-VALUE}).")
    String estimator = "maf";

    @Option(names = "--hidden-features", paramLabel = "H", description = "Hidden units per layer (default: 50, the"
            + " peers'; the paper's pyloric flow used 100, its ion-channel flow 250).")
    Integer hiddenFeatures;

    @Option(names = "--transforms", paramLabel = "T", description = "MAF only: autoregressive transforms (default: 5).")
    Integer transforms;

    @Option(names = "--components", paramLabel = "K", description = "MDN only: mixture components (default: 10).")
    Integer components;

    @Option(names = "--seed", description = "Seed of the validation split, initial weights and batches (default:"
            + " ${DEFAULT-VALUE}).")
    long seed = 1L;

    @Option(names = "--max-epochs", description = "Upper bound on training epochs (default: ${DEFAULT-VALUE}).")
    int maxEpochs = 1_000;

    @Option(names = "--stop-after-epochs", paramLabel = "E", description = "Stop after E epochs without improvement"
            + " of the validation loss, keeping the best weights (default: ${DEFAULT-VALUE}).")
    int stopAfterEpochs = NpeConfig.defaults().training().stopAfterEpochs();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        NpeConfig cfg = config(cl);
        boolean files = thetaFile != null || xFile != null || low != null || high != null;
        if (store != null && files) {
            throw new ParameterException(cl, "--store brings its simulations and prior: leave out --theta, --x, --low"
                    + " and --high (or leave out --store to train on files)");
        }
        if (store == null && (thetaFile == null || xFile == null || low == null || high == null)) {
            throw new ParameterException(cl, "give the simulations as --store DIR (made by jsbi simulate), or as"
                    + " --theta FILE --x FILE with the prior's box --low L1,.. --high H1,..");
        }
        Prior prior = store != null ? null : prior(cl);
        Path posteriorFile = NpeCommand.writableFile(cl, "--save-posterior", savePosterior, "posterior.jsbi");
        NpeCommand.notAnInput(cl, "--save-posterior", posteriorFile, "--theta", thetaFile);
        NpeCommand.notAnInput(cl, "--save-posterior", posteriorFile, "--x", xFile);
        SimulationSet set;
        String source;
        List<String> parameterNames;
        String simulatorName = null;   // recorded where known, for jsbi sample --predictive's check
        if (store != null) {
            SimulationStore s = openStore(cl, store);
            BuiltInModels.Model m = BuiltInModels.byName(s.manifest().simulator());
            s.checkCompatible(m.simulator(), m.prior());
            prior = m.prior();
            set = s.readAll();
            source = m.name() + " store " + store;
            parameterNames = m.parameterNames();
            simulatorName = m.simulator().name();
        } else {
            float[][] theta = readMatrix(cl, "--theta", thetaFile, false);
            float[][] x = readMatrix(cl, "--x", xFile, true);
            if (theta.length != x.length) {
                throw new ParameterException(cl, "--theta has " + theta.length + " rows but --x has " + x.length
                        + "; each simulation needs one row of each, in the same order");
            }
            if (theta[0].length != prior.dim()) {
                throw new ParameterException(cl, "--theta has " + theta[0].length + " columns but the prior (--low,"
                        + " --high) has " + prior.dim() + " dimensions");
            }
            checkThetaInPrior(cl, theta, (BoxUniform) prior);
            set = finiteRows(theta, x);
            source = "θ from " + thetaFile + ", x from " + xFile;
            parameterNames = thetaFile.getFileName().toString().endsWith(".npy")
                    ? DirectPosterior.defaultNames(prior.dim()) : headerNames(thetaFile, prior.dim());
        }
        if (names != null) parameterNames = List.of(names.split(",", -1)).stream().map(String::strip).toList();
        try {
            // Checked before the training, which a bad name would otherwise lose at the save.
            DirectPosterior.checkParameterNames(parameterNames, prior.dim());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, (names != null ? "--names: " : "--theta " + thetaFile + "'s header: ")
                    + e.getMessage() + (names != null ? "" : "; name the parameters with --names N1,N2,..."));
        }
        int needed = Trainer.minimumSimulations(cfg.training());
        if (set.size() < needed && set.excludedNonFinite() == 0) {
            throw new ParameterException(cl, String.format(Locale.ROOT, "%,d simulations are too few to train on:"
                    + " after holding out %.0f%% for validation, one batch of %d needs %d", set.size(),
                    100 * cfg.training().validationFraction(), cfg.training().batchSize(), needed));
        }
        PrintStream o = System.out;
        o.printf(Locale.ROOT, "jsbi train: %,d simulations (θ %d-D, x %d-D; %s)%s; %s, %d threads%n",
                set.size(), prior.dim(), set.size() == 0 ? 0 : set.x()[0].length, source,
                set.excludedNonFinite() == 0 ? "" : String.format(Locale.ROOT, ", %,d more left out for NaN or"
                        + " infinite x", set.excludedNonFinite()), estimator.toUpperCase(Locale.ROOT),
                Parallel.threads());
        TrainingListener log = NpeCommand.epochLines(o);
        try (StopOnShutdown stop = StopOnShutdown.install(System.err::println, "stopping: the training epoch in"
                + " progress ends, then the best weights so far are saved (kill -9 would lose them) ...")) {
            NpeResult r;
            try {
                r = new Npe(cfg).train(set, log);
            } catch (NoEpochFinishedException e) {
                if (e.reason() != TrainingHistory.StopReason.INTERRUPTED) throw e;
                o.println("interrupted before the first training epoch finished; nothing was saved");
                return NpeCommand.EXIT_INTERRUPTED;
            }
            TrainingHistory h = r.trained().history();
            o.println(NpeCommand.trainedLine(h, r.trainingSeconds(), stopAfterEpochs));
            DirectPosterior posterior = r.posterior(prior).withParameterNames(parameterNames);
            (simulatorName == null ? posterior : posterior.withSimulator(simulatorName)).save(posteriorFile);
            o.println("posterior saved to " + posteriorFile + "; sample it with: jsbi sample --posterior "
                    + posteriorFile + " --observation X1,X2,...");
            return h.stopReason() == TrainingHistory.StopReason.INTERRUPTED ? NpeCommand.EXIT_INTERRUPTED : 0;
        }
    }

    /**
     * The header of a CSV --theta: its column names (quotes around them dropped), or theta_1, ... where they are
     * pandas' labels of unnamed columns (0, 1, ...) or of the wrong count (refused later).
     */
    static List<String> headerNames(Path file, int d) {
        // R's write.csv quotes its header cells: "alpha" names alpha.
        List<String> h = NumericCsv.header(file).stream().map(String::strip)
                .map(c -> c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1)
                        : c).toList();
        boolean pandasLabels = true;
        for (int i = 0; i < h.size(); i++) pandasLabels &= h.get(i).equals(Integer.toString(i));
        return h.size() == d && !pandasLabels ? h : DirectPosterior.defaultNames(d);
    }

    /**
     * The store, complete, of a model jsbi knows. A folder that is no store is bad input, told in the command line's
     * words (the library's message points to SimulationStore.create); an unfinished one is told the command that
     * finishes it, from its manifest.
     */
    private static SimulationStore openStore(CommandLine cl, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cl, "--store " + dir + ": no such folder; make the store with jsbi simulate"
                    + " --model M --simulations N --store " + dir);
        }
        if (!Files.isRegularFile(dir.resolve(SimulationStore.MANIFEST))) {
            throw new ParameterException(cl, "--store " + dir + " is not a simulation store (it holds no "
                    + SimulationStore.MANIFEST + "); make one with jsbi simulate --model M --simulations N --store DIR,"
                    + " or train on files with --theta, --x, --low and --high");
        }
        SimulationStore s = SimulationStore.open(dir);
        String sim = s.manifest().simulator();
        if (!BuiltInModels.names().contains(sim)) {
            throw new ParameterException(cl, "--store " + dir + " holds simulations of " + sim + ", which is not one"
                    + " of jsbi's built-in models; export θ and x (SimulationStore.export) and train with --theta, --x,"
                    + " --low and --high");
        }
        if (!s.isComplete()) {
            StoreManifest m = s.manifest();
            throw new ParameterException(cl, String.format(Locale.ROOT, "--store %s holds %,d of its %,d simulations;"
                    + " finish it first: jsbi simulate --model %s --simulations %d --store %s --seed %d --chunk %d", dir,
                    s.completedRows(), m.simulations(), m.simulator(), m.simulations(), dir, m.seed(), m.chunkSize()));
        }
        return s;
    }

    /** The estimator and training settings; every bad value is an option error before any file is read. */
    private NpeConfig config(CommandLine cl) {
        if (!estimator.equals("maf") && !estimator.equals("mdn")) {
            throw new ParameterException(cl, "--estimator must be maf or mdn, got '" + estimator + "'");
        }
        if (estimator.equals("maf") && components != null) {
            throw new ParameterException(cl, "--components sets an MDN's mixture; with --estimator maf leave it out");
        }
        if (estimator.equals("mdn") && transforms != null) {
            throw new ParameterException(cl, "--transforms sets a MAF's depth; with --estimator mdn leave it out");
        }
        if (maxEpochs < 1) throw new ParameterException(cl, "--max-epochs must be at least 1, got " + maxEpochs);
        if (stopAfterEpochs < 1) {
            throw new ParameterException(cl, "--stop-after-epochs must be at least 1, got " + stopAfterEpochs);
        }
        EstimatorFactory factory;
        try {
            if (estimator.equals("maf")) {
                MafConfig m = MafConfig.defaults();
                if (hiddenFeatures != null) m = m.withHiddenFeatures(hiddenFeatures);
                if (transforms != null) m = m.withTransforms(transforms);
                factory = EstimatorFactory.maf(m);
            } else {
                MdnConfig m = MdnConfig.defaults();
                if (hiddenFeatures != null) m = m.withHiddenFeatures(hiddenFeatures);
                if (components != null) m = m.withComponents(components);
                factory = EstimatorFactory.mdn(m);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        TrainingConfig training = NpeConfig.defaults().training().withSeed(seed).withMaxEpochs(maxEpochs)
                .withStopAfterEpochs(stopAfterEpochs);
        return NpeConfig.defaults().withEstimator(factory).withTraining(training);
    }

    private BoxUniform prior(CommandLine cl) {
        double[] lo = NumberList.doubles(cl, "--low", low), hi = NumberList.doubles(cl, "--high", high);
        if (lo.length != hi.length) {
            throw new ParameterException(cl, "--low has " + lo.length + " bounds but --high has " + hi.length);
        }
        try {
            return Priors.boxUniform(lo, hi);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--low/--high: " + e.getMessage());
        }
    }

    /**
     * A .npy matrix (a vector is one column) or a CSV file with a header row; at least one row. With {@code nonFinite}
     * a CSV may hold nan and inf, as simulated data do.
     */
    private static float[][] readMatrix(CommandLine cl, String option, Path file, boolean nonFinite)
            throws IOException {
        if (!Files.isRegularFile(file)) throw new ParameterException(cl, option + " " + file + ": no such file");
        float[][] m;
        try {
            m = file.getFileName().toString().endsWith(".npy") ? Npy.readMatrix(file)
                    : nonFinite ? NumericCsv.readWithNonFinite(file) : NumericCsv.read(file);
        } catch (ReferenceDataException | NpyFormatException | IllegalArgumentException e) {
            throw new ParameterException(cl, option + ": " + e.getMessage());
        }
        if (m.length == 0 || m[0].length == 0) {
            throw new ParameterException(cl, option + " " + file + " holds no values");
        }
        return m;
    }

    /**
     * Every θ finite and inside the prior: the posterior is restricted to the prior's support, so simulations from
     * outside it mean the prior given is not the one they were drawn from.
     */
    private static void checkThetaInPrior(CommandLine cl, float[][] theta, BoxUniform prior) {
        int outside = 0, first = -1;
        for (int i = 0; i < theta.length; i++) {
            for (int j = 0; j < theta[i].length; j++) {
                if (!Float.isFinite(theta[i][j])) {
                    throw new ParameterException(cl, "--theta row " + (i + 1) + " has " + theta[i][j] + " in column "
                            + (j + 1) + "; every parameter must be finite");
                }
            }
            if (!prior.inSupport(theta[i])) {
                outside++;
                if (first < 0) first = i;
            }
        }
        if (outside > 0) {
            throw new ParameterException(cl, String.format(Locale.ROOT, "%,d of %,d θ rows lie outside the prior box"
                    + " (the first, row %d: %s); give the --low and --high the simulations were drawn from",
                    outside, theta.length, first + 1, Arrays.toString(theta[first])));
        }
    }

    /** The rows whose x is finite, and how many were left out. */
    static SimulationSet finiteRows(float[][] theta, float[][] x) {
        int kept = 0;
        boolean[] ok = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            boolean finite = true;
            for (float v : x[i]) finite &= Float.isFinite(v);
            ok[i] = finite;
            if (finite) kept++;
        }
        float[][] t = new float[kept][], y = new float[kept][];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (ok[i]) {
                t[k] = theta[i];
                y[k++] = x[i];
            }
        }
        return new SimulationSet(t, y, x.length - kept);
    }
}
