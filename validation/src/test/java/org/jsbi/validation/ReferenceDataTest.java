package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading ../shared/reference: every task's shapes, known values, and clear errors for missing or bad files. */
class ReferenceDataTest {

    private static final ReferenceData DATA = ReferenceData.locate();

    @Test
    void readsObservationOneOfEveryTaskWithTheRightShapes() {
        assertEquals(List.of(ReferenceTask.values()), DATA.tasks(), "all seven tasks are present in " + DATA.root());
        int[][] dims = {{2, 2}, {10, 10}, {10, 10}, {5, 8}, {10, 10}, {2, 10}, {4, 20}};
        String[] ids = {"two_moons", "gaussian_linear", "gaussian_linear_uniform", "slcp", "bernoulli_glm", "sir",
            "lotka_volterra"};
        for (int i = 0; i < ids.length; i++) {
            ReferenceTask t = ReferenceTask.byId(ids[i]);
            assertEquals(dims[i][0], DATA.trueParameters(t, 1).length, t + " θ dimension");
            assertEquals(dims[i][1], DATA.observation(t, 1).length, t + " x dimension");
            float[][] ref = DATA.referenceSamples(t, 1);
            assertEquals(10_000, ref.length, t + " reference rows");
            for (float[] row : ref) assertEquals(dims[i][0], row.length, t + " reference columns");
        }
    }

    @Test
    void valuesAreReadExactly() {
        assertArrayEquals(new float[] {-0.6396706f, 0.16234657f}, DATA.observation(ReferenceTask.TWO_MOONS, 1));
        assertArrayEquals(new float[] {-0.8176656f, -0.5756806f}, DATA.trueParameters(ReferenceTask.TWO_MOONS, 1));
        assertArrayEquals(new float[] {0f, 1f, 352f, 40f, 3f, 0f, 0f, 0f, 0f, 0f}, DATA.observation(ReferenceTask.SIR, 1));
        // Line 2500 of the file (sample 2498) has a value in scientific notation.
        assertArrayEquals(new float[] {0.41882503f, -8.5614396e-05f, -2.8791382f, -1.2280579f, 2.9399977f},
                DATA.referenceSamples(ReferenceTask.SLCP, 1)[2498]);
        assertEquals(ReferenceTask.LOTKA_VOLTERRA, ReferenceTask.byId("Lotka_Volterra"));
    }

    @Test
    void locatesFromAModuleFolderAndByProperty(@TempDir Path tmp) throws IOException {
        // The layout of a checkout: <parent>/shared/reference next to <parent>/project, tests run in project/module.
        Path reference = Files.createDirectories(tmp.resolve("shared/reference"));
        Files.writeString(reference.resolve("TASKS.md"), "# tasks\n");
        Path module = Files.createDirectories(tmp.resolve("project/module"));
        assertEquals(reference, ReferenceData.locate(null, module).root());
        assertEquals(reference, ReferenceData.locate(null, module.getParent()).root());
        assertEquals(DATA.root(), ReferenceData.locate(DATA.root().toString(), module).root(), "the property wins");
        ReferenceDataException notFound = assertThrows(ReferenceDataException.class,
                () -> ReferenceData.locate(null, Path.of("/")));
        assertTrue(notFound.getMessage().contains("jsbi.reference.dir"), notFound.getMessage());
        // Says where the search began and how to name the folder, not to put the data where they may already be.
        assertTrue(notFound.getMessage().contains("in the working directory / or any folder above it"),
                notFound.getMessage());
        assertTrue(notFound.getMessage().contains("JSBI_JAVA_OPTS"), notFound.getMessage());
        assertFalse(notFound.getMessage().contains("Place the data"), notFound.getMessage());
        Path missing = tmp.resolve("nowhere");
        ReferenceDataException badProperty = assertThrows(ReferenceDataException.class,
                () -> ReferenceData.locate(missing.toString(), module));
        assertTrue(badProperty.getMessage().contains(missing.toString()), badProperty.getMessage());
    }

    @Test
    void missingTaskFileAndBadObservationNumberAreNamed(@TempDir Path tmp) throws IOException {
        ReferenceData empty = ReferenceData.at(tmp);
        assertEquals(List.of(), empty.tasks());
        ReferenceDataException noTask = assertThrows(ReferenceDataException.class,
                () -> empty.observation(ReferenceTask.SLCP, 1));
        assertTrue(noTask.getMessage().contains("slcp") && noTask.getMessage().contains(tmp.toString()),
                noTask.getMessage());
        Files.createDirectories(tmp.resolve("slcp/obs1"));
        ReferenceDataException noFile = assertThrows(ReferenceDataException.class,
                () -> empty.observation(ReferenceTask.SLCP, 1));
        assertTrue(noFile.getMessage().contains("observation.csv"), noFile.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DATA.observation(ReferenceTask.SLCP, 0));
        assertThrows(IllegalArgumentException.class, () -> DATA.observation(ReferenceTask.SLCP, 11));
        assertThrows(IllegalArgumentException.class, () -> ReferenceTask.byId("three_moons"));
    }

    @Test
    void malformedFilesAreRejectedWithFileAndLine(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("two_moons/obs1"));
        ReferenceData data = ReferenceData.at(tmp);
        Path samples = dir.resolve("reference_posterior_samples.csv");
        String[][] cases = {
            {"parameter_1,parameter_2\n0.5,1.0\n0.25\n", "line 3 has 1 columns, expected 2"},
            {"parameter_1,parameter_2\n0.5,1.0,2.0\n", "line 2 has 3 columns, expected 2"},
            {"parameter_1,parameter_2\n0.5,abc\n", "line 2 column 2 is 'abc'"},
            {"parameter_1,parameter_2\n0.5,NaN\n", "line 2 column 2 is 'NaN'"},
            {"parameter_1,parameter_2\n0.5,1e39\n", "outside the float range"},
            {"parameter_1,parameter_2\n0.5, 1.0\n", "line 2 column 2 is ' 1.0'"},
            {"parameter_1,parameter_2\n0.5,1.0\n\n0.5,1.0\n", "line 3 is empty"},
            {"parameter_1\n0.5\n", "line 1 has 1 header columns, expected 2"},
            {"parameter_1,parameter_2\n", "no data rows"},
            {"", "no header row"},
        };
        for (String[] c : cases) {
            Files.writeString(samples, c[0]);
            CsvFormatException e = assertThrows(CsvFormatException.class,
                    () -> data.referenceSamples(ReferenceTask.TWO_MOONS, 1), c[0]);
            assertTrue(e.getMessage().contains(samples.toString()) && e.getMessage().contains(c[1]),
                    e.getMessage() + " should name the file and say '" + c[1] + "'");
        }
        Files.writeString(samples, "a,b\r\n-3.3e-05,+2E3\r\n.5,7.\r\n");
        assertArrayEquals(new float[][] {{-3.3e-05f, 2000f}, {0.5f, 7f}}, data.referenceSamples(ReferenceTask.TWO_MOONS, 1));
        Files.writeString(dir.resolve("observation.csv"), "data_1,data_2\n1.0,2.0\n3.0,4.0\n");
        CsvFormatException twoRows = assertThrows(CsvFormatException.class,
                () -> data.observation(ReferenceTask.TWO_MOONS, 1));
        assertTrue(twoRows.getMessage().contains("expected exactly 1"), twoRows.getMessage());
    }
}
