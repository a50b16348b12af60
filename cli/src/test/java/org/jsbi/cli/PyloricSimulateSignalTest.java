package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jsbi.simulation.SimulationStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi pyloric simulate} in its own JVM, stopped by SIGTERM (the JVM runs its shutdown hooks for SIGTERM as for
 * Ctrl-C's SIGINT) once the first of three chunks is on disk: the hook lets the chunk in progress finish, the command
 * says how to resume, and resuming gives the bytes of an uninterrupted run. 48 real networks in chunks of 16, run
 * twice (reference and interrupted + resumed), plus a JVM start: ~30 s on a busy 2-core machine, so it is tagged
 * slow ({@code -Djsbi.slow=true}); the default suite stops a run the way the hook does, in process
 * ({@code org.jsbi.validation.PyloricSimulationTest}).
 */
@Tag("slow")
class PyloricSimulateSignalTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermStopsAfterTheChunkInProgressAndTheSameCommandResumes() throws Exception {
        Path ref = tmp.resolve("reference"), dir = tmp.resolve("stopped");
        PyloricCommandTest.Run full = PyloricCommandTest.jsbi("pyloric", "simulate", "--store", ref.toString(), "--n",
                "48", "--chunk", "16", "--seed", "5");
        assertEquals(0, full.code(), full.toString());

        ChildJsbi child = new ChildJsbi(List.of(), "pyloric", "simulate", "--store", dir.toString(), "--n", "48",
                "--chunk", "16", "--seed", "5");
        child.awaitThat(() -> Files.exists(dir.resolve("chunk-000000.done")), "the first chunk never appeared");
        int status = child.sigterm();
        String text = child.output();
        assertEquals(143, status, "exit status after SIGTERM (128 + 15):\n" + text);
        assertTrue(text.contains("stopping: finishing the chunk in progress"), text);
        assertTrue(text.contains("interrupted: "), text);
        assertTrue(text.contains("jsbi pyloric simulate --store " + dir + " --n 48 --seed 5 --chunk 16"), text);

        SimulationStore stopped = SimulationStore.open(dir);
        assertTrue(stopped.damagedChunks().isEmpty());
        int chunks = stopped.completedChunks();
        assertTrue(chunks >= 1 && chunks < 3, "the run stopped after the chunk in progress: " + chunks + " chunks\n" + text);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }

        PyloricCommandTest.Run resumed = PyloricCommandTest.jsbi("pyloric", "simulate", "--store", dir.toString());
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("resuming: " + 16 * chunks + " of 48 networks already on disk"),
                resumed.toString());
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            names.add(String.format("chunk-%06d.theta.npy", c));
            names.add(String.format("chunk-%06d.x.npy", c));
        }
        for (String name : names) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(name)), Files.readAllBytes(dir.resolve(name)), name);
        }
        assertEquals(outcomes(full.out()), outcomes(resumed.out()), "the same outcome counts");
    }

    private static String outcomes(String out) {
        return out.substring(out.indexOf("outcomes:"), out.indexOf("next:"));
    }
}
