package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.io.Npy;
import org.jsbi.sim.stg.PyloricNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jsbi pyloric}: option parsing and checks, and {@code infer} on synthetic stores. */
class PyloricCommandTest {

    @TempDir
    Path tmp;

    /** The exit code, standard output and standard error of one in-process {@code jsbi} call. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Run jsbi(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Jsbi.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpNamesBothSteps() {
        Run r = jsbi("pyloric", "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("simulate") && r.out().contains("infer") && r.out().contains("correlations")
                && r.out().contains("calibration"), r.toString());
        assertTrue(r.out().contains("~1% of prior samples"), r.toString());
        Run top = jsbi("--help");
        assertTrue(top.out().contains("pyloric"), top.toString());
    }

    @Test
    void optionsParseWithTheirDefaults() {
        CommandLine cl = new CommandLine(new Jsbi());
        CommandLine.ParseResult pr = cl.parseArgs("pyloric", "infer", "--store", "a", "--store", "b", "--out", "o");
        PyloricCommand.Infer infer = (PyloricCommand.Infer) pr.subcommand().subcommand().commandSpec().userObject();
        assertEquals(List.of(Path.of("a"), Path.of("b")), infer.stores);
        assertEquals(Path.of("o"), infer.out);
        assertEquals(500, infer.ppc);
        assertEquals(10_000, infer.samples);
        assertEquals(1_000, infer.maxEpochs);
        assertEquals(50, infer.batchSize);
        assertEquals(1_000, infer.minTriphasic);
        assertEquals(1L, infer.seed);

        cl = new CommandLine(new Jsbi());
        pr = cl.parseArgs("pyloric", "simulate", "--store", "s", "--n", "100000", "--seed", "7", "--chunk", "512",
                "--threads", "1");
        PyloricCommand.Simulate sim = (PyloricCommand.Simulate) pr.subcommand().subcommand().commandSpec().userObject();
        assertEquals(Path.of("s"), sim.store);
        assertEquals(100_000L, sim.n);
        assertEquals(7L, sim.seed);
        assertEquals(512, sim.chunk);
        assertEquals(1, sim.threads);
        pr = new CommandLine(new Jsbi()).parseArgs("pyloric", "simulate", "--store", "s");
        sim = (PyloricCommand.Simulate) pr.subcommand().subcommand().commandSpec().userObject();
        assertEquals(null, sim.n, "resuming takes N, seed and chunk from the store");
        assertEquals(null, sim.seed);
        assertEquals(null, sim.chunk);
    }

    @Test
    void badOptionsAreRefusedWithAMessage() {
        Path s = tmp.resolve("s");
        String[][] cases = {
            {"Missing required option: '--store=DIR'", "pyloric", "simulate", "--n", "10"},
            {"--n must be at least 1", "pyloric", "simulate", "--store", s.toString(), "--n", "0"},
            {"--chunk must be at least 1", "pyloric", "simulate", "--store", s.toString(), "--n", "10", "--chunk", "0"},
            {"--threads must be at least 1", "pyloric", "simulate", "--store", s.toString(), "--n", "10", "--threads", "0"},
            {"Invalid value for option '--n'", "pyloric", "simulate", "--store", s.toString(), "--n", "lots"},
            {"Unknown options: '--budget'", "pyloric", "simulate", "--store", s.toString(), "--budget", "10"},
            {"no truncated prior at", "pyloric", "simulate", "--store", s.toString(), "--n", "10", "--proposal",
                tmp.resolve("none.properties").toString()},
            {"Missing required option: '--out=DIR'", "pyloric", "infer", "--store", s.toString()},
            {"--ppc (600) must not exceed --samples (500)", "pyloric", "infer", "--store", s.toString(), "--out", "o",
                "--ppc", "600", "--samples", "500"},
            {"--max-epochs must be at least 1", "pyloric", "infer", "--store", s.toString(), "--out", "o",
                "--max-epochs", "0"},
            {"--min-triphasic must be at least 2", "pyloric", "infer", "--store", s.toString(), "--out", "o",
                "--min-triphasic", "1"},
            {"--time-limit must be > 0 s", "pyloric", "infer", "--store", s.toString(), "--out", "o",
                "--time-limit", "0"},
            {"--threshold-samples must be at least 100", "pyloric", "infer", "--store", s.toString(), "--out", "o",
                "--threshold-samples", "99"},
        };
        for (String[] c : cases) {
            Run r = jsbi(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
        }
        assertFalse(Files.exists(s), "nothing is created by a refused command");
    }

    @Test
    void creatingAStoreWithoutNIsAClearError() {
        Run r = jsbi("pyloric", "simulate", "--store", tmp.resolve("new").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("give the number of networks to simulate (--n)"), r.toString());
    }

    @Test
    void inferRunsEndToEndOnASyntheticStore() throws IOException {
        Path store = SyntheticPyloricStore.make(tmp.resolve("store"), 1200, 3);
        Path out = tmp.resolve("posterior");
        // 20 epochs at batch 50 on ~600 rows: enough for ~30% of the flow's draws to land in the 31-D prior box
        // (an untrained MAF draws ~6x wider than the prior); the check simulates 2 x 4 real pyloric networks
        Run r = jsbi("pyloric", "infer", "--store", store.toString(), "--out", out.toString(), "--max-epochs", "20",
                "--samples", "200", "--ppc", "4", "--min-triphasic", "250", "--time-limit", "60", "--seed", "2",
                "--threshold-samples", "1000");
        assertEquals(0, r.code(), r.toString());
        float[][] samples = Npy.readMatrix(out.resolve("posterior.npy"));
        assertEquals(200, samples.length);
        assertEquals(31, samples[0].length);
        for (float[] s : samples) assertTrue(PyloricNetwork.prior().inSupport(s));
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(r.out().contains(summary.lines().findFirst().orElseThrow()), r.toString());
        assertTrue(summary.contains("PPC: all 18 features defined, posterior** | **"), summary);
        assertTrue(summary.contains("(of 4)") || summary.matches("(?s).*\\(\\d of 4\\).*"), summary);
        assertTrue(summary.contains("| training | 20 epochs"), summary);
        assertTrue(r.out().contains("written to " + out.toAbsolutePath()), r.toString());
        assertEquals(4, Npy.readMatrix(out.resolve("ppc-posterior-x.npy")).length);
    }

    @Test
    void tooFewTriphasicNetworksSayHowManyMoreToSimulate() throws IOException {
        Path store = SyntheticPyloricStore.make(tmp.resolve("small"), 300, 3);
        Run r = jsbi("pyloric", "infer", "--store", store.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("too few triphasic networks to train on"), r.toString());
        assertTrue(r.err().contains("inference needs at least 1,000 (--min-triphasic)"), r.toString());
        assertTrue(r.err().contains("jsbi pyloric simulate --store " + store + "-2 --n "), r.toString());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void aMissingStoreOrObservationIsAClearError() throws IOException {
        Path missing = tmp.resolve("no-store");
        Run r = jsbi("pyloric", "infer", "--store", missing.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no simulation store at " + missing), r.toString());
        assertTrue(r.err().contains("jsbi pyloric simulate --store " + missing), r.toString());

        Path store = SyntheticPyloricStore.make(tmp.resolve("store"), 300, 3);
        Path xo = tmp.resolve("xo.csv");
        r = jsbi("pyloric", "infer", "--store", store.toString(), "--out", tmp.resolve("o").toString(), "--xo",
                xo.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("the observation file " + xo + " does not exist"), r.toString());
    }

    @Test
    void correlationsAndCalibrationCheckTheirOptions() {
        Path d = tmp.resolve("d");
        String[][] cases = {
            {"Missing required option: '--posterior=DIR'", "pyloric", "correlations"},
            {"--conditions must be at least 1", "pyloric", "correlations", "--posterior", d.toString(),
                "--conditions", "0"},
            {"--resolution must be 2..200", "pyloric", "correlations", "--posterior", d.toString(), "--resolution",
                "1"},
            {"--pairs: pair '3-6' is not i:j", "pyloric", "correlations", "--posterior", d.toString(), "--pairs", "3-6"},
            {"'LP_X' is neither a parameter index", "pyloric", "correlations", "--posterior", d.toString(), "--pairs",
                "LP_X:LP_H"},
            {"give the directory written by 'jsbi pyloric infer --out DIR'", "pyloric", "correlations",
                "--posterior", d.toString()},
            {"Missing required option: '--store=DIR'", "pyloric", "calibration", "--posterior", d.toString()},
            {"--tests must be at least 1", "pyloric", "calibration", "--posterior", d.toString(), "--store", "s",
                "--tests", "0"},
            {"--samples must be at least 1", "pyloric", "calibration", "--posterior", d.toString(), "--store", "s",
                "--samples", "0"},
            {"posterior-maf.jsbi does not exist; give the directory written by 'jsbi pyloric infer --out DIR'",
                "pyloric", "calibration", "--posterior", d.toString(), "--store", "s"},
        };
        for (String[] c : cases) {
            Run r = jsbi(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
        }
    }

    /**
     * An untrained 1-transform flow of the pyloric shape (31-D θ z-scored from prior draws, 18-D x), saved as
     * pyloric infer saves its flow in {@code dir}: the analyses' input without an inference.
     */
    private static org.jsbi.flow.Maf untrainedFlow(Path dir) throws IOException {
        float[][] draws = PyloricNetwork.prior().sample(500, new org.jsbi.random.Rng(1));
        float[][] byDim = new float[31][draws.length];
        for (int i = 0; i < draws.length; i++) for (int c = 0; c < 31; c++) byDim[c][i] = draws[i][c];
        float[][] xs = new float[18][2];
        for (float[] row : xs) row[1] = 1;
        org.jsbi.flow.Maf maf = new org.jsbi.flow.Maf(org.jsbi.backend.Backends.current(), 31, 18,
                org.jsbi.estimator.ZScore.fit(byDim), org.jsbi.estimator.ZScore.fit(xs),
                org.jsbi.flow.MafConfig.defaults().withTransforms(1).withHiddenFeatures(8), new org.jsbi.random.Rng(2));
        org.jsbi.flow.MafFile.save(maf, dir.resolve("posterior-maf.jsbi"));
        return maf;
    }

    @Test
    void correlationsRunOnAnInferDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("post"));
        org.jsbi.dist.BoxUniform prior = PyloricNetwork.prior();
        org.jsbi.flow.Maf maf = untrainedFlow(dir);
        Npy.write(dir.resolve("posterior.npy"), prior.sample(10, new org.jsbi.random.Rng(3)));
        Run r = jsbi("pyloric", "correlations", "--posterior", dir.toString(), "--pairs", "3:6,PY_H:syn_LP-PY",
                "--conditions", "2", "--resolution", "5");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("| 3, 6 | AB/PD_A – AB/PD_H |"), r.toString());
        assertTrue(r.out().contains("| 22, 29 | PY_H – syn_LP-PY |"), r.toString());
        assertTrue(Files.exists(dir.resolve("correlations.md")) && Files.exists(dir.resolve("marginal-correlations.npy"))
                && Files.exists(dir.resolve("conditional-correlations.csv")), r.toString());

        // A damaged model file or sample file is a clear error, not a stack trace.
        byte[] model = Files.readAllBytes(dir.resolve("posterior-maf.jsbi"));
        Files.write(dir.resolve("posterior-maf.jsbi"), java.util.Arrays.copyOf(model, model.length / 2));
        r = jsbi("pyloric", "correlations", "--posterior", dir.toString(), "--pairs", "3:6", "--conditions", "2");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("jsbi pyloric: ") && r.err().contains("posterior-maf.jsbi"), r.toString());
        org.jsbi.flow.MafFile.save(maf, dir.resolve("posterior-maf.jsbi"));
        Files.writeString(dir.resolve("posterior.npy"), "not numpy");
        r = jsbi("pyloric", "correlations", "--posterior", dir.toString(), "--pairs", "3:6", "--conditions", "2");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("jsbi pyloric: ") && r.err().contains("posterior.npy"), r.toString());
    }
    /**
     * Ctrl-C (the interrupt StopOnShutdown sends) before the first calibration test is ranked: exit 130, as for every
     * interrupted run, not 2, the exit of a usage error, and no report.
     */
    @Test
    void calibrationInterruptedBeforeItsFirstTestExitsAsInterrupted() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("post"));
        untrainedFlow(dir);
        Files.writeString(dir.resolve("summary.md"), "- /x/train: seed 3, simulator revision 1, 10 of 10 networks, 5"
                + " triphasic (50.00%), prior\n");
        Path store = SyntheticPyloricStore.make(tmp.resolve("test-store"), 256, 9);

        StringWriter out = new StringWriter() {
            @Override
            public void write(String str, int off, int len) {
                super.write(str, off, len);
                if (str.contains("Ctrl-C stops")) Thread.currentThread().interrupt();
            }
        }, err = new StringWriter();
        int code;
        try {
            code = Jsbi.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute("pyloric", "calibration", "--posterior", dir.toString(), "--store", store.toString(),
                            "--tests", "5", "--samples", "10");
        } finally {
            Thread.interrupted();
        }
        Run r = new Run(code, out.toString(), err.toString());
        assertEquals(PyloricCommand.EXIT_INTERRUPTED, r.code(), r.toString());
        assertTrue(r.err().contains("interrupted before its first test; nothing was written"), r.toString());
        assertFalse(Files.exists(dir.resolve("calibration.md")) || Files.exists(dir.resolve("calibration.partial.md")));
    }
}
