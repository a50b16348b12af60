package org.jsbi.validation;

import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/**
 * A stand-in for the pyloric network with its dimensions (31 parameters, 29 outputs) and none of its cost: feature j
 * (j &lt; 18) is x_o[j]·(1 + 0.2·u_j), u_j ∈ [−1, 1] the position of parameter j in its prior range, so x_o lies
 * in the middle of the data; feature 5 (column 4) is NaN — "not triphasic" — when parameter 0 lies in the lower
 * {@code nanShare} of its range. Deterministic (no noise).
 */
final class SyntheticPyloric implements Simulator {

    static final float[] XO = {1170.86f, 206.04f, 214.31f, 412.84f, 275.16f, 42.05f, 481.93f, 738.28f, 0.1760f,
        0.1830f, 0.3526f, 0.2350f, 0.0359f, 0.4116f, 0.6305f, 2.5f, 2.5f, 2.5f};

    private final String name;
    private final int dataDim;
    private final double nanShare;
    private final double[] low = PyloricNetwork.prior().low(), high = PyloricNetwork.prior().high();

    SyntheticPyloric(String name, int dataDim, double nanShare) {
        this.name = name;
        this.dataDim = dataDim;
        this.nanShare = nanShare;
    }

    /** As the example's stores: 29 outputs, half the rows triphasic. */
    static SyntheticPyloric store() {
        return new SyntheticPyloric("synthetic-pyloric", PyloricNetwork.Outputs.EXTRAS.count(), 0.5);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int parameterDim() {
        return 31;
    }

    @Override
    public int dataDim() {
        return dataDim;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        float[] t = batch.values();
        for (int i = 0; i < batch.count(); i++) {
            int o = i * dataDim, p = i * 31;
            for (int j = 0; j < dataDim; j++) {
                if (j < 18) {
                    double u = 2 * (t[p + j] - low[j]) / (high[j] - low[j]) - 1;
                    out[o + j] = (float) (XO[j] * (1 + 0.2 * u));
                } else {
                    out[o + j] = 0f;
                }
            }
            if ((t[p] - low[0]) / (high[0] - low[0]) < nanShare) out[o + PyloricSimulation.TRIPHASIC_COLUMN] = Float.NaN;
        }
    }
}
