package org.jsbi.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.backend.Parallel;
import org.jsbi.diagnostics.ParameterRanges;
import org.jsbi.diagnostics.PosteriorCorrelations;
import org.jsbi.dist.BoxUniform;
import org.jsbi.io.Npy;
import org.jsbi.plot.CorrelationPlot;
import org.jsbi.plot.PairPlot;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.simulation.StoreListener;
import org.jsbi.validation.ProgressLines;
import org.jsbi.validation.StopOnShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jsbi correlations}: the analysis of Gonçalves et al. (2020) for any saved posterior, not only the pyloric
 * network's: marginal correlations over posterior samples, and conditional correlations of parameter pairs (the
 * pair's 2-D posterior density on a grid, the other parameters fixed at a posterior sample, averaged over samples),
 * which show compensation that marginals hide.
 */
@Command(name = "correlations", mixinStandardHelpOptions = true,
        description = {"Correlations of a saved posterior (jsbi train or jsbi npe --save-posterior) for one"
                + " observation: marginal correlations over posterior samples, and conditional correlations of"
                + " parameter pairs, as Gonçalves et al. (2020): the pair's 2-D posterior density on a grid, the"
                + " other parameters fixed at a posterior sample, its Pearson correlation averaged over samples.",
                "Ctrl-C stops and keeps the conditions finished (--out gets them)."})
final class CorrelationsCommand implements Callable<Integer> {

    @Option(names = "--posterior", required = true, paramLabel = "FILE", description = "The saved posterior.")
    Path posteriorFile;

    @Option(names = "--observation", required = true, paramLabel = "X1,X2,...", description = "The observation:"
            + " its values, comma-separated, as many as the posterior's data dimension.")
    String observation;

    @Option(names = "--samples", paramLabel = "N", description = "Posterior samples for the marginal correlations"
            + " (default: ${DEFAULT-VALUE}).")
    int samples = 10_000;

    @Option(names = "--conditions", paramLabel = "N", description = "Posterior samples to condition on, the first"
            + " of those drawn (default: ${DEFAULT-VALUE}, as the paper).")
    int conditions = 500;

    @Option(names = "--resolution", paramLabel = "R", description = "Grid points per axis (default:"
            + " ${DEFAULT-VALUE}, as the paper; 2..200).")
    int resolution = 50;

    @Option(names = "--grid", paramLabel = "SPAN", description = "What the grids span: 'samples' (the posterior"
            + " samples' range widened by a tenth at each end, within the prior's box: cells narrow beside the"
            + " posterior) or 'prior' (the prior's box, as the paper; needs a box-uniform prior) (default:"
            + " ${DEFAULT-VALUE}).")
    String grid = "samples";

    @Option(names = "--pairs", paramLabel = "SPEC", description = "'all', or a list i:j,... of parameters by"
            + " number from 1 or by name (theta_1:theta_3) (default: ${DEFAULT-VALUE}).")
    String pairs = "all";

    @Option(names = "--seed", description = "Seed of the posterior sampling (default: ${DEFAULT-VALUE}).")
    long seed = 1L;

    @Option(names = "--out", paramLabel = "FILE", description = "Write every pair's correlations to this CSV file"
            + " (i,j,parameter_i,parameter_j,marginal,conditional_mean,conditional_sd,conditions); its folder is"
            + " created, an existing file is replaced.")
    String out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the correlation matrices as a PNG: the"
            + " conditional correlations above the diagonal, the marginal ones below, from -1 (blue) to +1 (red).")
    String plot;

    /** Pairs printed; more are summarised by the strongest, and --out holds them all. */
    static final int PRINTED_PAIRS = 45;

    /** The marginal correlation matrix is printed up to this dimension. */
    static final int PRINTED_MATRIX = 12;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (samples < 2) throw new ParameterException(cl, "--samples must be at least 2, got " + samples);
        if (conditions < 1) throw new ParameterException(cl, "--conditions must be at least 1, got " + conditions);
        if (conditions > samples) {
            throw new ParameterException(cl, "--conditions " + conditions + " exceeds --samples " + samples
                    + "; the conditions are posterior samples, so raise --samples or lower --conditions");
        }
        if (resolution < 2 || resolution > 200) {
            throw new ParameterException(cl, "--resolution must be 2..200, got " + resolution);
        }
        Path outFile = out == null ? null : NpeCommand.writableFile(cl, "--out", out, "correlations.csv");
        NpeCommand.notAnInput(cl, "--out", outFile, "--posterior", posteriorFile);
        Path plotFile = plot == null ? null : SampleCommand.plotFile(cl, plot);
        NpeCommand.notAnInput(cl, "--plot", plotFile, "--posterior", posteriorFile);
        NpeCommand.distinctOutputs(cl, new String[] {"--out", "--plot"}, new Path[] {outFile, plotFile});
        DirectPosterior posterior = SampleCommand.loadPosterior(cl, posteriorFile);
        int d = posterior.thetaDim();
        if (d < 2) {
            throw new ParameterException(cl, "--posterior " + posteriorFile + " has a 1-D θ: there is no pair to"
                    + " correlate");
        }
        List<String> names = posterior.parameterNames();
        int[][] pairList = parsePairs(cl, pairs, names);
        if (!grid.equals("samples") && !grid.equals("prior")) {
            throw new ParameterException(cl, "--grid must be 'samples' or 'prior', got '" + grid + "'");
        }
        if (grid.equals("prior") && !(posterior.prior() instanceof BoxUniform)) {
            throw new ParameterException(cl, "--grid prior needs a box-uniform prior, and this posterior's is "
                    + posterior.prior().describe() + "; use --grid samples");
        }
        float[] xo = SampleCommand.parseObservation(cl, observation, posterior.xDim());

        if (plotFile != null) PairPlot.checkCanDraw();
        PrintStream o = System.out;
        PrintWriter log = new PrintWriter(o, true, StandardCharsets.UTF_8);
        o.printf(Locale.ROOT, "jsbi correlations: %s (θ %d-D, x %d-D, prior %s)%n", posteriorFile, d,
                posterior.xDim(), NpeCommand.shortDescription(posterior.prior().describe()));
        try (StopOnShutdown stop = StopOnShutdown.install(System.err::println, "stopping: the conditions finished"
                + " are kept and written (kill -9 would lose them) ...")) {
            float[][] drawn;
            try {
                drawn = posterior.sample(samples, xo, seed);
            } catch (SamplingIncompleteException e) {
                if (!e.interrupted()) throw e;
                o.println("interrupted while sampling the posterior; nothing was computed");
                return NpeCommand.EXIT_INTERRUPTED;
            }
            double[][] marginal = PosteriorCorrelations.marginal(drawn);
            printMatrix(o, marginal, names);
            double[][] box = grid.equals("prior") ? ParameterRanges.of(posterior.prior(), drawn)
                    : ParameterRanges.aroundSamples(posterior.prior(), drawn);
            o.printf(Locale.ROOT, "conditional correlations: %,d pair%s x %,d posterior samples on %d x %d grids over"
                            + " %s (%,d evaluations of q(θ | x_o), %d threads); Ctrl-C stops and keeps what is done%n",
                    pairList.length, pairList.length == 1 ? "" : "s", conditions, resolution, resolution,
                    grid.equals("prior") ? "the prior's box" : "the samples' range widened by 10%",
                    (long) pairList.length * conditions * resolution * resolution, Parallel.threads());
            long t0 = System.nanoTime();
            PosteriorCorrelations.Conditional cc = PosteriorCorrelations.conditional(
                    theta -> posterior.logProbUncorrected(theta, xo), Arrays.copyOf(drawn, conditions), pairList,
                    box[0], box[1], resolution, ProgressLines.every10Seconds(log, "pair grids"));
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (!cc.complete()) {
                o.printf(Locale.ROOT, "interrupted after %,d of %,d conditions; the table holds those%n",
                        cc.conditionsDone(), conditions);
            }
            printPairs(o, cc, marginal, seconds, names);
            if (outFile != null) {
                Npy.writeAtomically(outFile, csv(cc, marginal, names).getBytes(StandardCharsets.UTF_8));
                o.println("correlations written to " + outFile);
            }
            if (plotFile != null) {
                double[] means = new double[cc.pairs().length];
                for (int p = 0; p < means.length; p++) means[p] = cc.mean(p);
                String[] labels = names.toArray(String[]::new);
                CorrelationPlot.writePng(CorrelationPlot.fromPairs(d, cc.pairs(), means), marginal, labels,
                        "conditional (above) and marginal (below) correlations", plotFile);
                o.println("correlation matrices drawn to " + plotFile);
            }
            return cc.complete() ? 0 : NpeCommand.EXIT_INTERRUPTED;
        }
    }

    /** "all", or i:j,... with parameters by number from 1 or by name (theirs, or theta_i); as 0-based index pairs. */
    static int[][] parsePairs(CommandLine cl, String spec, List<String> names) {
        int d = names.size();
        String s = spec.strip();
        List<int[]> list = new ArrayList<>();
        if (s.equalsIgnoreCase("all")) {
            for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) list.add(new int[] {i, j});
            return list.toArray(new int[0][]);
        }
        for (String item : s.split(",", -1)) {
            String[] ij = item.strip().split(":", -1);
            if (ij.length != 2) {
                throw new ParameterException(cl, "--pairs: '" + item.strip() + "' is not a pair i:j; give 'all' or"
                        + " pairs such as 1:2,1:3 (numbers from 1, or names such as " + names.get(0) + ":"
                        + names.get(1) + ")");
            }
            int i = parameter(cl, ij[0].strip(), names), j = parameter(cl, ij[1].strip(), names);
            if (i == j) throw new ParameterException(cl, "--pairs: '" + item.strip() + "' pairs a parameter with itself");
            // A pair named twice, either way round, is computed once.
            boolean seen = false;
            for (int[] p : list) seen |= p[0] == i && p[1] == j || p[0] == j && p[1] == i;
            if (!seen) list.add(new int[] {i, j});
        }
        return list.toArray(new int[0][]);
    }

    private static int parameter(CommandLine cl, String token, List<String> names) {
        int d = names.size();
        int named = names.indexOf(token);
        if (named >= 0) return named;
        String t = token.toLowerCase(Locale.ROOT);
        String number = t.startsWith("theta_") ? t.substring("theta_".length()) : t;
        try {
            int k = Integer.parseInt(number);
            if (k >= 1 && k <= d) return k - 1;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(cl, "--pairs: '" + token + "' is not a parameter; give a number 1.." + d
                + " or a name (" + (d <= 12 ? String.join(", ", names) : names.get(0) + ", ..., " + names.get(d - 1))
                + ")");
    }

    private static void printMatrix(PrintStream o, double[][] r, List<String> names) {
        int d = r.length;
        if (d > PRINTED_MATRIX) {
            o.printf(Locale.ROOT, "marginal correlations: %d x %d (in the table below, and in --out)%n", d, d);
            return;
        }
        int w = SampleCommand.width(names, 9);
        o.println("marginal correlations (Pearson, over the posterior samples):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-" + w + "s", ""));
        for (int b = 0; b < d; b++) head.append(String.format(Locale.ROOT, " %" + w + "s", names.get(b)));
        o.println(head);
        for (int a = 0; a < d; a++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-" + w + "s", names.get(a)));
            for (int b = 0; b < d; b++) line.append(String.format(Locale.ROOT, " %" + w + ".3f", r[a][b]));
            o.println(line);
        }
    }

    /** Every pair up to PRINTED_PAIRS; beyond, the PRINTED_PAIRS strongest by |conditional mean|. */
    private static void printPairs(PrintStream o, PosteriorCorrelations.Conditional cc, double[][] marginal,
                                   double seconds, List<String> names) {
        Integer[] order = new Integer[cc.pairs().length];
        for (int p = 0; p < order.length; p++) order[p] = p;
        boolean all = order.length <= PRINTED_PAIRS;
        if (!all) {
            Arrays.sort(order, Comparator.comparingDouble((Integer p) -> {
                double m = cc.mean(p);
                return Double.isNaN(m) ? -1 : Math.abs(m);
            }).reversed());
        }
        List<String> pairNames = new ArrayList<>();
        for (int[] pair : cc.pairs()) pairNames.add(pair(names, pair));
        int w = SampleCommand.width(pairNames, 21);
        o.printf(Locale.ROOT, "%s (%s):%n", all ? "pairs" : "the " + PRINTED_PAIRS + " strongest conditional"
                + " correlations of " + order.length + " pairs", StoreListener.duration(seconds));
        o.printf(Locale.ROOT, "  %-" + w + "s %10s %18s %10s%n", "pair", "marginal", "conditional", "conditions");
        for (int k = 0; k < Math.min(order.length, PRINTED_PAIRS); k++) {
            int p = order[k], i = cc.pairs()[p][0], j = cc.pairs()[p][1];
            o.printf(Locale.ROOT, "  %-" + w + "s %10.3f %8.3f ± %7.3f %10d%n", pair(names, cc.pairs()[p]),
                    marginal[i][j], cc.mean(p), cc.sd(p), cc.count(p));
        }
    }

    private static String pair(List<String> names, int[] pair) {
        return names.get(pair[0]) + " – " + names.get(pair[1]);
    }

    static String csv(PosteriorCorrelations.Conditional cc, double[][] marginal, List<String> names) {
        StringBuilder b = new StringBuilder("i,j,parameter_i,parameter_j,marginal,conditional_mean,conditional_sd,"
                + "conditions\n");
        for (int p = 0; p < cc.pairs().length; p++) {
            int i = cc.pairs()[p][0], j = cc.pairs()[p][1];
            b.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%.6f,%.6f,%.6f,%d%n", i + 1, j + 1, names.get(i),
                    names.get(j), marginal[i][j], cc.mean(p), cc.sd(p), cc.count(p)));
        }
        return b.toString();
    }
}
