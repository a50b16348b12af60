package org.jsbi.sim.stg;

/**
 * The constants of the pyloric network of Prinz et al. (2004) as the eLife paper's simulator runs it (models/PAPER.md
 * §5.1–5.3; the {@code cHH.pyx} / pyloric {@code simulator.pyx} code values where the paper differs): three
 * single-compartment neurons (0 = AB/PD, called PM in the code, 1 = LP, 2 = PY) with eight currents each, calcium
 * dynamics with a Nernst reversal, seven graded inhibitory synapses, exponential Euler at dt = 0.025 ms over 11 s
 * (440,000 samples, the first second discarded). All values are float, as the simulators compute in float32; each is
 * the float nearest to the written value.
 */
public final class PyloricModel {

    private PyloricModel() {
    }

    public static final int NEURONS = 3;
    public static final int CURRENTS = 8;
    public static final int SYNAPSES = 7;
    /** 24 membrane conductances (neuron-major, currents in {@link #CURRENT_NAMES} order) + 7 synapses. */
    public static final int PARAMETERS = NEURONS * CURRENTS + SYNAPSES;

    public static final String[] NEURON_NAMES = {"AB/PD", "LP", "PY"};
    public static final String[] CURRENT_NAMES = {"Na", "CaT", "CaS", "A", "KCa", "Kd", "H", "leak"};
    public static final String[] SYNAPSE_NAMES = {"AB-LP", "PD-LP", "AB-PY", "PD-PY", "LP-PD", "LP-PY", "PY-LP"};

    /** Time step (ms). */
    public static final float DT = 0.025f;
    /** Samples of a simulation: t = 0, dt, …, 10,999.975 ms; sample 0 is the initial state. */
    public static final int SAMPLES = 440_000;
    /** Integration steps (sample i from sample i − 1, i = 1 .. 439,999). */
    public static final int STEPS = SAMPLES - 1;
    /** First sample of the feature window (1,000 ms of burn-in are discarded). */
    public static final int WINDOW_FIRST = 40_000;
    /** Samples in the feature window (10 s). */
    public static final int WINDOW = SAMPLES - WINDOW_FIRST;

    /**
     * Membrane area (cm²): the conductance parameters are in mS/cm² and are multiplied by it (the code's 0.628e-3),
     * so that conductances are in mS, currents in µA and the capacitance in µF.
     */
    public static final float AREA = 0.628e-3f;
    /** Capacitance (µF): the code's 0.6283e-3 (not 0.628e-3 × 1 µF/cm²; the code's value is kept). */
    public static final float C = 0.6283e-3f;

    public static final float E_NA = 50f, E_K = -80f, E_H = -20f, E_LEAK = -50f;

    /** Calcium: τ_Ca d[Ca]/dt = −f·I_Ca − [Ca] + [Ca]₀, [Ca] in µM, I_Ca in µA. */
    public static final float TAU_CA = 200f, F_CA = 14961f, CA_0 = 0.05f, CA_EXT = 3000f;
    /** RT/zF (mV) with R = 8.31451e3 mJ/(mol·K), T = 283 K, z = 2, F = 96485.3415 C/mol. */
    public static final float RT_ZF = (float) (8.31451e3 * 283 / (2 * 96485.3415));
    /** ln [Ca]_ext: E_Ca = RT/zF · (ln [Ca]_ext − ln [Ca]). */
    public static final float LOG_CA_EXT = (float) Math.log(3000.0);
    /** exp(−dt/τ_Ca), a constant of the calcium update. */
    public static final float EXP_CA = (float) Math.exp(-0.025 / 200.0);

    /** Initial state (the code's {@code init=None}): V = E_leak, [Ca] = [Ca]₀, every gate and synapse 0. */
    public static final float V_INIT = -50f;

    /** Standard deviation of the current noise (µA) added to each neuron at every step, not scaled by dt. */
    public static final float NOISE_SD = 0.001f;

    /** Synapses: presynaptic and postsynaptic neuron, reversal E_s (mV) and the rate time scale k₋ (ms). */
    public static final int[] SYN_PRE = {0, 0, 0, 0, 1, 1, 2};
    public static final int[] SYN_POST = {1, 1, 2, 2, 0, 2, 1};
    public static final float[] SYN_E = {-70f, -80f, -70f, -80f, -70f, -70f, -70f};
    public static final float[] SYN_KMINUS = {40f, 100f, 40f, 100f, 40f, 40f, 40f};
    /** s̄(V_pre) = 1/(1 + exp((V_th − V_pre)/Δ)) with V_th = −35 mV, Δ = 5 mV for every synapse. */
    public static final float SYN_VTH = -35f, SYN_INV_DELTA = 0.2f;

    /** The membrane area in the paper's own units: its θ for membranes is ḡ·area (mS). */
    public static final double PAPER_AREA = 0.628e-3;
}
