package org.jsbi.sim.hh;

import org.jsbi.random.Philox;
import org.jsbi.sim.math.Float32Math;

/**
 * The noise of one HH simulation, a pure function of (seed, simulation index, step) — the same numbers in the scalar,
 * SIMD and CUDA simulators, whatever the batching or thread count.
 *
 * <p>Step s (s = 1..12,000, computing sample s) uses the standard normal ξ number g = s − 1. Normals come in blocks of
 * four: block b = g / 4 (integer division), slot g mod 4. Block b is Philox4x32-10 ({@link Philox#block}) with
 * <ul>
 *   <li>counter (c0, c1, c2, c3) = (low 32 bits of the simulation index, its high 32 bits, {@link #STREAM} = 0, b),</li>
 *   <li>key (k0, k1) = (low 32 bits of the seed, its high 32 bits),</li>
 * </ul>
 * giving words (w0, w1, w2, w3); slots (0, 1) = {@link Float32Math#boxMuller}(w0, w1) and slots (2, 3) =
 * {@link Float32Math#boxMuller}(w2, w3). This is {@link org.jsbi.random.CounterRandom}'s counter layout (simulation
 * index, stream, block) with a float32 Box–Muller on 24-bit uniforms instead of its double one, four normals per block.
 * The simulation index is {@code batch.firstIndex() + row}.
 */
final class HhNoise {

    /** The Philox stream (counter word c2) of the HH current noise. */
    static final int STREAM = 0;

    private HhNoise() {
    }

    /** The four normals of block b into out[off .. off + 3]; words is scratch of 4 ints. */
    static void block(long seed, long simulationIndex, int b, int[] words, float[] out, int off) {
        Float32Math.philoxNormals(seed, simulationIndex, STREAM, b, words, out, off);
    }
}
