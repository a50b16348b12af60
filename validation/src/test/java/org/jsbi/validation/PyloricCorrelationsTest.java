package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.diagnostics.PosteriorCorrelations;
import org.jsbi.dist.BoxUniform;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.flow.MafFile;
import org.jsbi.io.Npy;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.posterior.TruncatedPriorFile;
import org.jsbi.random.Rng;
import org.jsbi.sim.stg.PyloricNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pyloric posterior's correlation analysis on a small untrained flow (any density will do for the plumbing). */
class PyloricCorrelationsTest {

    @TempDir
    Path tmp;

    private static final BoxUniform PRIOR = PyloricNetwork.prior();

    /** An infer-style directory: a small MAF z-scored to the prior's box and 40 prior draws as "posterior samples". */
    private Path posteriorDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Backend be = Backends.current();
        float[][] prior = PRIOR.sample(2_000, new Rng(5));
        float[][] byDim = new float[31][prior.length];
        for (int i = 0; i < prior.length; i++) for (int c = 0; c < 31; c++) byDim[c][i] = prior[i][c];
        float[][] xs = new float[18][100];
        Rng r = new Rng(6);
        for (float[] row : xs) for (int i = 0; i < row.length; i++) row[i] = (float) (10 * r.nextGaussian());
        Maf maf = new Maf(be, 31, 18, ZScore.fit(byDim), ZScore.fit(xs),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(16), new Rng(7));
        MafFile.save(maf, dir.resolve(PyloricInference.MODEL_FILE));
        Npy.write(dir.resolve("posterior.npy"), PRIOR.sample(40, new Rng(8)));
        return dir;
    }

    private static double[] direct(Path dir, float[] xo, float[][] conditions, int[][] pairs, int res)
            throws IOException {
        Maf maf = MafFile.load(dir.resolve(PyloricInference.MODEL_FILE), Backends.current());
        DirectPosterior post = new DirectPosterior(maf, PRIOR, PosteriorConfig.defaults());
        PosteriorCorrelations.Conditional cc = PosteriorCorrelations.conditional(
                t -> post.logProbUncorrected(t, xo), conditions, pairs, PRIOR.low(), PRIOR.high(), res, null);
        double[] means = new double[pairs.length];
        for (int p = 0; p < pairs.length; p++) means[p] = cc.mean(p);
        return means;
    }

    @Test
    void writesTheTablesAndTheyAreTheDirectComputation() throws IOException {
        Path dir = posteriorDir(tmp.resolve("post"));
        int[][] pairs = PyloricCorrelations.parsePairs("3:6,LP_A:LP_H");
        StringWriter log = new StringWriter();
        PyloricCorrelations.Result r = PyloricCorrelations.run(PyloricCorrelations.Settings.defaults(dir)
                .withConditions(3).withPairs(pairs).withResolution(8), new PrintWriter(log, true));
        assertTrue(r.conditional().complete());
        assertEquals(3, r.conditional().conditions());
        float[][] samples = Npy.readMatrix(dir.resolve("posterior.npy"));
        double[][] marginal = PosteriorCorrelations.marginal(samples);
        for (int i = 0; i < 31; i++) assertArrayEquals(marginal[i], r.marginal()[i], 0);
        float[] xo = PyloricInference.readObservation(PyloricInference.experimentalObservation());
        double[] expected = direct(dir, xo, java.util.Arrays.copyOf(samples, 3), pairs, 8);
        for (int p = 0; p < 2; p++) {
            assertEquals(expected[p], r.conditional().mean(p), 0, "pair " + p);
            assertEquals(3, r.conditional().count(p));
        }
        List<String> csv = Files.readAllLines(dir.resolve(PyloricCorrelations.CONDITIONAL_FILE),
                StandardCharsets.UTF_8);
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("3,6,AB/PD_A,AB/PD_H,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("11,14,LP_A,LP_H,"), csv.get(2));
        String md = Files.readString(dir.resolve(PyloricCorrelations.SUMMARY_FILE));
        assertEquals(r.summary(), md);
        for (String s : new String[] {"| 3, 6 | AB/PD_A – AB/PD_H |", "8 x 8 grid", "first 3 samples",
            "ḡ_A – ḡ_H: conditionally positive in", "of the 2 neurons computed", "Mean |r| over these 2 pairs"}) {
            assertTrue(md.contains(s), "summary lacks '" + s + "':\n" + md);
        }
        assertTrue(log.toString().contains("2 pairs x 3 posterior samples on 8 x 8 grids"), log.toString());
        float[][] npy = Npy.readMatrix(dir.resolve(PyloricCorrelations.MARGINAL_FILE));
        assertEquals(31, npy.length);
        assertEquals((float) marginal[3][6], npy[3][6], 0);
    }

    /**
     * The summary's check of the paper's finding (ḡ_A – ḡ_H conditionally positive in all three neurons) counts a pair
     * given in either order, and a pair whose every grid was degenerate (NaN) as undetermined: it read as "not
     * positive", a contradiction of the paper that nothing was computed for, and 14:11 was not found at all.
     */
    @Test
    void theSignCheckOfTheAhPairsSkipsUndeterminedPairsAndTakesEitherOrder() {
        int[][] pairs = {{3, 6}, {14, 11}, {19, 22}};
        double[][] values = {{Double.NaN, Double.NaN}, {0.5, 0.4}, {0.3, 0.2}};
        PosteriorCorrelations.Conditional cc = new PosteriorCorrelations.Conditional(pairs, values, 2, 10);
        double[][] marginal = new double[31][31];
        PyloricCorrelations.Settings settings = PyloricCorrelations.Settings.defaults(tmp).withPairs(pairs)
                .withConditions(2).withResolution(10);
        String md = PyloricCorrelations.summary(settings, 2, marginal, cc, 1.0);
        assertTrue(md.contains("ḡ_A – ḡ_H: conditionally positive in 2 of the 2 neurons computed (the paper: all 3);"
                + " 1 more without a finite conditional correlation."), md);

        double[][] none = {{Double.NaN, Double.NaN}};
        md = PyloricCorrelations.summary(settings, 2, marginal, new PosteriorCorrelations.Conditional(
                new int[][] {{3, 6}}, none, 2, 10), 1.0);
        assertTrue(md.contains("ḡ_A – ḡ_H: no finite conditional correlation in the 1 neuron(s) asked for"), md);
        assertFalse(md.contains("conditionally positive in"), md);
    }

    /**
     * A rerun replaces the tables by renaming a finished file onto them, never by rewriting them in place, where a
     * crash or a full disk midway would leave a truncated table: a hard link to the earlier file (a reader holding it
     * open, say) still sees the earlier table, whole.
     */
    @Test
    void aRerunReplacesTheTablesAtomically() throws IOException {
        Path dir = posteriorDir(tmp.resolve("post"));
        PyloricCorrelations.Settings settings = PyloricCorrelations.Settings.defaults(dir).withConditions(2)
                .withPairs(new int[][] {{3, 6}}).withResolution(6);
        PyloricCorrelations.run(settings, new PrintWriter(new StringWriter(), true));
        Path md = dir.resolve(PyloricCorrelations.SUMMARY_FILE), csv = dir.resolve(PyloricCorrelations.CONDITIONAL_FILE);
        String mdBefore = Files.readString(md), csvBefore = Files.readString(csv);
        Path mdLink = Files.createLink(tmp.resolve("earlier.md"), md);
        Path csvLink = Files.createLink(tmp.resolve("earlier.csv"), csv);

        PyloricCorrelations.Result r = PyloricCorrelations.run(settings.withConditions(3),
                new PrintWriter(new StringWriter(), true));
        assertEquals(r.summary(), Files.readString(md));
        assertFalse(mdBefore.equals(Files.readString(md)), "the rerun's table differs (3 conditions, not 2)");
        assertEquals(mdBefore, Files.readString(mdLink), "correlations.md was rewritten in place");
        assertEquals(csvBefore, Files.readString(csvLink), "conditional-correlations.csv was rewritten in place");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }
    }

    /**
     * Ctrl-C (an interrupt of the running thread, as StopOnShutdown sends it) as the grids start: the partial tables go
     * to correlations.partial.md and conditional-correlations.partial.csv, a complete run's tables stay as they were,
     * and the next complete run removes the partial ones.
     */
    @Test
    void anInterruptedRunNeverReplacesACompleteRunsTables() throws IOException {
        Path dir = posteriorDir(tmp.resolve("post"));
        // 50 x 50 grids: 3 (condition, pair) units per batch, so the interrupt stops the 6 units after the first 3.
        PyloricCorrelations.Settings settings = PyloricCorrelations.Settings.defaults(dir).withConditions(3)
                .withPairs(new int[][] {{3, 6}, {11, 14}}).withResolution(50);
        PyloricCorrelations.Result complete = PyloricCorrelations.run(settings, new PrintWriter(new StringWriter(), true));
        assertTrue(complete.conditional().complete());
        assertEquals(dir.resolve(PyloricCorrelations.SUMMARY_FILE), complete.summaryFile());
        String md = Files.readString(dir.resolve(PyloricCorrelations.SUMMARY_FILE));
        String csv = Files.readString(dir.resolve(PyloricCorrelations.CONDITIONAL_FILE));
        byte[] png = Files.readAllBytes(dir.resolve(PyloricCorrelations.PLOT_FILE));

        StringWriter log = new StringWriter() {
            @Override
            public void write(String str, int off, int len) {
                super.write(str, off, len);
                if (str.contains("Ctrl-C stops")) Thread.currentThread().interrupt();
            }
        };
        PyloricCorrelations.Result partial;
        try {
            partial = PyloricCorrelations.run(settings, new PrintWriter(log, true));
        } finally {
            Thread.interrupted();
        }
        assertFalse(partial.conditional().complete());
        Path partialMd = dir.resolve(PyloricCorrelations.PARTIAL_SUMMARY_FILE);
        Path partialCsv = dir.resolve(PyloricCorrelations.PARTIAL_CONDITIONAL_FILE);
        assertEquals(partialMd, partial.summaryFile());
        assertEquals(md, Files.readString(dir.resolve(PyloricCorrelations.SUMMARY_FILE)), "the complete table was replaced");
        assertEquals(csv, Files.readString(dir.resolve(PyloricCorrelations.CONDITIONAL_FILE)), "the complete csv was replaced");
        assertEquals(partial.summary(), Files.readString(partialMd));
        assertTrue(partial.summary().contains("**Interrupted**: 1 of 3 conditions computed")
                && partial.summary().contains("`" + PyloricCorrelations.PARTIAL_CONDITIONAL_FILE + "`"), partial.summary());
        assertEquals(3, Files.readAllLines(partialCsv).size());
        assertArrayEquals(png, Files.readAllBytes(dir.resolve(PyloricCorrelations.PLOT_FILE)), "the picture was replaced");
        assertTrue(Files.exists(dir.resolve(PyloricCorrelations.PARTIAL_PLOT_FILE)));
        assertTrue(log.toString().contains("interrupted after 1 of 3 conditions; writing what was computed to "
                + partialMd + " and " + partialCsv + " (a complete correlations.md and conditional-correlations.csv, if"
                + " there, stay as they are"), log.toString());

        PyloricCorrelations.run(settings, new PrintWriter(new StringWriter(), true));
        assertFalse(Files.exists(partialMd) || Files.exists(partialCsv)
                || Files.exists(dir.resolve(PyloricCorrelations.PARTIAL_PLOT_FILE)), "a complete run removes the partial tables");
    }

    @Test
    void usesTheObservationItsTruncatedPriorRecordsAndRefusesAnother() throws IOException {
        Path dir = posteriorDir(tmp.resolve("post"));
        float[] xo = PyloricInference.readObservation(PyloricInference.experimentalObservation());
        float[] other = xo.clone();
        other[0] += 100;
        Maf maf = MafFile.load(dir.resolve(PyloricInference.MODEL_FILE), Backends.current());
        DirectPosterior post = new DirectPosterior(maf, PRIOR, PosteriorConfig.defaults());
        TruncatedPriorFile.write(dir.resolve(PyloricInference.PROPOSAL_FILE),
                new TruncatedPrior(post, other, -1e30, "test"), dir.resolve(PyloricInference.MODEL_FILE), 1e-4, 40);
        int[][] pairs = {{3, 6}};
        PyloricCorrelations.Result r = PyloricCorrelations.run(PyloricCorrelations.Settings.defaults(dir)
                .withConditions(2).withPairs(pairs).withResolution(6), new PrintWriter(new StringWriter(), true));
        float[][] samples = Npy.readMatrix(dir.resolve("posterior.npy"));
        double withRecorded = direct(dir, other, java.util.Arrays.copyOf(samples, 2), pairs, 6)[0];
        double withPapers = direct(dir, xo, java.util.Arrays.copyOf(samples, 2), pairs, 6)[0];
        assertEquals(withRecorded, r.conditional().mean(0), 0);
        assertTrue(withRecorded != withPapers, "the two observations give different densities");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyloricCorrelations.run(
                PyloricCorrelations.Settings.defaults(dir).withConditions(2).withPairs(pairs).withResolution(6)
                        .withObservation(PyloricInference.experimentalObservation()),
                new PrintWriter(new StringWriter(), true)));
        assertTrue(e.getMessage().contains("leave out --xo"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutAPosteriorIsAClearError() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyloricCorrelations.run(
                PyloricCorrelations.Settings.defaults(empty), new PrintWriter(new StringWriter(), true)));
        assertTrue(e.getMessage().contains("give the directory written by 'jsbi pyloric infer --out DIR'"),
                e.getMessage());
    }

    @Test
    void pairsAreParsedFromIndicesNamesOrTheTwoPresets() {
        assertEquals(10, PyloricCorrelations.parsePairs("paper").length);
        assertEquals(465, PyloricCorrelations.parsePairs("ALL").length);
        int[][] p = PyloricCorrelations.parsePairs(" AB/PD_A:AB/PD_H, 14:30 ,py_h:syn_LP-PY");
        assertArrayEquals(new int[] {3, 6}, p[0]);
        assertArrayEquals(new int[] {14, 30}, p[1]);
        assertArrayEquals(new int[] {22, 29}, p[2]);
        for (String[] c : new String[][] {{"3-6", "is not i:j"}, {"3:31", "neither a parameter index 0..30"},
            {"LP_H:LP_H", "names one parameter twice"}, {"3:Na", "nor a parameter name"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PyloricCorrelations.parsePairs(c[0]));
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
        // The paper's pairs name what PAPER.md §5.8 says: A and H within each neuron, then H and synapses.
        String[] n = PyloricNetwork.PARAMETER_NAMES;
        for (int k = 0; k < PyloricCorrelations.A_H_PAIRS; k++) {
            int[] q = PyloricCorrelations.PAPER_PAIRS[k];
            assertTrue(n[q[0]].endsWith("_A") && n[q[1]].endsWith("_H"), n[q[0]] + " " + n[q[1]]);
        }
        for (int k = PyloricCorrelations.A_H_PAIRS; k < 10; k++) {
            int[] q = PyloricCorrelations.PAPER_PAIRS[k];
            assertTrue(n[q[0]].endsWith("_H") && n[q[1]].startsWith("syn_"), n[q[0]] + " " + n[q[1]]);
        }
    }
}
