package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the reference folder and reading its CSV files, with clear errors. */
class ReferenceDataTest {

    @Test
    void findsTheSharedReferenceFolderAboveTheModule() {
        assumeTrue(System.getProperty(ReferenceData.PROPERTY) == null, "-D" + ReferenceData.PROPERTY + " is set");
        Path root = ReferenceData.root();
        assertTrue(root.endsWith(Path.of("shared", "reference")), root.toString());
        assertTrue(Files.isRegularFile(root.resolve("TASKS.md")), root.toString());
    }

    @Test
    void aMissingFileIsNamed() {
        ReferenceDataException e = assertThrows(ReferenceDataException.class,
                () -> ReferenceData.observation("no_such_task", 3));
        assertTrue(e.getMessage().contains(Path.of("no_such_task", "obs3", "observation.csv").toString()), e.getMessage());
    }

    @Test
    void thePropertyOverridesTheSearchAndMustNameAFolder(@TempDir Path dir) {
        String before = System.getProperty(ReferenceData.PROPERTY);
        try {
            System.setProperty(ReferenceData.PROPERTY, dir.toString());
            assertEquals(dir.toAbsolutePath().normalize(), ReferenceData.root());
            Path missing = dir.resolve("absent");
            System.setProperty(ReferenceData.PROPERTY, missing.toString());
            ReferenceDataException e = assertThrows(ReferenceDataException.class, ReferenceData::root);
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        } finally {
            if (before == null) System.clearProperty(ReferenceData.PROPERTY);
            else System.setProperty(ReferenceData.PROPERTY, before);
        }
    }

    @Test
    void readsNumbersAndNumpyScalarReprsAndNamesBadCells(@TempDir Path dir) throws IOException {
        Path ok = dir.resolve("ok.csv");
        Files.writeString(ok, "a,b,c\n1,-3.3e-05,np.float64(2.5)\n352.0,0,-1\n");
        double[][] t = ReferenceData.readCsv(ok);
        assertArrayEquals(new double[] {1, -3.3e-5, 2.5}, t[0]);
        assertArrayEquals(new double[] {352, 0, -1}, t[1]);

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,x\n");
        ReferenceDataException e = assertThrows(ReferenceDataException.class, () -> ReferenceData.readCsv(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("line 3"), e.getMessage());

        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "a,b\n1,2,3\n");
        e = assertThrows(ReferenceDataException.class, () -> ReferenceData.readCsv(ragged));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void observationsAreReadAsFloat32Rows() {
        float[] xo = ReferenceData.observation("two_moons", 1);
        assertArrayEquals(new float[] {-0.6396706f, 0.16234657f}, xo);
        assertEquals(10_000, ReferenceData.referencePosteriorSamples("two_moons", 1).length);
    }
}
