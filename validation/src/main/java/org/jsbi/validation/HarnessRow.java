package org.jsbi.validation;

import java.util.Locale;

/**
 * One scored (task, estimator, budget, observation): the C2ST against the reference posterior, the posterior
 * predictive median distance, and the time of each phase (simulation and training are shared by the observations of
 * one amortized training, and repeated on each of its rows).
 */
public record HarnessRow(String task, String estimator, int budget, int observation, double c2st,
                         double predictiveMedianDistance, double priorPredictiveMedianDistance, double acceptanceRate,
                         int excludedNonFinite, int epochs, double simulationSeconds, double trainingSeconds,
                         double samplingSeconds, double c2stSeconds) {

    static final String CSV_HEADER = "task,estimator,budget,observation,c2st,ppc_median_distance,"
            + "prior_predictive_median_distance,acceptance_rate,excluded_non_finite,epochs,simulation_s,training_s,"
            + "sampling_s,c2st_s";

    String toCsv() {
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.5g,%.5g,%.4f,%d,%d,%.2f,%.2f,%.2f,%.2f", task, estimator,
                budget, observation, c2st, predictiveMedianDistance, priorPredictiveMedianDistance, acceptanceRate,
                excludedNonFinite, epochs, simulationSeconds, trainingSeconds, samplingSeconds, c2stSeconds);
    }

    static HarnessRow parse(String line) {
        String[] f = line.split(",");
        if (f.length != 14) throw new IllegalArgumentException("a results row needs 14 fields, got " + f.length + ": " + line);
        return new HarnessRow(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4]),
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Integer.parseInt(f[8]),
                Integer.parseInt(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]), Double.parseDouble(f[12]),
                Double.parseDouble(f[13]));
    }

    /** The (task, estimator, budget, observation) this row scores. */
    String key() {
        return task + "/" + estimator + "/" + budget + "/" + observation;
    }
}
