package org.jsbi.validation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.BoxUniform;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.flow.MafFile;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.inference.SequentialNpe;
import org.jsbi.io.Npy;
import org.jsbi.plot.PairPlot;
import org.jsbi.plot.PlotException;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.posterior.TruncatedPriorFile;
import org.jsbi.random.Rng;
import org.jsbi.sim.channel.PaperData;
import org.jsbi.sim.channel.PaperDataException;
import org.jsbi.sim.stg.PyloricFeatures;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.SimulationStoreException;
import org.jsbi.simulation.Simulator;
import org.jsbi.simulation.StoreListener;
import org.jsbi.simulation.StoreManifest;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.NoEpochFinishedException;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingHistory;

/**
 * The inference half of the pyloric-network example (models/PAPER.md §5.7–5.9): train NPE on the triphasic networks
 * of one or more {@link PyloricSimulation} stores (rows with feature 5 defined; x = the 18 features), sample the
 * posterior for the experimental observation x_o (Haddad &amp; Marder 2018, preparation 845_082_0044) rejecting
 * out-of-prior draws, and run the paper's posterior predictive check: the share of posterior samples whose simulated
 * networks have all 18 features defined (paper: 80%), against the share for samples of the product of the posterior's
 * marginals (paper: 23%).
 *
 * <p>The estimator is the paper's: a MAF of 5 MADEs with 3 hidden tanh layers of 100 ({@link #PAPER_MAF}; delfi's
 * {@code n_hiddens=[100,100,100]}), trained on z-scored θ and x (statistics of the training split, as every jsbi
 * estimator does). Training uses the paper's batch of 50 and jsbi's other defaults (Adam 5e-4, 10% validation,
 * patience 20).
 *
 * <p>Files written to the output directory: {@code posterior.npy} (samples × 31, float32), {@code posterior-maf.jsbi}
 * (the trained flow, {@link MafFile}), {@code ppc-posterior-theta.npy}/{@code -x.npy} and
 * {@code ppc-factorised-theta.npy}/{@code -x.npy} (the predictive check's parameters and 18 features) and
 * {@code summary.md}. They are written into {@link #STAGING_DIR} inside it and moved into place only when the run
 * has succeeded, so a rerun that fails or is interrupted leaves an earlier run's files as they were.
 *
 * <p>Errors, each with what to do: a store that is missing or not a pyloric store ({@link SimulationStoreException}),
 * x_o missing ({@link PaperDataException}), fewer triphasic rows than {@link Settings#minTriphasic()}
 * ({@link InsufficientSimulationsException}).
 */
public final class PyloricInference {

    /** Features per network used for inference. */
    public static final int FEATURES = PyloricFeatures.COUNT;
    /** The experimental observation's file in the paper-data {@code stg/} folder. */
    public static final String XO_FILE = "xo_experimental_845_082_0044.csv";
    /** The paper's flow: 5 MADEs, each with 3 hidden tanh layers of 100 units (the initial layer and 2 blocks). */
    public static final MafConfig PAPER_MAF = MafConfig.defaults().withTransforms(5).withHiddenFeatures(100).withBlocks(2);
    /** The paper's posterior predictive figures (App. fig 14c): all features defined for 80% of posterior samples,
     *  for 23% of samples of the factorised posterior. */
    public static final double PAPER_PPC_POSTERIOR = 0.80, PAPER_PPC_FACTORISED = 0.23;
    /** The paper's training batch (delfi's default). */
    public static final int DEFAULT_BATCH = 50;
    /** The trained flow's file in the output directory. */
    public static final String MODEL_FILE = "posterior-maf.jsbi";
    /** The next round's proposal in the output directory ({@link TruncatedPriorFile}). */
    public static final String PROPOSAL_FILE = "truncated-prior.properties";
    /** The posterior samples and the run's summary in the output directory. */
    public static final String SAMPLES_FILE = "posterior.npy", SUMMARY_FILE = "summary.md";
    /** The posterior samples' pair plot over the prior's box (the paper's Fig. 6b). */
    public static final String PAIRS_FILE = "posterior-pairs.png";
    /** The predictive check's parameters and features in the output directory. */
    static final String[] PPC_FILES = {"ppc-posterior-theta.npy", "ppc-posterior-x.npy", "ppc-factorised-theta.npy",
        "ppc-factorised-x.npy"};
    /**
     * The folder inside the output directory where a run writes its files until it has succeeded; they replace the
     * directory's own only then, so a failed or interrupted run leaves an earlier run's results whole and consistent
     * (the proposal file records its model's CRC, so a new model beside an old proposal would break both).
     */
    public static final String STAGING_DIR = "unfinished-run";
    /** The fewest posterior samples the next round's threshold is taken from ({@link TruncatedPrior#threshold}'s). */
    public static final int MIN_THRESHOLD_SAMPLES = 100;
    /** Mixed into the seed for the threshold's own posterior samples, a stream apart from the written ones. */
    static final long THRESHOLD_STREAM = 0x7A05_5EEDL;
    /** Triphasic rows required by default. */
    public static final int DEFAULT_MIN_TRIPHASIC = 1_000;

    private PyloricInference() {
    }

    /**
     * Settings of an inference.
     *
     * @param stores        simulation stores made by {@link PyloricSimulation} (several stores, each with its own seed,
     *                      add up; incomplete stores contribute their finished chunks)
     * @param out           the output directory (created)
     * @param observation   the x_o CSV ({@code index,summary_statistic,value,unit}; 18 rows); null: the paper's, from
     *                      {@link PaperData#stg()}
     * @param seed          seed of training, sampling, the factorised permutation and the predictive simulations
     * @param samples       posterior samples drawn and written
     * @param ppc           samples of each kind simulated for the predictive check (≤ samples, checked by run)
     * @param maxEpochs     upper bound on training epochs
     * @param batchSize     training batch (default: the paper's 50)
     * @param minTriphasic  fewest triphasic rows to train on
     * @param maf           the flow
     * @param ppcSimulator  simulates the predictive check; its first 18 outputs are the features (default: the
     *                      pyloric network with noise)
     * @param posterior     rejection sampling's settings (time limit ...)
     * @param thresholdSamples posterior samples whose log q sets the next round's threshold τ (the samples drawn
     *                      for the output when there are as many; default {@link
     *                      SequentialNpe#DEFAULT_THRESHOLD_SAMPLES}, as the sequential rounds in memory; at least
     *                      {@link #MIN_THRESHOLD_SAMPLES}; below 1 / {@link TruncatedPrior#DEFAULT_QUANTILE} τ is about
     *                      their least log q and the run's log says so)
     */
    public record Settings(List<Path> stores, Path out, Path observation, long seed, int samples, int ppc, int maxEpochs,
                           int batchSize, int minTriphasic, MafConfig maf, Simulator ppcSimulator,
                           PosteriorConfig posterior, int thresholdSamples) {

        public Settings {
            if (stores == null || stores.isEmpty()) throw new IllegalArgumentException("give at least one store");
            stores = List.copyOf(stores);
            if (out == null) throw new IllegalArgumentException("the output directory must be given");
            if (samples < 1) throw new IllegalArgumentException("posterior samples must be >= 1, got " + samples);
            if (ppc < 1) throw new IllegalArgumentException("predictive-check samples must be >= 1, got " + ppc);
            if (maxEpochs < 1) throw new IllegalArgumentException("max epochs must be >= 1, got " + maxEpochs);
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            if (minTriphasic < 2) throw new IllegalArgumentException("min triphasic rows must be >= 2, got " + minTriphasic);
            if (maf == null || ppcSimulator == null || posterior == null) {
                throw new IllegalArgumentException("flow, predictive-check simulator and posterior settings must be given");
            }
            if (thresholdSamples < MIN_THRESHOLD_SAMPLES) {
                throw new IllegalArgumentException("the next round's threshold needs at least "
                        + MIN_THRESHOLD_SAMPLES + " posterior samples, got " + thresholdSamples);
            }
            if (ppcSimulator.parameterDim() != PyloricNetwork.prior().dim() || ppcSimulator.dataDim() < FEATURES) {
                throw new IllegalArgumentException("the predictive-check simulator must take 31 parameters and give at"
                        + " least 18 outputs; " + ppcSimulator.name() + " takes " + ppcSimulator.parameterDim()
                        + " and gives " + ppcSimulator.dataDim());
            }
        }

        /**
         * Seed 1, 10,000 samples, a 500-sample check, 1,000 epochs at most, batch 50 (the paper's; with the few
         * thousand training rows a small machine affords, batches of 200 give too few steps per epoch), ≥ 1,000
         * triphasic rows.
         */
        public static Settings defaults(List<Path> stores, Path out) {
            return new Settings(stores, out, null, 1L, 10_000, 500, 1_000, DEFAULT_BATCH, DEFAULT_MIN_TRIPHASIC, PAPER_MAF,
                    PyloricNetwork.withDefaults(), PosteriorConfig.defaults(), SequentialNpe.DEFAULT_THRESHOLD_SAMPLES);
        }

        public Settings withObservation(Path v) {
            return new Settings(stores, out, v, seed, samples, ppc, maxEpochs, batchSize, minTriphasic, maf, ppcSimulator,
                    posterior, thresholdSamples);
        }

        public Settings withSeed(long v) {
            return new Settings(stores, out, observation, v, samples, ppc, maxEpochs, batchSize, minTriphasic, maf,
                    ppcSimulator, posterior, thresholdSamples);
        }

        public Settings withSamples(int v) {
            return new Settings(stores, out, observation, seed, v, ppc, maxEpochs, batchSize, minTriphasic, maf,
                    ppcSimulator, posterior, thresholdSamples);
        }

        public Settings withPpc(int v) {
            return new Settings(stores, out, observation, seed, samples, v, maxEpochs, batchSize, minTriphasic, maf,
                    ppcSimulator, posterior, thresholdSamples);
        }

        public Settings withMaxEpochs(int v) {
            return new Settings(stores, out, observation, seed, samples, ppc, v, batchSize, minTriphasic, maf,
                    ppcSimulator, posterior, thresholdSamples);
        }

        public Settings withBatchSize(int v) {
            return new Settings(stores, out, observation, seed, samples, ppc, maxEpochs, v, minTriphasic, maf,
                    ppcSimulator, posterior, thresholdSamples);
        }

        public Settings withMinTriphasic(int v) {
            return new Settings(stores, out, observation, seed, samples, ppc, maxEpochs, batchSize, v, maf, ppcSimulator,
                    posterior, thresholdSamples);
        }

        public Settings withMaf(MafConfig v) {
            return new Settings(stores, out, observation, seed, samples, ppc, maxEpochs, batchSize, minTriphasic, v,
                    ppcSimulator, posterior, thresholdSamples);
        }

        public Settings withPpcSimulator(Simulator v) {
            return new Settings(stores, out, observation, seed, samples, ppc, maxEpochs, batchSize, minTriphasic, maf, v,
                    posterior, thresholdSamples);
        }

        public Settings withPosterior(PosteriorConfig v) {
            return new Settings(stores, out, observation, seed, samples, ppc, maxEpochs, batchSize, minTriphasic, maf,
                    ppcSimulator, v, thresholdSamples);
        }

        public Settings withThresholdSamples(int v) {
            return new Settings(stores, out, observation, seed, samples, ppc, maxEpochs, batchSize, minTriphasic, maf,
                    ppcSimulator, posterior, v);
        }
    }

    /**
     * What one store contributed: networks on disk of its total, and the triphasic ones among them; revision is the
     * simulator revision the store recorded (empty for a store made before revisions were recorded); truncated: its
     * networks were drawn from a truncated prior (a sequential round) rather than the paper's prior.
     */
    public record StoreRows(Path dir, long seed, String revision, long onDisk, long total, long triphasic,
                            boolean truncated) {
        public boolean complete() {
            return onDisk == total;
        }
    }

    /**
     * One predictive check.
     *
     * @param n                samples simulated
     * @param finite           of which all 18 features are defined
     * @param medianZDistance  median over those of the Euclidean distance to x_o of the features z-scored with the
     *                         estimator's x statistics (NaN when none is defined)
     * @param medianFeatures   per feature, the median over the samples where it is defined (NaN where none)
     */
    public record Ppc(int n, int finite, double medianZDistance, double[] medianFeatures) {
        public double fraction() {
            return n == 0 ? Double.NaN : (double) finite / n;
        }
    }

    /**
     * What an inference did.
     *
     * @param stores          the stores read
     * @param trainingRows    triphasic rows trained on (90% training, 10% validation)
     * @param excluded        triphasic rows left out because another of the 18 features was not finite
     * @param history         the training history
     * @param trainingSeconds wall time of training
     * @param acceptance      share of the flow's mass inside the prior for x_o, estimated from
     *                        {@link PosteriorConfig#leakageSamples()} draws (10,000), or as many as samples when fewer
     *                        samples are asked for (at least 1,000)
     * @param samples         posterior samples drawn
     * @param samplingSeconds wall time of sampling
     * @param samplingNote    why fewer samples than asked were drawn, or null
     * @param posterior       the predictive check of posterior samples
     * @param factorised      the predictive check of the product of the posterior's marginals
     * @param ppcSeconds      wall time of the predictive simulations
     * @param proposal        the next round's truncated prior ({@value #PROPOSAL_FILE})
     * @param threshold       its log-density threshold τ
     * @param regionMass      the prior's mass inside it (estimated; NaN when none of the estimate's draws fell in it)
     * @param summary         the summary as written to {@code summary.md}
     */
    public record Result(List<StoreRows> stores, Path out, int trainingRows, int excluded, TrainingHistory history,
                         double trainingSeconds, double acceptance, int samples, double samplingSeconds,
                         String samplingNote, Ppc posterior, Ppc factorised, double ppcSeconds, Path proposal,
                         double threshold, double regionMass, String summary) {
    }

    // ================================================================ x_o

    /** The paper's experimental x_o file, or a {@link PaperDataException} that says where it was looked for. */
    public static Path experimentalObservation() {
        Path p = PaperData.stg().resolve(XO_FILE);
        if (!Files.isRegularFile(p)) {
            throw new PaperDataException("the experimental observation x_o is missing: " + p + " does not exist. It"
                    + " comes with the paper data (shared/paper-data/stg/, see its README.md); point"
                    + " -D" + PaperData.DIR_PROPERTY + " at the paper-data folder, or give the file with --xo");
        }
        return p;
    }

    /** Reads an x_o CSV: a header, then 18 rows {@code index,name,value[,unit]} with indexes 1..18 in order. */
    public static float[] readObservation(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new PaperDataException("the observation file " + csv + " does not exist (x_o: 18 rows of"
                    + " index,summary_statistic,value,unit; the paper's is shared/paper-data/stg/" + XO_FILE + ")");
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        float[] xo = new float[FEATURES];
        int k = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", 4);
            try {
                if (f.length < 3 || Integer.parseInt(f[0].strip()) != k + 1 || k >= FEATURES) {
                    throw new NumberFormatException();
                }
                xo[k] = Float.parseFloat(f[2].strip());
            } catch (NumberFormatException e) {
                throw new PaperDataException(csv + " line " + (i + 1) + " is not '" + (k + 1) + ",<name>,<value>,<unit>':"
                        + " '" + line + "'");
            }
            if (!Float.isFinite(xo[k])) throw new PaperDataException(csv + " line " + (i + 1) + ": x_o must be finite");
            k++;
        }
        if (k != FEATURES) {
            throw new PaperDataException(csv + " holds " + k + " feature rows; x_o has " + FEATURES);
        }
        return xo;
    }

    /** The flow of an infer directory, checked to map the 18 features to the 31 parameters. */
    public static Maf loadFlow(Path posteriorDir, org.jsbi.backend.Backend be) throws IOException {
        Path model = posteriorDir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(model + " does not exist; give the directory written by 'jsbi pyloric"
                    + " infer --out DIR'");
        }
        Maf maf = MafFile.load(model, be);
        int d = PyloricNetwork.prior().dim();
        if (maf.thetaDim() != d || maf.xDim() != FEATURES) {
            throw new IllegalArgumentException(model + " maps " + maf.xDim() + " features to " + maf.thetaDim()
                    + " parameters; a pyloric posterior maps " + FEATURES + " to " + d);
        }
        return maf;
    }

    // ================================================================ the run

    /**
     * Trains, samples, checks and writes; progress lines go to {@code log}. Nothing is written before the training
     * set is found large enough, and nothing in the output directory is replaced before the run has succeeded: its
     * files are written into {@link #STAGING_DIR} and moved into place at the end.
     */
    public static Result run(Settings s, PrintWriter log) throws IOException {
        if (s.ppc() > s.samples()) {
            throw new IllegalArgumentException("the predictive check takes " + s.ppc() + " of the posterior samples, but"
                    + " only " + s.samples() + " are drawn; draw at least as many samples");
        }
        List<SimulationStore> stores = openStores(s.stores());
        float[] xo = readObservation(s.observation() != null ? s.observation() : experimentalObservation());
        BoxUniform prior = PyloricNetwork.prior();

        // ---- training set: rows with feature 5 defined, x = the 18 features
        List<float[]> theta = new ArrayList<>(), x = new ArrayList<>();
        List<StoreRows> rows = new ArrayList<>();
        int[] excluded = {0};
        for (SimulationStore st : stores) {
            int d = st.manifest().dataDim();
            long[] trip = {0};
            st.stream(c -> {
                for (int i = 0; i < c.rows(); i++) {
                    int o = i * d;
                    if (!Float.isFinite(c.x()[o + PyloricSimulation.TRIPHASIC_COLUMN])) continue;
                    trip[0]++;
                    boolean finite = true;
                    for (int j = 0; j < FEATURES; j++) finite &= Float.isFinite(c.x()[o + j]);
                    if (!finite) {
                        excluded[0]++;
                        continue;
                    }
                    theta.add(c.thetaRow(i));
                    x.add(Arrays.copyOfRange(c.x(), o, o + FEATURES));
                }
            });
            rows.add(new StoreRows(st.directory(), st.manifest().seed(), st.manifest().revision(), st.completedRows(),
                    st.manifest().simulations(), trip[0], TruncatedPrior.baseDescription(st.manifest().prior()) != null));
        }
        long onDisk = 0, triphasic = 0;
        for (StoreRows r : rows) {
            onDisk += r.onDisk();
            triphasic += r.triphasic();
        }
        line(log, String.format(Locale.ROOT, "training set: %,d triphasic networks (feature 5 defined) of %,d on disk"
                + " (%.2f%%) in %d store(s)%s", x.size(), onDisk, 100.0 * triphasic / Math.max(1, onDisk), rows.size(),
                excluded[0] > 0 ? String.format(Locale.ROOT, "; %,d left out for another undefined feature", excluded[0])
                        : ""));
        if (x.size() < s.minTriphasic()) throw tooFew(s, rows, x.size(), onDisk);

        // ---- training
        Path staging = freshStaging(s.out());
        if (Files.exists(s.out().resolve(MODEL_FILE)) || Files.exists(s.out().resolve(SUMMARY_FILE))) {
            line(log, "the earlier results in " + s.out() + " stay as they are until this run has finished; it writes"
                    + " into " + staging + " meanwhile");
        }
        line(log, String.format(Locale.ROOT, "training NPE: MAF %d x %d hidden layers of %d %s units, batch %d, at most"
                        + " %d epochs; backend %s, %s", s.maf().transforms(), s.maf().blocks() + 1,
                s.maf().hiddenFeatures(), s.maf().activation().name().toLowerCase(Locale.ROOT), s.batchSize(),
                s.maxEpochs(), Backends.forTraining(s.batchSize()).name(), trainingThreads(s.batchSize())));
        NpeConfig cfg = NpeConfig.defaults().withEstimator(EstimatorFactory.maf(s.maf()))
                .withTraining(TrainingConfig.defaults().withSeed(s.seed()).withMaxEpochs(s.maxEpochs())
                        .withBatchSize(s.batchSize()));
        SimulationSet data = new SimulationSet(theta.toArray(float[][]::new), x.toArray(float[][]::new), 0);
        theta.clear();
        x.clear();
        long[] lastPrint = {System.nanoTime()};
        NpeResult trained;
        try {
            trained = new Npe(cfg).train(data, (epoch, tl, vl, best, since, sec) -> {
                long now = System.nanoTime();
                if (epoch == 1 || epoch % 10 == 0 || now - lastPrint[0] > 10_000_000_000L) {
                    lastPrint[0] = now;
                    line(log, String.format(Locale.ROOT, "  epoch %4d  train %.4f  validation %.4f  best %.4f  (%.2f"
                            + " s/epoch)", epoch, tl, vl, best, sec));
                }
            });
        } catch (NoEpochFinishedException e) {
            if (!e.interrupted()) throw e;
            throw new InferenceInterruptedException("interrupted before the first training epoch finished; nothing was"
                    + " saved, and the earlier results in " + s.out() + " stay as they are; run infer again to train",
                    e);
        }
        TrainingHistory h = trained.trained().history();
        line(log, String.format(Locale.ROOT, "trained %d epoch%s in %s (best epoch %d, validation loss %.4f, %s)",
                h.epochs(), h.epochs() == 1 ? "" : "s", StoreListener.duration(trained.trainingSeconds()),
                h.bestEpoch(), h.bestValidationLoss(),
                h.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        if (trained.trained().estimator() instanceof Maf maf) MafFile.save(maf, staging.resolve(MODEL_FILE));
        if (h.stopReason() == TrainingHistory.StopReason.INTERRUPTED) {
            // Sampling and the check would stop at once on the interrupt; the training is what is worth keeping.
            throw new InferenceInterruptedException(String.format(Locale.ROOT, "interrupted after %d epoch%s: the flow"
                    + " trained so far (its best epoch, %d) is in %s (MafFile.load), and the earlier results in %s stay"
                    + " as they are; run infer again to train anew", h.epochs(), h.epochs() == 1 ? "" : "s",
                    h.bestEpoch(), staging.resolve(MODEL_FILE), s.out()));
        }

        // ---- posterior samples for x_o
        PosteriorConfig pc = s.posterior();
        if (pc.leakageSamples() > s.samples()) pc = pc.withLeakageSamples(Math.max(1_000, s.samples()));
        DirectPosterior posterior = trained.posterior(prior, pc);
        double acceptance = posterior.acceptanceRate(xo);
        long t0 = System.nanoTime();
        float[][] samples;
        String note = null;
        try {
            samples = posterior.sample(s.samples(), xo, s.seed());
        } catch (SamplingIncompleteException e) {
            if (e.accepted().length < s.ppc()) throw e;
            samples = e.accepted();
            note = e.getMessage();
            line(log, "note: " + note + "; continuing with the " + samples.length + " samples accepted");
        }
        double samplingSeconds = (System.nanoTime() - t0) * 1e-9;
        Npy.write(staging.resolve(SAMPLES_FILE), samples);
        line(log, String.format(Locale.ROOT, "posterior: %,d samples for x_o in %.1f s; %.2f%% of the flow's draws fall"
                + " inside the prior", samples.length, samplingSeconds, 100 * acceptance));
        writePairPlot(samples, prior, staging.resolve(PAIRS_FILE), log);

        // ---- the next round's proposal (TSNPE): the prior truncated to this posterior's high-density region
        Path proposalFile = s.out().resolve(PROPOSAL_FILE);
        float[][] tauSamples = thresholdSamples(posterior, xo, s, samples, log);
        TruncatedPrior proposal = new TruncatedPrior(posterior, xo,
                TruncatedPrior.threshold(posterior.logProbUncorrected(tauSamples, xo), TruncatedPrior.DEFAULT_QUANTILE),
                "next round");
        TruncatedPriorFile.write(staging.resolve(PROPOSAL_FILE), proposal, staging.resolve(MODEL_FILE),
                TruncatedPrior.DEFAULT_QUANTILE, tauSamples.length);
        double regionMass;
        try {
            regionMass = proposal.massEstimate().mass();
            line(log, String.format(Locale.ROOT, "next round's proposal: the prior truncated to log q(θ | x_o) >= %.4g"
                            + " (the %.0e quantile over %,d posterior samples) holds %.3g%% of the prior's mass;"
                            + " written to %s", proposal.threshold(), TruncatedPrior.DEFAULT_QUANTILE, tauSamples.length,
                    100 * regionMass, proposalFile));
        } catch (IllegalStateException e) {
            // Not fatal: the posterior and its check stand; only a next round from this region would be impractical.
            regionMass = Double.NaN;
            line(log, "note: the next round's proposal (" + proposalFile + ") is written, but " + e.getMessage()
                    + ", so drawing from it would take too long; simulate more from the prior instead");
        }

        // ---- posterior predictive check
        float[] std = trained.trained().estimator().xScore().std();
        float[][] ppcTheta = Arrays.copyOf(samples, s.ppc());
        float[][] factTheta = factorised(samples, s.ppc(), new Rng(s.seed() ^ 0xFAC7L));
        long t1 = System.nanoTime();
        line(log, String.format(Locale.ROOT, "predictive check: simulating %,d posterior and %,d factorised-posterior"
                + " samples with %s", s.ppc(), s.ppc(), s.ppcSimulator().name()));
        float[][] ppcX = simulate(s.ppcSimulator(), ppcTheta, s.seed() + 1, log);
        float[][] factX = simulate(s.ppcSimulator(), factTheta, s.seed() + 2, log);
        double ppcSeconds = (System.nanoTime() - t1) * 1e-9;
        Ppc post = check(ppcX, xo, std), fact = check(factX, xo, std);
        Npy.write(staging.resolve(PPC_FILES[0]), ppcTheta);
        Npy.write(staging.resolve(PPC_FILES[1]), ppcX);
        Npy.write(staging.resolve(PPC_FILES[2]), factTheta);
        Npy.write(staging.resolve(PPC_FILES[3]), factX);

        Result partial = new Result(rows, s.out(), data.size(), excluded[0], h, trained.trainingSeconds(), acceptance,
                samples.length, samplingSeconds, note, post, fact, ppcSeconds, proposalFile, proposal.threshold(),
                regionMass, null);
        String summary = summary(s, partial, xo, samples, prior);
        Files.writeString(staging.resolve(SUMMARY_FILE), summary, StandardCharsets.UTF_8);
        publish(staging, s.out(), log);
        return new Result(rows, s.out(), data.size(), excluded[0], h, trained.trainingSeconds(), acceptance,
                samples.length, samplingSeconds, note, post, fact, ppcSeconds, proposalFile, proposal.threshold(),
                regionMass, summary);
    }

    /**
     * The empty staging folder of {@code out} (both created as needed): a failed run's leftovers are cleared, since
     * this run makes them again.
     */
    static Path freshStaging(Path out) throws IOException {
        Path staging = out.resolve(STAGING_DIR);
        Files.createDirectories(staging);
        try (var files = Files.list(staging)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        return staging;
    }

    /**
     * The samples' pair plot, 31 × 31 panels of 110 pixels over the prior's box. A machine that cannot draw (no fonts)
     * gets a note instead: the plot is a view of posterior.npy, not a result of its own.
     */
    static void writePairPlot(float[][] samples, BoxUniform prior, Path file, PrintWriter log) throws IOException {
        try {
            PairPlot.writePng(samples, new PairPlot.Options(PyloricNetwork.PARAMETER_NAMES, prior.low(), prior.high(),
                    30, 110, null), file);
            line(log, "pair plot of the posterior samples: " + file.getFileName());
        } catch (PlotException e) {
            line(log, "note: no pair plot: " + e.getMessage());
        }
    }

    /**
     * Moves a finished run's files from {@code staging} into {@code out}, each by an atomic rename over the earlier
     * run's, the model just before the proposal that records its CRC, then removes the staging folder; the earlier
     * posterior's correlations and calibration go aside first ({@link #setAsideEarlierAnalyses}).
     */
    static void publish(Path staging, Path out, PrintWriter log) throws IOException {
        setAsideEarlierAnalyses(out, log);
        List<String> names = new ArrayList<>(List.of(PPC_FILES));
        names.addAll(List.of(SAMPLES_FILE, PAIRS_FILE, MODEL_FILE, PROPOSAL_FILE, SUMMARY_FILE));
        for (String name : names) {
            Path from = staging.resolve(name);
            if (!Files.exists(from)) continue;
            try {
                Files.move(from, out.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // A rename within one directory tree is atomic on every usual file system; where it is not, replace.
                Files.move(from, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.delete(staging);
    }

    /** Where a rerun puts the analyses of the posterior it replaces. */
    public static final String EARLIER_ANALYSES_DIR = "analyses-of-the-earlier-posterior";

    /**
     * Moves the correlations and calibration made from the earlier posterior in {@code out} (complete or partial)
     * into {@value #EARLIER_ANALYSES_DIR}, replacing what an earlier rerun put there: beside the new model they would
     * describe a posterior that is no longer there.
     */
    static void setAsideEarlierAnalyses(Path out, PrintWriter log) throws IOException {
        String[] names = {PyloricCorrelations.SUMMARY_FILE, PyloricCorrelations.MARGINAL_FILE,
                PyloricCorrelations.CONDITIONAL_FILE, PyloricCorrelations.PARTIAL_SUMMARY_FILE,
                PyloricCorrelations.PARTIAL_CONDITIONAL_FILE, PyloricCorrelations.PLOT_FILE,
                PyloricCorrelations.PARTIAL_PLOT_FILE, PyloricCalibration.PLOT_FILE,
                PyloricCalibration.PARTIAL_PLOT_FILE, PyloricCalibration.SUMMARY_FILE,
                PyloricCalibration.PARTIAL_SUMMARY_FILE};
        Path aside = out.resolve(EARLIER_ANALYSES_DIR);
        boolean announced = false;
        for (String name : names) {
            Path f = out.resolve(name);
            if (!Files.isRegularFile(f)) continue;
            if (!announced) {
                Files.createDirectories(aside);
                try (var old = Files.list(aside)) {
                    for (Path p : old.toList()) Files.delete(p);
                }
                log.println("the analyses of the earlier posterior go to " + aside + "; run pyloric correlations and"
                        + " calibration again for the new one");
                announced = true;
            }
            Files.move(f, aside.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<SimulationStore> openStores(List<Path> dirs) throws IOException {
        List<SimulationStore> stores = new ArrayList<>();
        Map<Long, Path> seeds = new HashMap<>();
        String pyloricPrior = PyloricNetwork.prior().describe();
        for (Path dir : dirs) {
            if (!Files.isRegularFile(dir.resolve(SimulationStore.MANIFEST))) {
                throw new SimulationStoreException("no simulation store at " + dir + (Files.isDirectory(dir) ? " (the"
                        + " folder holds no " + SimulationStore.MANIFEST + ")" : " (no such folder)") + "; make one with"
                        + " 'jsbi pyloric simulate --store " + dir + " --n <networks>'");
            }
            SimulationStore st = SimulationStore.open(dir);
            StoreManifest m = st.manifest();
            boolean truncated = pyloricPrior.equals(TruncatedPrior.baseDescription(m.prior()));
            if (m.parameterDim() != PyloricNetwork.prior().dim() || m.dataDim() < FEATURES
                    || !(m.prior().equals(pyloricPrior) || truncated)) {
                throw new SimulationStoreException(dir + " is not a pyloric-network store: it holds " + m.simulator()
                        + " with " + m.parameterDim() + " parameters and " + m.dataDim() + " outputs under the prior "
                        + m.prior() + "; the pyloric example needs 31 parameters under the paper's prior (or a truncation"
                        + " of it) and at least the 18 features (make one with 'jsbi pyloric simulate')");
            }
            Path other = seeds.putIfAbsent(m.seed(), dir);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + dir + " were both made with seed " + m.seed()
                        + ", so their networks overlap; give stores made with different seeds");
            }
            if (!st.damagedChunks().isEmpty()) {
                throw new SimulationStoreException(dir + " has damaged chunks " + st.damagedChunks().keySet() + "; run"
                        + " 'jsbi pyloric simulate --store " + dir + "' to simulate them again");
            }
            stores.add(st);
        }
        return stores;
    }

    private static InsufficientSimulationsException tooFew(Settings s, List<StoreRows> rows, int usable, long onDisk) {
        long triphasic = 0;
        for (StoreRows r : rows) triphasic += r.triphasic();
        boolean measured = triphasic >= 10;
        double p = measured ? (double) triphasic / onDisk : PyloricSimulation.PAPER_TRIPHASIC_FRACTION;
        long missing = s.minTriphasic() - usable;
        long more = (long) Math.ceil(missing / p / 1000.0) * 1000;
        double cpuHours = more * PyloricSimulation.CPU_SECONDS_PER_NETWORK / 3600;
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "too few triphasic networks to train on: the store%s hold%s %,d (feature 5"
                        + " defined) among %,d simulated; inference needs at least %,d (--min-triphasic).",
                rows.size() == 1 ? "" : "s", rows.size() == 1 ? "s" : "", usable, onDisk, s.minTriphasic()));
        b.append(String.format(Locale.ROOT, "%nAt %s%.2f%% triphasic, about %,d more networks are needed: about %.1f"
                        + " CPU-hours at ~%.0f ms each, %.1f hours on this machine's %d cores.",
                measured ? "the measured " : "the paper's ", 100 * p, more, cpuHours,
                1e3 * PyloricSimulation.CPU_SECONDS_PER_NETWORK, cpuHours / cores, cores));
        for (StoreRows r : rows) {
            if (!r.complete()) {
                b.append(String.format(Locale.ROOT, "%n%s is unfinished (%,d of %,d); finish it first: jsbi pyloric"
                        + " simulate --store %s", r.dir(), r.onDisk(), r.total(), r.dir()));
            }
        }
        long seed = 0;
        for (StoreRows r : rows) seed = Math.max(seed, r.seed());
        Path first = rows.get(0).dir();
        Path next = first.resolveSibling(first.getFileName() + "-2");
        StringBuilder stores = new StringBuilder();
        for (StoreRows r : rows) stores.append(" --store ").append(r.dir());
        b.append(String.format(Locale.ROOT, "%nA store's size is fixed when it is made; add networks in a new store with"
                + " another seed and give every store to infer:%n  %s%n  jsbi pyloric infer%s --store %s --out %s",
                PyloricSimulation.command(next, more, seed + 1, PyloricSimulation.DEFAULT_CHUNK), stores, next, s.out()));
        return new InsufficientSimulationsException(b.toString(), usable, s.minTriphasic());
    }

    /**
     * n rows of the product of the marginals of {@code samples}: each column permuted independently (the paper's
     * "factorised posterior"), then the first n rows.
     */
    static float[][] factorised(float[][] samples, int n, Rng rng) {
        int m = samples.length, d = samples[0].length;
        float[][] out = new float[n][d];
        for (int j = 0; j < d; j++) {
            int[] p = rng.permutation(m);
            for (int i = 0; i < n; i++) out[i][j] = samples[p[i]][j];
        }
        return out;
    }

    /** Simulates rows in batches (simulation index = row), printing progress every ~10 s. */
    private static float[][] simulate(Simulator sim, float[][] theta, long seed, PrintWriter log) {
        int n = theta.length, d = theta[0].length, xd = sim.dataDim();
        int batch = Math.max(16, 8 * Parallel.threads() * 8);
        float[][] x = new float[n][FEATURES];
        long t0 = System.nanoTime(), last = t0;
        for (int from = 0; from < n; from += batch) {
            int m = Math.min(batch, n - from);
            float[] flat = new float[m * d];
            for (int i = 0; i < m; i++) System.arraycopy(theta[from + i], 0, flat, i * d, d);
            float[] out = new float[m * xd];
            sim.simulate(new ParameterBatch(flat, m, d, from), seed, out);
            for (int i = 0; i < m; i++) System.arraycopy(out, i * xd, x[from + i], 0, FEATURES);
            long now = System.nanoTime();
            if (now - last > 10_000_000_000L && from + m < n) {
                last = now;
                line(log, String.format(Locale.ROOT, "  %,d/%,d simulated (%.1f networks/s)", from + m, n,
                        (from + m) / ((now - t0) * 1e-9)));
            }
        }
        return x;
    }

    /** The share of rows with all features defined, and the median z-scored distance of those to x_o. */
    static Ppc check(float[][] x, float[] xo, float[] std) {
        int n = x.length, finite = 0;
        double[] dist = new double[n];
        for (float[] row : x) {
            boolean ok = true;
            double s = 0;
            for (int j = 0; j < FEATURES; j++) {
                ok &= Float.isFinite(row[j]);
                double z = (row[j] - (double) xo[j]) / std[j];
                s += z * z;
            }
            if (ok) dist[finite++] = Math.sqrt(s);
        }
        double[] med = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            double[] v = new double[n];
            int k = 0;
            for (float[] row : x) if (Float.isFinite(row[j])) v[k++] = row[j];
            med[j] = median(v, k);
        }
        return new Ppc(n, finite, median(dist, finite), med);
    }

    static double median(double[] v, int k) {
        if (k == 0) return Double.NaN;
        double[] s = Arrays.copyOf(v, k);
        Arrays.sort(s);
        return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
    }

    // ================================================================ summary

    static String summary(Settings s, Result r, float[] xo, float[][] samples, BoxUniform prior) {
        StringBuilder b = new StringBuilder();
        b.append("# Pyloric network: NPE posterior for the experimental x_o (845_082_0044)\n\n");
        b.append("jsbi's reproduction of the eLife paper's stomatogastric example (models/PAPER.md §5): NPE on the\n")
                .append("triphasic networks of the 31-D prior, posterior for the experimental observation, posterior\n")
                .append("predictive check.\n\n");
        b.append("| | this run | the paper |\n|---|---|---|\n");
        long onDisk = 0, total = 0, trip = 0;
        for (StoreRows sr : r.stores()) {
            onDisk += sr.onDisk();
            total += sr.total();
            trip += sr.triphasic();
        }
        long truncatedStores = r.stores().stream().filter(StoreRows::truncated).count();
        b.append(String.format(Locale.ROOT, "| simulations | %,d on disk%s in %d store(s)%s | 18.5 million |%n", onDisk,
                onDisk == total ? "" : String.format(Locale.ROOT, " of %,d", total), r.stores().size(),
                truncatedStores == 0 ? ", all from the prior" : String.format(Locale.ROOT, ", %d of them drawn from a"
                        + " truncated prior (sequential rounds, TSNPE)", truncatedStores)));
        b.append(String.format(Locale.ROOT, "| triphasic (feature 5 defined) | %,d (%.2f%%) | 174,000 (0.94%%) |%n", trip,
                100.0 * trip / Math.max(1, onDisk)));
        b.append(String.format(Locale.ROOT, "| training set (90%% train, 10%% validation) | %,d%s | 170,000–174,000 |%n",
                r.trainingRows(), r.excluded() > 0 ? String.format(Locale.ROOT, " (%,d left out: another feature"
                        + " undefined)", r.excluded()) : ""));
        b.append(String.format(Locale.ROOT, "| estimator | MAF, %d transforms × %d hidden layers of %d %s; z-scored θ"
                        + " and x | MAF, 5 × [100, 100, 100] tanh |%n", s.maf().transforms(), s.maf().blocks() + 1,
                s.maf().hiddenFeatures(), s.maf().activation().name().toLowerCase(Locale.ROOT)));
        TrainingHistory h = r.history();
        b.append(String.format(Locale.ROOT, "| training | %d epochs (best %d, %s), batch %d, validation loss %.3f |"
                        + " ≤ 1,000 epochs, batch 50 |%n", h.epochs(), h.bestEpoch(),
                h.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), s.batchSize(),
                h.bestValidationLoss()));
        b.append(String.format(Locale.ROOT, "| training time | %s (%s, %s) | not reported |%n",
                StoreListener.duration(r.trainingSeconds()), Backends.forTraining(s.batchSize()).name(),
                trainingThreads(s.batchSize())));
        b.append(String.format(Locale.ROOT, "| posterior samples | %,d in %.1f s%s | 2,520,000 |%n", r.samples(),
                r.samplingSeconds(), r.samplingNote() == null ? "" : " (stopped early, see below)"));
        b.append(String.format(Locale.ROOT, "| acceptance (flow mass inside the prior) | %.2f%% | not reported |%n",
                100 * r.acceptance()));
        b.append(String.format(Locale.ROOT, "| **PPC: all 18 features defined, posterior** | **%.1f%%** (%d of %d) |"
                        + " **80%%** (code output 79.2%%) |%n", 100 * r.posterior().fraction(), r.posterior().finite(),
                r.posterior().n()));
        b.append(String.format(Locale.ROOT, "| **PPC: all 18 features defined, factorised posterior** | **%.1f%%** (%d of"
                        + " %d) | **23%%** (code output 26.6%%) |%n", 100 * r.factorised().fraction(),
                r.factorised().finite(), r.factorised().n()));
        b.append(String.format(Locale.ROOT, "| median z-scored distance to x_o (posterior / factorised) | %.2f / %.2f |"
                        + " not reported |%n%n", r.posterior().medianZDistance(), r.factorised().medianZDistance()));
        b.append(String.format(Locale.ROOT, "The distance is the Euclidean norm over the 18 features of (x − x_o) / sd,"
                + " sd from the training split (as the estimator z-scores x), over the predictive samples whose features"
                + " are all defined; %.2f = one sd in every feature. Predictive simulations: %.1f s for %,d networks.%n%n",
                Math.sqrt(FEATURES), r.ppcSeconds(), r.posterior().n() + r.factorised().n()));
        if (r.samplingNote() != null) b.append("Sampling: ").append(r.samplingNote()).append("\n\n");

        b.append("## Features: x_o and the posterior predictive medians\n\n| # | feature | x_o | posterior PPC median |"
                + " factorised PPC median |\n|---:|---|---:|---:|---:|\n");
        for (int j = 0; j < FEATURES; j++) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %.4g | %.4g | %.4g |%n", j + 1,
                    PyloricFeatures.FEATURE_NAMES[j], xo[j], r.posterior().medianFeatures()[j],
                    r.factorised().medianFeatures()[j]));
        }
        b.append("\n## Posterior marginals (5%, 50%, 95%) against the prior\n\n| parameter | prior low | prior high |"
                + " 5% | 50% | 95% |\n|---|---:|---:|---:|---:|---:|\n");
        double[] lo = prior.low(), hi = prior.high();
        for (int j = 0; j < lo.length; j++) {
            double[] col = new double[samples.length];
            for (int i = 0; i < samples.length; i++) col[i] = samples[i][j];
            Arrays.sort(col);
            b.append(String.format(Locale.ROOT, "| %s | %.4g | %.4g | %.4g | %.4g | %.4g |%n",
                    PyloricNetwork.PARAMETER_NAMES[j], lo[j], hi[j], quantile(col, 0.05), quantile(col, 0.5),
                    quantile(col, 0.95)));
        }
        b.append("\nSynaptic conductances (syn_*) are ln(g / mS).\n\n## Files\n\n")
                .append("- `posterior.npy`: the posterior samples, float32, shape (samples, 31), in the order above\n")
                .append("- `posterior-maf.jsbi`: the trained flow (jsbi model file)\n")
                .append("- `" + PROPOSAL_FILE + "`: the next round's proposal (below)\n")
                .append("- `ppc-posterior-theta.npy`, `ppc-posterior-x.npy`, `ppc-factorised-theta.npy`,"
                        + " `ppc-factorised-x.npy`: the predictive check's parameters and their 18 features (NaN ="
                        + " undefined)\n\nStores:\n\n");
        long maxSeed = 0;
        for (StoreRows sr : r.stores()) {
            b.append(String.format(Locale.ROOT, "- %s: seed %d, simulator revision %s, %,d of %,d networks, %,d"
                    + " triphasic (%.2f%%), %s%n", sr.dir(), sr.seed(), sr.revision().isEmpty() ? "not recorded"
                    : sr.revision(), sr.onDisk(), sr.total(), sr.triphasic(), 100.0 * sr.triphasic()
                    / Math.max(1, sr.onDisk()), sr.truncated() ? "truncated prior" : "prior"));
            maxSeed = Math.max(maxSeed, sr.seed());
        }
        Path first = r.stores().get(0).dir();
        Path next = first.resolveSibling(first.getFileName() + "-round");
        StringBuilder all = new StringBuilder();
        for (StoreRows sr : r.stores()) all.append(" --store ").append(sr.dir());
        b.append(String.format(Locale.ROOT, "%n## Next round (truncated sequential NPE)%n%n`%s` is the prior truncated to"
                        + " this posterior's region log q(θ | x_o) ≥ %.4g (the %.0e quantile of log q over posterior samples);"
                        + " it holds %s of the prior's mass. Networks drawn from it land where this posterior"
                        + " puts its mass. Pooled with the stores above, they train the next posterior by plain maximum"
                        + " likelihood (inside the region the proposal is proportional to the prior):%n%n```%n%s%n"
                        + "jsbi pyloric infer%s --store %s --out %s-next%n```%n", PROPOSAL_FILE, r.threshold(),
                TruncatedPrior.DEFAULT_QUANTILE, Double.isNaN(r.regionMass()) ? "too little (none of 2 million prior"
                        + " draws fell in it, so a round from it would be impractical)"
                        : String.format(Locale.ROOT, "about %.3g%%", 100 * r.regionMass()),
                PyloricSimulation.command(next, 25_600, maxSeed + 1, PyloricSimulation.DEFAULT_CHUNK,
                        r.out().resolve(PROPOSAL_FILE)), all, next, r.out()));
        return b.toString();
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    private static void line(PrintWriter out, String s) {
        PyloricSimulation.line(out, s);
    }

    /**
     * The posterior samples whose log q sets the next round's τ: the output's samples where they are at least {@link
     * Settings#thresholdSamples}, else that many drawn from a stream of their own. At the quantile 1e-4, τ from the
     * output's 10,000 samples is about their second-smallest log q, and the region left out twice the posterior mass
     * asked for, on average (0.4–4.7e-4; SequentialNpe.DEFAULT_THRESHOLD_SAMPLES). Where rejection sampling hits
     * the time limit, the draws it accepted are used if they outnumber the output's, with a note.
     */
    private static float[][] thresholdSamples(DirectPosterior posterior, float[] xo, Settings s, float[][] samples,
                                              PrintWriter log) {
        if (s.thresholdSamples() * TruncatedPrior.DEFAULT_QUANTILE < 1) {
            line(log, "note: the next round's threshold from " + s.thresholdSamples() + " samples is about their least"
                    + " log q, so its region leaves out about 1/" + s.thresholdSamples() + " of the posterior's mass"
                    + " rather than " + TruncatedPrior.DEFAULT_QUANTILE + "; " + Math.round(1
                    / TruncatedPrior.DEFAULT_QUANTILE) + " or more resolve the quantile");
        }
        if (samples.length >= s.thresholdSamples()) return samples;
        long t0 = System.nanoTime();
        float[][] drawn;
        try {
            drawn = posterior.sample(s.thresholdSamples(), xo, s.seed() ^ THRESHOLD_STREAM);
        } catch (SamplingIncompleteException e) {
            drawn = e.accepted().length > samples.length ? e.accepted() : samples;
            line(log, "note: " + e.getMessage() + "; the next round's threshold uses " + drawn.length + " samples");
            return drawn;
        }
        line(log, String.format(Locale.ROOT, "threshold samples: %,d more posterior samples in %.1f s for the next"
                + " round's threshold", drawn.length, (System.nanoTime() - t0) * 1e-9));
        return drawn;
    }

    /**
     * The threads a training step used, said plainly where it is fewer than the process has: a batch is split over
     * threads only when each gets enough columns (Trainer.threadsUsed), and the paper's batch of 50 does not.
     */
    static String trainingThreads(int batchSize) {
        int used = Trainer.threadsUsed(Backends.forTraining(batchSize), batchSize), all = Parallel.threads();
        if (used == all) return used == 1 ? "1 thread" : used + " threads";
        return String.format(Locale.ROOT, "training on %d of %d threads: a batch of %d is too small to split", used,
                all, batchSize);
    }
}
