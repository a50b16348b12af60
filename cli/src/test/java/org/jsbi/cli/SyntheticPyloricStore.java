package org.jsbi.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.Simulator;
import org.jsbi.simulation.StoreConfig;
import org.jsbi.validation.PyloricSimulation;

/**
 * Stores for the CLI tests made by a cheap stand-in with the pyloric network's dimensions (31 parameters, 29 outputs)
 * and the paper's prior: feature j (j &lt; 18) is x_o[j]·(1 + 0.2·u_j), u_j ∈ [−1, 1] the position of parameter j in
 * its prior range, so x_o lies in the middle of the data; feature 5 is NaN ("not triphasic") when parameter 0 lies in
 * the lower half of its range.
 */
final class SyntheticPyloricStore implements Simulator {

    private static final float[] XO = {1170.86f, 206.04f, 214.31f, 412.84f, 275.16f, 42.05f, 481.93f, 738.28f,
        0.1760f, 0.1830f, 0.3526f, 0.2350f, 0.0359f, 0.4116f, 0.6305f, 2.5f, 2.5f, 2.5f};
    private final double[] low = PyloricNetwork.prior().low(), high = PyloricNetwork.prior().high();

    /** A complete store of n synthetic networks, about half of them triphasic. */
    static Path make(Path dir, int n, long seed) throws IOException {
        SyntheticPyloricStore sim = new SyntheticPyloricStore();
        SimulationStore.create(dir, sim, PyloricNetwork.prior(), n, StoreConfig.defaults().withChunkSize(256)
                .withSeed(seed).withGoodRow(PyloricSimulation.TRIPHASIC)).run(sim, PyloricNetwork.prior(), null);
        return dir;
    }

    @Override
    public String name() {
        return "synthetic-pyloric";
    }

    @Override
    public int parameterDim() {
        return 31;
    }

    @Override
    public int dataDim() {
        return PyloricNetwork.Outputs.EXTRAS.count();
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        float[] t = batch.values();
        int d = dataDim();
        for (int i = 0; i < batch.count(); i++) {
            for (int j = 0; j < d; j++) {
                double u = j < 18 ? 2 * (t[i * 31 + j] - low[j]) / (high[j] - low[j]) - 1 : 0;
                out[i * d + j] = j < 18 ? (float) (XO[j] * (1 + 0.2 * u)) : 0f;
            }
            if (t[i * 31] < 0.5 * (low[0] + high[0])) out[i * d + PyloricSimulation.TRIPHASIC_COLUMN] = Float.NaN;
        }
    }
}
