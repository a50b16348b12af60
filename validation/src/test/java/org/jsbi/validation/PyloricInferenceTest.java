package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jsbi.backend.Backends;
import org.jsbi.flow.MafConfig;
import org.jsbi.backend.Parallel;
import org.jsbi.io.Npy;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.posterior.TruncatedPriorFile;
import org.jsbi.random.Rng;
import org.jsbi.sim.channel.PaperDataException;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.SimulationStoreException;
import org.jsbi.simulation.Simulator;
import org.jsbi.simulation.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pyloric inference on synthetic stores (a cheap stand-in simulator of the right dimensions). */
class PyloricInferenceTest {

    @TempDir
    Path tmp;

    /** A complete store of n synthetic networks (half of them "triphasic") with the example's prior and filter. */
    static Path syntheticStore(Path dir, int n, long seed) throws IOException {
        SyntheticPyloric sim = SyntheticPyloric.store();
        SimulationStore st = SimulationStore.create(dir, sim, PyloricNetwork.prior(), n, StoreConfig.defaults()
                .withChunkSize(128).withSeed(seed).withGoodRow(PyloricSimulation.TRIPHASIC));
        assertTrue(st.run(sim, PyloricNetwork.prior(), null).complete());
        return dir;
    }

    /**
     * Small settings: 20 epochs at batch 50 (an untrained MAF spreads its draws ~6 times wider than the prior, since
     * each of its 5 transforms starts with scale softplus(0) ≈ 0.69, so hardly any draw lands in the 31-D prior box;
     * 20 epochs on ~600 synthetic rows bring the acceptance to ~30%), 300 samples, a 100-sample check by a synthetic
     * simulator, and a 1,000-draw leakage estimate.
     */
    static PyloricInference.Settings small(List<Path> stores, Path out) {
        return PyloricInference.Settings.defaults(stores, out).withMaxEpochs(20).withBatchSize(50).withSamples(300)
                .withPpc(100).withMinTriphasic(250).withThresholdSamples(1_000)
                .withPpcSimulator(new SyntheticPyloric("synthetic-ppc", 18, 0.2))
                .withPosterior(PosteriorConfig.defaults().withLeakageSamples(1_000).withMaxProposalBatch(5_000)
                        .withTimeLimitSeconds(60));
    }

    @Test
    void runsEndToEndOnASyntheticStoreAndWritesItsFiles() throws IOException {
        Path store = syntheticStore(tmp.resolve("store"), 1200, 3);
        Path out = tmp.resolve("out");
        StringWriter log = new StringWriter();
        PyloricInference.Result r = PyloricInference.run(small(List.of(store), out), new PrintWriter(log, true));

        int triphasic = (int) r.stores().get(0).triphasic();
        assertEquals(SyntheticPyloric.store().revision(), r.stores().get(0).revision(), "the store's recorded revision");
        assertTrue(triphasic > 500 && triphasic < 700, "about half of 1200 rows are triphasic: " + triphasic);
        assertEquals(triphasic, r.trainingRows());
        assertEquals(0, r.excluded());
        assertEquals(20, r.history().epochs());
        assertEquals(300, r.samples());
        assertTrue(r.acceptance() > 0.02 && r.acceptance() <= 1, "acceptance " + r.acceptance());
        float[][] samples = Npy.readMatrix(out.resolve("posterior.npy"));
        assertEquals(300, samples.length);
        assertEquals(31, samples[0].length);
        for (float[] s : samples) assertTrue(PyloricNetwork.prior().inSupport(s), "out-of-prior sample kept");
        assertEquals(100, Npy.readMatrix(out.resolve("ppc-posterior-theta.npy")).length);
        assertEquals(18, Npy.readMatrix(out.resolve("ppc-factorised-x.npy"))[0].length);
        assertTrue(Files.size(out.resolve("posterior-maf.jsbi")) > 100_000, "the flow's weights are saved");
        java.awt.image.BufferedImage pairs = javax.imageio.ImageIO.read(out.resolve(PyloricInference.PAIRS_FILE)
                .toFile());
        assertEquals(31 * 110, pairs.getWidth(), "a pair plot of the 31 parameters");
        // the synthetic check simulator leaves feature 5 undefined below 20% of parameter 0's range
        assertEquals(100, r.posterior().n());
        assertTrue(r.posterior().fraction() > 0.3 && r.posterior().fraction() <= 1, "PPC " + r.posterior().fraction());
        assertTrue(Double.isFinite(r.posterior().medianZDistance()));
        String summary = Files.readString(out.resolve("summary.md"));
        assertEquals(r.summary(), summary);
        for (String s : new String[] {"80%", "23%", "PPC: all 18 features defined", "| training set", "20 epochs",
            "acceptance", "syn_AB-LP", "cycle_period", "seed 3, simulator revision " + r.stores().get(0).revision()}) {
            assertTrue(summary.contains(s), "summary lacks '" + s + "':\n" + summary);
        }
        assertTrue(log.toString().contains("training set: " + triphasic + " triphasic networks"), log.toString());
        // The threads the training ran on, not the process's: a batch of 50 is not split.
        String threads = PyloricInference.trainingThreads(50);
        assertTrue(summary.contains(threads) && log.toString().contains(threads), "training threads: " + threads);
        if (Parallel.threads() > 1) assertTrue(threads.startsWith("training on 1 of "), threads);
    }

    @Test
    void poolsStoresWithDifferentSeedsAndRefusesTheSameSeedTwice() throws IOException {
        Path a = syntheticStore(tmp.resolve("a"), 600, 1), b = syntheticStore(tmp.resolve("b"), 600, 2);
        Path c = syntheticStore(tmp.resolve("c"), 128, 1);
        PyloricInference.Result r = PyloricInference.run(small(List.of(a, b), tmp.resolve("out"))
                .withMaf(MafConfig.defaults().withTransforms(2).withHiddenFeatures(32).withBlocks(1)),
                new PrintWriter(new StringWriter()));
        assertEquals(r.stores().get(0).triphasic() + r.stores().get(1).triphasic(), r.trainingRows());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                PyloricInference.run(small(List.of(a, c), tmp.resolve("out2")), new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("seed 1"), e.getMessage());
    }

    /**
     * Two rounds of truncated sequential NPE: the first inference writes the truncated prior, a second store drawn
     * from it (loaded back from the file, as {@code pyloric simulate --proposal} does) holds only draws inside the
     * region, and the second inference pools both stores and says which were truncated.
     */
    @Test
    void aSecondRoundDrawsFromTheTruncatedPriorTheFirstWroteAndPoolsBothRounds() throws IOException {
        Path a = syntheticStore(tmp.resolve("a"), 600, 1);
        Path out1 = tmp.resolve("out1");
        MafConfig maf = MafConfig.defaults().withTransforms(2).withHiddenFeatures(32).withBlocks(1);
        PyloricInference.Result r1 = PyloricInference.run(small(List.of(a), out1).withMaf(maf).withMaxEpochs(80),
                new PrintWriter(new StringWriter()));
        Path file = out1.resolve(PyloricInference.PROPOSAL_FILE);
        assertEquals(file, r1.proposal());
        assertTrue(r1.regionMass() > 0 && r1.regionMass() < 1, "region mass " + r1.regionMass());
        assertTrue(r1.summary().contains("## Next round") && r1.summary().contains("--proposal " + file),
                r1.summary());

        TruncatedPrior proposal = TruncatedPriorFile.load(file, PyloricNetwork.prior(), Backends.current(),
                PosteriorConfig.defaults());
        assertEquals(r1.threshold(), proposal.threshold(), 0);
        // τ comes from 1,000 draws of a stream of their own, not from the 300 written.
        assertTrue(Files.readString(file).contains("posteriorSamples=1000\n"), Files.readString(file));
        float[][] own = proposal.posterior().sample(1_000, proposal.observation(), 1L ^ PyloricInference.THRESHOLD_STREAM);
        assertEquals(TruncatedPrior.threshold(proposal.posterior().logProbUncorrected(own, proposal.observation()),
                TruncatedPrior.DEFAULT_QUANTILE), proposal.threshold(), 0);
        SyntheticPyloric sim = SyntheticPyloric.store();
        Path b = tmp.resolve("b");
        SimulationStore st = SimulationStore.create(b, sim, proposal, 300, StoreConfig.defaults().withChunkSize(128)
                .withSeed(2).withGoodRow(PyloricSimulation.TRIPHASIC));
        assertTrue(st.run(sim, proposal, null).complete());
        float[][] theta = st.readAll(org.jsbi.simulation.RowFilter.all()).theta();
        assertEquals(300, theta.length);
        double[] lq = proposal.posterior().logProbUncorrected(theta, proposal.observation());
        for (int i = 0; i < theta.length; i++) {
            assertTrue(lq[i] >= proposal.threshold(), "round-2 draw " + i + " lies outside the truncated prior");
        }

        PyloricInference.Result r2 = PyloricInference.run(small(List.of(a, b), tmp.resolve("out2")).withMaf(maf).withMaxEpochs(80),
                new PrintWriter(new StringWriter()));
        assertEquals(List.of(false, true), r2.stores().stream().map(PyloricInference.StoreRows::truncated).toList());
        assertEquals(r2.stores().get(0).triphasic() + r2.stores().get(1).triphasic(), r2.trainingRows());
        assertTrue(r2.summary().contains("1 of them drawn from a truncated prior"), r2.summary());
    }

    /** The regular files directly in {@code dir}, by name. */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    /**
     * A rerun into the folder of a finished run replaces nothing until it has succeeded: one that fails after training
     * and sampling (here in the predictive check) leaves every earlier file as it was, so the model still matches the
     * proposal that records its CRC and the samples drawn from it; its own files wait in the staging folder. A rerun
     * that succeeds then replaces them all and removes that folder.
     */
    @Test
    void aSuccessfulRerunSetsTheEarlierPosteriorsAnalysesAside() throws IOException {
        Path out = tmp.resolve("aside");
        Files.createDirectories(out);
        Files.writeString(out.resolve(PyloricCorrelations.SUMMARY_FILE), "old correlations");
        Files.writeString(out.resolve(PyloricCalibration.PARTIAL_SUMMARY_FILE), "old partial calibration");
        Files.writeString(out.resolve("notes.txt"), "the user's own");
        Path staging = PyloricInference.freshStaging(out);
        Files.writeString(staging.resolve(PyloricInference.SUMMARY_FILE), "new summary");
        StringWriter log = new StringWriter();
        PyloricInference.publish(staging, out, new PrintWriter(log, true));
        Path aside = out.resolve(PyloricInference.EARLIER_ANALYSES_DIR);
        assertEquals("old correlations", Files.readString(aside.resolve(PyloricCorrelations.SUMMARY_FILE)));
        assertEquals("old partial calibration", Files.readString(aside.resolve(PyloricCalibration.PARTIAL_SUMMARY_FILE)));
        assertFalse(Files.exists(out.resolve(PyloricCorrelations.SUMMARY_FILE)));
        assertEquals("the user's own", Files.readString(out.resolve("notes.txt")));
        assertEquals("new summary", Files.readString(out.resolve(PyloricInference.SUMMARY_FILE)));
        assertTrue(log.toString().contains(aside.toString()), log.toString());
    }

    /**
     * Ctrl-C (an interrupt of the running thread) during training: the flow trained so far is saved in the staging
     * folder, nothing is published, and the exception says where the flow is; the interrupt stays set.
     */
    @Test
    void anInterruptedTrainingKeepsTheFlowInTheStagingFolder() throws IOException {
        Path store = syntheticStore(tmp.resolve("store"), 600, 1);
        Path out = tmp.resolve("out");
        MafConfig maf = MafConfig.defaults().withTransforms(2).withHiddenFeatures(32).withBlocks(1);
        StringWriter log = new StringWriter() {
            @Override
            public void write(String str, int off, int len) {
                super.write(str, off, len);
                if (str.contains("epoch    1")) Thread.currentThread().interrupt();
            }
        };
        InferenceInterruptedException e;
        try {
            e = assertThrows(InferenceInterruptedException.class,
                    () -> PyloricInference.run(small(List.of(store), out).withMaf(maf), new PrintWriter(log, true)));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        } finally {
            Thread.interrupted();
        }
        Path model = out.resolve(PyloricInference.STAGING_DIR).resolve(PyloricInference.MODEL_FILE);
        assertTrue(e.getMessage().startsWith("interrupted after 1 epoch:") && e.getMessage().contains(model.toString()),
                e.getMessage());
        assertEquals(31, org.jsbi.flow.MafFile.load(model, Backends.current()).thetaDim());
        assertFalse(Files.exists(out.resolve(PyloricInference.SAMPLES_FILE)), "nothing published");
    }

    @Test
    void aFailedRerunLeavesTheEarlierResultsWholeAndConsistent() throws IOException {
        Path store = syntheticStore(tmp.resolve("store"), 600, 1);
        Path out = tmp.resolve("out");
        MafConfig maf = MafConfig.defaults().withTransforms(2).withHiddenFeatures(32).withBlocks(1);
        PyloricInference.run(small(List.of(store), out).withMaf(maf), new PrintWriter(new StringWriter()));
        Map<String, byte[]> before = files(out);
        assertTrue(before.containsKey(PyloricInference.MODEL_FILE) && before.containsKey(PyloricInference.PROPOSAL_FILE),
                before.keySet().toString());
        assertTrue(!Files.exists(out.resolve(PyloricInference.STAGING_DIR)), "a finished run leaves no staging folder");

        SyntheticPyloric ppc = new SyntheticPyloric("synthetic-ppc", 18, 0.2);
        Simulator failing = new Simulator() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public int parameterDim() {
                return ppc.parameterDim();
            }

            @Override
            public int dataDim() {
                return ppc.dataDim();
            }

            @Override
            public void simulate(ParameterBatch batch, long seed, float[] x) {
                throw new IllegalStateException("the predictive simulator failed");
            }
        };
        StringWriter log = new StringWriter();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PyloricInference.run(
                small(List.of(store), out).withMaf(maf).withSeed(2).withPpcSimulator(failing),
                new PrintWriter(log, true)));
        assertEquals("the predictive simulator failed", e.getMessage());
        assertTrue(log.toString().contains("the earlier results in " + out + " stay as they are"), log.toString());
        Map<String, byte[]> after = files(out);
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) assertArrayEquals(before.get(name), after.get(name), name + " was replaced");
        TruncatedPriorFile.load(out.resolve(PyloricInference.PROPOSAL_FILE), PyloricNetwork.prior(), Backends.current(),
                PosteriorConfig.defaults());
        Path staged = out.resolve(PyloricInference.STAGING_DIR).resolve(PyloricInference.MODEL_FILE);
        assertTrue(Files.isRegularFile(staged), "the failed run's trained model is kept aside");

        PyloricInference.run(small(List.of(store), out).withMaf(maf).withSeed(2), new PrintWriter(new StringWriter()));
        Map<String, byte[]> replaced = files(out);
        assertEquals(before.keySet(), replaced.keySet());
        assertTrue(!Arrays.equals(before.get(PyloricInference.MODEL_FILE), replaced.get(PyloricInference.MODEL_FILE)),
                "the successful rerun's model replaces the earlier one");
        TruncatedPriorFile.load(out.resolve(PyloricInference.PROPOSAL_FILE), PyloricNetwork.prior(), Backends.current(),
                PosteriorConfig.defaults());
        assertTrue(!Files.exists(out.resolve(PyloricInference.STAGING_DIR)), "the staging folder is removed");
    }

    @Test
    void tooFewTriphasicRowsSayHowManyAreNeededAndHowToGetThem() throws IOException {
        Path store = syntheticStore(tmp.resolve("store"), 200, 3);
        InsufficientSimulationsException e = assertThrows(InsufficientSimulationsException.class, () ->
                PyloricInference.run(small(List.of(store), tmp.resolve("out")).withMinTriphasic(5_000),
                        new PrintWriter(new StringWriter())));
        assertEquals(5_000, e.needed());
        assertTrue(e.usable() > 50 && e.usable() < 150);
        String m = e.getMessage();
        assertTrue(m.contains("at least 5,000 (--min-triphasic)"), m);
        assertTrue(m.contains(String.format("holds %d", e.usable())), m);
        assertTrue(m.contains("jsbi pyloric simulate --store " + store + "-2"), m);
        assertTrue(m.contains("--seed 4"), m);
        assertTrue(m.contains("jsbi pyloric infer --store " + store + " --store " + store + "-2"), m);
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing is written before the check");
    }

    @Test
    void aMissingStoreOrAForeignStoreIsAClearError() throws IOException {
        Path missing = tmp.resolve("nothing-here");
        SimulationStoreException e = assertThrows(SimulationStoreException.class, () ->
                PyloricInference.run(small(List.of(missing), tmp.resolve("out")), new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("no simulation store at " + missing), e.getMessage());
        assertTrue(e.getMessage().contains("jsbi pyloric simulate --store " + missing), e.getMessage());

        Path foreign = tmp.resolve("foreign");
        org.jsbi.sim.benchmark.BenchmarkTask t = org.jsbi.sim.benchmark.BenchmarkTasks.byName("two_moons");
        SimulationStore.create(foreign, t.simulator(), t.prior(), 10, StoreConfig.defaults()).run(t.simulator(),
                t.prior(), null);
        SimulationStoreException f = assertThrows(SimulationStoreException.class, () ->
                PyloricInference.run(small(List.of(foreign), tmp.resolve("out")), new PrintWriter(new StringWriter())));
        assertTrue(f.getMessage().contains("not a pyloric-network store"), f.getMessage());
    }

    @Test
    void readsThePapersObservationAndRefusesBrokenOrMissingFiles() throws IOException {
        float[] xo = PyloricInference.readObservation(PyloricInference.experimentalObservation());
        assertEquals(18, xo.length);
        assertEquals(1170.8586f, xo[0], 1e-3f);
        assertEquals(738.2789f, xo[7], 1e-3f);       // AB/PD start -> PY start (models/PAPER.md §5.5)
        assertEquals(0.6305449f, xo[14], 1e-6f);
        assertEquals(2.5f, xo[17]);
        for (int j = 0; j < 18; j++) assertEquals(SyntheticPyloric.XO[j], xo[j], 1e-3 * Math.abs(xo[j]));

        PaperDataException missing = assertThrows(PaperDataException.class, () ->
                PyloricInference.readObservation(tmp.resolve("xo.csv")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path shortFile = tmp.resolve("short.csv");
        Files.writeString(shortFile, "index,summary_statistic,value,unit\n1,cycle_period,1000,ms\n");
        assertTrue(assertThrows(PaperDataException.class, () -> PyloricInference.readObservation(shortFile))
                .getMessage().contains("holds 1 feature rows"));
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "index,summary_statistic,value,unit\n1,cycle_period,abc,ms\n");
        assertTrue(assertThrows(PaperDataException.class, () -> PyloricInference.readObservation(bad))
                .getMessage().contains("line 2"));
    }

    @Test
    void theFactorisedPosteriorKeepsEveryMarginalAndBreaksTheRows() {
        int n = 1000;
        float[][] s = new float[n][3];
        for (int i = 0; i < n; i++) s[i] = new float[] {i, i, -i};   // perfectly correlated columns
        float[][] f = PyloricInference.factorised(s, n, new Rng(5));
        for (int j = 0; j < 3; j++) {
            float[] a = new float[n], b = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = s[i][j];
                b[i] = f[i][j];
            }
            Arrays.sort(a);
            Arrays.sort(b);
            assertArrayEquals(a, b, "column " + j + " is a permutation of the samples' column");
        }
        int same = 0;
        for (float[] row : f) if (row[0] == row[1]) same++;
        assertTrue(same < 10, "columns are permuted independently: " + same + " rows kept their pairing");
        assertEquals(10, PyloricInference.factorised(s, 10, new Rng(5)).length);
    }

    @Test
    void thePredictiveCheckCountsDefinedRowsAndMeasuresZScoredDistance() {
        float[] xo = new float[18], std = new float[18];
        Arrays.fill(std, 2f);
        float[][] x = new float[4][18];
        x[1][3] = 4f;                       // distance 4 / 2 = 2
        Arrays.fill(x[2], 2f);              // distance sqrt(18 * 1) = 4.243
        x[3][4] = Float.NaN;                // undefined: not counted
        PyloricInference.Ppc p = PyloricInference.check(x, xo, std);
        assertEquals(4, p.n());
        assertEquals(3, p.finite());
        assertEquals(0.75, p.fraction());
        assertEquals(2.0, p.medianZDistance(), 1e-12);
        assertEquals(0.0, p.medianFeatures()[4], 0.0);   // median of the three defined values 0, 0, 2
        assertEquals(Double.NaN, PyloricInference.check(new float[][] {x[3]}, xo, std).medianZDistance());
    }

    @Test
    void settingsAreChecked() {
        Path s = tmp.resolve("s");
        assertThrows(IllegalArgumentException.class, () -> PyloricInference.Settings.defaults(List.of(), s));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PyloricInference.run(PyloricInference.Settings
                .defaults(List.of(s), s).withSamples(100).withPpc(500), new PrintWriter(new StringWriter())))
                .getMessage().contains("only 100 are drawn"));
        assertThrows(IllegalArgumentException.class, () -> PyloricInference.Settings.defaults(List.of(s), s)
                .withMinTriphasic(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PyloricInference.Settings.defaults(List.of(s), s)
                .withThresholdSamples(99)).getMessage().contains("at least 100 "));
        assertThrows(IllegalArgumentException.class, () -> PyloricInference.Settings.defaults(List.of(s), s)
                .withPpcSimulator(new SyntheticPyloric("too-few-outputs", 10, 0)));
        assertEquals(2, PyloricInference.PAPER_MAF.blocks());
        assertEquals(100, PyloricInference.PAPER_MAF.hiddenFeatures());
        assertEquals(5, PyloricInference.PAPER_MAF.transforms());
    }
}
