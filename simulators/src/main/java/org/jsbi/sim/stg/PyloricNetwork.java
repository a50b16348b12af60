package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;

import java.util.concurrent.atomic.LongAdder;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.BoxUniform;
import org.jsbi.dist.Priors;
import org.jsbi.sim.ParameterChecks;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/**
 * The stomatogastric pyloric network of the eLife paper's headline application (models/PAPER.md §5): AB/PD, LP and PY
 * neurons with eight currents each and seven graded inhibitory synapses, 31 free parameters (24 membrane conductances
 * in mS/cm², 7 synaptic conductances as ln(mS)) under the paper's {@link #prior()}, exponential Euler at dt = 0.025 ms
 * for 11 s with per-step current noise, and the paper's 18 summary features of the last 10 s ({@link PyloricFeatures}).
 *
 * <p>{@link Implementation#SIMD} (the default) runs one network per SIMD lane and gives the same bits as
 * {@link Implementation#SCALAR} (the reference, {@link PyloricScalar}); both spread chunks of the batch over
 * {@link Parallel}'s threads, and a network's result depends only on (seed, its index {@code batch.firstIndex() + row},
 * θ). Features are computed online from events ({@link NeuronEvents}): no 440,000-step trace is held unless asked for
 * ({@link #simulateTraces}).
 *
 * <p>Outputs per row: the 18 features ({@link Outputs#FEATURES}), or those and the extras ({@link Outputs#EXTRAS}):
 * the pyloric-like flag, kept bursts and spikes per neuron, the LP→PY start delay, the energy per neuron
 * (models/PAPER.md §5.10; the pyloric package's unit) and the {@link PyloricOutcome} ordinal. Features are NaN where
 * undefined; {@link #outcomeCounts()} counts why (silent or tonic PM, not triphasic, diverged).
 *
 * <p>Errors: a wrong dimension, a non-finite value, a value outside the prior's support (naming the parameter) or an
 * empty batch raise {@link IllegalArgumentException} before anything runs.
 */
public final class PyloricNetwork implements Simulator {

    public enum Implementation { SCALAR, SIMD }

    /** What each row holds. */
    public enum Outputs {
        FEATURES(PyloricFeatures.COUNT),
        EXTRAS(PyloricFeatures.COUNT + PyloricFeatures.EXTRA_COUNT + NEURONS + 1);

        private final int count;

        Outputs(int count) {
            this.count = count;
        }

        public int count() {
            return count;
        }
    }

    public static final String NAME = "pyloric";
    /**
     * {@link #revision()}: the numerics' version, which a simulation store records and resumes only with.
     * Stores made before 2026-11-26 record none; their numerics used a degree-7 Taylor exp. 2: the degree-5 minimax
     * exp of {@link org.jsbi.sim.math.Float32Math} (2026-11-26). 3: the Savitzky–Golay filter's interior samples as a
     * symmetric two-chain sum ({@link SavitzkyGolay#applyInterior}; a filtered sample may differ by an ulp, which can
     * move a spike only where two neighbouring samples tie). 4 (2026-11-26, later): each gate's −dt/τ as
     * −dt·u / (c·u + d) instead of −dt / (c + d/u), and KCa's m∞ as one quotient (35 divisions a neuron-step to 21).
     * 5 (2026-11-27): each gate's x∞ and −dt/τ share one division (r = 1 / (u∞·D), x∞ = D·r, −dt/τ = N·u∞·r; 21
     * divisions to 11), with the gating exps' V clamped to ±100 mV instead of ±200 so that no product overflows.
     * 6 (2026-11-27, later): the 27 gating exps as {@link org.jsbi.sim.math.Float32Math#expAffine}(V, β, a·β), the
     * argument one fused multiply-add and the reduction one (at most 3.6 ulp against 2.2), two operations fewer each;
     * the relaxation exps of the eight slow gates (τ ≥ 0.8 ms, so −dt/τ ∈ [−1/32, 0]) as
     * {@link org.jsbi.sim.math.Float32Math#expSmall}, a degree-4 Taylor polynomial (within 1 ulp); each presynaptic
     * neuron's s̄ and 1/(1 − s̄) from one division (10 divisions a step to 3).
     * {@code PyloricNetworkTest} pins the output bits; change this when they change.
     */
    public static final String REVISION = "6";
    /** Column of the energies and of the outcome ordinal in an {@link Outputs#EXTRAS} row. */
    public static final int ENERGY_COLUMN = PyloricFeatures.COUNT + PyloricFeatures.EXTRA_COUNT,
            OUTCOME_COLUMN = ENERGY_COLUMN + NEURONS;
    public static final String[] PARAMETER_NAMES = new String[PARAMETERS];
    /** The prior's bounds (models/PAPER.md §5.4; the code's AB/PD ḡ_H bound 0.02, synapses in ln mS). */
    static final double[] LOW = new double[PARAMETERS], HIGH = new double[PARAMETERS];

    static {
        double[][] lo = {{0, 0, 0, 0, 0, 25, 0, 0}, {0, 0, 2, 10, 0, 0, 0, 0.01}, {0, 0, 0, 30, 0, 50, 0, 0}};
        double[][] hi = {{500, 7.5, 8, 60, 15, 150, 0.02, 0.01}, {200, 2.5, 12, 60, 10, 125, 0.06, 0.04},
            {600, 12.5, 4, 60, 5, 150, 0.06, 0.04}};
        for (int j = 0; j < NEURONS; j++) {
            for (int c = 0; c < CURRENTS; c++) {
                PARAMETER_NAMES[j * CURRENTS + c] = NEURON_NAMES[j] + "_" + CURRENT_NAMES[c];
                LOW[j * CURRENTS + c] = lo[j][c];
                HIGH[j * CURRENTS + c] = hi[j][c];
            }
        }
        for (int k = 0; k < SYNAPSES; k++) {
            PARAMETER_NAMES[NEURONS * CURRENTS + k] = "syn_" + SYNAPSE_NAMES[k];
            LOW[NEURONS * CURRENTS + k] = Math.log(1e-8);
            HIGH[NEURONS * CURRENTS + k] = Math.log(k == 0 ? 1e-2 : 1e-3);
        }
    }

    private final Implementation implementation;
    private final Outputs outputs;
    private final boolean noise;
    private final PyloricFeatureConfig featureConfig;
    private final LongAdder[] outcomes = new LongAdder[PyloricOutcome.values().length];
    private final LongAdder[][] classes = new LongAdder[NEURONS][NeuronClass.values().length];

    private PyloricNetwork(Implementation implementation, Outputs outputs, boolean noise, PyloricFeatureConfig cfg) {
        if (implementation == null || outputs == null || cfg == null) {
            throw new IllegalArgumentException("implementation, outputs and feature settings must be given");
        }
        if (cfg.windowSamples() != WINDOW) {
            throw new IllegalArgumentException(NAME + ": the simulator's feature window has " + WINDOW
                    + " samples; the feature settings ask for " + cfg.windowSamples());
        }
        this.implementation = implementation;
        this.outputs = outputs;
        this.noise = noise;
        this.featureConfig = cfg;
        for (int i = 0; i < outcomes.length; i++) outcomes[i] = new LongAdder();
        for (LongAdder[] row : classes) {
            for (int c = 0; c < row.length; c++) row[c] = new LongAdder();
        }
    }

    /** SIMD, noise on, the 18 features, the paper's feature settings (50-ms burst threshold). */
    public static PyloricNetwork withDefaults() {
        return new PyloricNetwork(Implementation.SIMD, Outputs.FEATURES, true, PyloricFeatureConfig.paper());
    }

    public PyloricNetwork withImplementation(Implementation i) {
        return new PyloricNetwork(i, outputs, noise, featureConfig);
    }

    public PyloricNetwork withOutputs(Outputs o) {
        return new PyloricNetwork(implementation, o, noise, featureConfig);
    }

    /** With noise off no noise is drawn (deterministic runs for tests). */
    public PyloricNetwork withNoise(boolean on) {
        return new PyloricNetwork(implementation, outputs, on, featureConfig);
    }

    /** Feature settings, e.g. {@link PyloricFeatureConfig#pyloricPackage()} (40-ms burst threshold). */
    public PyloricNetwork withFeatureConfig(PyloricFeatureConfig cfg) {
        return new PyloricNetwork(implementation, outputs, noise, cfg);
    }

    /**
     * The paper's 31-D prior: independent uniforms (synapses uniform in ln mS), with the AB/PD ḡ_H upper bound of the
     * authors' code and prior file (0.02 mS/cm²), where the paper's table prints 0.2 (models/PAPER.md §5.4, §7).
     */
    public static BoxUniform prior() {
        return Priors.boxUniform(LOW.clone(), HIGH.clone());
    }

    public Implementation implementation() {
        return implementation;
    }

    public Outputs outputs() {
        return outputs;
    }

    public boolean noise() {
        return noise;
    }

    public PyloricFeatureConfig featureConfig() {
        return featureConfig;
    }

    /** How many networks ended with each {@link PyloricOutcome} since this instance was made. */
    public long[] outcomeCounts() {
        long[] c = new long[outcomes.length];
        for (int i = 0; i < c.length; i++) c[i] = outcomes[i].sum();
        return c;
    }

    /**
     * How many networks had each neuron in each {@link NeuronClass} (silent, tonic, bursting, non-bursting, diverged),
     * [neuron][class], since this instance was made: with {@link #outcomeCounts()}, why features are undefined.
     */
    public long[][] neuronClassCounts() {
        long[][] c = new long[NEURONS][NeuronClass.values().length];
        for (int j = 0; j < NEURONS; j++) {
            for (int k = 0; k < c[j].length; k++) c[j][k] = classes[j][k].sum();
        }
        return c;
    }

    /** The outputs, whether the currents are noisy, and the feature configuration; the implementations give the same bits. */
    @Override
    public String configuration() {
        return "outputs=" + outputs + ", noise=" + noise + ", features=" + featureConfig;
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
        return PARAMETERS;
    }

    @Override
    public int dataDim() {
        return outputs.count();
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        check(batch);
        ParameterChecks.output(NAME, batch.count(), dataDim(), out);
        ParameterChecks.insideSupport(NAME, batch, PARAMETER_NAMES, LOW, HIGH);
        float[] theta = batch.values();
        long firstIndex = batch.firstIndex();
        if (implementation == Implementation.SIMD) {
            int lanes = PyloricSimd.L;
            Parallel.forRange(batch.count(), lanes, lanes, (from, to) -> runSimd(theta, from, to, firstIndex, seed, out));
        } else {
            Parallel.forRange(batch.count(), 1, 1, (from, to) -> runScalar(theta, from, to, firstIndex, seed, out));
        }
    }

    /**
     * The three voltage traces (mV, {@link PyloricModel#SAMPLES} samples each, t = 0 .. 10,999.975 ms) of one network,
     * θ = theta[0 .. 30], with simulation index {@code index}; for plots. The scalar reference runs it.
     */
    public float[][] simulateTraces(float[] theta, long seed, long index) {
        ParameterBatch batch = new ParameterBatch(theta.clone(), 1, theta.length, index);
        check(batch);
        ParameterChecks.insideSupport(NAME, batch, PARAMETER_NAMES, LOW, HIGH);
        float[][] v = new float[NEURONS][SAMPLES];
        PyloricScalar.simulate(new PyloricScalar.State(), theta, 0, seed, index, noise, (k, v0, v1, v2) -> {
            v[0][k] = v0;
            v[1][k] = v1;
            v[2][k] = v2;
        }, null);
        return v;
    }

    private void check(ParameterBatch batch) {
        ParameterChecks.nonEmpty(NAME, batch);
        ParameterChecks.dimension(NAME, batch, PARAMETERS, "parameters (24 membrane conductances in mS/cm², then 7"
                + " synaptic conductances in ln mS)");
        ParameterChecks.finite(NAME, batch, PARAMETER_NAMES);
        batch.check(this);
    }

    private void runScalar(float[] theta, int from, int to, long firstIndex, long seed, float[] out) {
        PyloricScalar.State st = new PyloricScalar.State();
        NeuronEvents[] events = {new NeuronEvents(), new NeuronEvents(), new NeuronEvents()};
        NeuronEventDetector[] det = new NeuronEventDetector[NEURONS];
        SavitzkyGolayStream[] filters = new SavitzkyGolayStream[NEURONS];
        for (int j = 0; j < NEURONS; j++) {
            det[j] = new NeuronEventDetector(events[j]);
            filters[j] = new SavitzkyGolayStream(det[j]);
        }
        double[] energy = outputs == Outputs.EXTRAS ? new double[NEURONS] : null;
        PyloricFeatures pf = new PyloricFeatures();
        PyloricScalar.SampleSink sink = (k, v0, v1, v2) -> {
            if (k < WINDOW_FIRST) return;
            filters[0].push(v0);
            filters[1].push(v1);
            filters[2].push(v2);
        };
        for (int i = from; i < to; i++) {
            for (int j = 0; j < NEURONS; j++) {
                det[j].reset();
                filters[j].reset();
            }
            PyloricScalar.simulate(st, theta, i * PARAMETERS, seed, firstIndex + i, noise, sink, energy);
            for (int j = 0; j < NEURONS; j++) filters[j].finish();
            writeRow(pf, events, energy, 0, out, i);
        }
    }

    private void runSimd(float[] theta, int from, int to, long firstIndex, long seed, float[] out) {
        PyloricSimd.Work w = new PyloricSimd.Work();
        PyloricLaneEvents lanes = new PyloricLaneEvents();
        double[] energy = outputs == Outputs.EXTRAS ? new double[NEURONS * PyloricSimd.CAP] : null;
        NeuronEvents[] three = new NeuronEvents[NEURONS];
        PyloricFeatures pf = new PyloricFeatures();
        for (int c = from; c < to; c += PyloricSimd.CAP) {
            int rows = Math.min(PyloricSimd.CAP, to - c);
            lanes.reset();
            PyloricSimd.simulateChunk(w, theta, c, rows, firstIndex, seed, noise, lanes, energy);
            for (int l = 0; l < rows; l++) {
                for (int j = 0; j < NEURONS; j++) three[j] = lanes.events[j * PyloricSimd.CAP + l];
                writeRow(pf, three, energy, l * NEURONS, out, c + l);
            }
        }
    }

    /** Features (and extras) of one network from its events into row `row` of out. */
    private void writeRow(PyloricFeatures pf, NeuronEvents[] three, double[] energy, int energyOffset, float[] out,
                          int row) {
        int d = outputs.count(), o = row * d;
        PyloricOutcome oc = pf.analyze(three, featureConfig);
        pf.features(out, o);
        if (outputs == Outputs.EXTRAS) {
            pf.extras(out, o + PyloricFeatures.COUNT);
            for (int j = 0; j < NEURONS; j++) out[o + ENERGY_COLUMN + j] = (float) energy[energyOffset + j];
            out[o + OUTCOME_COLUMN] = oc.ordinal();
        }
        outcomes[oc.ordinal()].increment();
        for (int j = 0; j < NEURONS; j++) classes[j][pf.neuron(j).neuronClass().ordinal()].increment();
    }
}
