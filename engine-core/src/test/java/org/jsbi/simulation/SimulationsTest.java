package org.jsbi.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.random.CounterRandom;
import org.jsbi.random.Rng;
import org.jsbi.testing.InterruptingPrior;
import org.junit.jupiter.api.Test;

class SimulationsTest {

    /** x = θ + noise, and NaN when θ₀ < −0.8 (a stand-in for a diverging model). */
    static final class NoisyShift implements Simulator {
        public String name() {
            return "noisy_shift";
        }

        public int parameterDim() {
            return 2;
        }

        public int dataDim() {
            return 2;
        }

        public void simulate(ParameterBatch batch, long seed, float[] out) {
            batch.check(this);
            for (int i = 0; i < batch.count(); i++) {
                CounterRandom r = new CounterRandom(seed, batch.firstIndex() + i, 0);
                for (int d = 0; d < 2; d++) {
                    out[i * 2 + d] = batch.get(i, 0) < -0.8f ? Float.NaN : batch.get(i, d) + (float) (0.1 * r.nextGaussian());
                }
            }
        }
    }

    @Test
    void anEmptySetAndAnAllNonFiniteSetAreToldApart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimulationSet(new float[0][], new float[0][], 0).toTrainingData());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SimulationSet(new float[0][], new float[0][], 3).toTrainingData());
        assertTrue(e.getMessage().contains("all 3 produced NaN"), e.getMessage());
    }

    @Test
    void excludesNonFiniteRowsAndCountsThem() {
        AtomicLong lastDone = new AtomicLong();
        SimulationSet s = Simulations.run(new NoisyShift(), Priors.boxUniform(2, -1, 1), 5000, 11,
                (done, total, nonFinite, sec) -> lastDone.set(done));
        assertEquals(5000, lastDone.get());
        assertEquals(5000, s.simulated());
        // P(θ₀ < −0.8) = 0.1
        assertEquals(500, s.excludedNonFinite(), 70);
        for (int i = 0; i < s.size(); i++) {
            assertTrue(s.theta()[i][0] >= -0.8f);
            assertTrue(Float.isFinite(s.x()[i][0]));
        }
    }

    @Test
    void resultDoesNotDependOnThreads() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            SimulationSet one = Simulations.run(new NoisyShift(), Priors.boxUniform(2, -1, 1), 3000, 5);
            Parallel.setThreads(2);
            SimulationSet two = Simulations.run(new NoisyShift(), Priors.boxUniform(2, -1, 1), 3000, 5);
            assertEquals(one.size(), two.size());
            for (int i = 0; i < one.size(); i++) assertArrayEquals(one.x()[i], two.x()[i]);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * A truncated prior draws all n parameter sets by rejection before the first wave; an interrupt there ends the
     * run as one between waves does, without drawing the rest.
     */
    @Test
    void anInterruptWhileATruncatedPriorDrawsEndsTheRunBeforeTheFirstWave() {
        Prior truncated = everywhere(InterruptingPrior.onSample(Priors.boxUniform(2, -1, 1), 2));
        SimulationInterruptedException e;
        try {
            e = assertThrows(SimulationInterruptedException.class,
                    () -> Simulations.run(new NoisyShift(), truncated, 100_000, 5));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(0, e.completed().simulated());
        SamplingIncompleteException drawing = assertInstanceOf(SamplingIncompleteException.class, e.getCause());
        assertEquals(2 * TruncatedPrior.BLOCK, drawing.accepted().length, "stopped after the second block");
    }

    /** The prior truncated to where an untrained flow's log q exceeds −10³⁰: all of it, drawn block by block. */
    static TruncatedPrior everywhere(Prior base) {
        Maf q = new Maf(Backends.current(), 2, 2, ZScore.identity(2), ZScore.identity(2),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(8), new Rng(5));
        return new TruncatedPrior(new DirectPosterior(q, base, PosteriorConfig.defaults()), new float[2], -1e30,
                "test");
    }

    @Test
    void interruptionKeepsFinishedWork() {
        Thread.currentThread().interrupt();
        try {
            SimulationInterruptedException e = assertThrows(SimulationInterruptedException.class,
                    () -> Simulations.run(new NoisyShift(), Priors.boxUniform(2, -1, 1), 3000, 5));
            assertEquals(0, e.completed().simulated());
        } finally {
            Thread.interrupted();
        }
    }

    /** A user's simulator whose body is given: x of {@code dataDim} values per set of 2 parameters. */
    static Simulator simulator(String name, int dataDim, Body body) {
        return new Simulator() {
            public String name() {
                return name;
            }

            public int parameterDim() {
                return 2;
            }

            public int dataDim() {
                return dataDim;
            }

            public void simulate(ParameterBatch batch, long seed, float[] out) {
                body.simulate(batch, out);
            }
        };
    }

    interface Body {
        void simulate(ParameterBatch batch, float[] out);
    }

    /**
     * A simulator that writes fewer values than dataDim() per set (or declares more than it writes) left zeros, or
     * another set's values, that were taken for data; one that writes more went out of bounds with nothing but an
     * index in the message.
     */
    @Test
    void aSimulatorThatWritesTooFewOrTooManyValuesIsToldSo() {
        Prior prior = Priors.boxUniform(2, -1, 1);
        // writes θ (2 values) per set but declares 3
        Simulator declaresMore = simulator("declares_more", 3, (b, out) -> {
            for (int i = 0; i < b.count(); i++) {
                out[i * 2] = b.get(i, 0);
                out[i * 2 + 1] = b.get(i, 1);
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Simulations.run(declaresMore, prior, 1000, 5));
        assertTrue(e.getMessage().contains("declares_more.simulate left") && e.getMessage().contains("unwritten")
                && e.getMessage().contains("dataDim() = 3"), e.getMessage());
        // relies on out being zeroed: adds to it
        Simulator adds = simulator("adds", 2, (b, out) -> {
            for (int i = 0; i < b.count() * 2; i++) out[i] += 1;
        });
        e = assertThrows(IllegalStateException.class, () -> Simulations.run(adds, prior, 100, 5));
        assertTrue(e.getMessage().contains("add to it"), e.getMessage());
        // writes 3 values per set but declares 2
        Simulator writesMore = simulator("writes_more", 2, (b, out) -> {
            for (int i = 0; i < b.count() * 3; i++) out[i] = 1;
        });
        e = assertThrows(IllegalStateException.class, () -> Simulations.run(writesMore, prior, 1000, 5));
        assertTrue(e.getMessage().contains("writes_more.simulate went out of bounds")
                && e.getMessage().contains("dataDim()"), e.getMessage());
        assertInstanceOf(IndexOutOfBoundsException.class, e.getCause());
        // NaN written by the simulator is data (a failed simulation), not an unwritten value
        Simulator writesNaN = simulator("writes_nan", 2, (b, out) -> java.util.Arrays.fill(out, Float.NaN));
        assertEquals(100, Simulations.run(writesNaN, prior, 100, 5).excludedNonFinite());
    }

    /**
     * A slow simulator that stops on an interrupt by throwing (the usual wrapping of an InterruptedException, which
     * clears the interrupt status) lost every finished wave with it, and the interrupt: it is an interrupt, which keeps
     * them.
     */
    @Test
    void aSimulatorThatThrowsOnAnInterruptEndsTheRunAsAnInterruptKeepingFinishedWaves() {
        int wave = Simulations.CHUNK * Parallel.threads();
        Simulator stops = simulator("stops", 2, (b, out) -> {
            if (b.firstIndex() >= wave) throw new IllegalStateException("stopped", new InterruptedException());
            java.util.Arrays.fill(out, 1f);
        });
        SimulationInterruptedException e;
        try {
            e = assertThrows(SimulationInterruptedException.class,
                    () -> Simulations.run(stops, Priors.boxUniform(2, -1, 1), 3 * wave, 5));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is set for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(wave, e.completed().simulated(), "the first wave is kept");
        assertEquals("stopped", e.getCause().getMessage());
        // any other exception is the simulator's, as thrown
        Simulator fails = simulator("fails", 2, (b, out) -> {
            throw new ArithmeticException("model blew up");
        });
        assertEquals("model blew up", assertThrows(ArithmeticException.class,
                () -> Simulations.run(fails, Priors.boxUniform(2, -1, 1), 100, 5)).getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void badInput() {
        NoisyShift sim = new NoisyShift();
        // Without Simulations' own check the simulator's ParameterBatch.check would refuse the 3-D sets instead.
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> Simulations.run(sim, Priors.boxUniform(3, -1, 1), 10, 1));
        assertTrue(dim.getMessage().contains("the prior has dimension 3 but noisy_shift takes 2 parameters"),
                dim.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Simulations.run(sim, Priors.boxUniform(2, -1, 1), 0, 1));
        assertTrue(none.getMessage().contains("the number of simulations must be >= 1, got 0"), none.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Simulations.simulate(sim, new float[][] {{0, Float.NaN}}, 1));
        assertTrue(e.getMessage().contains("parameter 1"), e.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> new SimulationSet(new float[0][], new float[0][], 3).toTrainingData());
        assertTrue(empty.getMessage().contains("no usable simulations: all 3 produced NaN or infinite data"),
                empty.getMessage());
    }
}
