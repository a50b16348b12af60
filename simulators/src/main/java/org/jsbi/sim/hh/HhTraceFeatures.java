package org.jsbi.sim.hh;

/**
 * The paper's 7 Hodgkin–Huxley summary features of a stored voltage trace, for any time step and any stimulus window
 * (models/PAPER.md §4; the paper's {@code HodgkinHuxleyStatsMoments} with {@code n_xcorr = 0, n_mom = 4}, which its
 * Allen notebook runs on the recordings with each cell's own dt, t_on and t_off). Features, in
 * {@link HodgkinHuxley#FEATURE_NAMES} order: spike count, resting mean, resting SD, stimulus mean, variance, skewness,
 * kurtosis.
 *
 * <p><b>Time grid and windows</b>, as numpy forms them: sample k (k = 0 .. n − 1) is at t_k = k · dt in double (the
 * paper's {@code np.arange(0, duration, dt)}), and
 * <ul>
 *   <li>resting mean: samples with {@code t_k < t_on};</li>
 *   <li>resting SD: samples {@code int(0.9 * t_on / dt)} to {@code int(t_on / dt)} (exclusive), evaluated left to right
 *       in double as Python does;</li>
 *   <li>stimulus mean and moments: samples with {@code t_on < t_k < t_off};</li>
 *   <li>spikes: peak times with {@code t_on < t_j < t_off}.</li>
 * </ul>
 * For the synthetic protocol ({@link #synthetic()}: dt = 0.01, t_on = 10, t_off = 110 ms, 12,001 samples) these are
 * exactly the windows of {@link HhProtocol}.
 *
 * <p><b>Spike count</b>: the paper's detector on the whole trace. Every sample below −10 mV is set to −10; then every
 * sample whose successor is lower (in the clipped trace) is set to −10; the peaks are the samples whose successor is
 * lower after that. That is sample j with V_j &gt; −10, V_{j+1} ≥ V_j and V_{j+2} &lt; V_{j+1} (the sample before the
 * peak, so a spike needs two samples above −10 mV on its rise; the simulator's online rule). Peaks inside the stimulus window are counted, except one within 0.5 ms of the previous in-window
 * peak ({@code np.diff(t) > 0.5} in double; every peak, counted or not, is the "previous" one for the next; the first
 * is always counted). Comparisons are made on the float samples, as numpy makes them on the float32 arrays.
 *
 * <p><b>Moments</b>, in double, two-pass, as numpy and scipy define them: the resting mean is the window's mean; the
 * resting SD is {@code np.std} (population, ddof 0); over the stimulus window μ = mean, m_r = mean((V − μ)^r),
 * variance = m₂ ({@code scipy.stats.moment(V, 2)}, which the paper calls the standard deviation), skewness =
 * m₃ / sd³ and kurtosis = m₄ / m₂² (not excess) with sd = √m₂. The paper's numpy code works in the arrays' own
 * precision (float32 for the Allen recordings, with pairwise summation); double here differs from it by about
 * 1e-6 relative. The simulator ({@link HodgkinHuxleyScalar}) computes the same quantities online from float block sums
 * of raw moments; on a simulated trace the two agree to 1e-5 relative and the spike counts agree exactly
 * (HhTraceFeaturesTest).
 *
 * <p>Errors ({@link IllegalArgumentException}): a non-positive or non-finite dt, t_on ≤ 0 or t_off ≤ t_on; a trace with
 * a non-finite sample, or one that ends before t_off, so that a window would be empty or cut short.
 */
public final class HhTraceFeatures {

    /** Features per trace. */
    public static final int COUNT = 7;
    /** The detector's clipping level (mV). */
    public static final float SPIKE_CLIP_MV = -10f;
    /** A peak within this time (ms) after the previous in-window peak is not counted. */
    public static final double MIN_SPIKE_INTERVAL_MS = 0.5;

    private final double dt;
    private final double tOn;
    private final double tOff;

    /**
     * An extractor for traces sampled every {@code dtMs} ms from t = 0 with the stimulus step on from {@code tOnMs} to
     * {@code tOffMs} (trace time, ms).
     */
    public HhTraceFeatures(double dtMs, double tOnMs, double tOffMs) {
        if (!(dtMs > 0) || !Double.isFinite(dtMs)) {
            throw new IllegalArgumentException("HH trace features: the time step must be positive and finite, got " + dtMs);
        }
        if (!(tOnMs > 0) || !Double.isFinite(tOnMs) || !(tOffMs > tOnMs) || !Double.isFinite(tOffMs)) {
            throw new IllegalArgumentException("HH trace features: the stimulus window must satisfy 0 < t_on < t_off"
                    + " (finite, ms), got t_on = " + tOnMs + ", t_off = " + tOffMs);
        }
        this.dt = dtMs;
        this.tOn = tOnMs;
        this.tOff = tOffMs;
    }

    /** The synthetic protocol of {@link HodgkinHuxley}: dt = 0.01 ms, step from 10 to 110 ms. */
    public static HhTraceFeatures synthetic() {
        return new HhTraceFeatures(0.01, 10, 110);
    }

    public double dt() {
        return dt;
    }

    public double tOn() {
        return tOn;
    }

    public double tOff() {
        return tOff;
    }

    /**
     * The sample windows for a trace of {@code samples} samples, each as [first, end) sample indices: resting mean,
     * resting SD, stimulus.
     */
    public record Windows(int restFirst, int restEnd, int restSdFirst, int restSdEnd, int stimFirst, int stimEnd) {

        public int restCount() {
            return restEnd - restFirst;
        }

        public int restSdCount() {
            return restSdEnd - restSdFirst;
        }

        public int stimCount() {
            return stimEnd - stimFirst;
        }
    }

    /** The windows of a trace of {@code samples} samples; an error when the trace ends before t_off. */
    public Windows windows(int samples) {
        if (samples < 2 || (samples - 1) * dt < tOff) {
            throw new IllegalArgumentException("HH trace features: a trace of " + samples + " samples at dt = " + dt
                    + " ms ends at " + Math.max(0, samples - 1) * dt + " ms, before the end of the stimulus (t_off = "
                    + tOff + " ms); the stimulus window would be cut short");
        }
        // k * dt is non-decreasing in k (rounding is monotone), so each window is one run of indices.
        int restEnd = 0;
        while (restEnd < samples && restEnd * dt < tOn) restEnd++;
        int stimFirst = restEnd;
        while (stimFirst < samples && !(stimFirst * dt > tOn)) stimFirst++;
        int stimEnd = stimFirst;
        while (stimEnd < samples && stimEnd * dt < tOff) stimEnd++;
        int sdFirst = Math.min(samples, (int) (0.9 * tOn / dt));
        int sdEnd = Math.min(samples, (int) (tOn / dt));
        Windows w = new Windows(0, restEnd, sdFirst, Math.max(sdFirst, sdEnd), stimFirst, stimEnd);
        if (w.restCount() == 0 || w.restSdCount() == 0 || w.stimCount() == 0) {
            throw new IllegalArgumentException("HH trace features: at dt = " + dt + " ms with t_on = " + tOn
                    + " and t_off = " + tOff + " ms a window is empty (" + w + "); t_on must span at least "
                    + "one sample of the resting SD window (0.9 t_on .. t_on)");
        }
        return w;
    }

    /** The 7 features of the whole array, as float (the simulator's output type). */
    public float[] compute(float[] trace) {
        return compute(trace, 0, trace.length);
    }

    /** The 7 features of trace[off .. off + samples), as float. */
    public float[] compute(float[] trace, int off, int samples) {
        double[] f = features(trace, off, samples);
        float[] out = new float[COUNT];
        for (int i = 0; i < COUNT; i++) out[i] = (float) f[i];
        return out;
    }

    /** The 7 features of trace[off .. off + samples), in double. */
    public double[] features(float[] trace, int off, int samples) {
        checkTrace(trace, off, samples);
        Windows w = windows(samples);
        double restMean = mean(trace, off + w.restFirst(), off + w.restEnd());
        double restSd = Math.sqrt(centralMoment(trace, off + w.restSdFirst(), off + w.restSdEnd(),
                mean(trace, off + w.restSdFirst(), off + w.restSdEnd()), 2));
        int a = off + w.stimFirst(), b = off + w.stimEnd();
        double mu = mean(trace, a, b);
        double m2 = centralMoment(trace, a, b, mu, 2);
        double m3 = centralMoment(trace, a, b, mu, 3);
        double m4 = centralMoment(trace, a, b, mu, 4);
        double sd = Math.sqrt(m2);
        return new double[] {spikeCount(trace, off, samples), restMean, restSd, mu, m2, m3 / (sd * sd * sd), m4 / (m2 * m2)};
    }

    /** The paper's spike count of trace[off .. off + samples) (see the class comment). */
    public int spikeCount(float[] trace, int off, int samples) {
        checkTrace(trace, off, samples);
        windows(samples);
        float[] v = new float[samples];
        for (int k = 0; k < samples; k++) {
            float x = trace[off + k];
            v[k] = x < SPIKE_CLIP_MV ? SPIKE_CLIP_MV : x;
        }
        // np.diff(v) < 0 is v[k + 1] < v[k] for finite floats; the mask is taken before any sample is changed.
        boolean[] falls = new boolean[samples - 1];
        for (int k = 0; k < samples - 1; k++) falls[k] = v[k + 1] < v[k];
        for (int k = 0; k < samples - 1; k++) if (falls[k]) v[k] = SPIKE_CLIP_MV;
        int count = 0;
        double previous = Double.NaN;
        for (int k = 0; k < samples - 1; k++) {
            if (!(v[k + 1] < v[k])) continue;
            double t = k * dt;
            if (!(t > tOn && t < tOff)) continue;
            if (Double.isNaN(previous) || t - previous > MIN_SPIKE_INTERVAL_MS) count++;
            previous = t;
        }
        return count;
    }

    private static void checkTrace(float[] trace, int off, int samples) {
        if (trace == null) throw new IllegalArgumentException("HH trace features: the trace is null");
        if (off < 0 || samples < 0 || (long) off + samples > trace.length) {
            throw new IllegalArgumentException("HH trace features: samples [" + off + ", " + ((long) off + samples)
                    + ") lie outside the array of " + trace.length);
        }
        for (int k = 0; k < samples; k++) {
            if (!Float.isFinite(trace[off + k])) {
                throw new IllegalArgumentException("HH trace features: sample " + k + " of the trace is "
                        + trace[off + k] + "; a recorded or simulated trace must be finite");
            }
        }
    }

    private static double mean(float[] x, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) s += x[k];
        return s / (to - from);
    }

    private static double centralMoment(float[] x, int from, int to, double mu, int order) {
        double s = 0;
        for (int k = from; k < to; k++) {
            double d = x[k] - mu;
            double d2 = d * d;
            s += order == 2 ? d2 : order == 3 ? d2 * d : d2 * d2;
        }
        return s / (to - from);
    }
}
