package org.jsbi.sim.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The benchmark tasks by name, in the benchmark's order. Tasks are immutable and made once, on first use (some read
 * definition files), so {@link #names()} lists them without loading anything.
 */
public final class BenchmarkTasks {

    private static final Map<String, Supplier<BenchmarkTask>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(GaussianLinear.NAME, GaussianLinear::new);
        FACTORIES.put(GaussianLinearUniform.NAME, GaussianLinearUniform::new);
        FACTORIES.put(Slcp.NAME, Slcp::new);
        FACTORIES.put(SlcpDistractors.NAME, SlcpDistractors::new);
        FACTORIES.put(BernoulliGlm.NAME, BernoulliGlm::new);
        FACTORIES.put(BernoulliGlmRaw.NAME, BernoulliGlmRaw::new);
        FACTORIES.put(GaussianMixture.NAME, GaussianMixture::new);
        FACTORIES.put(TwoMoons.NAME, TwoMoons::new);
        FACTORIES.put(Sir.NAME, Sir::new);
        FACTORIES.put(LotkaVolterra.NAME, LotkaVolterra::new);
    }

    private static final Map<String, BenchmarkTask> MADE = new ConcurrentHashMap<>();

    private BenchmarkTasks() {
    }

    /** The known task names, in the benchmark's order. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * The task of that name ({@code two_moons}; case and '-' for '_' are forgiven); an unknown name is an error that
     * lists the known ones.
     */
    public static BenchmarkTask byName(String name) {
        if (name == null) throw new IllegalArgumentException("no benchmark task name given; known tasks: " + String.join(", ", names()));
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        Supplier<BenchmarkTask> factory = FACTORIES.get(key);
        if (factory == null) {
            throw new IllegalArgumentException("unknown benchmark task '" + name + "'; known tasks: " + String.join(", ", names()));
        }
        // A failed construction (e.g. a missing definition file) is not cached, so it is retried and reported again.
        return MADE.computeIfAbsent(key, k -> factory.get());
    }

    /** Every task, in the benchmark's order. */
    public static List<BenchmarkTask> all() {
        List<BenchmarkTask> tasks = new ArrayList<>();
        for (String n : FACTORIES.keySet()) tasks.add(byName(n));
        return List.copyOf(tasks);
    }
}
