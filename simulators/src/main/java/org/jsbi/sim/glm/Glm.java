package org.jsbi.sim.glm;

import org.jsbi.backend.Parallel;
import org.jsbi.dist.MultivariateGaussian;
import org.jsbi.dist.Priors;
import org.jsbi.sim.Fingerprint;
import org.jsbi.sim.benchmark.BernoulliGlm;
import org.jsbi.sim.benchmark.NumpyRandomState;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;
import org.jsbi.sim.ParameterChecks;

/**
 * The eLife paper's linear–nonlinear (Bernoulli GLM) encoding model (models/PAPER.md §2.1): 100 bins of a
 * full-field white-noise stimulus I, spike probability p_t = σ(b0 + Σ_k h_{k+1} I[t−k]) with a 9-tap filter h,
 * Bernoulli spikes, and 10 features [spike count, Σ_t y_{t+k}·I[t] for k = 0..8] — exactly the formulas in
 * {@link GlmScalar}. θ = (b0, h1..h9) under the smoothing Gaussian {@link #prior()}.
 *
 * <p>The stimulus is fixed per simulator instance, as in the paper's code. The default is the paper's own stimulus
 * ({@link #paperStimulus()}): delfi seeds the GLM simulator with {@code RandomState(42)}, whose first
 * {@code randint(0, 2**31)} (1608637542) seeds {@code RandomState(1608637542).randn(100)}; it is regenerated here with
 * NumPy's generator and checked against {@code shared/paper-data/glm/regenerated_xo/stimulus_I.csv}. It is NOT sbibm's
 * {@code RandomState(42).randn(100)} stimulus of the {@code bernoulli_glm} benchmark task.
 *
 * <p>{@link Implementation#SIMD} (the default) runs one simulation per lane and is bit-identical to
 * {@link Implementation#SCALAR}; both split the batch over {@link Parallel}'s threads. Noise is counter-based
 * ({@link GlmMath}): a simulation's result depends only on (seed, {@code batch.firstIndex() + row}, θ). With
 * {@link #withNoise withNoise(false)} the spike train is replaced by its expectation p_t, so the features are their
 * expected values E[x | θ] (deterministic; used to compare implementations and against the closed form).
 *
 * <p>Errors: a null or empty batch, a wrong dimension, or a non-finite value (naming the parameter) raise
 * {@link IllegalArgumentException}; the Gaussian prior's support is all of ℝ¹⁰, so every finite θ is simulated.
 */
public final class Glm implements Simulator {

    public enum Implementation { SCALAR, SIMD }

    public static final String NAME = "ln_glm";
    public static final int BINS = 100;
    public static final int TAPS = 9;
    public static final int PARAMETERS = 10;
    public static final String[] PARAMETER_NAMES = {"b0", "h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9"};
    public static final String[] FEATURE_NAMES = {"spike_count", "sts_lag0", "sts_lag1", "sts_lag2", "sts_lag3",
        "sts_lag4", "sts_lag5", "sts_lag6", "sts_lag7", "sts_lag8"};
    /** delfi's first {@code RandomState(42).randint(0, 2**31)}: the seed of the paper's stimulus. */
    public static final long PAPER_STIMULUS_SEED = 1608637542L;

    private static final float[] PAPER_STIMULUS = makePaperStimulus();
    private static final MultivariateGaussian PRIOR =
            Priors.gaussianFromPrecision(new double[PARAMETERS], BernoulliGlm.priorPrecision());

    private final Implementation implementation;
    private final boolean noise;
    private final float[] stimulus;

    private Glm(Implementation implementation, boolean noise, float[] stimulus) {
        if (implementation == null) throw new IllegalArgumentException(NAME + ": implementation must be given");
        this.implementation = implementation;
        this.noise = noise;
        this.stimulus = stimulus;
    }

    /** SIMD, noise on, the paper's stimulus. */
    public static Glm withDefaults() {
        return new Glm(Implementation.SIMD, true, PAPER_STIMULUS);
    }

    public Glm withImplementation(Implementation i) {
        return new Glm(i, noise, stimulus);
    }

    /** Noise off: the features are their expectations given θ (spikes replaced by p_t). */
    public Glm withNoise(boolean on) {
        return new Glm(implementation, on, stimulus);
    }

    /** Another fixed stimulus: {@link #BINS} finite values. */
    public Glm withStimulus(float[] stim) {
        if (stim == null || stim.length != BINS) {
            throw new IllegalArgumentException(NAME + ": the stimulus needs " + BINS + " values, got "
                    + (stim == null ? "null" : stim.length));
        }
        for (int t = 0; t < BINS; t++) {
            if (!Float.isFinite(stim[t])) {
                throw new IllegalArgumentException(NAME + ": stimulus bin " + t + " is " + stim[t] + "; it must be finite");
            }
        }
        return new Glm(implementation, noise, stim.clone());
    }

    /**
     * The paper's smoothing prior: Gaussian, mean 0, precision P with P[0,0] = 0.5 (the bias) and P_filter = FᵀF,
     * F = D·D + diag(√(k/9)), k = 0..8, D the first-difference matrix (code {@code smoothing_prior}; equal to
     * {@code shared/paper-data/glm/prior_precision_matrix.csv}). The paper's extra σ² factor does not exist in the code.
     */
    public static MultivariateGaussian prior() {
        return PRIOR;
    }

    /** The paper's ground truth: b0 = −2, h_k = k³·e^(−k), k = 1..9. */
    public static float[] groundTruth() {
        float[] th = new float[PARAMETERS];
        th[0] = -2f;
        for (int k = 1; k <= TAPS; k++) th[k] = (float) (Math.pow(k, 3) * Math.exp(-k));
        return th;
    }

    /** The paper's stimulus as float32 (see the class comment). */
    public static float[] paperStimulus() {
        return PAPER_STIMULUS.clone();
    }

    /**
     * The paper's observation x_o, regenerated as its code made it (float64 throughout): the ground truth, the paper's
     * stimulus, and the spikes {@code uniform < p_t} with the uniforms drawn from the {@code RandomState(42)} stream
     * after the stimulus seed. 18 spikes; equals {@code shared/paper-data/glm/regenerated_xo/summary_stats.csv}.
     */
    public static double[] paperObservation() {
        double[] stim = new double[BINS];
        NumpyRandomState rs = new NumpyRandomState(42);
        long stimSeed = rs.nextInt() & 0x7FFFFFFFL;      // randint(0, 2**31): one masked 32-bit word
        NumpyRandomState srs = new NumpyRandomState(stimSeed);
        for (int t = 0; t < BINS; t++) stim[t] = srs.nextGaussian();
        double[] h = new double[TAPS];
        for (int k = 1; k <= TAPS; k++) h[k - 1] = Math.pow(k, 3) * Math.exp(-k);
        double[] x = new double[PARAMETERS];
        for (int t = 0; t < BINS; t++) {
            double psi = -2.0;
            for (int k = 0; k < TAPS && k <= t; k++) psi += h[k] * stim[t - k];
            double p = 1.0 / (1.0 + Math.exp(-psi));
            if (rs.nextDouble() < p) {
                x[0] += 1;
                for (int k = 0; k < TAPS && k <= t; k++) x[1 + k] += stim[t - k];
            }
        }
        return x;
    }

    /** The stimulus this simulator uses (a copy). */
    public float[] stimulus() {
        return stimulus.clone();
    }

    public Implementation implementation() {
        return implementation;
    }

    public boolean noise() {
        return noise;
    }

    /** Whether spikes are drawn, and the stimulus (by checksum); the implementations give the same bits. */
    @Override
    public String configuration() {
        return "noise=" + noise + ", stimulus=" + stimulus.length + " samples crc " + Fingerprint.of(stimulus);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int parameterDim() {
        return PARAMETERS;
    }

    @Override
    public int dataDim() {
        return PARAMETERS;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        ParameterChecks.nonEmpty(NAME, batch);
        ParameterChecks.dimension(NAME, batch, PARAMETERS, "parameters (b0, h1..h9)");
        ParameterChecks.finite(NAME, batch, PARAMETER_NAMES);
        ParameterChecks.output(NAME, batch.count(), PARAMETERS, out);
        float[] v = batch.values();
        simulateUnchecked(implementation, v, batch.count(), batch.firstIndex(), seed, noise, stimulus, out);
    }

    static void simulateUnchecked(Implementation impl, float[] theta, int count, long firstIndex, long seed,
                                  boolean noise, float[] stim, float[] out) {
        if (impl == Implementation.SIMD) {
            int lanes = GlmMath.L;
            Parallel.forRange(count, 8 * lanes, lanes, (from, to) ->
                    GlmSimd.simulate(theta, from, to, stim, firstIndex, seed, noise, out));
        } else {
            Parallel.forRange(count, 64, 1, (from, to) -> {
                int[] words = new int[4];
                for (int i = from; i < to; i++) {
                    GlmScalar.simulate(theta, i * PARAMETERS, stim, seed, firstIndex + i, noise, words, out,
                            i * PARAMETERS);
                }
            });
        }
    }

    private static float[] makePaperStimulus() {
        NumpyRandomState rs = new NumpyRandomState(PAPER_STIMULUS_SEED);
        float[] s = new float[BINS];
        for (int t = 0; t < BINS; t++) s[t] = (float) rs.nextGaussian();
        return s;
    }
}
