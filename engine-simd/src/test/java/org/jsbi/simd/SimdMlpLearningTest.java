package org.jsbi.simd;

import org.jsbi.backend.Backend;
import org.jsbi.nn.MlpLearningSuite;

class SimdMlpLearningTest extends MlpLearningSuite {
    @Override
    protected Backend backend() {
        return new SimdBackend();
    }
}
