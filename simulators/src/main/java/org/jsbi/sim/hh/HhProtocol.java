package org.jsbi.sim.hh;

/**
 * The constants of the Hodgkin–Huxley model of Pospischil et al. (2008) as the eLife paper's code runs it
 * (models/PAPER.md §4), and the time grid, stimulus and feature windows as sample indices.
 *
 * <p>Time grid: the paper's {@code t = np.arange(0, 120 + dt, dt)} with dt = 0.01 ms has 12,001 samples,
 * t_k = k · 0.01 (double, as numpy fills it). Sample 0 is the initial condition; step s = 1..12,000 computes sample s
 * from sample s − 1 and uses the injected current {@code I[s − 1]}, where {@code I[1000..10999] = 3.248 µA/cm²}
 * ({@code int(round(t_on/dt))} to {@code int(round(t_off/dt))}, exclusive) and 0 elsewhere.
 *
 * <p>Feature windows (sample indices, inclusive; each checked against numpy's double comparisons):
 * <ul>
 *   <li>resting mean, {@code t < t_on}: k = 0 .. 999 (1,000 samples);</li>
 *   <li>resting SD, {@code [int(0.9 t_on/dt), int(t_on/dt))}: k = 900 .. 999 (100 samples);</li>
 *   <li>stimulus moments, {@code t_on < t < t_off}: k = 1001 .. 10999 (9,999 samples);</li>
 *   <li>spike times t_j with {@code t_on < t_j < t_off}: j = 1001 .. 10999.</li>
 * </ul>
 */
final class HhProtocol {

    private HhProtocol() {
    }

    /** Time step (ms). */
    static final float DT = 0.01f;
    /** Integration steps; the trace has {@link #SAMPLES} = STEPS + 1 samples. */
    static final int STEPS = 12_000;
    static final int SAMPLES = STEPS + 1;
    /** Initial membrane potential (mV); the gates start at their steady state there. */
    static final float V0 = -70f;
    /** Membrane capacitance (µF/cm²); it is 1, so the code divides by nothing. */
    static final float C_M = 1f;
    static final float E_NA = 53f;
    static final float E_K = -107f;
    /** The step current: 5e-4 µA over A_soma = π (70 µm)² in cm², rounded to float: 3.2480... µA/cm². */
    static final float I_AMP = (float) (5e-4 / (Math.PI * 70e-4 * 70e-4));
    /** Steps s whose current is I_AMP: I[s-1] for s - 1 in [1000, 11000). */
    static final int CURRENT_FIRST_STEP = 1001;
    static final int CURRENT_LAST_STEP = 11000;

    static final int REST_FIRST = 0;
    static final int REST_LAST = 999;
    static final int REST_N = REST_LAST - REST_FIRST + 1;
    static final int REST_SD_FIRST = 900;
    static final int REST_SD_LAST = 999;
    static final int REST_SD_N = REST_SD_LAST - REST_SD_FIRST + 1;
    static final int STIM_FIRST = 1001;
    static final int STIM_LAST = 10999;
    static final int STIM_N = STIM_LAST - STIM_FIRST + 1;
    /** Spike threshold of the paper's detector (mV). */
    static final float SPIKE_THRESHOLD = -10f;
    /** Detected spikes closer than this many samples to the previous detected spike are dropped (0.5 ms / dt). */
    static final int SPIKE_MIN_GAP = 50;

    /**
     * {@code GAP50_KEEP[j]}: whether a spike at sample j, exactly 50 samples after the previous detected spike, passes
     * the paper's {@code diff(t) > 0.5} in double (t_j = j · 0.01); it does for some j and not for others.
     */
    static final boolean[] GAP50_KEEP = new boolean[SAMPLES];

    /** Steps per noise/accumulation block: 16 Philox blocks of 4 normals. */
    static final int BLOCK = 64;

    static {
        for (int j = SPIKE_MIN_GAP; j < SAMPLES; j++) {
            GAP50_KEEP[j] = j * 0.01 - (j - SPIKE_MIN_GAP) * 0.01 > 0.5;
        }
        // The windows above are numpy's; recheck them in double so that a change of dt or t_on cannot slip by.
        double dt = 0.01, tOn = 10, tOff = 110;
        check(firstTrue(k -> k * dt > tOn) == STIM_FIRST && lastTrue(k -> k * dt < tOff) == STIM_LAST, "stimulus window");
        check(lastTrue(k -> k * dt < tOn) == REST_LAST, "resting window");
        check((int) (0.9 * tOn / dt) == REST_SD_FIRST && (int) (tOn / dt) - 1 == REST_SD_LAST, "resting SD window");
        check((int) Math.round(tOn / dt) + 1 == CURRENT_FIRST_STEP && (int) Math.round(tOff / dt) == CURRENT_LAST_STEP,
                "current window");
    }

    private interface IntPredicate {
        boolean test(int k);
    }

    private static int firstTrue(IntPredicate p) {
        for (int k = 0; k < SAMPLES; k++) if (p.test(k)) return k;
        return -1;
    }

    private static int lastTrue(IntPredicate p) {
        for (int k = SAMPLES - 1; k >= 0; k--) if (p.test(k)) return k;
        return -1;
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("HH protocol: the " + what + " disagrees with numpy's grid");
    }

    /** The injected current of step s (computing sample s). */
    static float current(int step) {
        return step >= CURRENT_FIRST_STEP && step <= CURRENT_LAST_STEP ? I_AMP : 0f;
    }
}
