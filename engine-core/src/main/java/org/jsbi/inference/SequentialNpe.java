package org.jsbi.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.dist.Prior;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.InvalidObservationException;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.simulation.SimulationInterruptedException;
import org.jsbi.simulation.SimulationListener;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.simulation.Simulations;
import org.jsbi.simulation.Simulator;
import org.jsbi.train.NoEpochFinishedException;
import org.jsbi.train.TrainingHistory;
import org.jsbi.train.TrainingListener;

/**
 * Sequential NPE for one observation with truncated proposals (TSNPE, Deistler, Gonçalves &amp; Macke 2022): round 0
 * simulates the prior; round r simulates the prior truncated to round r−1's posterior for x_o ({@link TruncatedPrior},
 * τ the {@code quantile} of log q over {@code thresholdSamples} posterior samples); each round trains a fresh estimator
 * by plain maximum likelihood on all rounds' simulations pooled. Inside the last region the pooled proposal is
 * proportional to the prior, so the final estimate is the posterior for x_o (not an amortized one: use it for x_o).
 *
 * <pre>{@code
 * SequentialNpe.Result r = new SequentialNpe(NpeConfig.defaults()).run(sim, prior, xo, new int[] {1000, 1000, 1000}, seed);
 * float[][] samples = r.posterior().sample(10_000, xo, seed);
 * }</pre>
 *
 * <p>Simulations with NaN or infinite data are left out, and counted, in every round ({@link Round#excludedNonFinite}).
 * DESIGN.md asks later rounds to refuse them unless the user opts in, as sbi does for its atomic loss (APT), which
 * leaving them out would bias. With the plain maximum likelihood of truncated rounds it does not: whether a
 * simulation is valid is a function of its x, so round 0 still learns p(θ | x) for every valid x, and a later round,
 * whose proposal is the prior restricted to a region, learns the same posterior inside it.
 *
 * <p>Round r's simulations use seed {@code seed + r} (their noise streams do not repeat), its training seed
 * {@code config.training().seed() + r}; the same inputs on the same backend and thread count give the same result. A
 * round whose pooled training split is smaller than one batch trains with batches of the whole split.
 *
 * <p>Interrupting the thread stops the run without losing finished rounds: as in {@link Npe}, an interrupted training
 * keeps its best weights so far and the round counts as finished; an interrupt in a round's first epoch (no weights
 * to keep yet), or while a later round builds its proposal or simulates, ends the run at the last finished round,
 * keeping that round's simulations in {@link Result#simulations()}. Either way {@link #run} returns with
 * {@link Result#interrupted()} set and leaves the interrupt status set. Only an interrupt before round 0 has trained
 * anything ends in the {@link SimulationInterruptedException} that {@link Npe} throws, holding round 0's finished
 * simulations. A later round whose proposal cannot be drawn from within the posterior's time limit ends the run the
 * same way, with the reason in {@link Result#proposalFailure()}. An exception of the simulator (other than its
 * stopping on an interrupt, see {@link Simulations}) propagates, and the rounds finished before it go with it.
 */
public final class SequentialNpe {

    /**
     * Posterior samples whose log q sets each round's threshold: the TSNPE paper's benchmark used 100,000 (sbi's
     * thresholder defaults to 1,000,000). At the quantile 1e-4 the region then leaves out 1.1e-4 of the posterior's
     * mass on average (90% of runs 0.7–1.8e-4), where 10,000 samples, this constant before 2026-11-28, left out 2e-4
     * (0.4–4.7e-4): τ is then about the second-smallest sample's log q.
     */
    public static final int DEFAULT_THRESHOLD_SAMPLES = 100_000;

    private final NpeConfig config;
    private final PosteriorConfig posteriorConfig;
    private final Backend backend;
    private final double quantile;
    private final int thresholdSamples;

    /**
     * One round.
     *
     * @param round             0 for the prior's round
     * @param simulations       simulations made in this round
     * @param excludedNonFinite of them left out for non-finite data
     * @param threshold         τ of the proposal this round drew from (NaN in round 0)
     * @param regionMass        the prior's mass inside that proposal (1 in round 0)
     * @param trainingRows      rows the round's estimator was trained on (all rounds so far)
     * @param epochs            its training epochs
     * @param simulationSeconds wall time of the round's simulations (with the proposal's rejection sampling)
     * @param trainingSeconds   wall time of its training
     */
    public record Round(int round, int simulations, int excludedNonFinite, double threshold, double regionMass,
                        int trainingRows, int epochs, double simulationSeconds, double trainingSeconds) {
    }

    /**
     * The rounds finished and the last one's estimator and posterior (restricted to the prior's support).
     *
     * @param rounds      the rounds finished, in order; fewer than asked when interrupted
     * @param last        the last finished round's estimator (trained on {@code rounds}' simulations)
     * @param posterior   its posterior
     * @param simulations every finished simulation pooled over the rounds; after an interruption it also holds those of
     *                    the round that was stopped, which no estimator was trained on (compare
     *                    {@link Round#trainingRows()} of the last round)
     * @param interrupted the thread was interrupted and the run stopped early (the interrupt status is still set)
     * @param proposalFailure empty, or why a later round's proposal could not be drawn from (its rejection sampling hit
     *                    the posterior's time limit: the last posterior leaks almost all its mass outside the prior),
     *                    which ended the run at the last finished round
     */
    public record Result(List<Round> rounds, NpeResult last, DirectPosterior posterior, SimulationSet simulations,
                         boolean interrupted, String proposalFailure) {

        /** Whether the run ended before the rounds asked for: interrupted, or a proposal could not be drawn from. */
        public boolean stoppedEarly() {
            return interrupted || !proposalFailure.isEmpty();
        }
    }

    /** Round r's proposal for r ≥ 1: the prior truncated at τ to round r − 1's posterior, with its prior mass. */
    private record Proposal(Prior prior, double threshold, double mass) {
    }

    public SequentialNpe(NpeConfig config) {
        this(config, PosteriorConfig.defaults(), TruncatedPrior.DEFAULT_QUANTILE, DEFAULT_THRESHOLD_SAMPLES,
                Backends.forTraining(config == null ? 1 : config.training().batchSize()));
    }

    public SequentialNpe(NpeConfig config, PosteriorConfig posteriorConfig, double quantile, int thresholdSamples,
                         Backend backend) {
        if (config == null || posteriorConfig == null || backend == null) {
            throw new IllegalArgumentException("config, posterior config and backend must be given");
        }
        if (!(quantile >= 0 && quantile < 1)) {
            throw new IllegalArgumentException("the truncation quantile must be in [0, 1), got " + quantile);
        }
        if (thresholdSamples < 100 || (quantile > 0 && thresholdSamples * quantile < 1)) {
            throw new IllegalArgumentException("the threshold needs at least 100 posterior samples, and at least 1 /"
                    + " quantile of them to resolve the quantile " + quantile + " (below that τ is the sample minimum"
                    + " and the region leaves out far more mass than asked), got " + thresholdSamples);
        }
        this.config = config;
        this.posteriorConfig = posteriorConfig;
        this.backend = backend;
        this.quantile = quantile;
        this.thresholdSamples = thresholdSamples;
    }

    /**
     * The configured batch, or the whole training split when an early round has fewer rows than one batch (sbi's
     * data loader does the same; one-round {@link Npe} refuses such data instead, since there it means a too small
     * budget).
     */
    int batchFor(int rows) {
        int nVal = (int) Math.max(1, Math.round(rows * config.training().validationFraction()));
        return Math.max(1, Math.min(config.training().batchSize(), rows - nVal));
    }

    /** {@code budget} simulations split over {@code rounds} rounds as evenly as possible, the earlier rounds taking the
     *  remainder (as the benchmark split its SNPE budgets). */
    public static int[] evenRounds(int budget, int rounds) {
        if (rounds < 1 || rounds > budget) {
            throw new IllegalArgumentException("rounds must be between 1 and the budget (" + budget + "), got " + rounds);
        }
        int[] perRound = new int[rounds];
        for (int i = 0; i < rounds; i++) perRound[i] = budget / rounds + (i < budget % rounds ? 1 : 0);
        return perRound;
    }

    /** Runs {@code simulationsPerRound.length} rounds for observation {@code xo}. */
    public Result run(Simulator simulator, Prior prior, float[] xo, int[] simulationsPerRound, long seed) {
        return run(simulator, prior, xo, simulationsPerRound, seed, SimulationListener.NONE, TrainingListener.NONE);
    }

    public Result run(Simulator simulator, Prior prior, float[] xo, int[] simulationsPerRound, long seed,
                      SimulationListener simulationListener, TrainingListener trainingListener) {
        if (simulator == null || prior == null) throw new IllegalArgumentException("simulator and prior must be given");
        InvalidObservationException.check(xo, simulator.dataDim());
        if (simulationsPerRound == null || simulationsPerRound.length == 0) {
            throw new IllegalArgumentException("give the simulations of at least one round");
        }
        for (int r = 0; r < simulationsPerRound.length; r++) {
            if (simulationsPerRound[r] < 1) {
                throw new IllegalArgumentException("round " + r + " has " + simulationsPerRound[r] + " simulations; each"
                        + " round needs at least 1");
            }
        }
        List<Round> rounds = new ArrayList<>();
        Pool pool = new Pool();
        NpeResult trained = null;
        DirectPosterior posterior = null;
        String failure = "";
        for (int r = 0; r < simulationsPerRound.length; r++) {
            if (r > 0 && Thread.currentThread().isInterrupted()) break;
            Proposal proposal = new Proposal(prior, Double.NaN, 1);
            long t0 = System.nanoTime();
            SimulationSet data;
            try {
                if (r > 0) proposal = truncatedProposal(posterior, xo, seed, r);
                data = Simulations.run(simulator, proposal.prior(), simulationsPerRound[r], seed + r,
                        simulationListener);
            } catch (SimulationInterruptedException e) {
                if (r == 0) throw e;   // nothing trained yet: as Npe, with round 0's finished simulations
                pool.add(e.completed());
                break;
            } catch (SamplingIncompleteException e) {
                if (r == 0) throw e;
                // An interrupt, or the time limit of drawing from the truncated prior: either way the rounds
                // finished so far stand, and the caller learns why there are no more.
                if (!e.interrupted()) failure = "round " + r + "'s proposal: " + e.getMessage();
                break;
            } catch (TruncatedPrior.RegionTooSmallException e) {
                if (r == 0) throw e;
                failure = "round " + r + "'s proposal: " + e.getMessage();
                break;
            }
            double simSeconds = (System.nanoTime() - t0) * 1e-9;
            pool.add(data);
            // Training with the interrupt set would stop at once and hand back an untrained estimator.
            if (Thread.currentThread().isInterrupted()) {
                if (r == 0) throw new SimulationInterruptedException(data);
                break;
            }
            SimulationSet pooled = pool.set();
            NpeConfig cfg = config.withTraining(config.training().withSeed(config.training().seed() + r)
                    .withBatchSize(batchFor(pooled.size())));
            try {
                trained = new Npe(cfg, backend).train(pooled, trainingListener);
            } catch (NoEpochFinishedException e) {
                if (!e.interrupted()) throw e;
                // Interrupted in the round's first epoch: no estimator for this round, the earlier ones stand.
                if (r == 0) {
                    throw new SimulationInterruptedException("training was interrupted before its first epoch"
                            + " finished; the " + pooled.size() + " simulations are kept (completed())", pooled, e);
                }
                break;
            }
            posterior = trained.posterior(prior, posteriorConfig);
            rounds.add(new Round(r, simulationsPerRound[r], data.excludedNonFinite(), proposal.threshold(),
                    proposal.mass(), pooled.size(), trained.trained().history().epochs(), simSeconds,
                    trained.trainingSeconds()));
        }
        boolean interrupted = failure.isEmpty() && (rounds.size() < simulationsPerRound.length
                || trained.trained().history().stopReason() == TrainingHistory.StopReason.INTERRUPTED);
        return new Result(List.copyOf(rounds), trained, posterior, pool.set(), interrupted, failure);
    }

    /**
     * The prior truncated to the posterior for x_o, τ the {@code quantile} of log q over {@code thresholdSamples} of
     * its samples; rejection sampling in both stops on an interrupt with a {@link SamplingIncompleteException}.
     */
    private Proposal truncatedProposal(DirectPosterior posterior, float[] xo, long seed, int r) {
        float[][] s = posterior.sample(thresholdSamples, xo, seed + 0x5EED_0000L + r);
        double tau = TruncatedPrior.threshold(posterior.logProbUncorrected(s, xo), quantile);
        TruncatedPrior t = new TruncatedPrior(posterior, xo, tau, "round " + (r - 1));
        return new Proposal(t, tau, t.massEstimate().mass());
    }

    /** All rounds' simulations so far, in round order, with the count of those excluded for non-finite data. */
    private static final class Pool {
        private final List<float[]> theta = new ArrayList<>(), x = new ArrayList<>();
        private int excluded;

        void add(SimulationSet data) {
            theta.addAll(Arrays.asList(data.theta()));
            x.addAll(Arrays.asList(data.x()));
            excluded += data.excludedNonFinite();
        }

        SimulationSet set() {
            return new SimulationSet(theta.toArray(float[][]::new), x.toArray(float[][]::new), excluded);
        }
    }
}
