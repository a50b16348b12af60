package org.jsbi.sim.channel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.BoxUniform;
import org.jsbi.dist.Priors;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFiles;
import org.jsbi.io.ModelFormatException;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;
import org.jsbi.sim.ParameterChecks;

/**
 * The ion-channel "Omnimodel" of the eLife paper (models/PAPER.md §3): one K-channel gate m with
 * m∞(V) = 1/(1 + exp(−θ1·V + θ2)) and τ(V) = θ4 / (exp(−[θ5(V−θ3) + θ6(V−θ3)²]) + exp(θ7(V−θ3) + θ8(V−θ3)²)), current
 * m·(V − E_K) normalised by its maximum, driven by the five voltage-clamp protocols of Podlaski et al. 2017
 * ({@link ChannelProtocols}, read from the paper's files) with 0.5 mV Gaussian noise on every command-voltage sample,
 * integrated by exponential Euler on each protocol's mean step (≈ 0.025 ms) at tadj = 2.3^1.4. Features: per protocol,
 * the least-squares coefficients of the normalised current on a 10-vector PCA basis plus an offset (5 × 11 = 55), with a
 * basis jsbi computes from prior simulations ({@link PcaBasis}) and stores with the model ({@link #save}).
 *
 * <p>The equations, the noise keying and the exact feature formulas are in {@link ChannelKernel} and
 * {@link ChannelScalar}. {@link Implementation#SIMD} (the default) runs one simulation per lane and is bit-identical to
 * {@link Implementation#SCALAR}; both spread chunks over {@link Parallel}'s threads, and a simulation's result depends
 * only on (seed, its index {@code batch.firstIndex() + row}, θ).
 *
 * <p>Input checks (before anything runs): a null or empty batch, a wrong dimension, a non-finite value, θ4 &lt; 0 (a
 * negative time constant) or an output array too small raise {@link IllegalArgumentException} naming the parameter.
 * θ outside the prior box is accepted on purpose: the paper's evaluation simulates manual fits that lie outside it
 * (3808_im has θ4 = 2005 &gt; 2000). A simulation whose current is never positive or whose features are not finite gets
 * NaN features; {@link #divergedCount()} counts them.
 */
public final class ChannelOmnimodel implements Simulator {

    public enum Implementation { SCALAR, SIMD }

    public static final String NAME = "channel_omnimodel";
    /** The model-file kind and its version (a metadata entry). */
    public static final String FILE_KIND = "channel_omnimodel";
    public static final int FILE_VERSION = 1;
    public static final String[] PARAMETER_NAMES = {
        "theta_1 (m_inf slope, 1/mV)", "theta_2 (m_inf offset)", "theta_3 (tau centre, mV)", "theta_4 (tau scale, ms)",
        "theta_5 (tau lin. coef, 1/mV)", "theta_6 (tau quad. coef, 1/mV^2)", "theta_7 (tau lin. coef, 1/mV)",
        "theta_8 (tau quad. coef, 1/mV^2)"};
    private static final double[] LOW = {0, -10, -120, 0, 0, 0, 0, 0};
    private static final double[] HIGH = {1, 10, 120, 2000, 0.5, 0.05, 0.5, 0.05};
    /** Features per protocol (10 coefficients + offset) and in all. */
    public static final int FEATURES_PER_PROTOCOL = ChannelKernel.PER_PROTOCOL;
    public static final int FEATURES = 5 * FEATURES_PER_PROTOCOL;

    private final ChannelProtocols protocols;
    private final PcaBasis basis;
    private final ChannelKernel kernel;
    private final Implementation implementation;
    private final boolean noise;
    private final LongAdder diverged = new LongAdder();

    private ChannelOmnimodel(ChannelProtocols protocols, PcaBasis basis, ChannelKernel kernel, Implementation impl,
                             boolean noise) {
        this.protocols = protocols;
        this.basis = basis;
        this.kernel = kernel;
        this.implementation = impl;
        this.noise = noise;
    }

    /** The model with a given basis on the paper's protocols ({@link ChannelProtocols#load()}); SIMD, noise on. */
    public static ChannelOmnimodel withBasis(PcaBasis basis) {
        return withBasis(ChannelProtocols.load(), basis);
    }

    public static ChannelOmnimodel withBasis(ChannelProtocols protocols, PcaBasis basis) {
        if (protocols == null || basis == null) throw new IllegalArgumentException("protocols and basis must be given");
        return new ChannelOmnimodel(protocols, basis, new ChannelKernel(protocols, basis), Implementation.SIMD, true);
    }

    /** The model with a basis computed now from {@code n} noise-free prior simulations ({@link PcaBasis#compute}). */
    public static ChannelOmnimodel withNewBasis(int n, long seed) {
        ChannelProtocols p = ChannelProtocols.load();
        return withBasis(p, PcaBasis.compute(p, n, seed));
    }

    public ChannelOmnimodel withImplementation(Implementation impl) {
        if (impl == null) throw new IllegalArgumentException("implementation must be given");
        return new ChannelOmnimodel(protocols, basis, kernel, impl, noise);
    }

    /** With noise off the command voltages are used as they are (deterministic runs for tests and fits). */
    public ChannelOmnimodel withNoise(boolean on) {
        return new ChannelOmnimodel(protocols, basis, kernel, implementation, on);
    }

    /** The paper's prior: independent uniforms (paper-data prior_bounds.csv). */
    public static BoxUniform prior() {
        return Priors.boxUniform(LOW.clone(), HIGH.clone());
    }

    public PcaBasis basis() {
        return basis;
    }

    public ChannelProtocols protocols() {
        return protocols;
    }

    public Implementation implementation() {
        return implementation;
    }

    public boolean noise() {
        return noise;
    }

    public long divergedCount() {
        return diverged.sum();
    }

    /** Whether the currents are noisy, and the PCA basis the features project on (by checksum). */
    @Override
    public String configuration() {
        return "noise=" + noise + ", basis=" + basis.fingerprint();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int parameterDim() {
        return 8;
    }

    @Override
    public int dataDim() {
        return FEATURES;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        if (out == null) throw new IllegalArgumentException(NAME + ": the output array is null");
        checkInputs(batch, out);
        diverged.add(simulateUnchecked(kernel, implementation, batch.values(), batch.count(), batch.firstIndex(), seed,
                noise, out));
    }

    /**
     * The normalised current traces of one simulation (scalar reference), one array per protocol, flattened
     * sweep-major (index s·samples + t): what the features are fitted to, and what the paper correlates.
     */
    public float[][] traces(float[] theta, long seed, long index) {
        checkInputs(new ParameterBatch(theta, 1, theta == null ? 0 : theta.length, index), null);
        float[][] tr = new float[protocols.size()][];
        for (int p = 0; p < tr.length; p++) tr[p] = new float[protocols.get(p).length()];
        ChannelScalar.simulate(kernel, new ChannelScalar.Work(), theta, 0, seed, index, noise, null, 0, tr);
        return tr;
    }

    /** The checks {@link #simulate} makes; {@code out} null skips the output-size check (traces need none). */
    public void checkInputs(ParameterBatch batch, float[] out) {
        ParameterChecks.nonEmpty(NAME, batch);
        batch.check(this);
        if (out != null) ParameterChecks.output(NAME, batch.count(), FEATURES, out);
        float[] v = batch.values();
        for (int i = 0; i < batch.count(); i++) {
            float d = v[i * 8 + 3];
            if (d < 0f) {
                throw ParameterChecks.badParameter(NAME, PARAMETER_NAMES, 3, batch.firstIndex() + i, d,
                        "; the time-constant scale must be >= 0 (prior [" + LOW[3] + ", " + HIGH[3] + "])");
            }
        }
    }

    static int simulateUnchecked(ChannelKernel k, Implementation impl, float[] theta, int count, long firstIndex,
                                 long seed, boolean noise, float[] out) {
        LongAdder div = new LongAdder();
        if (impl == Implementation.SIMD) {
            int lanes = ChannelSimd.L;
            Parallel.forRange(count, lanes, lanes, (from, to) ->
                    div.add(ChannelSimd.simulate(k, theta, from, to, firstIndex, seed, noise, out)));
        } else {
            Parallel.forRange(count, 1, 1, (from, to) -> {
                ChannelScalar.Work w = new ChannelScalar.Work();
                int bad = 0;
                for (int i = from; i < to; i++) {
                    if (!ChannelScalar.simulate(k, w, theta, i * 8, seed, firstIndex + i, noise, out, i * FEATURES,
                            null)) {
                        bad++;
                    }
                }
                div.add(bad);
            });
        }
        return div.intValue();
    }

    ChannelKernel kernel() {
        return kernel;
    }

    /** The model as a model file: kind {@value #FILE_KIND}, version, the protocols' dt, and the basis arrays. */
    public ModelFile toModelFile() {
        ModelFile.Builder b = ModelFile.builder(FILE_KIND).meta("version", FILE_VERSION);
        for (int p = 0; p < protocols.size(); p++) {
            b.meta("protocol." + protocols.get(p).name() + ".dt", protocols.get(p).dt());
        }
        basis.write(b, ChannelProtocols.NAMES);
        return b.build();
    }

    /** A model from its model file, on the paper's protocols; a clear error for another kind, version or protocol. */
    public static ChannelOmnimodel fromModelFile(ModelFile f, ChannelProtocols protocols) {
        f.requireKind(FILE_KIND);
        int v = f.metaInt("version");
        if (v != FILE_VERSION) {
            throw new ModelFormatException("this channel model file is version " + v + "; this jsbi reads version "
                    + FILE_VERSION);
        }
        return withBasis(protocols, PcaBasis.read(f, protocols));
    }

    /** Saves the model (its PCA basis) with {@link ModelFiles} (checksummed, versioned). */
    public void save(Path path) throws IOException {
        ModelFiles.write(toModelFile(), path);
    }

    /** Loads a model saved by {@link #save}. */
    public static ChannelOmnimodel load(Path path) throws IOException {
        return fromModelFile(ModelFiles.read(path), ChannelProtocols.load());
    }
}
