package org.jsbi.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jsbi.backend.Backend;
import org.jsbi.dist.Prior;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * The posterior p(θ | x) ∝ q(θ | x)·1[θ ∈ support(prior)] of a trained conditional density estimator (NPE): samples
 * by drawing from q and rejecting draws outside the prior's support; log-densities renormalised by the acceptance
 * rate (the "leakage" correction); MAP by gradient ascent. Thread-safe for concurrent sampling, log-densities and MAP
 * (each call draws from its own seed); not while the estimator trains, which changes the parameters they read. MAP
 * takes gradients with respect to θ alone, so it leaves the parameters' gradient accumulators as they are.
 */
public final class DirectPosterior {

    private static final System.Logger LOG = System.getLogger(DirectPosterior.class.getName());

    /** How much a MAP chain's step grows after a step taken (it halves after one refused), up to the learning rate. */
    private static final double MAP_STEP_GROWTH = 1.25;
    /** How often a MAP step's move in one coordinate is halved, at most, looking for a point inside the support. */
    private static final int MAX_SUPPORT_HALVINGS = 30;
    /**
     * The most observations whose acceptance rate is kept. A posterior that lives as long as its process (amortized
     * NPE evaluated on stream after stream of observations) would otherwise keep one entry for every observation it
     * was ever asked about, about 130 bytes each for 2-D data, without end. A rate is a function of the observation
     * alone (its draws are seeded from x), so one computed again after the cache was cleared is the same number.
     */
    static final int MAX_CACHED_RATES = 1024;

    private final ConditionalDensityEstimator estimator;
    private final Prior prior;
    private final PosteriorConfig config;
    private final List<String> parameterNames;
    /** The simulator the training pairs came from ({@link org.jsbi.simulation.Simulator#name()}), or null. */
    private final String simulator;
    private final Map<ObservationKey, Double> acceptance = new ConcurrentHashMap<>();

    /** A posterior whose parameters are named theta_1, theta_2, ... ({@link #withParameterNames} names them). */
    public DirectPosterior(ConditionalDensityEstimator estimator, Prior prior, PosteriorConfig config) {
        this(estimator, prior, config, null, null);
    }

    private DirectPosterior(ConditionalDensityEstimator estimator, Prior prior, PosteriorConfig config,
                            List<String> names, String simulator) {
        if (estimator == null || prior == null || config == null) {
            throw new IllegalArgumentException("estimator, prior and config must be given");
        }
        if (estimator.thetaDim() != prior.dim()) {
            throw new IllegalArgumentException("the estimator models " + estimator.thetaDim()
                    + " parameters but the prior has dimension " + prior.dim());
        }
        this.estimator = estimator;
        this.prior = prior;
        this.config = config;
        this.parameterNames = names == null ? defaultNames(prior.dim()) : checkParameterNames(names, prior.dim());
        if (simulator != null && (simulator.isBlank() || simulator.length() > MAX_NAME)) {
            throw new IllegalArgumentException("a simulator name must be 1.." + MAX_NAME + " characters, got '"
                    + simulator + "'");
        }
        this.simulator = simulator;
    }

    /** The longest parameter or simulator name: names head tables and label plots. */
    public static final int MAX_NAME = 100;

    /**
     * This posterior with its parameters named (in outputs: marginals, sample files, plots, correlations; and saved
     * with it). Names are distinct, not blank, and hold no comma, quote or line break, since they head CSV columns.
     */
    public DirectPosterior withParameterNames(List<String> names) {
        return new DirectPosterior(estimator, prior, config, names, simulator);
    }

    /**
     * This posterior recording the simulator its training pairs came from (saved with it), so that a predictive
     * check can refuse another model's.
     */
    public DirectPosterior withSimulator(String simulatorName) {
        return new DirectPosterior(estimator, prior, config, parameterNames, simulatorName);
    }

    /** The simulator the training pairs came from, where it was recorded. */
    public java.util.Optional<String> simulator() {
        return java.util.Optional.ofNullable(simulator);
    }

    /** The parameters' names: theta_1, theta_2, ... unless {@link #withParameterNames} gave others. */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** theta_1 … theta_d. */
    public static List<String> defaultNames(int d) {
        List<String> names = new ArrayList<>(d);
        for (int i = 1; i <= d; i++) names.add("theta_" + i);
        return List.copyOf(names);
    }

    /**
     * {@code names} as an unmodifiable list where they can name d parameters (see {@link #withParameterNames}), else an
     * {@link IllegalArgumentException} naming the problem.
     */
    public static List<String> checkParameterNames(List<String> names, int d) {
        if (names.size() != d) {
            throw new IllegalArgumentException(names.size() + " parameter names for " + d + " parameters");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < d; i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) throw new IllegalArgumentException("parameter name " + (i + 1) + " is blank");
            if (n.length() > MAX_NAME) {
                throw new IllegalArgumentException("parameter name " + (i + 1) + " has " + n.length()
                        + " characters; at most " + MAX_NAME);
            }
            if (n.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
                throw new IllegalArgumentException("parameter name '" + n + "' holds a comma, a quote or a line break;"
                        + " names head CSV columns, so they cannot");
            }
            if (!seen.add(n)) throw new IllegalArgumentException("parameter name '" + n + "' appears twice");
        }
        return List.copyOf(names);
    }

    /**
     * Writes this posterior (estimator, prior, settings) to one file, atomically ({@link PosteriorFile}); its
     * estimator must be a MAF or MDN and its prior one of {@link org.jsbi.dist.Priors}'.
     */
    public void save(java.nio.file.Path path) throws java.io.IOException {
        PosteriorFile.save(this, path);
    }

    /** A posterior written by {@link #save}, its estimator on {@code backend}: the same log-densities and samples. */
    public static DirectPosterior load(java.nio.file.Path path, org.jsbi.backend.Backend backend)
            throws java.io.IOException {
        return PosteriorFile.load(path, backend);
    }

    /** {@link #load(java.nio.file.Path, org.jsbi.backend.Backend)} on the backend jsbi selects ({@code Backends.current()}). */
    public static DirectPosterior load(java.nio.file.Path path) throws java.io.IOException {
        return PosteriorFile.load(path, org.jsbi.backend.Backends.current());
    }

    public ConditionalDensityEstimator estimator() {
        return estimator;
    }

    public Prior prior() {
        return prior;
    }

    public PosteriorConfig config() {
        return config;
    }

    public int thetaDim() {
        return estimator.thetaDim();
    }

    public int xDim() {
        return estimator.xDim();
    }

    /** n posterior samples for observation x, one row each. */
    public float[][] sample(int n, float[] x, long seed) {
        return sample(n, x, seed, SamplingListener.NONE);
    }

    /**
     * n posterior samples for observation x, one row each, by rejection of out-of-support draws. Stops with a
     * {@link SamplingIncompleteException} (holding what was accepted) at the time limit or on interruption.
     */
    public float[][] sample(int n, float[] x, long seed, SamplingListener listener) {
        InvalidObservationException.check(x, estimator.xDim());
        if (n < 0) throw new IllegalArgumentException("number of samples must be >= 0, got " + n);
        Rng rng = new Rng(seed);
        int d = estimator.thetaDim();
        List<float[]> kept = new ArrayList<>(n);
        long proposed = 0;
        long t0 = System.nanoTime();
        boolean warned = false;
        float[] row = new float[d];
        while (kept.size() < n) {
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (Thread.currentThread().isInterrupted()) {
                throw new SamplingIncompleteException("was interrupted", true, kept.toArray(float[][]::new), n,
                        proposed, seconds, observationNote(x));
            }
            if (seconds > config.timeLimitSeconds()) {
                throw new SamplingIncompleteException("hit its time limit of " + config.timeLimitSeconds() + " s",
                        false, kept.toArray(float[][]::new), n, proposed, seconds, observationNote(x));
            }
            int missing = n - kept.size();
            // Size the next pass from the acceptance seen so far (optimistic at first), with 10% slack.
            double acc = proposed == 0 ? 1.0 : Math.max(kept.size(), 1) / (double) proposed;
            int m = (int) Math.min(config.maxProposalBatch(), Math.max(1_000, Math.ceil(missing / acc * 1.1)));
            // One download: Tensor.get is a download (and an array) per value.
            float[] draws = estimator.sample(m, x, rng).toArray();
            proposed += m;
            for (int j = 0; j < m && kept.size() < n; j++) {
                boolean finite = true;
                for (int k = 0; k < d; k++) {
                    row[k] = draws[k * m + j];
                    finite &= Float.isFinite(row[k]);
                }
                if (finite && prior.inSupport(row)) kept.add(row.clone());
            }
            if (!warned && proposed >= 10_000 && kept.size() < 0.01 * proposed) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, String.format("only %.3f%% of posterior draws fall inside the prior "
                        + "support; sampling will be slow.%s", 100.0 * kept.size() / proposed, observationNote(x)));
            }
            listener.progress(kept.size(), n, proposed, (System.nanoTime() - t0) * 1e-9);
        }
        return kept.toArray(float[][]::new);
    }

    /**
     * n samples for each of several observations; observation i uses seed + i. When one of them stops at the time
     * limit or on an interrupt, a {@link BatchSamplingIncompleteException} names it and keeps the samples of those
     * before it.
     */
    public float[][][] sample(int n, float[][] xs, long seed) {
        if (xs == null || xs.length == 0) throw new InvalidObservationException("no observations given");
        for (float[] x : xs) InvalidObservationException.check(x, estimator.xDim());
        float[][][] out = new float[xs.length][][];
        for (int i = 0; i < xs.length; i++) {
            try {
                out[i] = sample(n, xs[i], seed + i);
            } catch (SamplingIncompleteException e) {
                throw new BatchSamplingIncompleteException(e, i, xs.length, Arrays.copyOf(out, i));
            }
        }
        return out;
    }

    /**
     * The fraction of the estimator's mass inside the prior support for observation x, estimated from
     * {@link PosteriorConfig#leakageSamples()} draws and cached per observation (for at most
     * {@value #MAX_CACHED_RATES} observations at a time).
     */
    public double acceptanceRate(float[] x) {
        InvalidObservationException.check(x, estimator.xDim());
        ObservationKey key = new ObservationKey(x.clone());
        Double known = acceptance.get(key);
        if (known != null) return known;
        // Cleared whole when full rather than evicted entry by entry: simple under concurrent callers, and a cleared
        // rate costs one more estimate, with the same result.
        if (acceptance.size() >= MAX_CACHED_RATES) acceptance.clear();
        return acceptance.computeIfAbsent(key, k -> {
            int m = config.leakageSamples();
            float[] draws = estimator.sample(m, x, new Rng(0x1EA4A6EL ^ Arrays.hashCode(x))).toArray();
            int d = estimator.thetaDim(), in = 0;
            float[] row = new float[d];
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < d; c++) row[c] = draws[c * m + j];
                if (isFinite(row) && prior.inSupport(row)) in++;
            }
            if (in == 0) {
                LOG.log(System.Logger.Level.WARNING, "none of " + m + " posterior draws fell inside the prior support;"
                        + " the leakage correction uses 1/" + m + "." + observationNote(x));
            }
            return Math.max(in, 1) / (double) m;
        });
    }

    /** How far out, in the training data's standard deviations, an observation's feature makes it worth a note. */
    static final double FAR_FROM_TRAINING_SD = 10;

    /**
     * Where an observation lies against the training data, when that explains a leaking posterior: "" unless some
     * feature lies more than {@value #FAR_FROM_TRAINING_SD} standard deviations (the estimator's z-scoring of x, from
     * its training split) from the training mean, else a sentence naming the farthest. Out there the estimator
     * extrapolates, which is where it puts its mass outside the prior, and sampling runs into its time limit: the
     * note gives the reason with the symptom (a warning of low acceptance, {@link SamplingIncompleteException}).
     */
    String observationNote(float[] x) {
        float[] mean = estimator.xScore().mean(), std = estimator.xScore().std();
        int worst = -1, far = 0;
        double worstZ = 0;
        for (int k = 0; k < x.length; k++) {
            double z = Math.abs((x[k] - (double) mean[k]) / std[k]);
            if (z > FAR_FROM_TRAINING_SD) far++;
            if (z > worstZ) {
                worstZ = z;
                worst = k;
            }
        }
        if (far == 0) return "";
        return String.format(java.util.Locale.ROOT, " The observation lies outside the training data: its feature %d (from 0) is"
                + " %.3g standard deviations of the training simulations from their mean (%d of %d features lie more"
                + " than %.0f out), where the estimator extrapolates; check that the simulator can produce it and that"
                + " its features are computed as in the simulations.", worst, worstZ, far, x.length,
                FAR_FROM_TRAINING_SD);
    }

    /** log p(θ | x) of each row: log q(θ | x) − log(acceptance rate), and −∞ outside the prior support. */
    public double[] logProb(float[][] theta, float[] x) {
        double[] lp = logProbUncorrected(theta, x);
        double logAcc = Math.log(acceptanceRate(x));
        for (int i = 0; i < lp.length; i++) lp[i] -= logAcc;
        return lp;
    }

    /** log q(θ | x) restricted to the support, without the leakage correction. */
    public double[] logProbUncorrected(float[][] theta, float[] x) {
        InvalidObservationException.check(x, estimator.xDim());
        int n = theta.length, d = estimator.thetaDim();
        for (int i = 0; i < n; i++) prior.checkParameters(theta[i]);
        Backend be = estimator.backend();
        float[] tb = new float[d * n], xb = new float[x.length * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) tb[c * n + i] = theta[i][c];
        }
        for (int c = 0; c < x.length; c++) Arrays.fill(xb, c * n, (c + 1) * n, x[c]);
        double[] out = new double[n];
        if (n == 0) return out;
        float[] q = estimator.logProb(Tensor.of(be, d, n, tb), Tensor.of(be, x.length, n, xb));
        for (int i = 0; i < n; i++) out[i] = prior.inSupport(theta[i]) ? q[i] : Double.NEGATIVE_INFINITY;
        return out;
    }

    /**
     * The maximum a-posteriori θ for x: the best of {@link PosteriorConfig#mapStarts()} posterior samples, refined by
     * Adam ascent of log q(θ | x) from the ten best of them. A step that would lower log q is not taken and halves that
     * chain's step size; a coordinate whose move would leave the support moves only part of the way toward its edge.
     */
    public float[] map(float[] x, long seed) {
        float[][] starts = sample(config.mapStarts(), x, seed);
        double[] lp = logProbUncorrected(starts, x);
        Integer[] order = new Integer[starts.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(lp[b], lp[a]));
        int k = Math.min(10, starts.length), d = estimator.thetaDim();
        float[][] cur = new float[k][];
        double[] curLp = new double[k];
        for (int i = 0; i < k; i++) {
            cur[i] = starts[order[i]].clone();
            curLp[i] = lp[order[i]];
        }
        float[] std = estimator.thetaScore().std();
        double[][] m1 = new double[k][d], m2 = new double[k][d];
        // Each chain's step, as a fraction of the learning rate. Adam's steps stay near lr per coordinate however close
        // the mode is, so a posterior narrower than lr would reject every step and never move from its start: halving
        // on each rejection lets the step shrink to the scale of the peak, and regrowing slowly on each accepted
        // step lets a chain that had to shrink early (a narrow direction) still travel along the broad ones. No
        // taken step lowers log q, so the result is never worse than the best start, and it is deterministic.
        double[] scale = new double[k];
        Arrays.fill(scale, 1.0);
        double lr = config.mapLearningRate(), b1 = 0.9, b2 = 0.999;
        // log q at each proposed point comes with its gradient from one pass, and a taken step's gradient is the next
        // step's, so a step costs one forward and one backward pass where it took a forward pass for the gradient at
        // the current point, its backward pass and another forward pass for log q at the proposal. A refused
        // proposal's gradient goes unused: that chain's point, and so its gradient, stay as they were. Each row is
        // computed alone (the kernels compute every column alike), so the points and the result are the same.
        LogDensityGradient at = new LogDensityGradient(estimator, x, k);
        float[][] grad = null;
        for (int step = 1; step <= config.mapSteps(); step++) {
            if (grad == null) grad = at.evaluate(cur).gradient();
            float[][] next = new float[k][d];
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < d; c++) {
                    // Ascend in z-scored units so one learning rate suits parameters of any scale.
                    double g = grad[i][c] * std[c];
                    m1[i][c] = b1 * m1[i][c] + (1 - b1) * g;
                    m2[i][c] = b2 * m2[i][c] + (1 - b2) * g * g;
                    double mh = m1[i][c] / (1 - Math.pow(b1, step)), vh = m2[i][c] / (1 - Math.pow(b2, step));
                    next[i][c] = (float) (cur[i][c] + lr * scale[i] * std[c] * mh / (Math.sqrt(vh) + 1e-8));
                }
                next[i] = keepInSupport(cur[i], next[i]);
            }
            LogDensityGradient.Evaluation e = at.evaluate(next);
            for (int i = 0; i < k; i++) {
                // As logProbUncorrected: −∞ outside the support (keepInSupport keeps every proposal inside).
                double nextLp = prior.inSupport(next[i]) ? e.logQ()[i] : Double.NEGATIVE_INFINITY;
                if (nextLp >= curLp[i]) {
                    cur[i] = next[i];
                    curLp[i] = nextLp;
                    grad[i] = e.gradient()[i];
                    scale[i] = Math.min(1.0, scale[i] * MAP_STEP_GROWTH);
                } else {
                    scale[i] *= 0.5;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < k; i++) {
            if (curLp[i] > curLp[best]) best = i;
        }
        return cur[best];
    }

    /**
     * The proposed point {@code to}, with each coordinate whose move from {@code from} (a point in the support) would
     * leave the support or is not finite moved only by the largest of its move's halves that stays in (none after
     * {@link #MAX_SUPPORT_HALVINGS}). Coordinates are tried one at a time, so one coordinate at the edge does not hold
     * the others back, and each step closes at least half the distance to the edge, so a mode on the boundary (or
     * beyond it: the constrained maximum) is reached. This needs only {@link Prior#inSupport}, so it works for every
     * prior, where a projection would need bounds that only a box has.
     */
    private float[] keepInSupport(float[] from, float[] to) {
        if (isFinite(to) && prior.inSupport(to)) return to;
        float[] out = from.clone();
        for (int c = 0; c < out.length; c++) {
            if (!Float.isFinite(to[c])) continue;
            double move = (double) to[c] - from[c];
            for (int h = 0; h <= MAX_SUPPORT_HALVINGS && out[c] == from[c]; h++, move *= 0.5) {
                out[c] = (float) (from[c] + move);
                if (!prior.inSupport(out)) out[c] = from[c];
            }
        }
        return out;
    }

    private static boolean isFinite(float[] v) {
        for (float f : v) {
            if (!Float.isFinite(f)) return false;
        }
        return true;
    }

    /** Observations whose acceptance rate is cached now (for tests). */
    int cachedRates() {
        return acceptance.size();
    }

    /** An observation as a map key, compared by value. */
    private record ObservationKey(float[] x) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ObservationKey k && Arrays.equals(x, k.x);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(x);
        }
    }
}
