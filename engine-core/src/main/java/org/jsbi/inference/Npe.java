package org.jsbi.inference;

import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.dist.Prior;
import org.jsbi.simulation.SimulationInterruptedException;
import org.jsbi.simulation.SimulationListener;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.simulation.Simulations;
import org.jsbi.simulation.Simulator;
import org.jsbi.train.NoEpochFinishedException;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingListener;

/**
 * Amortized (single-round) neural posterior estimation (Papamakarios &amp; Murray 2016; Greenberg et al. 2019 with the
 * prior as proposal): simulate (θ, x) from the prior, fit q(θ | x) by maximum likelihood, and use it as the posterior
 * for any observation. Non-finite simulations are excluded and counted.
 *
 * <pre>{@code
 * NpeResult r = new Npe(NpeConfig.defaults()).run(simulator, prior, 10_000, seed);
 * float[][] samples = r.posterior(prior).sample(10_000, xObserved, seed);
 * }</pre>
 */
public final class Npe {

    private final NpeConfig config;
    private final Backend backend;

    /** Trains on {@link Backends#forTraining} at the configuration's batch size. */
    public Npe(NpeConfig config) {
        this(config, Backends.forTraining(config == null ? 1 : config.training().batchSize()));
    }

    public Npe(NpeConfig config, Backend backend) {
        if (config == null || backend == null) throw new IllegalArgumentException("config and backend must be given");
        this.config = config;
        this.backend = backend;
    }

    public NpeConfig config() {
        return config;
    }

    /** The backend this trains on. */
    public Backend backend() {
        return backend;
    }

    /** Simulates n prior draws and trains on them. */
    public NpeResult run(Simulator simulator, Prior prior, int n, long seed) {
        return run(simulator, prior, n, seed, SimulationListener.NONE, TrainingListener.NONE);
    }

    public NpeResult run(Simulator simulator, Prior prior, int n, long seed, SimulationListener simulationListener,
                         TrainingListener trainingListener) {
        long t0 = System.nanoTime();
        SimulationSet data = Simulations.run(simulator, prior, n, seed, simulationListener);
        double simSeconds = (System.nanoTime() - t0) * 1e-9;
        NpeResult trained;
        try {
            trained = train(data, trainingListener);
        } catch (NoEpochFinishedException e) {
            if (!e.interrupted()) throw e;
            // Interrupted in the first epoch: nothing trained, but the simulations are not lost with it.
            throw new SimulationInterruptedException("training was interrupted before its first epoch finished; the "
                    + data.size() + " simulations are kept (completed())", data, e);
        }
        return new NpeResult(trained.trained(), trained.simulationsUsed(), data.excludedNonFinite(), simSeconds,
                trained.trainingSeconds());
    }

    /** Trains on simulations already made (their non-finite rows already excluded by {@link Simulations}). */
    public NpeResult train(SimulationSet data) {
        return train(data, TrainingListener.NONE);
    }

    public NpeResult train(SimulationSet data, TrainingListener listener) {
        if (data == null) throw new IllegalArgumentException("no simulation set given");
        int needed = Trainer.minimumSimulations(config.training());
        if (data.excludedNonFinite() > 0 && data.size() > 0 && data.size() < needed) {
            // The trainer would ask for "at least <needed> simulations" of a user who ran many more.
            throw new IllegalArgumentException("only " + data.size() + " of " + data.simulated() + " simulations"
                    + " produced finite data (" + data.excludedNonFinite() + " had NaN or infinite values and were"
                    + " excluded), fewer than the " + needed + " that training with batches of "
                    + config.training().batchSize() + " needs; check which of the simulator's features are undefined"
                    + " over much of the prior (one that is NaN in most simulations excludes most of them) and leave"
                    + " it out or give it a finite value, or simulate more");
        }
        long t0 = System.nanoTime();
        TrainedEstimator trained = Trainer.train(backend, config.estimator(), data.toTrainingData(), config.training(),
                listener == null ? TrainingListener.NONE : listener);
        return new NpeResult(trained, data.size(), data.excludedNonFinite(), 0, (System.nanoTime() - t0) * 1e-9);
    }
}
