package org.jsbi.nn;

import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;

class ScalarMlpLearningTest extends MlpLearningSuite {
    @Override
    protected Backend backend() {
        return new ScalarBackend();
    }
}
