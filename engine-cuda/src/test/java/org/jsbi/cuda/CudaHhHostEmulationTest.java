package org.jsbi.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsbi.random.Rng;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HH kernel's source against the scalar reference on machines without a GPU: src/main/cuda/jsbi_hh.cu is compiled
 * for the CPU by g++ with host stand-ins for the CUDA intrinsics (round-to-nearest float add, sub, mul, div, sqrt;
 * {@code fmaf}; no contraction, {@code -ffp-contract=off}, as nvcc's {@code --fmad=false}), run one simulation after
 * another, and its 7 features must equal {@code HodgkinHuxleyScalar}'s bit for bit, noise on and off. This checks the
 * kernel's arithmetic, operation for operation, wherever a C++ compiler is; {@code CudaHodgkinHuxleyTest} checks the
 * GPU's result where a GPU is. Skipped where g++ is not on the PATH.
 */
class CudaHhHostEmulationTest {

    @TempDir
    Path dir;

    @Test
    void theKernelSourceComputesTheScalarReferenceBits() throws Exception {
        Path exe = compile();
        int n = 96;
        float[] theta = thetas(n);
        for (boolean noise : new boolean[] {false, true}) {
            HodgkinHuxley scalar = HodgkinHuxley.withDefaults().withNoise(noise)
                    .withImplementation(HodgkinHuxley.Implementation.SCALAR);
            float[] ref = new float[n * 7];
            scalar.simulate(new ParameterBatch(theta, n, 8, 1000), 42, ref);
            float[] got = run(exe, theta, n, 1000, 42, noise);
            for (int i = 0; i < n * 7; i++) {
                assertEquals(Float.floatToRawIntBits(ref[i]), Float.floatToRawIntBits(got[i]),
                        "feature " + i % 7 + " of set " + i / 7 + ", noise " + noise + ": Java " + ref[i] + ", kernel "
                                + got[i]);
            }
        }
    }

    /** The ground truth and n − 1 prior draws. */
    private static float[] thetas(int n) {
        float[] v = new float[n * 8];
        System.arraycopy(HodgkinHuxley.groundTruth(), 0, v, 0, 8);
        float[][] draws = HodgkinHuxley.prior().sample(n - 1, new Rng(17));
        for (int i = 1; i < n; i++) System.arraycopy(draws[i - 1], 0, v, i * 8, 8);
        return v;
    }

    private Path compile() throws Exception {
        Path cuda = Path.of("src/main/cuda").toAbsolutePath();
        assertTrue(Files.exists(cuda.resolve("jsbi_hh.cu")), "jsbi_hh.cu not found under " + cuda);
        for (String name : List.of("cuda_host_shim.h", "hh_host_main.cpp")) {
            try (InputStream in = getClass().getResourceAsStream("host/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        Path exe = dir.resolve("hh_host");
        Process p;
        try {
            p = new ProcessBuilder("g++", "-O2", "-ffp-contract=off", "-std=c++17", "-I" + cuda, "-o", exe.toString(),
                    dir.resolve("hh_host_main.cpp").toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("g++ not available: " + e.getMessage());
            throw e;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "g++ did not finish");
        assertEquals(0, p.exitValue(), "g++ failed on jsbi_hh.cu:\n" + log);
        return exe;
    }

    private static float[] run(Path exe, float[] theta, int n, long first, long seed, boolean noise) throws Exception {
        StringBuilder in = new StringBuilder();
        in.append(n).append(' ').append(first).append(' ').append(seed).append(' ').append(noise ? 1 : 0).append('\n');
        for (float f : theta) in.append(String.format("%08x%n", Float.floatToRawIntBits(f)));
        Process p = new ProcessBuilder(exe.toString()).start();
        p.getOutputStream().write(in.toString().getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\n");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the emulated kernel did not finish");
        assertEquals(0, p.exitValue(), "the emulated kernel failed");
        assertEquals(n * 7, lines.length, "features from the emulated kernel");
        float[] out = new float[n * 7];
        for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(lines[i].trim(), 16));
        return out;
    }
}
