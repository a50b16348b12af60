package org.jsbi.bench;

import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.simd.SimdBackend;

/**
 * Backends by the name a benchmark parameter gives. Built directly rather than through selection, so a benchmark
 * measures the backend it names even where another would be preferred.
 */
final class BenchBackends {

    private BenchBackends() {
    }

    static Backend create(String name) {
        return switch (name) {
            case "scalar" -> new ScalarBackend();
            case "simd" -> new SimdBackend();
            default -> throw new IllegalArgumentException("backend must be scalar or simd, got '" + name + "'");
        };
    }
}
