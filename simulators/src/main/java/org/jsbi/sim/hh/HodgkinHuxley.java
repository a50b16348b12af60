package org.jsbi.sim.hh;

import java.util.concurrent.atomic.LongAdder;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.BoxUniform;
import org.jsbi.dist.Priors;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;
import org.jsbi.sim.math.Float32Math;
import org.jsbi.sim.ParameterChecks;

/**
 * The single-compartment Hodgkin–Huxley neuron of Pospischil et al. (2008) as the eLife paper's synthetic experiment
 * runs it (models/PAPER.md §4): θ = (ḡ_Na, ḡ_K, g_leak, ḡ_M, τ_max, −V_T, σ, −E_leak) under the paper's box-uniform
 * {@link #prior()}; exponential Euler at dt = 0.01 ms over 120 ms from V = −70 mV, a 3.248 µA/cm² step from 10 to
 * 110 ms, current noise σ·ξ/√dt per step; the paper's 7 summary features (spike count, resting mean, resting SD,
 * stimulus mean, variance, skewness, kurtosis), or the first 4, or the spike count alone.
 *
 * <p>The equations, the noise derivation and the exact feature formulas are documented in
 * {@link HodgkinHuxleyScalar}, {@link HhNoise}, {@link Float32Math} and {@link HhProtocol}. The same features of a stored
 * trace (a simulated one, or a recording such as an {@link AllenRecording}) come from {@link HhTraceFeatures}. {@link Implementation#SIMD}
 * (the default) runs one simulation per SIMD lane and is bit-identical to {@link Implementation#SCALAR}; both spread
 * chunks of the batch over {@link Parallel}'s threads, and a simulation's result depends only on (seed, its index
 * {@code batch.firstIndex() + row}, θ), not on batch size, chunking or thread count.
 *
 * <p>Errors: a wrong dimension, a non-finite value, a value outside the prior's support (naming the parameter) or an
 * empty batch raise {@link IllegalArgumentException} before anything runs. A simulation that diverges gets NaN features
 * in its own row; {@link #divergedCount()} counts them.
 */
public final class HodgkinHuxley implements Simulator {

    /** Which summary features: the paper's 7, its 4-feature variant [1..4] or its 1-feature variant [spike count]. */
    public enum Features {
        SEVEN(7), FOUR(4), ONE(1);

        private final int count;

        Features(int count) {
            this.count = count;
        }

        public int count() {
            return count;
        }
    }

    public enum Implementation { SCALAR, SIMD }

    public static final String NAME = "hodgkin_huxley";
    /**
     * {@link #revision()}: the numerics' version, which a simulation store records and resumes only with (the CUDA
     * kernel, bit-identical, reports the same). 1: seven rate exps and the degree-7 Taylor exp; 2 (2026-11-26): four
     * rate exps, the degree-5 minimax exp and the slow gates' series; 3 (2026-11-26, later): m∞, h∞, n∞ through one
     * reciprocal of the product of their rate sums, and 1/eyi with p∞ through another (nine divisions a step to six).
     * {@code HodgkinHuxleyTest} pins the output bits; change this when they change.
     */
    public static final String REVISION = "3";
    public static final String[] PARAMETER_NAMES = {
        "gbar_Na", "gbar_K", "g_leak", "gbar_M", "tau_max", "-V_T", "noise_sigma", "-E_leak"};
    public static final String[] FEATURE_NAMES = {
        "spike_count", "resting_mean", "resting_sd", "stimulus_mean", "variance", "skewness", "kurtosis"};
    private static final double[] LOW = {0.5, 1e-4, 1e-4, 1e-4, 50, 40, 1e-4, 35};
    private static final double[] HIGH = {80, 15, 0.6, 0.6, 3000, 90, 0.15, 100};
    private static final float[] GROUND_TRUTH = {50f, 5f, 0.1f, 0.07f, 600f, 60f, 0.1f, 70f};
    /** Samples of a trace (t = 0, 0.01, ..., 120 ms). */
    public static final int TRACE_LENGTH = HhProtocol.SAMPLES;

    private final Features features;
    private final Implementation implementation;
    private final boolean noise;
    private final LongAdder diverged = new LongAdder();

    private HodgkinHuxley(Features features, Implementation implementation, boolean noise) {
        if (features == null || implementation == null) throw new IllegalArgumentException("features and implementation must be given");
        this.features = features;
        this.implementation = implementation;
        this.noise = noise;
    }

    /** 7 features, SIMD, noise on. */
    public static HodgkinHuxley withDefaults() {
        return new HodgkinHuxley(Features.SEVEN, Implementation.SIMD, true);
    }

    public HodgkinHuxley withFeatures(Features f) {
        return new HodgkinHuxley(f, implementation, noise);
    }

    public HodgkinHuxley withImplementation(Implementation i) {
        return new HodgkinHuxley(features, i, noise);
    }

    /** With noise off the σ parameter is still checked but no noise is drawn (deterministic runs for tests). */
    public HodgkinHuxley withNoise(boolean on) {
        return new HodgkinHuxley(features, implementation, on);
    }

    /** The paper's prior: independent uniforms, bounds as in models/PAPER.md §4. */
    public static BoxUniform prior() {
        return Priors.boxUniform(LOW.clone(), HIGH.clone());
    }

    /** The paper's ground-truth parameters ({@code obs_params}). */
    public static float[] groundTruth() {
        return GROUND_TRUTH.clone();
    }

    public Features features() {
        return features;
    }

    public Implementation implementation() {
        return implementation;
    }

    public boolean noise() {
        return noise;
    }

    /** Simulations that diverged (NaN features) since this instance was made. */
    public long divergedCount() {
        return diverged.sum();
    }

    /** The feature set and whether the input current is noisy; the implementations give the same bits. */
    @Override
    public String configuration() {
        return "features=" + features + ", noise=" + noise;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String revision() {
        return REVISION;
    }

    @Override
    public int parameterDim() {
        return 8;
    }

    @Override
    public int dataDim() {
        return features.count();
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        check(batch, out, null);
        run(batch, seed, out, null);
    }

    /**
     * As {@link #simulate}, and the voltage traces too: row i's {@link #TRACE_LENGTH} samples (mV) at
     * {@code traces[i * TRACE_LENGTH ..]}.
     */
    public void simulateWithTraces(ParameterBatch batch, long seed, float[] out, float[] traces) {
        check(batch, out, traces);
        run(batch, seed, out, traces);
    }

    /**
     * The checks {@link #simulate} makes before it runs (batch not empty, dimensions, every value finite and inside the
     * prior's support, output large enough), for other implementations of this model such as the GPU one.
     */
    public void checkInputs(ParameterBatch batch, float[] out) {
        check(batch, out, null);
    }

    private void check(ParameterBatch batch, float[] out, float[] traces) {
        ParameterChecks.nonEmpty(NAME, batch);
        batch.check(this);
        ParameterChecks.output(NAME, batch.count(), dataDim(), out);
        if (traces != null) {
            long tneed = (long) batch.count() * TRACE_LENGTH;
            if (tneed > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(NAME + ": traces of " + batch.count() + " simulations need " + tneed
                        + " values, more than one array holds; ask for traces of at most "
                        + Integer.MAX_VALUE / TRACE_LENGTH + " simulations per call");
            }
            if (traces.length < tneed) {
                throw new IllegalArgumentException(NAME + ": the traces need " + tneed + " values, got "
                        + traces.length);
            }
        }
        ParameterChecks.insideSupport(NAME, batch, PARAMETER_NAMES, LOW, HIGH);
    }

    private void run(ParameterBatch batch, long seed, float[] out, float[] traces) {
        int count = batch.count();
        int nf = features.count();
        float[] out7 = nf == 7 ? out : new float[count * 7];
        diverged.add(simulateUnchecked(implementation, batch.values(), count, batch.firstIndex(), seed, noise, out7,
                traces));
        if (nf != 7) {
            for (int i = 0; i < count; i++) System.arraycopy(out7, i * 7, out, i * nf, nf);
        }
    }

    /**
     * The kernels without any check of θ (tests use it for parameters outside the prior, such as all active
     * conductances at 0): 7 features per row into out7, traces when not null; returns the diverged count.
     */
    static int simulateUnchecked(Implementation impl, float[] theta, int count, long firstIndex, long seed,
                                 boolean noise, float[] out7, float[] traces) {
        LongAdder div = new LongAdder();
        if (impl == Implementation.SIMD) {
            int lanes = HodgkinHuxleySimd.L;
            Parallel.forRange(count, lanes, lanes, (from, to) ->
                    div.add(HodgkinHuxleySimd.simulate(theta, from, to, firstIndex, seed, noise, out7, traces)));
        } else {
            Parallel.forRange(count, 1, 1, (from, to) -> {
                HodgkinHuxleyScalar.State st = new HodgkinHuxleyScalar.State();
                float[] xi = new float[HhProtocol.BLOCK];
                int[] words = new int[4];
                int bad = 0;
                for (int i = from; i < to; i++) {
                    if (!HodgkinHuxleyScalar.simulate(st, xi, words, theta, i * 8, seed, firstIndex + i, noise, out7,
                            i * 7, traces, i * TRACE_LENGTH)) {
                        bad++;
                    }
                }
                div.add(bad);
            });
        }
        return div.intValue();
    }
}
