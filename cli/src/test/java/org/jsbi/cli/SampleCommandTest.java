package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jsbi.backend.Backends;
import org.jsbi.cli.NpeCommandTest.Printed;
import org.jsbi.cli.PyloricCommandTest.Run;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.io.Npy;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi sample}: a saved posterior sampled from the command line gives the samples the Java API gives for the
 * same file and seed, its marginals are those samples', and bad input is refused before any sampling.
 */
class SampleCommandTest {

    @TempDir
    static Path tmp;
    static Path file;
    static DirectPosterior posterior;

    @BeforeAll
    static void trainASmallPosterior() throws IOException {
        file = smallTwoMoonsPosterior(tmp);
        posterior = DirectPosterior.load(file, Backends.current());
    }

    /** A two_moons posterior of 5 epochs on 1,000 simulations (seed 3), saved in {@code dir}. */
    static Path smallTwoMoonsPosterior(Path dir) throws IOException {
        BenchmarkTask t = BenchmarkTasks.byName("two_moons");
        NpeConfig cfg = NpeConfig.defaults().withTraining(NpeConfig.defaults().training().withMaxEpochs(5).withSeed(3));
        Path f = dir.resolve("two_moons.jsbi");
        new Npe(cfg).run(t.simulator(), t.prior(), 1_000, 3).posterior(t.prior()).save(f);
        return f;
    }

    @Test
    void oneObservationGivesTheApisSamplesAndTheirMarginals() throws IOException {
        Path out = tmp.resolve("one/samples.csv");
        Printed p = NpeCommandTest.printed("sample", "--posterior", file.toString(), "--observation", "0.1, -0.2",
                "--samples", "500", "--seed", "7", "--out", out.toString(), "--map");
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        float[][] expected = posterior.sample(500, new float[] {0.1f, -0.2f}, 7);
        List<String> lines = Files.readAllLines(out);
        assertEquals("theta_1,theta_2", lines.getFirst());
        assertEquals(501, lines.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], row(lines.get(i + 1), 0), "row " + (i + 1));
        }
        double mean = 0;
        for (float[] r : expected) mean += r[0];
        mean /= expected.length;
        float[] sorted = new float[expected.length];
        for (int i = 0; i < sorted.length; i++) sorted[i] = expected[i][0];
        Arrays.sort(sorted);
        String theta1 = String.format(Locale.ROOT, "  %-9s %11.5g", "theta_1", mean);
        assertTrue(p.out().contains(theta1), theta1 + "\n" + p.out());
        assertTrue(p.out().contains(String.format(Locale.ROOT, "%11.5g %11.5g",
                SampleCommand.quantile(sorted, 0.5), SampleCommand.quantile(sorted, 0.975))), p.out());
        assertTrue(p.out().contains("samples written to " + out + " (1 observation)"), p.out());
        float[] map = posterior.map(new float[] {0.1f, -0.2f}, 7);
        assertTrue(p.out().contains(String.format(Locale.ROOT, " %11.5g%n", map[1])), p.out());
    }

    @Test
    void aFileOfObservationsIsSampledWithSeedPlusIndexAndNumbered() throws IOException {
        Path obs = tmp.resolve("obs.csv");
        Files.writeString(obs, "x1,x2\n0.1,-0.2\n0.0,0.3\n-0.25,0.05\n");
        Path out = tmp.resolve("many.csv");
        Printed p = NpeCommandTest.printed("sample", "--posterior", file.toString(), "--observations", obs.toString(),
                "--samples", "50", "--seed", "11", "--out", out.toString());
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("observation,theta_1,theta_2", lines.getFirst());
        assertEquals(1 + 3 * 50, lines.size());
        float[][] xs = {{0.1f, -0.2f}, {0f, 0.3f}, {-0.25f, 0.05f}};
        for (int i = 0; i < 3; i++) {
            float[][] expected = posterior.sample(50, xs[i], 11 + i);
            for (int r = 0; r < 50; r++) {
                String line = lines.get(1 + i * 50 + r);
                assertTrue(line.startsWith((i + 1) + ","), line);
                assertArrayEquals(expected[r], row(line, 1), "observation " + (i + 1) + " row " + r);
            }
        }
        assertTrue(p.out().contains("observation 3: acceptance inside the prior"), p.out());

        // The same observations as a .npy matrix give the same samples.
        Path npy = tmp.resolve("obs.npy");
        Npy.write(npy, xs);
        Path out2 = tmp.resolve("many-npy.csv");
        Printed q = NpeCommandTest.printed("sample", "--posterior", file.toString(), "--observations", npy.toString(),
                "--samples", "50", "--seed", "11", "--out", out2.toString());
        assertEquals(0, q.run().code(), q.run() + "\n" + q.out());
        assertEquals(lines, Files.readAllLines(out2));
    }

    /**
     * Ctrl-C (an interrupt of the command's thread, as its shutdown hook sends) after the first of three observations:
     * the finished observation is written and the run exits 130.
     */
    @Test
    void anInterruptKeepsTheObservationsFinished() throws IOException {
        // After observation 1's marginals are out: observation 2's sampling stops.
        interruptAfter("  theta_2 ", "--samples", "20");
        // As observation 1's marginals begin, with --map: its MAP's starting samples stop. It used to end as a
        // failure (exit 1) with nothing written.
        interruptAfter("observation 1: acceptance", "--samples", "20", "--map");
    }

    private void interruptAfter(String line, String... options) throws IOException {
        Path obs = tmp.resolve("three.csv");
        Files.writeString(obs, "a,b\n0.1,-0.2\n0.0,0.3\n-0.25,0.05\n");
        Path out = tmp.resolve("interrupted.csv");
        Files.deleteIfExists(out);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Run r;
        try {
            // Interrupts the printing thread, the command's, once that line is out.
            System.setOut(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    buf.write(b);
                    if (b == '\n' && buf.toString(StandardCharsets.UTF_8).contains(line)) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, true, StandardCharsets.UTF_8));
            List<String> args = new java.util.ArrayList<>(List.of("sample", "--posterior", file.toString(),
                    "--observations", obs.toString(), "--out", out.toString()));
            args.addAll(List.of(options));
            r = PyloricCommandTest.jsbi(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
            Thread.interrupted();
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertEquals(NpeCommand.EXIT_INTERRUPTED, r.code(), r + "\n" + printed);
        assertTrue(printed.contains("interrupted: 1 of 3 observations sampled; those are in " + out), printed);
        assertEquals(21, Files.readAllLines(out).size());
        assertFalse(printed.contains("observation 2:"), printed);
    }

    /**
     * --predictive simulates the named model at the samples (seeded as the sampling): the median distance is the
     * library's for those simulations, and every feature gets its predictive quantiles and the observation's rank.
     */
    @Test
    void thePredictiveCheckSimulatesTheModelAtTheSamples() {
        Printed p = NpeCommandTest.printed("sample", "--posterior", file.toString(), "--observation", "0.1,-0.2",
                "--samples", "400", "--seed", "9", "--predictive", "two_moons");
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        float[] xo = {0.1f, -0.2f};
        float[][] drawn = posterior.sample(400, xo, 9);
        BenchmarkTask t = BenchmarkTasks.byName("two_moons");
        float[][] x = org.jsbi.simulation.Simulations.simulate(t.simulator(), drawn, 9);
        double distance = org.jsbi.validation.PredictiveCheck.medianDistance(x, xo);
        assertTrue(p.out().contains(String.format(Locale.ROOT, "posterior predictive (two_moons at 400 samples):"
                + " median distance to the observation %.4g (prior predictive ", distance)), p.out());
        float[] first = new float[x.length];
        int below = 0;
        for (int i = 0; i < x.length; i++) {
            first[i] = x[i][0];
            if (x[i][0] < xo[0]) below++;
        }
        Arrays.sort(first);
        assertTrue(p.out().contains(String.format(Locale.ROOT, "  %-9s %11.5g %11.5g %11.5g %11.5g %10.1f%%%n", "x_1",
                xo[0], SampleCommand.quantile(first, 0.025), SampleCommand.quantile(first, 0.5),
                SampleCommand.quantile(first, 0.975), 100.0 * below / x.length)), p.out());
        assertTrue(p.out().contains("  x_2 "), p.out());

        Run r = PyloricCommandTest.jsbi("sample", "--posterior", file.toString(), "--observation", "0,0",
                "--predictive", "gaussian_linear");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--predictive gaussian_linear: the model takes 10 parameters and simulates 10-D"
                + " data, but the posterior is over 2 parameters given 2-D data"), r.toString());
        r = PyloricCommandTest.jsbi("sample", "--posterior", file.toString(), "--observation", "0,0",
                "--predictive", "nosuch");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--predictive: unknown model 'nosuch'; jsbi simulates"), r.toString());
    }

    /**
     * --plot draws the API's samples of each observation over the prior's box (the MAP marked with --map), one file
     * per observation when there are several; a name that is no .png is refused before any sampling.
     */
    @Test
    void thePairPlotIsTheSamplesOverThePriorsBox() throws IOException {
        Path png = tmp.resolve("plots/pairs.png");
        Printed p = NpeCommandTest.printed("sample", "--posterior", file.toString(), "--observation", "0.1,-0.2",
                "--samples", "500", "--seed", "4", "--map", "--plot", png.toString());
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        assertTrue(p.out().contains("pair plot of observation 1 written to " + png + " (the MAP marked in red)"),
                p.out());
        float[] xo = {0.1f, -0.2f};
        java.awt.image.BufferedImage expected = org.jsbi.plot.PairPlot.render(posterior.sample(500, xo, 4),
                org.jsbi.plot.PairPlot.Options.of(new double[] {-1, -1}, new double[] {1, 1})
                        .withMarker(posterior.map(xo, 4)));
        java.awt.image.BufferedImage drawn = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(expected.getWidth(), drawn.getWidth());
        for (int y = 0; y < drawn.getHeight(); y++) {
            for (int x = 0; x < drawn.getWidth(); x++) {
                assertEquals(expected.getRGB(x, y), drawn.getRGB(x, y), "pixel " + x + "," + y);
            }
        }

        Path obs = tmp.resolve("two.csv");
        Files.writeString(obs, "a,b\n0.1,-0.2\n0.0,0.3\n");
        Path many = tmp.resolve("plots/many.png");
        Printed q = NpeCommandTest.printed("sample", "--posterior", file.toString(), "--observations", obs.toString(),
                "--samples", "100", "--plot", many.toString());
        assertEquals(0, q.run().code(), q.run() + "\n" + q.out());
        assertTrue(Files.isRegularFile(tmp.resolve("plots/many-1.png")) && Files.isRegularFile(
                tmp.resolve("plots/many-2.png")) && !Files.exists(many), q.out());

        Run r = PyloricCommandTest.jsbi("sample", "--posterior", file.toString(), "--observation", "0,0", "--plot",
                tmp.resolve("pairs.jpg").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("the pair plot is a PNG image; give a file name ending in .png"), r.toString());
    }

    /**
     * Two outputs in one file are refused before any sampling (the samples used to be replaced by the plot), the
     * numbered plots of several observations included; a posterior that records its simulator refuses another
     * model's predictive check.
     */
    @Test
    void outputsInOneFileAndAnotherModelsPredictiveAreRefused() throws IOException {
        Path same = tmp.resolve("same.png");
        Path obs = Files.writeString(tmp.resolve("two-obs.csv"), "a,b\n0.1,-0.2\n0.0,0.3\n");
        String f = file.toString();
        Path recorded = tmp.resolve("recorded.jsbi");
        posterior.withSimulator("two_moons").save(recorded);
        assertEquals("two_moons", DirectPosterior.load(recorded, Backends.current()).simulator().orElseThrow());
        String[][] cases = {
            {"--out and --plot are the same file, " + same, "sample", "--posterior", f, "--observation", "0,0",
                "--out", same.toString(), "--plot", same.toString()},
            {"--out and --plot (observation 2) are the same file", "sample", "--posterior", f, "--observations",
                obs.toString(), "--out", tmp.resolve("p-2.png").toString(), "--plot", tmp.resolve("p.png").toString()},
            {"--predictive gaussian_mixture: this posterior was trained on simulations of two_moons", "sample",
                "--posterior", recorded.toString(), "--observation", "0,0", "--predictive", "gaussian_mixture"},
        };
        for (String[] c : cases) {
            Run r = PyloricCommandTest.jsbi(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
        }
        assertFalse(Files.exists(same));
        // Without a record, a model whose prior is not the posterior's gets a note.
        Printed p = NpeCommandTest.printed("sample", "--posterior", f, "--observation", "0,0", "--samples", "50",
                "--predictive", "gaussian_mixture");
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        assertTrue(p.out().contains("note: this posterior does not record its simulator, and its prior is not"
                + " gaussian_mixture's"), p.out());
    }

    /**
     * A .npy vector is one observation of the posterior's data, or, where those are 1-D, one observation per entry
     * (np.save of a vector of scalar observations); read as one observation of n values it was refused as too wide.
     */
    @Test
    void aNpyVectorIsOneObservationOrOnePerEntryForOneDimensionalData() throws IOException {
        Path v = tmp.resolve("vector.npy");
        Npy.write(v, new float[] {0.5f, -1f, 2f});
        picocli.CommandLine cl = new picocli.CommandLine(new SampleCommand());
        assertArrayEquals(new float[][] {{0.5f}, {-1f}, {2f}}, SampleCommand.readObservations(cl, v, 1));
        assertArrayEquals(new float[][] {{0.5f, -1f, 2f}}, SampleCommand.readObservations(cl, v, 3));
    }

    @Test
    void badInputIsRefusedWithWhatToDo() throws IOException {
        Path nan = tmp.resolve("nan.csv");
        Files.writeString(nan, "x1,x2\n0.1,0.2\n0.3,NaN\n");
        Path wide = tmp.resolve("wide.npy");
        Npy.write(wide, new float[][] {{1, 2, 3}});
        // As np.savetxt writes it without header=: read with its first row as the header, the observations would be
        // sampled from the second on, numbered from 1.
        Path headless = tmp.resolve("headless.csv");
        Files.writeString(headless, "1.000000000000000056e-01,-2.000000000000000111e-01\n0.0,0.3\n-0.25,0.05\n");
        String f = file.toString();
        String[][] cases = {
            {"give the observation with --observation X1,X2,... or a file of them", "sample", "--posterior", f},
            {"(one of the two)", "sample", "--posterior", f, "--observation", "1,2", "--observations", nan.toString()},
            {"--observation has 3 values but the posterior's data have 2 dimensions", "sample", "--posterior", f,
                "--observation", "1,2,3"},
            {"--observation value 2 is 'nan', not a finite decimal number", "sample", "--posterior", f,
                "--observation", "1,nan"},
            {"--observation value 1 is '1e39', outside the float range", "sample", "--posterior", f,
                "--observation", "1e39,0"},
            {"line 3 column 2 is 'NaN', not a decimal number", "sample", "--posterior", f, "--observations",
                nan.toString()},
            {"observations have 3 values but the posterior's data have 2 dimensions", "sample", "--posterior", f,
                "--observations", wide.toString()},
            {"--samples must be at least 1, got 0", "sample", "--posterior", f, "--observation", "1,2", "--samples",
                "0"},
            {"no such file; give a file written by jsbi train --save-posterior, jsbi npe", "sample", "--posterior",
                tmp.resolve("missing.jsbi").toString(), "--observation", "1,2"},
            {"--observations " + tmp.resolve("none.csv") + ": no such file", "sample", "--posterior", f,
                "--observations", tmp.resolve("none.csv").toString()},
            {"line 1 is '1.000000000000000056e-01,-2.000000000000000111e-01': numbers, not a header row", "sample",
                "--posterior", f, "--observations", headless.toString()},
        };
        for (String[] c : cases) {
            Run r = PyloricCommandTest.jsbi(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
        }
    }

    /** --out naming the posterior or the observations file (a slip of the keyboard) is refused; both stay whole. */
    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws IOException {
        Path post = tmp.resolve("keep.jsbi");
        Files.copy(file, post);
        Path obs = tmp.resolve("keep.csv");
        Files.writeString(obs, "x1,x2\n0.1,-0.2\n");
        byte[] postBytes = Files.readAllBytes(post), obsBytes = Files.readAllBytes(obs);
        String[][] cases = {
            {"--out " + post + " is the --posterior file: writing there would replace it", "--observation", "0.1,-0.2",
                "--out", post.toString()},
            {"--out " + obs + " is the --observations file", "--observations", obs.toString(), "--out",
                tmp.resolve(".").resolve("keep.csv").toString()},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("sample", "--posterior", post.toString(),
                    "--samples", "10"));
            args.addAll(Arrays.asList(c).subList(1, c.length));
            Run r = PyloricCommandTest.jsbi(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
        }
        assertArrayEquals(postBytes, Files.readAllBytes(post));
        assertArrayEquals(obsBytes, Files.readAllBytes(obs));
    }

    /** An estimator's own model file (MafFile) is not a posterior: bad input, said in the command line's terms. */
    @Test
    void anEstimatorFileIsRefusedAsBadInput() throws IOException {
        Path maf = tmp.resolve("flow.maf");
        org.jsbi.flow.MafFile.save((org.jsbi.flow.Maf) posterior.estimator(), maf);
        Run r = PyloricCommandTest.jsbi("sample", "--posterior", maf.toString(), "--observation", "0,0");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("this is a 'maf' model file, not a posterior; jsbi sample takes a posterior saved"
                + " by jsbi train --save-posterior"), r.toString());
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        float[] v = {1, 2, 3, 4};
        assertEquals(2.5, SampleCommand.quantile(v, 0.5), 0);
        assertEquals(1.075, SampleCommand.quantile(v, 0.025), 1e-12);
        assertEquals(4, SampleCommand.quantile(v, 1), 0);
        assertEquals(7, SampleCommand.quantile(new float[] {7}, 0.975), 0);
    }

    /** A CSV line's values from column {@code from} on, as floats. */
    private static float[] row(String line, int from) {
        String[] cells = line.split(",");
        float[] r = new float[cells.length - from];
        for (int j = 0; j < r.length; j++) r[j] = Float.parseFloat(cells[from + j]);
        return r;
    }
}
