package org.jsbi.validation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.diagnostics.PosteriorCorrelations;
import org.jsbi.dist.BoxUniform;
import org.jsbi.flow.Maf;
import org.jsbi.io.Npy;
import org.jsbi.plot.CorrelationPlot;
import org.jsbi.plot.PlotException;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.posterior.TruncatedPriorFile;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.StoreListener;

/**
 * The paper's correlation analysis of a pyloric posterior made by {@link PyloricInference} (models/PAPER.md §5.8):
 * marginal correlations over the posterior samples, and conditional correlations of parameter pairs, each fixed
 * pair's 2-D posterior density q(θ_i, θ_j | x_o, θ_rest) evaluated on a grid over the prior's box with the other 29
 * parameters held at a posterior sample, averaged over posterior samples ({@link PosteriorCorrelations}). The paper
 * found conditional correlations much stronger than marginal ones and ḡ_A – ḡ_H conditionally correlated positively
 * in all three neurons.
 *
 * <p>Reads {@code posterior-maf.jsbi} and {@code posterior.npy} of an {@code infer} output directory and writes
 * {@code correlations.md}, {@code marginal-correlations.npy} (31 × 31, float64) and
 * {@code conditional-correlations.csv} (one row per pair) beside them; an interrupted run writes its partial tables
 * as {@code correlations.partial.md} and {@code conditional-correlations.partial.csv} instead, so that it never
 * replaces a complete run's.
 */
public final class PyloricCorrelations {

    /** The pairs of the paper's Fig. 6e (0-based, models/PAPER.md §5.8): ḡ_A – ḡ_H per neuron, then ḡ_H – synapse. */
    public static final int[][] PAPER_PAIRS = {{3, 6}, {11, 14}, {19, 22}, {6, 28}, {14, 24}, {14, 25}, {14, 30},
        {22, 26}, {22, 27}, {22, 29}};
    /** The first three of {@link #PAPER_PAIRS}: the paper reports all three conditionally positive. */
    public static final int A_H_PAIRS = 3;
    /** The paper's settings: 500 posterior samples as conditions, 50 x 50 grids. */
    public static final int PAPER_CONDITIONS = 500, PAPER_RESOLUTION = 50;
    public static final String SUMMARY_FILE = "correlations.md", MARGINAL_FILE = "marginal-correlations.npy",
            CONDITIONAL_FILE = "conditional-correlations.csv";
    /**
     * Where an interrupted run writes its tables: never over a complete run's, which a partial one must not replace.
     * A complete run removes them.
     */
    public static final String PARTIAL_SUMMARY_FILE = "correlations.partial.md",
            PARTIAL_CONDITIONAL_FILE = "conditional-correlations.partial.csv";
    /** The two matrices drawn (the paper's Fig. 6e): conditional above the diagonal, marginal below. */
    public static final String PLOT_FILE = "correlations.png", PARTIAL_PLOT_FILE = "correlations.partial.png";

    private PyloricCorrelations() {
    }

    /**
     * @param posterior   an {@code infer} output directory
     * @param observation x_o as an 18-row CSV; null: the observation the posterior's {@code truncated-prior.properties}
     *                    records, or else the paper's experimental x_o
     * @param conditions  posterior samples (the first ones of posterior.npy) to condition on
     * @param pairs       the pairs, 0-based
     * @param resolution  grid points per axis
     */
    public record Settings(Path posterior, Path observation, int conditions, int[][] pairs, int resolution) {
        public Settings {
            if (posterior == null) throw new IllegalArgumentException("the posterior directory is required");
            if (conditions < 1) throw new IllegalArgumentException("conditions must be at least 1, got " + conditions);
            if (resolution < 2) throw new IllegalArgumentException("the grid needs at least 2 points per axis, got "
                    + resolution);
            if (pairs == null || pairs.length == 0) throw new IllegalArgumentException("no pairs to correlate");
        }

        public static Settings defaults(Path posterior) {
            return new Settings(posterior, null, PAPER_CONDITIONS, PAPER_PAIRS, PAPER_RESOLUTION);
        }

        public Settings withObservation(Path v) {
            return new Settings(posterior, v, conditions, pairs, resolution);
        }

        public Settings withConditions(int v) {
            return new Settings(posterior, observation, v, pairs, resolution);
        }

        public Settings withPairs(int[][] v) {
            return new Settings(posterior, observation, conditions, v, resolution);
        }

        public Settings withResolution(int v) {
            return new Settings(posterior, observation, conditions, pairs, v);
        }
    }

    /**
     * marginal: 31 × 31; conditional: per pair and condition; summary: the markdown written, to summaryFile
     * ({@value #SUMMARY_FILE}, or {@value #PARTIAL_SUMMARY_FILE} after an interruption).
     */
    public record Result(double[][] marginal, PosteriorCorrelations.Conditional conditional, int samples,
                         double seconds, String summary, Path summaryFile) {
    }

    /** Every pair (i, j), i &lt; j, of the 31 parameters. */
    public static int[][] allPairs() {
        int d = PyloricNetwork.PARAMETER_NAMES.length;
        int[][] p = new int[d * (d - 1) / 2][];
        int k = 0;
        for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) p[k++] = new int[] {i, j};
        return p;
    }

    /**
     * Pairs from "i:j,i:j,..." (0-based indices or parameter names such as {@code LP_H:syn_AB-LP}), "paper" or "all".
     */
    public static int[][] parsePairs(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("no pairs given");
        String s = spec.strip();
        if (s.equalsIgnoreCase("paper")) return PAPER_PAIRS;
        if (s.equalsIgnoreCase("all")) return allPairs();
        List<int[]> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String[] f = part.strip().split(":");
            if (f.length != 2) {
                throw new IllegalArgumentException("pair '" + part.strip() + "' is not i:j (0-based indices or"
                        + " parameter names, e.g. 3:6 or AB/PD_A:AB/PD_H)");
            }
            int a = parameter(f[0].strip()), b = parameter(f[1].strip());
            if (a == b) throw new IllegalArgumentException("pair '" + part.strip() + "' names one parameter twice");
            out.add(new int[] {a, b});
        }
        return out.toArray(int[][]::new);
    }

    private static int parameter(String token) {
        String[] names = PyloricNetwork.PARAMETER_NAMES;
        for (int i = 0; i < names.length; i++) if (names[i].equalsIgnoreCase(token)) return i;
        try {
            int i = Integer.parseInt(token);
            if (i >= 0 && i < names.length) return i;
        } catch (NumberFormatException e) {
            // not an index either
        }
        throw new IllegalArgumentException("'" + token + "' is neither a parameter index 0.." + (names.length - 1)
                + " nor a parameter name (" + String.join(", ", names) + ")");
    }

    public static Result run(Settings s, PrintWriter log) throws IOException {
        Path model = s.posterior().resolve(PyloricInference.MODEL_FILE);
        Path samplesFile = s.posterior().resolve("posterior.npy");
        for (Path p : new Path[] {model, samplesFile}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " does not exist; give the directory written by 'jsbi pyloric"
                        + " infer --out DIR'");
            }
        }
        Backend be = Backends.current();
        Maf maf = PyloricInference.loadFlow(s.posterior(), be);
        BoxUniform prior = PyloricNetwork.prior();
        int d = prior.dim();
        float[] xo = observation(s, be, prior);
        float[][] samples = Npy.readMatrix(samplesFile);
        if (samples.length < 2 || samples[0].length != d) {
            throw new IllegalArgumentException(samplesFile + " holds " + samples.length + " samples of "
                    + (samples.length == 0 ? 0 : samples[0].length) + " values; the analysis needs at least 2 of " + d);
        }
        int nc = Math.min(s.conditions(), samples.length);
        if (nc < s.conditions()) {
            line(log, String.format(Locale.ROOT, "note: %s holds %,d samples; conditioning on all of them, not %,d",
                    samplesFile, samples.length, s.conditions()));
        }
        double[][] marginal = PosteriorCorrelations.marginal(samples);
        DirectPosterior posterior = new DirectPosterior(maf, prior, PosteriorConfig.defaults());
        long units = (long) nc * s.pairs().length;
        line(log, String.format(Locale.ROOT, "conditional correlations: %,d pairs x %,d posterior samples on %d x %d"
                        + " grids (%,d evaluations of q(θ | x_o), backend %s, %d threads); Ctrl-C stops and keeps what"
                        + " is done", s.pairs().length, nc, s.resolution(), s.resolution(),
                units * s.resolution() * s.resolution(), be.name(), Parallel.threads()));
        long t0 = System.nanoTime();
        PosteriorCorrelations.Conditional cc = PosteriorCorrelations.conditional(
                theta -> posterior.logProbUncorrected(theta, xo), Arrays.copyOf(samples, nc), s.pairs(),
                prior.low(), prior.high(), s.resolution(), ProgressLines.every10Seconds(log, "pair grids"));
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Path dir = s.posterior();
        Path csvFile = dir.resolve(cc.complete() ? CONDITIONAL_FILE : PARTIAL_CONDITIONAL_FILE);
        Path summaryFile = dir.resolve(cc.complete() ? SUMMARY_FILE : PARTIAL_SUMMARY_FILE);
        if (!cc.complete()) {
            line(log, String.format(Locale.ROOT, "interrupted after %,d of %,d conditions; writing what was computed"
                    + " to %s and %s (a complete %s and %s, if there, stay as they are; rerun to finish)",
                    cc.conditionsDone(), nc, summaryFile, csvFile, SUMMARY_FILE, CONDITIONAL_FILE));
        }
        // The marginal correlations are complete either way: they take all the samples and no grid.
        Npy.write(dir.resolve(MARGINAL_FILE), marginal);
        // Atomically, as the .npy: a crash while writing leaves the earlier table whole, not a truncated one.
        Npy.writeAtomically(csvFile, csv(cc, marginal).getBytes(StandardCharsets.UTF_8));
        String summary = summary(s, samples.length, marginal, cc, seconds);
        Npy.writeAtomically(summaryFile, summary.getBytes(StandardCharsets.UTF_8));
        Path plotFile = dir.resolve(cc.complete() ? PLOT_FILE : PARTIAL_PLOT_FILE);
        double[] means = new double[cc.pairs().length];
        for (int p = 0; p < means.length; p++) means[p] = cc.mean(p);
        try {
            CorrelationPlot.writePng(CorrelationPlot.fromPairs(d, cc.pairs(), means), marginal,
                    PyloricNetwork.PARAMETER_NAMES, "conditional (above) and marginal (below) correlations", plotFile);
        } catch (PlotException e) {
            line(log, "note: no picture of the matrices: " + e.getMessage());
        }
        if (cc.complete()) {
            // A finished run supersedes an interrupted one's tables.
            Files.deleteIfExists(dir.resolve(PARTIAL_CONDITIONAL_FILE));
            Files.deleteIfExists(dir.resolve(PARTIAL_SUMMARY_FILE));
            Files.deleteIfExists(dir.resolve(PARTIAL_PLOT_FILE));
        }
        return new Result(marginal, cc, samples.length, seconds, summary, summaryFile);
    }

    /** x_o: the given file; else the one the posterior's truncated-prior.properties records; else the paper's. */
    private static float[] observation(Settings s, Backend be, BoxUniform prior) throws IOException {
        Path proposal = s.posterior().resolve(PyloricInference.PROPOSAL_FILE);
        float[] recorded = null;
        if (Files.isRegularFile(proposal)) {
            TruncatedPrior tp = TruncatedPriorFile.load(proposal, prior, be, PosteriorConfig.defaults());
            recorded = tp.observation();
        }
        if (s.observation() != null) {
            float[] given = PyloricInference.readObservation(s.observation());
            if (recorded != null && !Arrays.equals(given, recorded)) {
                throw new IllegalArgumentException("this posterior was inferred for x_o = " + Arrays.toString(recorded)
                        + " (" + proposal + "), not for " + s.observation() + "; leave out --xo to use the"
                        + " posterior's own x_o");
            }
            return given;
        }
        return recorded != null ? recorded
                : PyloricInference.readObservation(PyloricInference.experimentalObservation());
    }

    static String csv(PosteriorCorrelations.Conditional cc, double[][] marginal) {
        String[] names = PyloricNetwork.PARAMETER_NAMES;
        StringBuilder b = new StringBuilder("i,j,parameter_i,parameter_j,marginal,conditional_mean,conditional_sd,"
                + "conditions\n");
        for (int p = 0; p < cc.pairs().length; p++) {
            int i = cc.pairs()[p][0], j = cc.pairs()[p][1];
            b.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%.6f,%.6f,%.6f,%d%n", i, j, names[i], names[j],
                    marginal[i][j], cc.mean(p), cc.sd(p), cc.count(p)));
        }
        return b.toString();
    }

    static String summary(Settings s, int samples, double[][] marginal, PosteriorCorrelations.Conditional cc,
                          double seconds) {
        String[] names = PyloricNetwork.PARAMETER_NAMES;
        StringBuilder b = new StringBuilder();
        b.append("# Correlations of the pyloric posterior\n\n");
        b.append(String.format(Locale.ROOT, "Posterior: %s (%,d samples in posterior.npy). Conditional correlations:"
                        + " the other 29 parameters fixed at each of the first %,d samples, q(θ | x_o) of %s on a %d x %d"
                        + " grid of cell centres over the prior's box, Pearson correlation of that density, mean ± sd"
                        + " over the samples (the paper: 500 samples, 50 x 50). %s in %s.%n%n",
                s.posterior(), samples, cc.conditions(), PyloricInference.MODEL_FILE, cc.resolution(),
                cc.resolution(), cc.complete() ? "Computed" : String.format(Locale.ROOT,
                        "**Interrupted**: %,d of %,d conditions computed", cc.conditionsDone(), cc.conditions()),
                StoreListener.duration(seconds)));
        b.append("| pair | parameters | marginal r | conditional r | conditions |\n|---|---|---:|---:|---:|\n");
        double sumM = 0, sumC = 0;
        int n = 0;
        for (int p = 0; p < cc.pairs().length; p++) {
            int i = cc.pairs()[p][0], j = cc.pairs()[p][1];
            b.append(String.format(Locale.ROOT, "| %d, %d | %s – %s | %.3f | %.3f ± %.3f | %d |%n", i, j, names[i],
                    names[j], marginal[i][j], cc.mean(p), cc.sd(p), cc.count(p)));
            if (Double.isFinite(cc.mean(p))) {
                sumM += Math.abs(marginal[i][j]);
                sumC += Math.abs(cc.mean(p));
                n++;
            }
        }
        b.append('\n');
        if (n > 0) {
            b.append(String.format(Locale.ROOT, "Mean |r| over these %d pairs: marginal %.3f, conditional %.3f (the"
                    + " paper: conditional correlations are much stronger than marginal ones).%n", n, sumM / n,
                    sumC / n));
        }
        // Per neuron, its ḡ_A – ḡ_H pair in either order, once; a pair whose every grid was degenerate (NaN) has no
        // sign and must not read as "not positive", against the paper.
        int positive = 0, found = 0, undetermined = 0;
        for (int k = 0; k < A_H_PAIRS; k++) {
            for (int p = 0; p < cc.pairs().length; p++) {
                int[] q = cc.pairs()[p];
                if (Math.min(q[0], q[1]) != PAPER_PAIRS[k][0] || Math.max(q[0], q[1]) != PAPER_PAIRS[k][1]) continue;
                if (Double.isNaN(cc.mean(p))) {
                    undetermined++;
                } else {
                    found++;
                    if (cc.mean(p) > 0) positive++;
                }
                break;
            }
        }
        if (found > 0) {
            b.append(String.format(Locale.ROOT, "ḡ_A – ḡ_H: conditionally positive in %d of the %d neurons computed"
                    + " (the paper: all 3)%s.%n", positive, found, undetermined == 0 ? "" : String.format(Locale.ROOT,
                    "; %d more without a finite conditional correlation", undetermined)));
        } else if (undetermined > 0) {
            b.append(String.format(Locale.ROOT, "ḡ_A – ḡ_H: no finite conditional correlation in the %d neuron(s)"
                    + " asked for (every grid had no finite density, or all its mass in one grid row or column).%n",
                    undetermined));
        }
        double maxM = 0;
        int mi = 0, mj = 1;
        for (int i = 0; i < marginal.length; i++) {
            for (int j = i + 1; j < marginal.length; j++) {
                if (Math.abs(marginal[i][j]) > maxM) {
                    maxM = Math.abs(marginal[i][j]);
                    mi = i;
                    mj = j;
                }
            }
        }
        b.append(String.format(Locale.ROOT, "The strongest marginal correlation of all 465 pairs: %s – %s, r = %.3f.%n",
                names[mi], names[mj], marginal[mi][mj]));
        b.append("\nFiles: `" + MARGINAL_FILE + "` (31 x 31, parameter order of posterior.npy), `"
                + (cc.complete() ? CONDITIONAL_FILE : PARTIAL_CONDITIONAL_FILE) + "` (the table above).\n");
        return b.toString();
    }

    private static void line(PrintWriter out, String s) {
        out.println(s);
        out.flush();
    }
}
