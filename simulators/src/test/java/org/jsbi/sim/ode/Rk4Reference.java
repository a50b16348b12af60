package org.jsbi.sim.ode;

/**
 * A fixed-step classical Runge–Kutta 4 solve, independent of {@link Tsit5}: the reference the adaptive solver is
 * compared with. Each interval between save times is
 * split into equal steps of at most h, so the save times are hit without interpolation.
 */
public final class Rk4Reference {

    private Rk4Reference() {
    }

    /** y at each save time, {@code [k * dim + i]}. */
    public static double[] solve(OdeFunction f, double t0, double[] y0, double h, double[] saveTimes) {
        int n = y0.length;
        double[] y = y0.clone(), out = new double[saveTimes.length * n];
        double[] k1 = new double[n], k2 = new double[n], k3 = new double[n], k4 = new double[n], tmp = new double[n];
        double t = t0;
        for (int s = 0; s < saveTimes.length; s++) {
            double t1 = saveTimes[s];
            long steps = Math.max(0, (long) Math.ceil((t1 - t) / h - 1e-9));
            double dt = steps == 0 ? 0 : (t1 - t) / steps;
            for (long j = 0; j < steps; j++) {
                double tj = t + j * dt;   // from the interval start, so rounding does not accumulate in t
                f.derivative(tj, y, k1);
                for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * dt * k1[i];
                f.derivative(tj + 0.5 * dt, tmp, k2);
                for (int i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * dt * k2[i];
                f.derivative(tj + 0.5 * dt, tmp, k3);
                for (int i = 0; i < n; i++) tmp[i] = y[i] + dt * k3[i];
                f.derivative(tj + dt, tmp, k4);
                for (int i = 0; i < n; i++) y[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
            t = t1;
            System.arraycopy(y, 0, out, s * n, n);
        }
        return out;
    }
}
