package org.jsbi.sim.benchmark;

import java.util.Arrays;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;

/**
 * bernoulli_glm: θ = (offset, 9-tap stimulus filter) ~ N(0, P⁻¹) with a smoothness precision P; spikes
 * y_t ~ Bernoulli(σ(X θ)_t) for 100 bins of a white-noise stimulus, summarised by the sufficient statistic x = Xᵀy
 * (spike count, then the stimulus-triggered sums at lags 0..8).
 *
 * <p>The stimulus ({@code numpy.random.RandomState(42).randn(100)} as float32), the design matrix X and P are computed
 * here, not read, so the task needs no data file; tests check them against the reference files.
 */
public final class BernoulliGlm extends SimulatorTask {

    public static final String NAME = "bernoulli_glm";
    static final int PARAMETERS = 10;
    static final int BINS = 100;
    /** Filter taps: θ2..θ10. */
    static final int TAPS = PARAMETERS - 1;

    /** X, row-major 100 x 10, in double (the values are float32, as sbibm's). */
    static final double[] DESIGN = design(stimulus());
    static final Prior PRIOR = Priors.gaussianFromPrecision(new double[PARAMETERS], priorPrecision());

    public BernoulliGlm() {
        super(NAME);
    }

    @Override
    public Prior prior() {
        return PRIOR;
    }

    @Override
    public int dataDim() {
        return PARAMETERS;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        batch.check(this);
        TaskSupport.checkOutput(this, batch, out);
        float[] theta = batch.values();
        double[] sum = new double[PARAMETERS];
        for (int i = 0; i < batch.count(); i++) {
            CounterRandom rng = new CounterRandom(seed, batch.firstIndex() + i, 0);
            Arrays.fill(sum, 0.0);
            int off = i * PARAMETERS;
            for (int t = 0; t < BINS; t++) {
                if (spike(theta, off, t, rng)) {
                    for (int j = 0; j < PARAMETERS; j++) sum[j] += DESIGN[t * PARAMETERS + j];
                }
            }
            for (int j = 0; j < PARAMETERS; j++) out[off + j] = (float) sum[j];
        }
    }

    /**
     * Whether bin t spikes: one uniform from rng against σ(X_t·θ). Bins must be visited in order 0..99; shared with
     * bernoulli_glm_raw so both see the same spike train for the same seed and simulation index.
     */
    static boolean spike(float[] theta, int off, int t, CounterRandom rng) {
        double psi = 0;
        for (int j = 0; j < PARAMETERS; j++) psi += DESIGN[t * PARAMETERS + j] * theta[off + j];
        double p = 1.0 / (1.0 + Math.exp(-psi));
        return rng.nextDouble() < p;
    }

    /** The stimulus I_0..I_99: sbibm's {@code RandomState(42).randn(100)}, cast to float32. */
    public static float[] stimulus() {
        NumpyRandomState rs = new NumpyRandomState(42);
        float[] s = new float[BINS];
        for (int t = 0; t < BINS; t++) s[t] = (float) rs.nextGaussian();
        return s;
    }

    /** The design matrix X (100 x 10): a column of ones, then the stimulus lagged by 0..8 bins (zero before it starts). */
    public static double[][] designMatrix() {
        double[][] x = new double[BINS][PARAMETERS];
        for (int t = 0; t < BINS; t++) System.arraycopy(DESIGN, t * PARAMETERS, x[t], 0, PARAMETERS);
        return x;
    }

    private static double[] design(float[] stimulus) {
        double[] x = new double[BINS * PARAMETERS];
        for (int t = 0; t < BINS; t++) {
            x[t * PARAMETERS] = 1.0;
            for (int j = 0; j < TAPS; j++) x[t * PARAMETERS + 1 + j] = t >= j ? stimulus[t - j] : 0.0;
        }
        return x;
    }

    /**
     * The prior precision P (10 x 10): P[0][0] = 0.5 for the offset, zero coupling, and FᵀF for the filter, where
     * F = D·D + diag(√(i/9)), i = 0..8, and D is the first-difference matrix (1 on the diagonal, −1 below it).
     */
    public static double[][] priorPrecision() {
        int m = TAPS;
        double[][] dd = new double[m][m];   // D·D: 1 on the diagonal, −2 one below, 1 two below
        for (int i = 0; i < m; i++) {
            dd[i][i] = 1.0;
            if (i >= 1) dd[i][i - 1] = -2.0;
            if (i >= 2) dd[i][i - 2] = 1.0;
        }
        double[][] f = new double[m][m];
        for (int i = 0; i < m; i++) {
            f[i] = dd[i].clone();
            f[i][i] += Math.sqrt((double) i / m);
        }
        double[][] p = new double[PARAMETERS][PARAMETERS];
        p[0][0] = 0.5;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double s = 0;
                for (int k = 0; k < m; k++) s += f[k][a] * f[k][b];
                p[1 + a][1 + b] = s;
            }
        }
        return p;
    }

}
