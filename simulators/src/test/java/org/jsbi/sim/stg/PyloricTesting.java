package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;

import org.jsbi.random.Rng;

/** Parameter sets for the pyloric simulator tests. */
final class PyloricTesting {

    private PyloricTesting() {
    }

    /**
     * n prior samples near the pyloric package's regression case (a bursting, pyloric-like circuit): membrane
     * conductances × U(0.9, 1.1) and synapses + U(−0.2, 0.2) ln mS, clipped to the prior's box. Uniform draws over the
     * whole box burst in only ~1% of cases, which would make a test of bursting networks cost a hundred times more.
     */
    static float[] nearRegressionCase(float[] center, int n, long seed) {
        Rng rng = new Rng(seed);
        float[] theta = new float[n * PARAMETERS];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < PARAMETERS; d++) {
                double v = d < NEURONS * CURRENTS ? center[d] * (0.9 + 0.2 * rng.nextDouble())
                        : center[d] + 0.4 * (rng.nextDouble() - 0.5);
                v = Math.max(PyloricNetwork.LOW[d], Math.min(PyloricNetwork.HIGH[d], v));
                theta[i * PARAMETERS + d] = (float) v;
            }
        }
        return theta;
    }

    /** The default Prinz neurons of the paper's setup (PM_4, LP_3, PY_4; mS/cm²) with the given synapses (mS). */
    static float[] defaultCircuit(double[] synapsesMs) {
        float[] t = {300, 2.5f, 2, 10, 5, 125, 0.01f, 0, 100, 0, 4, 20, 0, 25, 0.05f, 0.03f, 500, 2.5f, 2, 40, 0, 125,
            0.01f, 0.03f, 0, 0, 0, 0, 0, 0, 0};
        for (int k = 0; k < SYNAPSES; k++) t[NEURONS * CURRENTS + k] = (float) Math.log(synapsesMs[k]);
        return t;
    }
}
