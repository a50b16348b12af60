package org.jsbi.sim.gabor;

import org.jsbi.backend.Parallel;
import org.jsbi.random.CounterRandom;

/**
 * The fixed white-noise stimulus: {@link Gabor#BINS} frames of 41 × 41 standard-normal pixels (the code's
 * {@code randn(len(t), 41*41)}), row-major float32, frame t at [t·1681, (t + 1)·1681). Frame t is drawn from
 * {@link CounterRandom}(stimulusSeed, t, {@link #STREAM}) by its Box–Muller normals in pixel order, so the stimulus is
 * a pure function of its seed (80 MB; generated once per seed on {@link org.jsbi.backend.Parallel}'s threads and
 * cached). The paper's own stimulus came from delfi's NumPy seeding, which is not recoverable here.
 */
final class GaborStimulus {

    static final int STREAM = 1;

    private static volatile Object[] cache;   // {Long seed, float[] frames}

    private GaborStimulus() {
    }

    static float[] get(long stimulusSeed) {
        Object[] c = cache;
        if (c != null && (Long) c[0] == stimulusSeed) return (float[]) c[1];
        synchronized (GaborStimulus.class) {
            c = cache;
            if (c != null && (Long) c[0] == stimulusSeed) return (float[]) c[1];
            float[] s = generate(stimulusSeed);
            cache = new Object[] {stimulusSeed, s};
            return s;
        }
    }

    static float[] generate(long stimulusSeed) {
        int p = GaborKernel.PIXELS;
        float[] s = new float[Gabor.BINS * p];
        Parallel.forRange(Gabor.BINS, 64, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                CounterRandom rng = new CounterRandom(stimulusSeed, t, STREAM);
                for (int k = 0; k < p; k++) s[t * p + k] = (float) rng.nextGaussian();
            }
        });
        return s;
    }
}
