package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;

/**
 * two_moons: θ_i ~ U(−1, 1); a ~ U(−π/2, π/2), r ~ N(0.1, 0.01²) and
 * x = (r cos a + 0.25 − |θ1+θ2|/√2, r sin a + (θ2−θ1)/√2), i.e. a half-circle of radius ≈ 0.1 shifted by θ rotated
 * by −π/4 with its first coordinate folded by |·| (which makes the posterior two crescents).
 */
public final class TwoMoons extends SimulatorTask {

    public static final String NAME = "two_moons";
    static final double RADIUS_MEAN = 0.1;
    static final double RADIUS_SD = 0.01;
    static final double OFFSET = 0.25;
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

    private final Prior prior = Priors.boxUniform(2, -1.0, 1.0);

    public TwoMoons() {
        super(NAME);
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public int dataDim() {
        return 2;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        batch.check(this);
        TaskSupport.checkOutput(this, batch, out);
        float[] v = batch.values();
        for (int i = 0; i < batch.count(); i++) {
            // Draw order a, then r, as sbibm samples them; fixed so other backends can match draw for draw.
            CounterRandom rng = new CounterRandom(seed, batch.firstIndex() + i, 0);
            double a = Math.PI * (rng.nextDouble() - 0.5);
            double r = RADIUS_MEAN + RADIUS_SD * rng.nextGaussian();
            double t1 = v[2 * i], t2 = v[2 * i + 1];
            out[2 * i] = (float) (r * Math.cos(a) + OFFSET - Math.abs(t1 + t2) * INV_SQRT2);
            out[2 * i + 1] = (float) (r * Math.sin(a) + (t2 - t1) * INV_SQRT2);
        }
    }

}
