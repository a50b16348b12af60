package org.jsbi.sim.stg;

import java.util.Arrays;

/**
 * The result of {@link PyloricFeatures#fromTraces}: the 18 features, the extras, the outcome, each neuron's class and
 * kept bursts (for plots). Arrays are copies owned by this record; do not modify them.
 *
 * @param features      the 18 features in {@link PyloricFeatures#FEATURE_NAMES} order
 * @param extras        {@link PyloricFeatures#EXTRA_NAMES}: pyloric_like (0/1), kept bursts ×3, spikes ×3, the
 *                      LP→PY start delay
 * @param outcome       why the gap/delay/phase features are (not) defined
 * @param classes       per neuron (PM, LP, PY)
 * @param burstStartsMs per neuron, the kept bursts' start times (ms, with the paper's one-sample-early spike times)
 * @param burstEndsMs   per neuron, the kept bursts' end times (ms)
 */
public record PyloricSummary(double[] features, double[] extras, PyloricOutcome outcome, NeuronClass[] classes,
                             double[][] burstStartsMs, double[][] burstEndsMs) {

    public double feature(int i) {
        return features[i];
    }

    public boolean pyloricLike() {
        return extras[PyloricFeatures.EXTRA_PYLORIC_LIKE] == 1.0;
    }

    /** The 24 values in the {@code pyloric} package's order ({@link PyloricFeatures#PYLORIC_PACKAGE_NAMES}). */
    public double[] pyloricPackageOrder() {
        double[] out = new double[PyloricFeatures.PYLORIC_PACKAGE_COUNT];
        PyloricFeatures.pyloricPackageOrder(features, 0, extras, 0, out, 0);
        return out;
    }

    @Override
    public String toString() {
        return "PyloricSummary[" + outcome + ", classes " + Arrays.toString(classes) + ", features "
                + Arrays.toString(features) + ", extras " + Arrays.toString(extras) + "]";
    }
}
