package org.jsbi.sim;

import static org.junit.jupiter.api.Assertions.fail;

import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.channel.ChannelOmnimodel;
import org.jsbi.sim.channel.ChannelProtocols;
import org.jsbi.sim.channel.PcaBasis;
import org.jsbi.sim.glm.Glm;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;
import org.jsbi.testing.AllocationProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD simulators allocate per call (their scratch), never per step. A vector that C2 cannot keep in registers
 * is boxed at every operation of every time step: the features stay right (the conformance tests pass) while the
 * simulator runs 3–4× slower, as the ion-channel and GLM kernels did until 2026-11-26 (docs/ARCHITECTURE.md). After
 * warm-up, a call must allocate less than a budget per simulation that is far above the scratch and far below one
 * boxed vector per step. Each simulator gets up to {@link #PATIENCE_S} seconds of calls for C2 to compile it.
 */
class SimulatorAllocationTest {

    static final double PATIENCE_S = 90;

    private static int threadsBefore;

    @BeforeAll
    static void oneThread() {
        threadsBefore = Parallel.threads();
        Parallel.setThreads(1);   // the simulation then runs on this thread, whose allocations are counted
    }

    @AfterAll
    static void restore() {
        Parallel.setThreads(threadsBefore);
    }

    private static void assertAllocationFree(String name, Simulator sim, float[][] draws, long bytesPerSimulation,
                                             int callsPerRound) {
        int n = draws.length;
        float[] theta = new float[n * sim.parameterDim()];
        for (int i = 0; i < n; i++) System.arraycopy(draws[i], 0, theta, i * sim.parameterDim(), sim.parameterDim());
        ParameterBatch batch = new ParameterBatch(theta, n, sim.parameterDim(), 0);
        float[] out = new float[n * sim.dataDim()];
        AllocationProbe.Result r = AllocationProbe.settle(() -> sim.simulate(batch, 1, out), n, 1, callsPerRound,
                bytesPerSimulation, PATIENCE_S);
        if (r.bytesPerUnit() > bytesPerSimulation) {
            fail(name + " still allocates " + r.bytesPerUnit() + " bytes per simulation after " + r.rounds()
                    + " rounds (" + String.format("%.0f", r.seconds()) + " s; budget " + bytesPerSimulation
                    + "): a boxed vector in a time step? Profile it (jfr, jdk.ObjectAllocationSample)");
        }
    }

    @Test
    void lnGlm() {
        Simulator sim = Glm.withDefaults().withImplementation(Glm.Implementation.SIMD);
        assertAllocationFree("LN/GLM SIMD", sim, Glm.prior().sample(256, new Rng(1)), 256, 50);
    }

    @Test
    void hodgkinHuxley() {
        Simulator sim = HodgkinHuxley.withDefaults().withImplementation(HodgkinHuxley.Implementation.SIMD);
        // 12,000 steps per simulation: one boxed vector per step would be ~0.5 MB.
        assertAllocationFree("Hodgkin–Huxley SIMD", sim, HodgkinHuxley.prior().sample(128, new Rng(2)), 16_384, 3);
    }

    @Test
    void ionChannelOmnimodel() {
        ChannelProtocols protocols = ChannelProtocols.load();
        Simulator sim = ChannelOmnimodel.withBasis(protocols, PcaBasis.compute(protocols, 12, 3))
                .withImplementation(ChannelOmnimodel.Implementation.SIMD);
        // 1.9 million samples per simulation: one boxed vector per sample would be ~90 MB.
        assertAllocationFree("ion-channel Omnimodel SIMD", sim, ChannelOmnimodel.prior().sample(8, new Rng(4)),
                262_144, 1);
    }

    @Test
    void pyloricNetwork() {
        Simulator sim = PyloricNetwork.withDefaults().withImplementation(PyloricNetwork.Implementation.SIMD);
        // 440,000 steps per network: one boxed vector per step would be ~20 MB.
        assertAllocationFree("pyloric network SIMD", sim, PyloricNetwork.prior().sample(8, new Rng(5)), 262_144, 1);
    }
}
