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
 * The benchmark's {@code sir} task (../shared/reference/TASKS.md): θ = (β, γ) with log β ~ N(log 0.4, 0.5²) and
 * log γ ~ N(log 0.125, 0.2²); the SIR ODE dS/dt = −βSI/N, dI/dt = βSI/N − γI, dR/dt = γI with N = 10⁶ from
 * (N − 1, 1, 0), solved by {@link Tsit5} at reltol = abstol = 1e-8; x_k ~ Binomial(1000, clamp(I(t_k)/N, 0, 1)) at
 * t_k = 0, 17, …, 153 (10 counts). A failed solve gives NaN data for that simulation.
 *
 * <p>Faithful details: I is rounded to float32 and divided by N in float32 before the draw, as the benchmark's
 * float32 tensors do. The benchmark integrated to t = 160 and saved every day; integrating to 153 only and
 * interpolating at the 10 kept times changes the kept values by far less than the tolerance.
 *
 * <p>Noise: simulation i's counts come from {@code new CounterRandom(seed, batch.firstIndex() + i, 0)}, drawn in
 * time order.
 */
public final class Sir extends SimulatorTask {

    public static final String NAME = "sir";
    static final double POPULATION = 1e6;
    static final int TRIALS = 1000;
    /** Every 17th day of the benchmark's daily saves. */
    static final double[] SAVE_TIMES = {0, 17, 34, 51, 68, 85, 102, 119, 136, 153};
    /** (S, I, R) at t = 0; read only. */
    private static final double[] INITIAL_STATE = {POPULATION - 1, 1, 0};
    private static final String[] PARAMETER_NAMES = {"β", "γ"};
    private static final int NOISE_STREAM = 0;

    private final LogNormal prior = Priors.logNormal(
            new double[] {Math.log(0.4), Math.log(0.125)}, new double[] {0.5, 0.2});

    private final int maxSteps;

    /** The benchmark's task. */
    public Sir() {
        this(Tsit5.DEFAULT_MAX_STEPS);
    }

    /** With another step limit per solve: lets tests make some solves fail. */
    Sir(int maxSteps) {
        super(NAME);
        this.maxSteps = maxSteps;
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public int dataDim() {
        return SAVE_TIMES.length;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        OdeTaskSupport.check(this, PARAMETER_NAMES, batch, out);
        Tsit5 solver = new Tsit5(3, 1e-8, 1e-8, maxSteps);   // the benchmark's tolerances
        Ode ode = new Ode();
        double[] states = new double[3 * SAVE_TIMES.length];
        int dx = dataDim();
        for (int i = 0; i < batch.count(); i++) {
            int o = i * dx;
            if (!solve(solver, ode, batch.get(i, 0), batch.get(i, 1), states)) {
                Arrays.fill(out, o, o + dx, Float.NaN);
                continue;
            }
            CounterRandom rng = new CounterRandom(seed, batch.firstIndex() + i, NOISE_STREAM);
            for (int k = 0; k < dx; k++) {
                float p = (float) states[3 * k + 1] / (float) POPULATION;
                p = Math.min(1f, Math.max(0f, p));
                out[o + k] = BinomialSampler.sample(TRIALS, p, rng);
            }
        }
    }

    /** (S, I, R) at {@link #SAVE_TIMES} into {@code states[3k ..]}; false (and NaN) when the solve failed. */
    static boolean solve(Tsit5 solver, Ode ode, double beta, double gamma, double[] states) {
        ode.beta = beta;
        ode.gamma = gamma;
        return solver.solve(ode, 0, INITIAL_STATE, SAVE_TIMES, states);
    }

    /** The SIR right-hand side for one parameter set. */
    static final class Ode implements OdeFunction {
        double beta;
        double gamma;

        @Override
        public void derivative(double t, double[] y, double[] dydt) {
            double infection = beta * y[0] * y[1] / POPULATION;
            double recovery = gamma * y[1];
            dydt[0] = -infection;
            dydt[1] = infection - recovery;
            dydt[2] = recovery;
        }
    }

    @Override
    public java.util.List<String> parameterNames() {
        return java.util.List.of(PARAMETER_NAMES);
    }
}
