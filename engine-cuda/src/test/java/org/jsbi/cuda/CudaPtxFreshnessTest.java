package org.jsbi.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX must be built from the committed CUDA source: on every machine, the SHA-256 of each
 * src/main/cuda/*.cu must equal the one recorded beside its PTX by build-ptx.sh; where nvcc of the recorded release is
 * on the PATH, compiling the source again must give the committed PTX byte for byte.
 */
class CudaPtxFreshnessTest {

    private static final Path CUDA_SRC = Path.of("src/main/cuda");
    private static final String REBUILD = "; rebuild it with `mvn -pl engine-cuda -Pptx generate-resources` and commit"
            + " the PTX and its .properties";

    @Test
    void everyKernelSourceHasCurrentPtx() throws Exception {
        List<Path> sources;
        try (var s = Files.list(CUDA_SRC)) {
            sources = s.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
        }
        assertEquals(List.of(CUDA_SRC.resolve("jsbi_hh.cu"), CUDA_SRC.resolve("jsbi_kernels.cu")), sources,
                "the CUDA sources of engine-cuda (a new one needs its PTX committed and a line here)");
        for (Path cu : sources) {
            String name = cu.getFileName().toString().replace(".cu", "");
            Properties recorded = recorded(name);
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(cu)));
            assertEquals(recorded.getProperty("source-sha256"), actual,
                    name + ".ptx was built from another version of " + cu + REBUILD);
        }
    }

    @Test
    void nvccOfTheRecordedReleaseRebuildsTheSamePtx() throws Exception {
        for (String name : List.of("jsbi_kernels", "jsbi_hh")) rebuild(name);
    }

    private static void rebuild(String name) throws Exception {
        Properties recorded = recorded(name);
        String release = nvccRelease();
        // A skip, not a pass: without nvcc of the recorded release nothing here was compared.
        skipUnless(release != null, "PTX rebuild check skipped: nvcc is not on the PATH (the source hash check"
                + " still ran)");
        skipUnless(release.equals(recorded.getProperty("nvcc")), "PTX rebuild check skipped: nvcc here is " + release
                + ", the PTX was built with " + recorded.getProperty("nvcc") + " (other releases emit other PTX)");
        Path out = Files.createTempFile(name, ".ptx");
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("nvcc"));
            cmd.addAll(List.of(recorded.getProperty("flags").trim().split("\\s+")));
            cmd.addAll(List.of("-o", out.toString(), name + ".cu"));
            Process p = new ProcessBuilder(cmd).directory(CUDA_SRC.toFile()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("nvcc did not finish in 120 s");
            }
            assertEquals(0, p.exitValue(), "nvcc failed: " + log);
            byte[] committed;
            try (InputStream in = CudaKernels.class.getResourceAsStream(name + ".ptx")) {
                assertNotNull(in, "PTX resource");
                committed = in.readAllBytes();
            }
            assertArrayEquals(committed, Files.readAllBytes(out), "the committed " + name + ".ptx differs from what"
                    + " nvcc " + release + " builds from " + name + ".cu" + REBUILD);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void skipUnless(boolean ok, String why) {
        if (!ok) System.out.println(why);
        Assumptions.assumeTrue(ok, why);
    }

    private static Properties recorded(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = CudaKernels.class.getResourceAsStream(name + ".ptx.properties")) {
            assertNotNull(in, name + ".ptx.properties is missing" + REBUILD);
            p.load(in);
        }
        return p;
    }

    /** nvcc's release (e.g. 13.0.88), or null where there is no nvcc. */
    private static String nvccRelease() {
        try {
            Process p = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("release [0-9.]+, V([0-9.]+)").matcher(out);
            return m.find() ? m.group(1) : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
