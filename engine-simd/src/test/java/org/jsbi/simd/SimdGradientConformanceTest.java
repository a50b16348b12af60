package org.jsbi.simd;

import org.jsbi.autodiff.GradientConformanceSuite;
import org.jsbi.backend.Backend;

/**
 * The SIMD backend's forward values and gradients against the scalar reference ({@link GradientConformanceSuite}:
 * every autodiff op, an MLP, the MAF and MDN NPE losses); surefire runs this at the native width, 128 and 256 bits.
 */
class SimdGradientConformanceTest extends GradientConformanceSuite {

    private final Backend backend = new SimdBackend();

    @Override
    protected Backend candidate() {
        return backend;
    }

    @Override
    protected String describeCandidate() {
        return "simd " + SimdConfig.bits() + "-bit, " + SimdConfig.LANES + " lanes";
    }
}
