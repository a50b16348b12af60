package org.jsbi.sim.ode;

import java.util.Arrays;

/**
 * Tsitouras' explicit Runge–Kutta 5(4) pair (Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the
 * first column simplifying assumption", Computers &amp; Mathematics with Applications 62 (2011) 770–775): seven
 * stages, first-same-as-last, local extrapolation (the 5th-order solution is propagated), an embedded 4th-order
 * error estimate and the paper's 4th-order continuous extension for output between steps. This is
 * DifferentialEquations.jl's {@code Tsit5()}, the solver the SBI benchmark's SIR and Lotka–Volterra tasks used.
 *
 * <p>Step control: error = RMS over components of {@code err_i / (absTol + relTol·max(|y_i|, |y_new,i|))}, a step
 * is accepted when error ≤ 1, and the next step comes from a PI controller (Hairer, Nørsett &amp; Wanner, Solving
 * ODEs I, §II.4 and DOPRI5: exponents 0.17 and 0.04, safety 0.9, factor in [0.2, 10], no growth right after a
 * rejection). The first step is chosen as in that book's {@code hinit}.
 *
 * <p>A solve that needs more than {@code maxSteps} attempted steps, or whose step size underflows (a blow-up, or
 * non-finite derivatives), fails: it returns {@code false} and writes NaN to every output value.
 *
 * <p>One instance holds the stage arrays for one system size and allocates nothing per solve. Not thread-safe:
 * use one per thread.
 */
public final class Tsit5 {

    /** DifferentialEquations.jl's default {@code maxiters}. */
    public static final int DEFAULT_MAX_STEPS = 100_000;

    // The published coefficients (16 digits); a_i1 = c_i − Σ_{j>1} a_ij (row-sum condition). Tsit5Test checks that
    // they satisfy the order conditions: b all 17 up to order 5, b̂ = b − e and b(θ) those up to order 4.
    static final double C2 = 0.161, C3 = 0.327, C4 = 0.9, C5 = 0.9800255409045097;
    static final double A32 = 0.3354806554923570;
    static final double A42 = -6.359448489975075, A43 = 4.362295432869581;
    static final double A52 = -11.74888356406283, A53 = 7.495539342889836, A54 = -0.09249506636175525;
    static final double A62 = -12.92096931784711, A63 = 8.159367898576159, A64 = -0.07158497328140100,
            A65 = -0.02826905039406838;
    static final double A21 = C2;
    static final double A31 = C3 - A32;
    static final double A41 = C4 - A42 - A43;
    static final double A51 = C5 - A52 - A53 - A54;
    static final double A61 = 1.0 - A62 - A63 - A64 - A65;
    // 5th-order weights; stage 7 is evaluated at (t + h, y_new), so they are also the 7th row of A (FSAL).
    static final double B1 = 0.09646076681806523, B2 = 0.01, B3 = 0.4798896504144996, B4 = 1.379008574103742,
            B5 = -3.290069515436081, B6 = 2.324710524099774;
    // Error weights e = b − b̂ (5th minus embedded 4th order). Sources differ on the sign of the last one; +1/66 is
    // the one for which Σ e_i = 0, i.e. for which b̂ is a consistent 4th-order method (checked in Tsit5Test).
    static final double E1 = -0.00178001105222577714, E2 = -0.0008164344596567469, E3 = 0.007880878010261995,
            E4 = -0.1447110071732629, E5 = 0.5823571654525552, E6 = -0.45808210592918697, E7 = 1.0 / 66.0;

    private static final double SAFETY = 0.9;
    private static final double FAC_MIN = 0.2;
    private static final double FAC_MAX = 10.0;
    private static final double EXPO1 = 0.17;     // 1/5 − 0.75·β
    private static final double BETA = 0.04;
    private static final double ERR_OLD_INIT = 1e-4;
    private static final double LOG_ERR_OLD_MIN = Math.log(ERR_OLD_INIT);

    private final int dim;
    private final double relTol;
    private final double absTol;
    private final int maxSteps;

    private double[] k1, k7;
    private final double[] k2, k3, k4, k5, k6;
    private double[] y, yNew;
    private final double[] yStage;
    private final double[] w = new double[7];

    private int accepted;
    private int rejected;
    private int evaluations;

    /**
     * @param dim      number of state variables
     * @param relTol   relative tolerance, &gt; 0
     * @param absTol   absolute tolerance, &gt; 0
     * @param maxSteps most attempted (accepted + rejected) steps per solve before it fails
     */
    public Tsit5(int dim, double relTol, double absTol, int maxSteps) {
        if (dim < 1) throw new IllegalArgumentException("an ODE system needs at least one state, got dim=" + dim);
        if (!(relTol > 0) || !(absTol > 0) || !Double.isFinite(relTol) || !Double.isFinite(absTol)) {
            throw new IllegalArgumentException("tolerances must be finite and > 0, got relTol=" + relTol
                    + ", absTol=" + absTol);
        }
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        this.dim = dim;
        this.relTol = relTol;
        this.absTol = absTol;
        this.maxSteps = maxSteps;
        k1 = new double[dim];
        k2 = new double[dim];
        k3 = new double[dim];
        k4 = new double[dim];
        k5 = new double[dim];
        k6 = new double[dim];
        k7 = new double[dim];
        y = new double[dim];
        yNew = new double[dim];
        yStage = new double[dim];
    }

    /** The SBI benchmark's settings: relTol = absTol = 1e-8, {@link #DEFAULT_MAX_STEPS}. */
    public static Tsit5 benchmark(int dim) {
        return new Tsit5(dim, 1e-8, 1e-8, DEFAULT_MAX_STEPS);
    }

    public int dim() {
        return dim;
    }

    /**
     * Integrates from (t0, y0) and writes y at each save time to {@code out[k * dim + i]}. Save times must be
     * ascending and ≥ t0; integration stops at the last one (nothing after it can change the saved values).
     *
     * @return true on success; false when the solve failed, in which case the first {@code saveTimes.length * dim}
     *         values of {@code out} are NaN
     */
    public boolean solve(OdeFunction f, double t0, double[] y0, double[] saveTimes, double[] out) {
        checkArguments(t0, y0, saveTimes, out);
        accepted = 0;
        rejected = 0;
        evaluations = 0;
        int nSave = saveTimes.length;
        int outLen = nSave * dim;
        System.arraycopy(y0, 0, y, 0, dim);
        int next = 0;
        while (next < nSave && saveTimes[next] == t0) {
            System.arraycopy(y0, 0, out, next * dim, dim);
            next++;
        }
        if (next == nSave) return true;
        double tEnd = saveTimes[nSave - 1];
        double t = t0;
        f.derivative(t, y, k1);
        evaluations++;
        double h = initialStep(f, t0, tEnd);
        double logErrOld = LOG_ERR_OLD_MIN;
        boolean lastRejected = false;

        while (true) {
            if (accepted + rejected >= maxSteps || !(h > Math.ulp(t) * 4)) {
                Arrays.fill(out, 0, outLen, Double.NaN);
                return false;
            }
            // Stretch a step that would stop just short of the end (Hairer's 1.01 rule), so that no sliver of a
            // last step remains to trip the step-size underflow check.
            boolean last = t + 1.01 * h >= tEnd;
            if (last) h = tEnd - t;
            double err = step(f, t, h);
            if (err <= 1.0) {
                accepted++;
                double tNew = last ? tEnd : t + h;
                while (next < nSave && saveTimes[next] <= tNew) {
                    if (saveTimes[next] == tNew) {
                        System.arraycopy(yNew, 0, out, next * dim, dim);
                    } else {
                        interpolate((saveTimes[next] - t) / h, h, out, next * dim);
                    }
                    next++;
                }
                if (next == nSave) return true;
                // FSAL: the last stage is f(t_new, y_new), the next step's first.
                double[] tmp = k1;
                k1 = k7;
                k7 = tmp;
                tmp = y;
                y = yNew;
                yNew = tmp;
                t = tNew;
                // err^-EXPO1 · errOld^BETA as one exp of logs: saves ~40 ns a step over two Math.pow calls
                double logErr = Math.log(err);
                double fac = SAFETY * Math.exp(-EXPO1 * logErr + BETA * logErrOld);
                fac = Math.max(FAC_MIN, Math.min(lastRejected ? 1.0 : FAC_MAX, fac));
                logErrOld = Math.max(logErr, LOG_ERR_OLD_MIN);
                h *= fac;
                lastRejected = false;
            } else {
                rejected++;
                // A NaN error (non-finite stages) shrinks the step as much as allowed; repeated, it underflows.
                double fac = err < Double.POSITIVE_INFINITY ? Math.max(FAC_MIN, SAFETY * Math.pow(err, -0.2)) : FAC_MIN;
                h *= fac;
                lastRejected = true;
            }
        }
    }

    /** Accepted steps of the last solve. */
    public int acceptedSteps() {
        return accepted;
    }

    /** Rejected steps of the last solve. */
    public int rejectedSteps() {
        return rejected;
    }

    /** Right-hand-side evaluations of the last solve. */
    public int evaluations() {
        return evaluations;
    }

    /** One attempted step from (t, y) with k1 = f(t, y): fills k2..k7 and yNew; returns the scaled error norm. */
    private double step(OdeFunction f, double t, double h) {
        final int n = dim;
        final double[] y = this.y, ys = yStage, k1 = this.k1, k2 = this.k2, k3 = this.k3, k4 = this.k4,
                k5 = this.k5, k6 = this.k6, k7 = this.k7, yNew = this.yNew;
        for (int i = 0; i < n; i++) ys[i] = y[i] + h * (A21 * k1[i]);
        f.derivative(t + C2 * h, ys, k2);
        for (int i = 0; i < n; i++) ys[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
        f.derivative(t + C3 * h, ys, k3);
        for (int i = 0; i < n; i++) ys[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
        f.derivative(t + C4 * h, ys, k4);
        for (int i = 0; i < n; i++) ys[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
        f.derivative(t + C5 * h, ys, k5);
        for (int i = 0; i < n; i++) {
            ys[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
        }
        f.derivative(t + h, ys, k6);
        for (int i = 0; i < n; i++) {
            yNew[i] = y[i] + h * (B1 * k1[i] + B2 * k2[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
        }
        f.derivative(t + h, yNew, k7);
        evaluations += 6;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = h * (E1 * k1[i] + E2 * k2[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            double sc = absTol + relTol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            double r = e / sc;
            sum += r * r;
        }
        return Math.sqrt(sum / n);   // NaN when a stage was not finite: rejected by the caller's "err <= 1"
    }

    /** y(t + θh) from the accepted step's stages: the paper's continuous extension b_i(θ). */
    private void interpolate(double theta, double h, double[] out, int off) {
        denseWeights(theta, w);
        for (int i = 0; i < dim; i++) {
            out[off + i] = y[i] + h * (w[0] * k1[i] + w[1] * k2[i] + w[2] * k3[i] + w[3] * k4[i] + w[4] * k5[i]
                    + w[5] * k6[i] + w[6] * k7[i]);
        }
    }

    /**
     * The weights b_i(θ) of the 4th-order continuous extension, in the factored form the coefficients are published
     * in; b_i(1) = b_i (b_7(1) = 0).
     */
    static void denseWeights(double th, double[] w) {
        double th2 = th * th;
        w[0] = -1.0530884977290216 * th * (th - 1.3299890189751412) * (th2 - 1.4364028541716351 * th + 0.7139816917074209);
        w[1] = 0.1017 * th2 * (th2 - 2.1966568338249754 * th + 1.2949852507374631);
        w[2] = 2.490627285651252793 * th2 * (th2 - 2.38535645472061657 * th + 1.57803468208092486);
        w[3] = -16.54810288924490272 * (th - 1.21712927295533244) * (th - 0.61620406037800089) * th2;
        w[4] = 47.37952196281928122 * (th - 1.203071208372362603) * (th - 0.658047292653547382) * th2;
        w[5] = -34.87065786149660974 * (th - 1.2) * (th - 0.666666666666666667) * th2;
        w[6] = 2.5 * (th - 1) * (th - 0.6) * th2;
    }

    /** Hairer–Wanner's starting step: from the sizes of y0, f(t0, y0) and a finite-difference f'. Uses k2, yStage. */
    private double initialStep(OdeFunction f, double t0, double tEnd) {
        double d0 = 0, d1 = 0;
        for (int i = 0; i < dim; i++) {
            double sc = absTol + relTol * Math.abs(y[i]);
            d0 += (y[i] / sc) * (y[i] / sc);
            d1 += (k1[i] / sc) * (k1[i] / sc);
        }
        d0 = Math.sqrt(d0 / dim);
        d1 = Math.sqrt(d1 / dim);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, tEnd - t0);
        for (int i = 0; i < dim; i++) yStage[i] = y[i] + h0 * k1[i];
        f.derivative(t0 + h0, yStage, k2);
        evaluations++;
        double d2 = 0;
        for (int i = 0; i < dim; i++) {
            double sc = absTol + relTol * Math.abs(y[i]);
            double r = (k2[i] - k1[i]) / sc;
            d2 += r * r;
        }
        d2 = Math.sqrt(d2 / dim) / h0;
        double dm = Math.max(d1, d2);
        double h1 = dm <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dm, 0.2);
        double h = Math.min(100 * h0, h1);
        // A NaN (non-finite f at the start) becomes a tiny step, which then fails cleanly by underflow or the limit.
        return Double.isNaN(h) ? Math.ulp(t0) * 8 + Double.MIN_NORMAL : Math.min(h, tEnd - t0);
    }

    private void checkArguments(double t0, double[] y0, double[] saveTimes, double[] out) {
        if (y0 == null || y0.length != dim) {
            throw new IllegalArgumentException("y0 must have " + dim + " values, got " + (y0 == null ? "null" : y0.length));
        }
        if (!Double.isFinite(t0)) throw new IllegalArgumentException("t0 must be finite, got " + t0);
        if (saveTimes == null || saveTimes.length == 0) throw new IllegalArgumentException("no save times given");
        double prev = t0;
        for (int k = 0; k < saveTimes.length; k++) {
            double s = saveTimes[k];
            if (!Double.isFinite(s) || s < prev) {
                throw new IllegalArgumentException("save time " + k + " = " + s + " must be finite, >= t0 = " + t0
                        + " and >= the previous save time " + prev);
            }
            prev = s;
        }
        if (out == null || out.length < saveTimes.length * dim) {
            throw new IllegalArgumentException("out needs " + saveTimes.length * dim + " values, got "
                    + (out == null ? "null" : out.length));
        }
    }
}
