package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a kernel compiles to can depend on what ran before it, so a test JVM that has warmed every kernel cannot see
 * a failure of a cold start: this one starts a JVM of its own ({@link FreshJvmMaskedAddProbe}). Without the
 * directive that keeps C1 off SimdGemm (JitDirectives) that probe's product stayed boxed, 91 µs a call against 8.
 */
class FreshJvmCompilationTest {

    @Test
    void aMaskedProductAddedIntoItsOutputIsCompiledFromAColdStart() throws Exception {
        assumeTrue(SimdConfig.LANES == 16, "the masked 8-column tail that C1 failed on runs on 512 bits only");
        Path log = Files.createTempFile("jsbi-fresh-jvm", ".txt");
        try {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Djsbi.log=warn",
                    "-cp", System.getProperty("java.class.path"), FreshJvmMaskedAddProbe.class.getName());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            String out = Files.readString(log);
            assertTrue(done, "the probe JVM did not finish in 120 s: " + out);
            assertEquals(0, p.exitValue(), "the product still allocates (boxed vectors) in a fresh JVM: " + out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
