package org.jsbi.sim.stg;

import org.jsbi.sim.math.Float32Math;

/**
 * The current noise of one pyloric network, a pure function of (seed, simulation index, neuron, step): the same numbers
 * in the scalar and SIMD simulators whatever the batching or thread count.
 *
 * <p>Step i (i = 1..439,999, computing sample i) of neuron j adds {@link PyloricModel#NOISE_SD}·ξ with ξ the standard
 * normal number g = i − 1 of neuron j's stream. Normals come in Philox4x32-10 blocks of four: block b = g / 4, slot
 * g mod 4, counter (low 32 bits of the simulation index, its high 32 bits, stream = j, b), key (low and high 32 bits of
 * the seed), words turned into normals by {@link Float32Math#philoxNormals} (two float32 Box–Muller pairs). The
 * simulation index is {@code batch.firstIndex() + row}.
 *
 * <p>The paper's code draws {@code numpy.random.RandomState(seed).normal(0, 0.001, (3, 440000))}; jsbi's stream has the
 * same distribution but other numbers, so a single noisy simulation is not reproduced value for value (the
 * regression test against the pyloric package states what that costs).
 */
final class PyloricNoise {

    private PyloricNoise() {
    }

    /** Steps per noise block of the simulators (16 Philox blocks per neuron). */
    static final int BLOCK = 64;

    /** The four normals of block b of neuron j into out[off .. off + 3]; words is scratch of 4 ints. */
    static void block(long seed, long simulationIndex, int neuron, int b, int[] words, float[] out, int off) {
        Float32Math.philoxNormals(seed, simulationIndex, neuron, b, words, out, off);
    }
}
