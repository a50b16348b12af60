package org.jsbi.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.diagnostics.ParameterRanges;
import org.jsbi.io.Npy;
import org.jsbi.io.NpyFormatException;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.plot.PairPlot;
import org.jsbi.posterior.SamplingListener;
import org.jsbi.random.Rng;
import org.jsbi.simulation.Simulations;
import org.jsbi.validation.PredictiveCheck;
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
 * {@code jsbi sample}: a posterior saved by {@code jsbi train} or {@code jsbi npe --save-posterior} (or
 * {@code DirectPosterior.save}) sampled for observations given on the command line or in a file, without training
 * again: each observation's marginals, optionally its MAP, and the samples as CSV.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Sample a saved posterior (jsbi train or jsbi npe --save-posterior, DirectPosterior.save) for"
                + " one or more observations: print each parameter's marginal (mean, sd, 2.5/50/97.5%% quantiles),"
                + " and write the samples as CSV with --out.",
                "Draws outside the prior's support are rejected, as in training's posterior."})
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--posterior", required = true, paramLabel = "FILE", description = "The saved posterior.")
    Path posteriorFile;

    @Option(names = "--observation", paramLabel = "X1,X2,...", description = "One observation: its values,"
            + " comma-separated, as many as the posterior's data dimension.")
    String observation;

    @Option(names = "--observations", paramLabel = "FILE", description = "Several observations, one per row: a .npy"
            + " matrix, or a CSV file with a header row (any names) and one observation per line.")
    Path observationsFile;

    @Option(names = "--samples", description = "Posterior samples per observation (default: ${DEFAULT-VALUE}).")
    int samples = 10_000;

    @Option(names = "--seed", description = "Seed of the sampling; observation i (from 0) uses seed + i (default:"
            + " ${DEFAULT-VALUE}).")
    long seed = 1L;

    @Option(names = "--map", description = "Also find each observation's maximum a-posteriori θ (the best of many"
            + " samples, refined by gradient ascent).")
    boolean map;

    @Option(names = "--predictive", paramLabel = "MODEL", description = "Also check each observation's posterior"
            + " predictive: simulate this built-in model (the one the posterior was trained on, e.g. hodgkin_huxley) at"
            + " the first 1,000 samples and print where the observation lies among"
            + " the simulated data, feature by feature, and their median distance to it (with the prior's for"
            + " scale).")
    String predictive;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw each observation's pair plot (histograms"
            + " on the diagonal, 2-D histograms above it, over a box-uniform prior's box, else the samples' range; with"
            + " --map the MAP marked) as a PNG;"
            + " with --observations, FILE-1.png, FILE-2.png, ... for the first 10.")
    String plot;

    /** Simulations of a posterior predictive check, and of its prior predictive for scale. */
    static final int PREDICTIVE_SIMULATIONS = 1_000;

    /** Data features whose predictive quantiles are printed; the median distance takes them all. */
    static final int PRINTED_FEATURES = 20;

    // A string, not a Path: Path drops the trailing slash of "--out results/", which names a folder.
    @Option(names = "--out", paramLabel = "FILE", description = "Write the samples to this CSV file: columns"
            + " named as the posterior's parameters, theta_1.. unless named in training (and first an observation"
            + " column, numbered from 1, with --observations); its folder is"
            + " created, an existing file is replaced.")
    String out;

    /** Observations whose marginals are printed; the rest are in --out only, so that a thousand do not flood. */
    static final int PRINTED_OBSERVATIONS = 10;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (samples < 1) throw new ParameterException(cl, "--samples must be at least 1, got " + samples);
        if ((observation == null) == (observationsFile == null)) {
            throw new ParameterException(cl, "give the observation with --observation X1,X2,... or a file of them with"
                    + " --observations FILE (one of the two)");
        }
        Path outFile = out == null ? null : NpeCommand.writableFile(cl, "--out", out, "samples.csv");
        NpeCommand.notAnInput(cl, "--out", outFile, "--posterior", posteriorFile);
        NpeCommand.notAnInput(cl, "--out", outFile, "--observations", observationsFile);
        Path plotFile = plot == null ? null : plotFile(cl, plot);
        NpeCommand.notAnInput(cl, "--plot", plotFile, "--posterior", posteriorFile);
        NpeCommand.notAnInput(cl, "--plot", plotFile, "--observations", observationsFile);
        DirectPosterior posterior = loadPosterior(cl, posteriorFile);
        BuiltInModels.Model model = predictive == null ? null : predictiveModel(cl, predictive, posterior);
        float[][] xs = observation != null ? new float[][] {parseObservation(cl, observation, posterior.xDim())}
                : readObservations(cl, observationsFile, posterior.xDim());
        if (plotFile != null) {
            // The plots' files (numbered with several observations) and --out must all differ.
            int plots = xs.length == 1 ? 1 : Math.min(xs.length, PRINTED_OBSERVATIONS);
            String[] options = new String[plots + 1];
            Path[] files = new Path[plots + 1];
            options[0] = "--out";
            files[0] = outFile;
            for (int i = 0; i < plots; i++) {
                options[i + 1] = xs.length == 1 ? "--plot" : "--plot (observation " + (i + 1) + ")";
                files[i + 1] = xs.length == 1 ? plotFile : numbered(plotFile, i + 1);
            }
            NpeCommand.distinctOutputs(cl, options, files);
            if (posterior.thetaDim() > PairPlot.MAX_PARAMETERS) {
                throw new ParameterException(cl, "--plot: a pair plot of " + posterior.thetaDim() + " parameters"
                        + " would be too large (at most " + PairPlot.MAX_PARAMETERS + "); plot the samples of --out"
                        + " with PairPlot in code, for the parameters of interest");
            }
            PairPlot.checkCanDraw();
        }
        PrintStream o = System.out;
        o.printf(Locale.ROOT, "jsbi sample: %s (θ %d-D, x %d-D, prior %s); %,d observation%s, %,d samples each%n",
                posteriorFile, posterior.thetaDim(), posterior.xDim(),
                NpeCommand.shortDescription(posterior.prior().describe()), xs.length,
                xs.length == 1 ? "" : "s", samples);
        if (model != null && posterior.simulator().isEmpty()
                && !model.prior().describe().equals(posterior.prior().describe())) {
            o.printf(Locale.ROOT, "note: this posterior does not record its simulator, and its prior is not %s's (%s):"
                    + " check that %s made its training data, else --predictive measures nothing%n", model.name(),
                    NpeCommand.shortDescription(model.prior().describe()), model.name());
        }

        List<float[][]> drawn = new ArrayList<>(xs.length);
        List<float[]> maps = new ArrayList<>();   // of the observations described, null without --map
        SamplingIncompleteException stopped = null;
        try (StopOnShutdown stop = StopOnShutdown.install(System.err::println, "stopping: the sampling in progress"
                + " ends, then the observations finished are written (kill -9 would lose them) ...")) {
            for (int i = 0; i < xs.length; i++) {
                float[][] s;
                try {
                    s = posterior.sample(samples, xs[i], seed + i, progress(o, i, xs.length));
                } catch (SamplingIncompleteException e) {
                    stopped = e;   // an interrupt or the time limit: the observations before it are still written
                    break;
                }
                drawn.add(s);
                if (i < PRINTED_OBSERVATIONS) {
                    try {
                        float[] mapTheta = describe(o, posterior, xs, i, s);
                        maps.add(mapTheta);
                        if (model != null) predictiveCheck(o, model, s, xs[i], seed + i);
                    } catch (SamplingIncompleteException e) {
                        stopped = e;   // --map's starting samples: this observation's own samples are kept
                        break;
                    }
                }
                if (i == PRINTED_OBSERVATIONS && xs.length > PRINTED_OBSERVATIONS) {
                    o.printf(Locale.ROOT, "(the marginals%s of observations %d to %d are not printed; %s)%n",
                            plotFile == null ? "" : " and plots", PRINTED_OBSERVATIONS + 1, xs.length,
                            outFile == null ? "give --out FILE to keep their samples" : "--out holds their samples");
                }
            }
            if (outFile != null && !drawn.isEmpty()) {
                writeCsv(outFile, drawn, observationsFile != null, posterior.parameterNames());
                o.printf(Locale.ROOT, "samples written to %s (%,d observation%s)%n", outFile, drawn.size(),
                        drawn.size() == 1 ? "" : "s");
            }
            // After the samples are safe: a figure that cannot be written must not lose them.
            for (int i = 0; plotFile != null && i < maps.size(); i++) {
                Path f = xs.length == 1 ? plotFile : numbered(plotFile, i + 1);
                double[][] range = ParameterRanges.of(posterior.prior(), drawn.get(i));
                PairPlot.writePng(drawn.get(i), PairPlot.Options.of(range[0], range[1]).withMarker(maps.get(i))
                        .withLabels(posterior.parameterNames().toArray(String[]::new)), f);
                o.printf(Locale.ROOT, "pair plot of observation %d written to %s%s%n", i + 1, f,
                        maps.get(i) == null ? "" : " (the MAP marked in red)");
            }
            if (stopped != null) {
                o.printf(Locale.ROOT, "%s: %d of %d observations sampled%s%n", stopped.interrupted() ? "interrupted"
                        : "stopped", drawn.size(), xs.length, outFile == null || drawn.isEmpty() ? ""
                        : "; those are in " + outFile);
                if (!stopped.interrupted()) throw stopped;
                return NpeCommand.EXIT_INTERRUPTED;
            }
        }
        return 0;
    }

    /** The posterior of --posterior, or a usage error naming what the file is instead. */
    static DirectPosterior loadPosterior(CommandLine cl, Path posteriorFile) throws IOException {
        if (!Files.isRegularFile(posteriorFile)) {
            throw new ParameterException(cl, "--posterior " + posteriorFile + ": no such file; give a file written by"
                    + " jsbi train --save-posterior, jsbi npe --save-posterior or DirectPosterior.save");
        }
        try {
            return DirectPosterior.load(posteriorFile);
        } catch (org.jsbi.io.ModelFormatException e) {
            if (!e.getMessage().contains("model file, not a posterior")) throw e;
            // An estimator's own file (pyloric infer's flow, MafFile.save): the Java advice fits a program, not this.
            throw new ParameterException(cl, "--posterior " + posteriorFile + ": " + e.getMessage().replaceFirst(
                    ": load it with.*", "") + "; jsbi " + cl.getCommandName() + " takes a posterior saved by jsbi"
                    + " train --save-posterior or jsbi npe --save-posterior (estimator and prior together)");
        }
    }

    /** The values of --observation, each a finite number; as many as the posterior's data dimension. */
    static float[] parseObservation(CommandLine cl, String text, int xDim) {
        float[] x = NumberList.floats(cl, "--observation", text);
        if (x.length != xDim) {
            throw new ParameterException(cl, "--observation has " + x.length + " value" + (x.length == 1 ? "" : "s")
                    + " but the posterior's data have " + xDim + " dimensions");
        }
        return x;
    }

    /**
     * The rows of --observations: a .npy matrix or a CSV with a header row. A .npy vector is one observation, or, where
     * the data are 1-D, one observation per entry (as np.save of a vector of scalar observations writes it).
     */
    static float[][] readObservations(CommandLine cl, Path file, int xDim) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(cl, "--observations " + file + ": no such file");
        }
        float[][] xs;
        try {
            if (file.getFileName().toString().endsWith(".npy")) {
                Npy.FloatArray a = Npy.read(file);
                xs = a.shape().length != 1 ? a.toRows() : xDim == 1 ? column(a.values()) : new float[][] {a.values()};
            } else {
                xs = NumericCsv.read(file, xDim);
            }
        } catch (ReferenceDataException | NpyFormatException | IllegalArgumentException e) {
            throw new ParameterException(cl, "--observations: " + e.getMessage());
        }
        if (xs.length == 0) throw new ParameterException(cl, "--observations " + file + " holds no observations");
        for (int i = 0; i < xs.length; i++) {
            if (xs[i].length != xDim) {
                throw new ParameterException(cl, "--observations " + file + ": observations have " + xs[i].length
                        + " values but the posterior's data have " + xDim + " dimensions");
            }
            for (int j = 0; j < xDim; j++) {
                if (!Float.isFinite(xs[i][j])) {
                    throw new ParameterException(cl, "--observations " + file + ": observation " + (i + 1) + " has "
                            + xs[i][j] + " in column " + (j + 1) + "; every value must be finite");
                }
            }
        }
        return xs;
    }

    private static float[][] column(float[] values) {
        float[][] rows = new float[values.length][];
        for (int i = 0; i < values.length; i++) rows[i] = new float[] {values[i]};
        return rows;
    }

    /** A progress line every 10 s of one observation's sampling (a slow acceptance can take minutes). */
    private static SamplingListener progress(PrintStream o, int i, int count) {
        long[] last = {System.nanoTime()};
        return (accepted, requested, proposed, seconds) -> {
            long now = System.nanoTime();
            if (now - last[0] < 10_000_000_000L || accepted >= requested) return;
            last[0] = now;
            o.printf(Locale.ROOT, "  observation %d of %d: %,d/%,d samples accepted of %,d drawn (%.1f%%), %.0f s%n",
                    i + 1, count, accepted, requested, proposed, 100.0 * accepted / Math.max(proposed, 1), seconds);
        };
    }

    /** Prints observation i's marginals (and MAP with --map); returns the MAP, or null without --map. */
    private float[] describe(PrintStream o, DirectPosterior posterior, float[][] xs, int i, float[][] s) {
        o.printf(Locale.ROOT, "observation %d: acceptance inside the prior %.3f%n", i + 1,
                posterior.acceptanceRate(xs[i]));
        float[] mapTheta = map ? posterior.map(xs[i], seed + i) : null;
        List<String> names = posterior.parameterNames();
        String cell = "  %-" + width(names, 9) + "s";
        o.printf(Locale.ROOT, cell + " %11s %11s %11s %11s %11s%s%n", "parameter", "mean", "sd", "2.5%", "50%", "97.5%",
                map ? String.format(Locale.ROOT, " %11s", "MAP") : "");
        int n = s.length;
        float[] column = new float[n];
        for (int j = 0; j < s[0].length; j++) {
            double mean = 0, ss = 0;
            for (int r = 0; r < n; r++) {
                column[r] = s[r][j];
                mean += s[r][j];
            }
            mean /= n;
            for (int r = 0; r < n; r++) ss += (s[r][j] - mean) * (s[r][j] - mean);
            Arrays.sort(column);
            o.printf(Locale.ROOT, cell + " %11.5g %11.5g %11.5g %11.5g %11.5g%s%n", names.get(j), mean,
                    n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, quantile(column, 0.025), quantile(column, 0.5),
                    quantile(column, 0.975), map ? String.format(Locale.ROOT, " %11.5g", mapTheta[j]) : "");
        }
        return mapTheta;
    }

    /** --plot's file: a .png, in a folder that can be written. */
    static Path plotFile(CommandLine cl, String value) {
        if (!value.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new ParameterException(cl, "--plot " + value + ": the pair plot is a PNG image; give a file name"
                    + " ending in .png");
        }
        return NpeCommand.writableFile(cl, "--plot", value, "pairplot.png");
    }

    /** pairs.png, 3 -> pairs-3.png. */
    static Path numbered(Path file, int n) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling(name.substring(0, dot) + "-" + n + name.substring(dot));
    }

    /** The built-in model of --predictive; its θ and x must be the posterior's. */
    static BuiltInModels.Model predictiveModel(CommandLine cl, String name, DirectPosterior posterior) {
        BuiltInModels.Model m;
        try {
            m = BuiltInModels.byName(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--predictive: " + e.getMessage());
        }
        String trainedOn = posterior.simulator().orElse(null);
        if (trainedOn != null && !trainedOn.equals(m.simulator().name())) {
            throw new ParameterException(cl, "--predictive " + name + ": this posterior was trained on simulations of "
                    + trainedOn + "; a check against " + name + "'s data would measure nothing about it. Give"
                    + " --predictive " + trainedOn + (BuiltInModels.names().contains(trainedOn) ? ""
                    : " (not a built-in model: simulate its samples with that simulator in code)"));
        }
        int d = m.simulator().parameterDim(), xd = m.simulator().dataDim();
        if (d != posterior.thetaDim() || xd != posterior.xDim()) {
            throw new ParameterException(cl, String.format(Locale.ROOT, "--predictive %s: the model takes %d"
                    + " parameters and simulates %d-D data, but the posterior is over %d parameters given %d-D data;"
                    + " give the model the posterior was trained on", name, d, xd, posterior.thetaDim(),
                    posterior.xDim()));
        }
        return m;
    }

    /**
     * The posterior predictive check of one observation: the model simulated at the first samples (seeded as the
     * sampling), each feature's predictive quantiles and the observation's rank among them, and the median distance
     * to the observation beside the prior predictive's (the benchmark's MEDDIST).
     */
    static void predictiveCheck(PrintStream o, BuiltInModels.Model m, float[][] samples, float[] xo, long seed) {
        float[][] theta = Arrays.copyOf(samples, Math.min(PREDICTIVE_SIMULATIONS, samples.length));
        float[][] x = Simulations.simulate(m.simulator(), theta, seed);
        float[][] priorX = Simulations.simulate(m.simulator(), m.prior().sample(theta.length, new Rng(seed)), seed);
        int kept = 0;
        for (float[] row : x) if (allFinite(row)) kept++;
        o.printf(Locale.ROOT, "  posterior predictive (%s at %,d samples%s): median distance to the observation %.4g"
                        + " (prior predictive %.4g)%n", m.name(), theta.length, kept == theta.length ? ""
                        : String.format(Locale.ROOT, ", %,d with non-finite data left out", theta.length - kept),
                PredictiveCheck.medianDistance(x, xo), PredictiveCheck.medianDistance(priorX, xo));
        if (kept == 0) return;
        String cell = "  %-" + width(m.dataNames(), 9) + "s";
        o.printf(Locale.ROOT, cell + " %11s %11s %11s %11s %11s%n", "feature", "observed", "2.5%", "50%", "97.5%",
                "rank");
        float[] column = new float[kept];
        int features = Math.min(xo.length, PRINTED_FEATURES);
        for (int j = 0; j < features; j++) {
            int n = 0, below = 0, equal = 0;
            for (float[] row : x) {
                if (!allFinite(row)) continue;
                column[n++] = row[j];
                if (row[j] < xo[j]) below++;
                else if (row[j] == xo[j]) equal++;
            }
            Arrays.sort(column);
            // The share of simulated values below the observation (ties count half): near 0 or 1 says the posterior
            // does not reproduce this feature.
            o.printf(Locale.ROOT, cell + " %11.5g %11.5g %11.5g %11.5g %10.1f%%%n", m.dataNames().get(j), xo[j],
                    quantile(column, 0.025), quantile(column, 0.5), quantile(column, 0.975),
                    100.0 * (below + 0.5 * equal) / kept);
        }
        if (features < xo.length) {
            o.printf(Locale.ROOT, "  (features %d to %d not printed)%n", features + 1, xo.length);
        }
    }

    private static boolean allFinite(float[] row) {
        for (float v : row) if (!Float.isFinite(v)) return false;
        return true;
    }

    /** The width of a table column of these names: the longest, at least {@code min}. */
    static int width(List<String> names, int min) {
        int w = min;
        for (String n : names) w = Math.max(w, n.length());
        return w;
    }

    /** The q-quantile of sorted values, linear between order statistics (numpy's default). */
    static double quantile(float[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * ((double) sorted[hi] - sorted[lo]);
    }

    /** The samples as CSV, atomically (temporary file and rename), with an observation column when there are several. */
    private static void writeCsv(Path path, List<float[][]> drawn, boolean numbered, List<String> names)
            throws IOException {
        StringBuilder csv = new StringBuilder();
        int d = drawn.getFirst()[0].length;
        if (numbered) csv.append("observation,");
        for (int j = 0; j < d; j++) csv.append(j == 0 ? "" : ",").append(names.get(j));
        csv.append(System.lineSeparator());
        for (int i = 0; i < drawn.size(); i++) {
            for (float[] r : drawn.get(i)) {
                if (numbered) csv.append(i + 1).append(',');
                for (int j = 0; j < d; j++) csv.append(j == 0 ? "" : ",").append(r[j]);
                csv.append(System.lineSeparator());
            }
        }
        Npy.writeAtomically(path, csv.toString().getBytes(StandardCharsets.UTF_8));
    }
}
