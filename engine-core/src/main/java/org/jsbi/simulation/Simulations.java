package org.jsbi.simulation;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.Prior;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.random.Rng;

/**
 * Runs a simulator over many parameter sets: in waves spread over the {@link Parallel} pool, with progress between
 * waves, and interruptible between waves without losing finished work. Results depend only on the seed, never on
 * the wave size or thread count, because each simulation's noise is keyed by its global index.
 *
 * <p>A simulator that stops on an interrupt by throwing (with the thread's interrupt status set, or an
 * {@link InterruptedException} as a cause) ends the run as an interrupt between waves does. Any other exception of the
 * simulator propagates, and the run's finished simulations go with it: a simulation that fails should write NaN into
 * its row instead (see {@link Simulator}), and a run too long to repeat belongs in a {@link SimulationStore}, which
 * keeps every chunk finished before a failure. A simulator that leaves part of its output unwritten, or writes past
 * it, is an {@link IllegalStateException} that says so.
 */
public final class Simulations {

    /** Simulations per wave and thread: large enough to amortise dispatch, small enough for timely progress. */
    static final int CHUNK = 512;

    private Simulations() {
    }

    /** Draws n parameter sets from the prior (seeded) and simulates them. */
    public static SimulationSet run(Simulator sim, Prior prior, int n, long seed) {
        return run(sim, prior, n, seed, SimulationListener.NONE);
    }

    public static SimulationSet run(Simulator sim, Prior prior, int n, long seed, SimulationListener listener) {
        if (sim == null || prior == null) throw new IllegalArgumentException("simulator and prior must be given");
        if (n < 1) throw new IllegalArgumentException("the number of simulations must be >= 1, got " + n);
        if (prior.dim() != sim.parameterDim()) {
            throw new IllegalArgumentException("the prior has dimension " + prior.dim() + " but " + sim.name() + " takes "
                    + sim.parameterDim() + " parameters");
        }
        float[][] theta = drawParameters(prior, n, seed);
        float[][] x = new float[n][];
        long t0 = System.nanoTime();
        int wave = CHUNK * Parallel.threads();
        int done = 0;
        long nonFinite = 0;
        while (done < n) {
            if (Thread.currentThread().isInterrupted()) {
                throw new SimulationInterruptedException(keepFinite(theta, x, done));
            }
            int count = Math.min(wave, n - done);
            try {
                simulateRows(sim, theta, done, count, seed, x);
            } catch (RuntimeException e) {
                if (!interruptedBy(e)) throw e;
                Thread.currentThread().interrupt();
                throw new SimulationInterruptedException(keepFinite(theta, x, done), e);
            }
            for (int i = done; i < done + count; i++) {
                if (!allFinite(x[i])) nonFinite++;
            }
            done += count;
            listener.progress(done, n, nonFinite, (System.nanoTime() - t0) * 1e-9);
        }
        return keepFinite(theta, x, n);
    }

    /**
     * The prior's n draws, from a stream separate from the simulator's noise (which is keyed by seed and index). A
     * prior that samples by rejection (a truncated prior) can take long and stops on an interrupt; that ends the run
     * as an interrupt between waves does, here before any simulation.
     */
    private static float[][] drawParameters(Prior prior, int n, long seed) {
        try {
            return prior.sample(n, new Rng(seed ^ 0x5DEECE66DL));
        } catch (SamplingIncompleteException e) {
            if (!e.interrupted()) throw e;
            throw new SimulationInterruptedException(new SimulationSet(new float[0][], new float[0][], 0), e);
        }
    }

    /**
     * Simulates the given parameter sets (numbered from 0 for the noise), keeping non-finite rows as they are; for
     * posterior predictive checks.
     */
    public static float[][] simulate(Simulator sim, float[][] theta, long seed) {
        if (theta == null || theta.length == 0) throw new IllegalArgumentException("no parameter sets to simulate");
        float[][] x = new float[theta.length][];
        simulateRows(sim, theta, 0, theta.length, seed, x);
        return x;
    }

    private static void simulateRows(Simulator sim, float[][] theta, int first, int count, long seed, float[][] x) {
        int d = sim.parameterDim(), xd = sim.dataDim();
        Parallel.forRange(count, 64, 8, (from, to) -> {
            int m = to - from;
            float[] values = new float[m * d];
            for (int i = 0; i < m; i++) {
                float[] row = theta[first + from + i];
                if (row.length != d) {
                    throw new IllegalArgumentException("parameter set " + (first + from + i) + " has " + row.length
                            + " values but " + sim.name() + " takes " + d);
                }
                System.arraycopy(row, 0, values, i * d, d);
            }
            ParameterBatch batch = new ParameterBatch(values, m, d, first + from);
            batch.check(sim);
            float[] out = new float[m * xd];
            simulateChecked(sim, batch, seed, out);
            for (int i = 0; i < m; i++) {
                float[] r = new float[xd];
                System.arraycopy(out, i * xd, r, 0, xd);
                x[first + from + i] = r;
            }
        });
    }

    /**
     * What {@code out} holds before the simulator writes it: a NaN that neither arithmetic nor {@link Float#NaN} gives
     * (only a value computed from it carries its bits), so that a value still holding it was not written.
     */
    private static final int UNWRITTEN = 0x7fd1_5e71;

    /**
     * Calls {@code sim.simulate(batch, seed, out)} on {@code out} of exactly {@code batch.count() * sim.dataDim()}
     * values, and fails clearly where the simulator did not write all of them or wrote past them: either would
     * otherwise be zeros, or another row's values, taken for data.
     */
    static void simulateChecked(Simulator sim, ParameterBatch batch, long seed, float[] out) {
        int xd = sim.dataDim();
        Arrays.fill(out, Float.intBitsToFloat(UNWRITTEN));
        try {
            sim.simulate(batch, seed, out);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalStateException(sim.name() + ".simulate went out of bounds (" + e.getMessage() + ") on a"
                    + " batch of " + batch.count() + " parameter sets: out holds count × dataDim() = " + batch.count()
                    + " × " + xd + " = " + out.length + " values and the batch count × parameterDim() = "
                    + batch.count() + " × " + batch.dim() + "; check that dataDim() is the number of values the"
                    + " simulator writes per set", e);
        }
        for (int k = 0; k < out.length; k++) {
            if (Float.floatToRawIntBits(out[k]) == UNWRITTEN) {
                int unwritten = 0;
                for (float v : out) if (Float.floatToRawIntBits(v) == UNWRITTEN) unwritten++;
                throw new IllegalStateException(sim.name() + ".simulate left " + unwritten + " of the " + out.length
                        + " output values of a batch of " + batch.count() + " parameter sets unwritten (the first: value "
                        + (k % xd) + " of set " + (batch.firstIndex() + k / xd) + "); it must write dataDim() = " + xd
                        + " values for every set, row i at out[i * " + xd + "] (NaN where a simulation fails); out is"
                        + " not cleared before the call, so set each value rather than add to it");
            }
        }
    }

    /**
     * Whether a simulator's exception is its way of stopping on an interrupt: the thread is interrupted, or an
     * {@link InterruptedException} (which clears the interrupt status) is among its causes.
     */
    static boolean interruptedBy(Throwable e) {
        if (Thread.currentThread().isInterrupted()) return true;
        Throwable t = e;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    private static boolean allFinite(float[] v) {
        for (float f : v) {
            if (!Float.isFinite(f)) return false;
        }
        return true;
    }

    private static SimulationSet keepFinite(float[][] theta, float[][] x, int upTo) {
        List<float[]> keptTheta = new ArrayList<>(upTo), keptX = new ArrayList<>(upTo);
        int excluded = 0;
        for (int i = 0; i < upTo; i++) {
            if (allFinite(x[i])) {
                keptTheta.add(theta[i]);
                keptX.add(x[i]);
            } else {
                excluded++;
            }
        }
        return new SimulationSet(keptTheta.toArray(float[][]::new), keptX.toArray(float[][]::new), excluded);
    }
}
