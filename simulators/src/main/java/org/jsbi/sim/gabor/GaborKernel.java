package org.jsbi.sim.gabor;

/**
 * The paper's parameter transforms and the spatial Gabor filter (models/PAPER.md §2.2, code {@code kernels.Gabor}
 * with {@code normalize=True}), in float64.
 *
 * <p>Transformed θ (the simulator's input, prior N(μ, diag σ²)) in code order, and the natural parameters:
 * <pre>
 *   θ0 = bias β                                   β  = θ0
 *   θ1 = log gain                                 g  = e^θ1
 *   θ2 = log(φ/(π − φ))     (phase)               φ  = π / (1 + e^(−θ2))       ∈ (0, π)
 *   θ3 = log f              (spatial frequency)   f  = e^θ3
 *   θ4 = log(ψ/(2π − ψ))    (angle)               ψ  = 2π / (1 + e^(−θ4))      ∈ (0, 2π)
 *   θ5 = log r              (aspect ratio γ)      r  = e^θ5
 *   θ6 = log w              (width)               w  = e^θ6
 *   θ7 = log((1 + x)/(1 − x))                     x0 = tanh(θ7 / 2)            ∈ (−1, 1)
 *   θ8 = log((1 + y)/(1 − y))                     y0 = tanh(θ8 / 2)            ∈ (−1, 1)
 * </pre>
 * (the code's logit maps; the paper's l₀,π / l₀,₂π subscripts are swapped, PAPER.md §7 item 4 — the code is followed).
 *
 * <p>Filter on the 41 × 41 grid {@code axis = linspace(−1, 1, 41)}: pixel p = row·41 + col has g_x = axis[col],
 * g_y = axis[row] (NumPy meshgrid/ravel order). With dx = g_x − x0, dy = g_y − y0:
 * <pre>
 *   x′ = dx cos ψ − dy sin ψ,   y′ = dx sin ψ + dy cos ψ
 *   σ  = √(2 ln 2) / (2π f) · (2^w + 1)/(2^w − 1)          (the code's expression; PAPER.md §7 item 5)
 *   h  = g · exp(−(x′² + r² y′²)/(2σ²)) · cos(2π f x′ − φ) / √VOL
 *   VOL = 4πσ²/r · (0.5 + e^(−(2π f σ)²) · cos 2φ) / (4 dA),   dA = (2/40)²
 * </pre>
 * VOL is always positive: (2πfσ)² ≥ 2 ln 2, so e^(−(2πfσ)²) ≤ 1/4.
 */
public final class GaborKernel {

    public static final int SIDE = 41;
    public static final int PIXELS = SIDE * SIDE;
    static final double DA = (2.0 / (SIDE - 1)) * (2.0 / (SIDE - 1));

    private GaborKernel() {
    }

    /** The 9 natural parameters [β, g, φ, f, ψ, r, w, x0, y0] of transformed θ (code order). */
    public static double[] toNatural(float[] theta, int off) {
        return new double[] {
            theta[off],
            Math.exp(theta[off + 1]),
            Math.PI / (1 + Math.exp(-theta[off + 2])),
            Math.exp(theta[off + 3]),
            2 * Math.PI / (1 + Math.exp(-theta[off + 4])),
            Math.exp(theta[off + 5]),
            Math.exp(theta[off + 6]),
            Math.tanh(theta[off + 7] / 2.0),
            Math.tanh(theta[off + 8] / 2.0)};
    }

    /** The inverse of {@link #toNatural}. */
    public static float[] toTransformed(double[] n) {
        return new float[] {
            (float) n[0],
            (float) Math.log(n[1]),
            (float) Math.log(n[2] / (Math.PI - n[2])),
            (float) Math.log(n[3]),
            (float) Math.log(n[4] / (2 * Math.PI - n[4])),
            (float) Math.log(n[5]),
            (float) Math.log(n[6]),
            (float) Math.log((1 + n[7]) / (1 - n[7])),
            (float) Math.log((1 + n[8]) / (1 - n[8]))};
    }

    /**
     * The filter h (gain included) of transformed θ = theta[off .. off + 8] into h[0 .. 1680]; false when it is not
     * finite (extreme θ: a width or frequency that underflows, say).
     */
    public static boolean filter(float[] theta, int off, double[] h) {
        double[] n = toNatural(theta, off);
        double g = n[1], phi = n[2], f = n[3], psi = n[4], r = n[5], w = n[6], x0 = n[7], y0 = n[8];
        double pw = Math.pow(2, w);
        double sigma = Math.sqrt(2 * Math.log(2)) / (2 * Math.PI * f) * (pw + 1) / (pw - 1);
        double omega = 2 * Math.PI * f;
        double vol = 4 * Math.PI * sigma * sigma / r * (0.5 + Math.exp(-(omega * sigma) * (omega * sigma)) * Math.cos(2 * phi))
                / (4 * DA);
        double scale = g / Math.sqrt(vol);
        double c = Math.cos(psi), s = Math.sin(psi), inv2s2 = 1 / (2 * sigma * sigma);
        boolean finite = Double.isFinite(scale) && Double.isFinite(inv2s2);
        for (int row = 0; row < SIDE; row++) {
            double dy = axis(row) - y0;
            for (int col = 0; col < SIDE; col++) {
                double dx = axis(col) - x0;
                double xp = dx * c - dy * s, yp = dx * s + dy * c;
                double v = scale * Math.exp(-(xp * xp + r * r * yp * yp) * inv2s2) * Math.cos(omega * xp - phi);
                h[row * SIDE + col] = v;
                if (!Double.isFinite(v)) finite = false;
            }
        }
        return finite;
    }

    /** linspace(−1, 1, 41)[i]. */
    static double axis(int i) {
        return -1.0 + 2.0 * i / (SIDE - 1);
    }
}
