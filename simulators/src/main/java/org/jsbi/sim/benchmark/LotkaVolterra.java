package org.jsbi.sim.benchmark;

import java.util.Arrays;
import org.jsbi.dist.LogNormal;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.random.CounterRandom;
import org.jsbi.sim.ode.OdeFunction;
import org.jsbi.sim.ode.Tsit5;
import org.jsbi.simulation.ParameterBatch;

/**
 * The benchmark's {@code lotka_volterra} task (../shared/reference/TASKS.md): θ = (α, β, γ, δ), independent
 * log-normals with log-means (−0.125, −3, −0.125, −3) and sd 0.5; prey dx/dt = αx − βxy, predator
 * dy/dt = −γy + δxy from (30, 1), solved by {@link Tsit5} at reltol = abstol = 1e-8; data
 * x = [prey at t = 0, 2.1, …, 18.9; predator at the same times], each ~ LogNormal(log(clamp(u, 1e-10, 1e4)), 0.1).
 * A failed solve gives NaN data for that simulation.
 *
 * <p>The solution is rounded to float32 before the noise, as in the benchmark. Noise: simulation i's draws come
 * from {@code new CounterRandom(seed, batch.firstIndex() + i, 0)}, one standard normal per value in data order.
 */
public final class LotkaVolterra extends SimulatorTask {

    public static final String NAME = "lotka_volterra";
    static final int TIMES = 10;
    /** Every 21st of the benchmark's saves at 0.1 spacing: t = 2.1·k, rounded as 21k/10. */
    static final double[] SAVE_TIMES = new double[TIMES];
    static final double NOISE_SD = 0.1;
    private static final double[] INITIAL_STATE = {30, 1};
    private static final String[] PARAMETER_NAMES = {"α", "β", "γ", "δ"};
    private static final int NOISE_STREAM = 0;

    static {
        for (int k = 0; k < TIMES; k++) SAVE_TIMES[k] = 21 * k / 10.0;
    }

    private final LogNormal prior = Priors.logNormal(
            new double[] {-0.125, -3.0, -0.125, -3.0}, new double[] {0.5, 0.5, 0.5, 0.5});

    private final int maxSteps;

    /** The benchmark's task. */
    public LotkaVolterra() {
        this(Tsit5.DEFAULT_MAX_STEPS);
    }

    /** With another step limit per solve: lets tests make some solves fail. */
    LotkaVolterra(int maxSteps) {
        super(NAME);
        this.maxSteps = maxSteps;
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public int dataDim() {
        return 2 * TIMES;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        OdeTaskSupport.check(this, PARAMETER_NAMES, batch, out);
        Tsit5 solver = new Tsit5(2, 1e-8, 1e-8, maxSteps);   // the benchmark's tolerances
        Ode ode = new Ode();
        double[] states = new double[2 * TIMES];
        int dx = dataDim();
        for (int i = 0; i < batch.count(); i++) {
            int o = i * dx;
            if (!solve(solver, ode, batch.get(i, 0), batch.get(i, 1), batch.get(i, 2), batch.get(i, 3), states)) {
                Arrays.fill(out, o, o + dx, Float.NaN);
                continue;
            }
            CounterRandom rng = new CounterRandom(seed, batch.firstIndex() + i, NOISE_STREAM);
            for (int species = 0; species < 2; species++) {
                for (int k = 0; k < TIMES; k++) {
                    float u = (float) states[2 * k + species];
                    double location = Math.log(Math.min(1e4, Math.max(1e-10, u)));
                    out[o + species * TIMES + k] = (float) Math.exp(location + NOISE_SD * rng.nextGaussian());
                }
            }
        }
    }

    /** (prey, predator) at {@link #SAVE_TIMES} into {@code states[2k ..]}; false (and NaN) when the solve failed. */
    static boolean solve(Tsit5 solver, Ode ode, double alpha, double beta, double gamma, double delta, double[] states) {
        ode.alpha = alpha;
        ode.beta = beta;
        ode.gamma = gamma;
        ode.delta = delta;
        return solver.solve(ode, 0, INITIAL_STATE, SAVE_TIMES, states);
    }

    /** The Lotka–Volterra right-hand side for one parameter set. */
    static final class Ode implements OdeFunction {
        double alpha;
        double beta;
        double gamma;
        double delta;

        @Override
        public void derivative(double t, double[] y, double[] dydt) {
            double prey = y[0], predator = y[1];
            dydt[0] = alpha * prey - beta * prey * predator;
            dydt[1] = -gamma * predator + delta * prey * predator;
        }
    }

    @Override
    public java.util.List<String> parameterNames() {
        return java.util.List.of(PARAMETER_NAMES);
    }
}
