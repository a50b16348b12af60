package org.jsbi.sim;

import org.jsbi.simulation.ParameterBatch;

/**
 * The input checks the batched simulators (Hodgkin–Huxley, ion channel, GLM, Gabor) share: each throws an
 * {@link IllegalArgumentException} whose message starts with the model's name and, for a bad value, names the
 * parameter ({@code "<model>: parameter <name> (index d) of set i is x<reason>"}).
 */
public final class ParameterChecks {

    private ParameterChecks() {
    }

    /** The batch must be given and hold at least one parameter set. */
    public static void nonEmpty(String model, ParameterBatch batch) {
        if (batch == null) throw new IllegalArgumentException(model + ": the parameter batch is null");
        if (batch.count() == 0) throw new IllegalArgumentException(model + ": the batch is empty; nothing to simulate");
    }

    /**
     * The batch must have dim values per set, else "{@code <model> takes <dim> <what> but the batch has n per set}";
     * what describes the parameters (e.g. "parameters (b0, h1..h9)").
     */
    public static void dimension(String model, ParameterBatch batch, int dim, String what) {
        if (batch.dim() != dim) {
            throw new IllegalArgumentException(model + " takes " + dim + " " + what + " but the batch has " + batch.dim()
                    + " per set");
        }
    }

    /** Every value must be finite; the first that is not is reported by its name in names. */
    public static void finite(String model, ParameterBatch batch, String[] names) {
        float[] v = batch.values();
        int dim = batch.dim();
        for (int i = 0; i < batch.count() * dim; i++) {
            if (!Float.isFinite(v[i])) {
                throw badParameter(model, names, i % dim, batch.firstIndex() + i / dim, v[i],
                        "; parameters must be finite");
            }
        }
    }

    /**
     * Every value d of every set must lie in [(float) low[d], (float) high[d]], else "… is x, outside the prior's
     * support [low, high]".
     */
    public static void insideSupport(String model, ParameterBatch batch, String[] names, double[] low, double[] high) {
        float[] v = batch.values();
        int dim = batch.dim();
        for (int i = 0; i < batch.count(); i++) {
            for (int d = 0; d < dim; d++) {
                float x = v[i * dim + d];
                if (x < (float) low[d] || x > (float) high[d]) {
                    throw badParameter(model, names, d, batch.firstIndex() + i, x,
                            ", outside the prior's support [" + low[d] + ", " + high[d] + "]");
                }
            }
        }
    }

    /** "{@code <model>: parameter <names[d]> (index d) of set <set> is <value><reason>}". */
    public static IllegalArgumentException badParameter(String model, String[] names, int d, long set, float value,
                                                        String reason) {
        return new IllegalArgumentException(model + ": parameter " + names[d] + " (index " + d + ") of set " + set
                + " is " + value + reason);
    }

    /** out must be given and hold count · perSimulation values. */
    public static void output(String model, int count, int perSimulation, float[] out) {
        long need = (long) count * perSimulation;
        if (out == null || out.length < need) {
            throw new IllegalArgumentException(model + ": the output needs " + need + " values for " + count
                    + " simulations, got " + (out == null ? "null" : out.length));
        }
    }
}
