package org.jsbi.sim.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jsbi.backend.Parallel;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFiles;
import org.jsbi.io.ModelFormatException;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PCA basis: orthonormal, reproducible for a seed (whatever the thread count), saved and loaded bit-exactly. */
class PcaBasisTest {

    @Test
    void basisIsOrthonormalAndOrthogonalToTheOffset() {
        PcaBasis b = ChannelTesting.basis();
        double err = b.orthonormalityError();
        System.out.printf("PCA basis (%d prior simulations): max |u_i.u_j - delta_ij| = %.2e%n", b.simulations(), err);
        assertTrue(err < 1e-5, "orthonormality error " + err);
        for (int p = 0; p < b.protocols(); p++) {
            for (int k = 0; k < PcaBasis.COMPONENTS; k++) {
                float[] u = b.component(p, k);
                double s = 0;
                for (float f : u) s += f;
                assertTrue(Math.abs(s) / Math.sqrt(u.length) < 1e-4, "component " + k + " of protocol " + p
                        + " is not orthogonal to the constant: " + s);
            }
        }
    }

    @Test
    void sameSeedGivesTheSameBasisOnOneThreadOrTwo() {
        PcaBasis shared = ChannelTesting.basis();
        int threads = Parallel.threads();
        PcaBasis again;
        try {
            Parallel.setThreads(threads == 1 ? 2 : 1);
            again = PcaBasis.compute(ChannelProtocols.load(), ChannelTesting.BASIS_N, ChannelTesting.BASIS_SEED);
        } finally {
            Parallel.setThreads(threads);
        }
        for (int p = 0; p < shared.protocols(); p++) {
            for (int k = 0; k < PcaBasis.COMPONENTS; k++) {
                assertArrayEquals(shared.component(p, k), again.component(p, k), 0f, "protocol " + p + " component " + k);
            }
        }
    }

    @Test
    void saveAndLoadAreBitExact(@TempDir Path tmp) throws Exception {
        ChannelOmnimodel model = ChannelTesting.model();
        Path f = tmp.resolve("channel.jsbi");
        model.save(f);
        System.out.printf("channel model file: %.1f MB%n", Files.size(f) / 1e6);
        ChannelOmnimodel back = ChannelOmnimodel.load(f);
        PcaBasis a = model.basis(), b = back.basis();
        assertEquals(a.simulations(), b.simulations());
        assertEquals(a.seed(), b.seed());
        for (int p = 0; p < a.protocols(); p++) {
            for (int k = 0; k < PcaBasis.COMPONENTS; k++) {
                float[] x = a.component(p, k), y = b.component(p, k);
                for (int i = 0; i < x.length; i++) {
                    if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                        throw new AssertionError("protocol " + p + " component " + k + " value " + i + " changed");
                    }
                }
            }
        }
        float[] th = ManualFits.theta("3808_im.mod");
        float[] o1 = new float[55], o2 = new float[55];
        model.simulate(new ParameterBatch(th, 1, 8, 0), 3, o1);
        back.simulate(new ParameterBatch(th, 1, 8, 0), 3, o2);
        assertArrayEquals(o1, o2, 0f, "the loaded model gives the same features");

        // A damaged file and a file of another kind give clear errors.
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x10;
        Path bad = tmp.resolve("bad.jsbi");
        Files.write(bad, bytes);
        Exception e = assertThrows(ModelFormatException.class, () -> ChannelOmnimodel.load(bad));
        System.out.println("damaged channel model file: " + e.getMessage());
        Path maf = tmp.resolve("maf.jsbi");
        ModelFiles.write(ModelFile.builder("maf").meta("version", 1).build(), maf);
        e = assertThrows(ModelFormatException.class, () -> ChannelOmnimodel.load(maf));
        assertTrue(e.getMessage().contains("maf"), e.getMessage());
    }

    @Test
    void tooFewSimulationsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PcaBasis.compute(ChannelProtocols.load(), 10, 1));
        assertTrue(e.getMessage().contains("more than 10"), e.getMessage());
    }
}
