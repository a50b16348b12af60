package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jsbi.backend.Backends;
import org.jsbi.cli.NpeCommandTest.Printed;
import org.jsbi.cli.PyloricCommandTest.Run;
import org.jsbi.diagnostics.PosteriorCorrelations;
import org.jsbi.posterior.DirectPosterior;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code jsbi correlations}: a saved posterior's marginal and conditional correlations from the command line are
 * the library's for the same file and seed, an interrupt keeps the conditions finished, and bad input is refused
 * before any sampling.
 */
class CorrelationsCommandTest {

    @TempDir
    static Path tmp;
    static Path file;
    static DirectPosterior posterior;

    @BeforeAll
    static void trainASmallPosterior() throws IOException {
        file = SampleCommandTest.smallTwoMoonsPosterior(tmp);
        posterior = DirectPosterior.load(file, Backends.current());
    }

    @Test
    void theTableIsTheLibrarysForTheSameSeed() throws IOException {
        Path out = tmp.resolve("c/correlations.csv");
        Printed p = NpeCommandTest.printed("correlations", "--posterior", file.toString(), "--observation", "0.1,-0.2",
                "--samples", "300", "--conditions", "20", "--resolution", "20", "--seed", "5", "--out", out.toString(),
                "--plot", tmp.resolve("c/matrices.png").toString());
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        float[] xo = {0.1f, -0.2f};
        float[][] drawn = posterior.sample(300, xo, 5);
        double[][] marginal = PosteriorCorrelations.marginal(drawn);
        double[][] range = org.jsbi.diagnostics.ParameterRanges.aroundSamples(posterior.prior(), drawn);
        assertTrue(range[0][0] >= -1 && range[1][1] <= 1, "within the prior's box");
        PosteriorCorrelations.Conditional cc = PosteriorCorrelations.conditional(
                theta -> posterior.logProbUncorrected(theta, xo), Arrays.copyOf(drawn, 20), new int[][] {{0, 1}},
                range[0], range[1], 20, null);
        List<String> lines = Files.readAllLines(out);
        assertEquals(List.of("i,j,parameter_i,parameter_j,marginal,conditional_mean,conditional_sd,conditions",
                String.format(java.util.Locale.ROOT, "1,2,theta_1,theta_2,%.6f,%.6f,%.6f,20", marginal[0][1],
                        cc.mean(0), cc.sd(0))),
                lines);
        assertTrue(Double.isFinite(cc.mean(0)), "a two_moons posterior's pair has a correlation: " + cc.mean(0));
        assertTrue(p.out().contains("over the samples' range widened by 10%"), p.out());
        assertTrue(p.out().contains(String.format(java.util.Locale.ROOT, "  %-21s %10.3f %8.3f ± %7.3f %10d",
                "theta_1 – theta_2", marginal[0][1], cc.mean(0), cc.sd(0), 20)), p.out());
        assertTrue(p.out().contains("correlations written to " + out), p.out());
        assertTrue(p.out().contains("correlation matrices drawn to " + tmp.resolve("c/matrices.png")), p.out());
        assertTrue(javax.imageio.ImageIO.read(tmp.resolve("c/matrices.png").toFile()).getWidth() > 200);

        // --grid prior: the paper's grids over the prior's box.
        Printed q = NpeCommandTest.printed("correlations", "--posterior", file.toString(), "--observation",
                "0.1,-0.2", "--samples", "300", "--conditions", "20", "--resolution", "20", "--seed", "5", "--grid",
                "prior", "--out", out.toString());
        assertEquals(0, q.run().code(), q.run() + "\n" + q.out());
        PosteriorCorrelations.Conditional onBox = PosteriorCorrelations.conditional(
                theta -> posterior.logProbUncorrected(theta, xo), Arrays.copyOf(drawn, 20), new int[][] {{0, 1}},
                new double[] {-1, -1}, new double[] {1, 1}, 20, null);
        assertTrue(q.out().contains("over the prior's box"), q.out());
        assertEquals(String.format(java.util.Locale.ROOT, "1,2,theta_1,theta_2,%.6f,%.6f,%.6f,20", marginal[0][1],
                onBox.mean(0), onBox.sd(0)), Files.readAllLines(out).get(1));
    }

    /** Ctrl-C once the grids begin: the conditions finished are in --out, and the run exits 130. */
    @Test
    void anInterruptKeepsTheConditionsFinished() throws Exception {
        Path out = tmp.resolve("interrupted.csv");
        // Enough grids that the interrupt comes long before they are done.
        Printed p = NpeCommandTest.interruptedOnceItPrints("conditional correlations:", "correlations", "--posterior",
                file.toString(), "--observation", "0.1,-0.2", "--samples", "5000", "--conditions", "5000",
                "--resolution", "100", "--out", out.toString());
        assertEquals(NpeCommand.EXIT_INTERRUPTED, p.run().code(), p.run() + "\n" + p.out());
        assertTrue(p.out().matches("(?s).*interrupted after [0-9,]+ of 5,000 conditions; the table holds those.*"),
                p.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        int conditions = Integer.parseInt(lines.get(1).substring(lines.get(1).lastIndexOf(',') + 1));
        assertTrue(conditions < 5_000, lines.get(1));
    }

    @Test
    void pairsAreNumberedFromOneOrNamed() {
        CommandLine cl = new CommandLine(new CorrelationsCommand());
        List<String> theta = DirectPosterior.defaultNames(3), named = List.of("g_Na", "g_K", "E_leak");
        assertArrayEquals(new int[][] {{0, 1}, {0, 2}, {1, 2}}, CorrelationsCommand.parsePairs(cl, "all", theta));
        assertArrayEquals(new int[][] {{0, 2}, {1, 0}}, CorrelationsCommand.parsePairs(cl, "1:3, theta_2:THETA_1",
                theta));
        // A pair named twice, either way round, is computed once.
        assertArrayEquals(new int[][] {{0, 1}}, CorrelationsCommand.parsePairs(cl, "1:2,2:1,theta_1:theta_2", theta));
        // The posterior's own names, and still the numbers.
        assertArrayEquals(new int[][] {{0, 2}, {1, 0}}, CorrelationsCommand.parsePairs(cl, "g_Na:E_leak,2:1", named));
        for (String bad : new String[] {"0:1", "1:4", "1-2", "1:1", "a:b", ""}) {
            assertThrows(ParameterException.class, () -> CorrelationsCommand.parsePairs(cl, bad, theta), bad);
        }
        ParameterException e = assertThrows(ParameterException.class,
                () -> CorrelationsCommand.parsePairs(cl, "g_Na:g_Ca", named));
        assertTrue(e.getMessage().contains("'g_Ca' is not a parameter; give a number 1..3 or a name (g_Na, g_K,"
                + " E_leak)"), e.getMessage());
    }

    @Test
    void badInputIsRefusedWithWhatToDo() {
        String f = file.toString();
        String[][] cases = {
            {"Missing required option: '--observation", "correlations", "--posterior", f},
            {"--observation has 3 values but the posterior's data have 2 dimensions", "correlations", "--posterior", f,
                "--observation", "1,2,3"},
            {"--conditions 600 exceeds --samples 500", "correlations", "--posterior", f, "--observation", "0,0",
                "--samples", "500", "--conditions", "600"},
            {"--resolution must be 2..200, got 1", "correlations", "--posterior", f, "--observation", "0,0",
                "--resolution", "1"},
            {"--pairs: '3' is not a parameter; give a number 1..2", "correlations", "--posterior", f, "--observation",
                "0,0", "--pairs", "1:3"},
            {"--grid must be 'samples' or 'prior', got 'box'", "correlations", "--posterior", f, "--observation",
                "0,0", "--grid", "box"},
            {"--out and --plot are the same file", "correlations", "--posterior", f, "--observation", "0,0", "--out",
                tmp.resolve("c.png").toString(), "--plot", tmp.resolve("c.png").toString()},
            {"--out " + f + " is the --posterior file", "correlations", "--posterior", f, "--observation", "0,0",
                "--out", f},
            {"no such file; give a file written by jsbi train --save-posterior", "correlations", "--posterior",
                tmp.resolve("missing.jsbi").toString(), "--observation", "0,0"},
        };
        for (String[] c : cases) {
            Run r = PyloricCommandTest.jsbi(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
            assertFalse(r.out().contains("marginal correlations"), r.toString());
        }
    }
}
