package org.jsbi.cli;

import java.util.ArrayList;
import java.util.List;
import org.jsbi.dist.Prior;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.sim.gabor.Gabor;
import org.jsbi.sim.glm.Glm;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.simulation.Simulator;

/**
 * The simulators {@code jsbi simulate} runs and {@code jsbi train --store} trains on, by the name their stores record
 * ({@link Simulator#name()}): the benchmark tasks and the paper's Hodgkin–Huxley, GLM and Gabor models, each with its
 * prior and its default settings. (The pyloric network has its own commands; the ion-channel model needs a PCA basis
 * built for a study, so it is driven from Java.)
 */
final class BuiltInModels {

    /**
     * A simulator with the prior its parameters are drawn from, their names (theta_1, ... where it has none) and its
     * data's (x_1, ... where it has none).
     */
    record Model(String name, Simulator simulator, Prior prior, List<String> parameterNames, List<String> dataNames) {

        Model {
            if (parameterNames.size() != simulator.parameterDim() || dataNames.size() != simulator.dataDim()) {
                throw new IllegalStateException(name + " names " + parameterNames.size() + " parameters and "
                        + dataNames.size() + " features for " + simulator.parameterDim() + " and "
                        + simulator.dataDim());
            }
        }

        Model(String name, Simulator simulator, Prior prior, List<String> parameterNames) {
            this(name, simulator, prior, parameterNames, numbered("x_", simulator.dataDim()));
        }
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) names.add(prefix + i);
        return List.copyOf(names);
    }

    private static final List<String> NEURON_MODELS = List.of(HodgkinHuxley.NAME, Glm.NAME, Gabor.NAME);

    private BuiltInModels() {
    }

    static List<String> names() {
        List<String> names = new ArrayList<>(BenchmarkTasks.names());
        names.addAll(NEURON_MODELS);
        return names;
    }

    /** The model of that name; an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    static Model byName(String name) {
        switch (name == null ? "" : name) {
            case HodgkinHuxley.NAME -> {
                return new Model(name, HodgkinHuxley.withDefaults(), HodgkinHuxley.prior(),
                        List.of(HodgkinHuxley.PARAMETER_NAMES), List.of(HodgkinHuxley.FEATURE_NAMES));
            }
            case Glm.NAME -> {
                return new Model(name, Glm.withDefaults(), Glm.prior(), List.of(Glm.PARAMETER_NAMES),
                        List.of(Glm.FEATURE_NAMES));
            }
            case Gabor.NAME -> {
                return new Model(name, Gabor.withDefaults(), Gabor.prior(), List.of(Gabor.PARAMETER_NAMES));
            }
            default -> {
                if (!BenchmarkTasks.names().contains(name)) {
                    throw new IllegalArgumentException("unknown model '" + name + "'; jsbi simulates "
                            + String.join(", ", names()));
                }
                BenchmarkTask t = BenchmarkTasks.byName(name);
                return new Model(name, t.simulator(), t.prior(), t.parameterNames());
            }
        }
    }
}
