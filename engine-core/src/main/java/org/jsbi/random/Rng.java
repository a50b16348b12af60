package org.jsbi.random;

import java.util.SplittableRandom;

/**
 * The host-side random source for initialisation, shuffling and small draws: seeded, reproducible, splittable.
 * (Simulators use counter-based streams so results do not depend on chunking; that generator comes with them.)
 *
 * <p>Not thread-safe (a {@link SplittableRandom}): threads sharing one race on its state and draw numbers that depend
 * on their timing; give each thread its own, from a seed or {@link #split()}.
 */
public final class Rng {

    private final SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** An independent generator, for handing to a sub-task. */
    public Rng split() {
        return new Rng(random.split());
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in [low, high). */
    public double uniform(double low, double high) {
        return random.nextDouble(low, high);
    }

    public double nextGaussian() {
        return random.nextGaussian();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        return permutation(new int[n]);
    }

    /** {@link #permutation(int)} of p.length written into p (the same permutation from the same state), returned. */
    public int[] permutation(int[] p) {
        int n = p.length;
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
