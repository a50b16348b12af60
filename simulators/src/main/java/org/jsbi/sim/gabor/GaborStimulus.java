package org.jsbi.sim.gabor;

import java.lang.ref.SoftReference;
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

    /**
     * The last seed's stimulus, softly held: 80 MB that a long-running process which ran one Gabor simulation would
     * otherwise keep for good; when the collector has reclaimed it, the next call generates it again, the same values.
     */
    private static volatile Cached cache;

    private record Cached(long seed, SoftReference<float[]> frames) {
    }

    private GaborStimulus() {
    }

    static float[] get(long stimulusSeed) {
        float[] s = cached(stimulusSeed);
        if (s != null) return s;
        synchronized (GaborStimulus.class) {
            s = cached(stimulusSeed);
            if (s != null) return s;
            s = generate(stimulusSeed);
            cache = new Cached(stimulusSeed, new SoftReference<>(s));
            return s;
        }
    }

    /** What the collector does to the stimulus under memory pressure (for tests). */
    static void releaseForTest() {
        Cached c = cache;
        if (c != null) c.frames().clear();
    }

    private static float[] cached(long stimulusSeed) {
        Cached c = cache;
        return c != null && c.seed() == stimulusSeed ? c.frames().get() : null;
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
