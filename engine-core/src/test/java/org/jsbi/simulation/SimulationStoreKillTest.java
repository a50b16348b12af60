package org.jsbi.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store filled by another JVM that is killed (SIGKILL, no shutdown hooks) resumes to the same bytes. */
class SimulationStoreKillTest {

    /** The child process: fills the store slowly, printing each chunk it finishes. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        SimulationStoreTest.Doubler slow = new SimulationStoreTest.Doubler() {
            @Override
            public void simulate(ParameterBatch batch, long seed, float[] out) {
                super.simulate(batch, seed, out);
                long until = System.nanoTime() + 4_000_000; // 4 ms per batch
                while (System.nanoTime() < until) Thread.onSpinWait();
            }
        };
        SimulationStore store = SimulationStore.create(dir, slow, SimulationStoreTest.prior(), SimulationStoreTest.N,
                SimulationStoreTest.config());
        store.run(slow, SimulationStoreTest.prior(), p -> {
            System.out.println("chunks " + p.chunksDone());
            System.out.flush();
        });
    }

    @TempDir
    Path tmp;

    @Test
    void aKilledRunResumesToTheSameBytes() throws Exception {
        Path ref = tmp.resolve("reference");
        SimulationStore.create(ref, new SimulationStoreTest.Doubler(), SimulationStoreTest.prior(), SimulationStoreTest.N,
                SimulationStoreTest.config()).run(new SimulationStoreTest.Doubler(), SimulationStoreTest.prior(), null);

        Path dir = tmp.resolve("killed");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SimulationStoreKillTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.equals("chunks 3")) break;
            }
            assertTrue(seen.toString().contains("chunks 3"), "the child did not get going:\n" + seen);
            child.destroyForcibly(); // SIGKILL: mid-chunk, mid-write, wherever it is
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        SimulationStore store = SimulationStore.open(dir);
        assertEquals(Map.of(), store.damagedChunks());
        assertTrue(store.completedChunks() >= 3, "chunks on disk: " + store.completedChunks());
        SimulationStore.RunResult r = store.run(new SimulationStoreTest.Doubler(), SimulationStoreTest.prior(), null);
        assertTrue(r.complete());
        assertEquals(List.of(), SimulationStoreTest.temporaryFiles(dir));
        SimulationStoreTest.assertSameChunks(ref, dir);
    }
}
