package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationHarnessTest {

    private static HarnessRow row(String task, String est, int budget, int k, double c2st) {
        return new HarnessRow(task, est, budget, k, c2st, 0.12, 1.5, 0.99, 0, 80, 0.5, 12.0, 0.3, 4.0);
    }

    @Test
    void csvRowsRoundTrip() {
        HarnessRow r = row("two_moons", "maf", 1000, 3, 0.7123);
        HarnessRow back = HarnessRow.parse(r.toCsv());
        assertEquals(r.key(), back.key());
        assertEquals(0.7123, back.c2st(), 1e-9);
        assertEquals(80, back.epochs());
    }

    @Test
    void resumesFromAnEarlierFileAndRefusesADamagedOne(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve(ValidationHarness.RESULTS_CSV);
        Files.writeString(csv, HarnessRow.CSV_HEADER + "\n" + row("slcp", "mdn", 10000, 2, 0.9).toCsv() + "\n");
        Map<String, HarnessRow> done = ValidationHarness.readExisting(csv);
        assertEquals(1, done.size());
        assertTrue(done.containsKey("slcp/mdn/10000/2"));
        Files.writeString(csv, HarnessRow.CSV_HEADER + "\nslcp,mdn,10000\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ValidationHarness.readExisting(csv));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(csv, "something,else\n");
        assertThrows(IllegalStateException.class, () -> ValidationHarness.readExisting(csv));
    }

    @Test
    void markdownSummarisesPerTaskAndBudgetBesideThePublishedRows() {
        List<HarnessRow> rows = List.of(row("two_moons", "maf", 1000, 1, 0.70), row("two_moons", "maf", 1000, 2, 0.80),
                row("two_moons", "mdn", 1000, 1, 0.75), row("two_moons", "mdn", 1000, 2, 0.75));
        String md = ResultsReport.markdown(rows, "bin/jsbi validate");
        assertTrue(md.contains("| two_moons | 1,000 | 0.750 ± 0.071 (2) | 0.750 ± 0.000 (2) | 0.872 | 0.725 |"), md);
        assertTrue(md.contains("bin/jsbi validate"), md);
    }

    /**
     * A folder's rows share one patience: a resume with another is refused before anything is trained, the
     * setting is recorded beside the CSV when it is not sbi's, and rows without a record count as sbi's 20.
     */
    @Test
    void aFolderKeepsOnePatience(@TempDir Path dir) throws Exception {
        HarnessConfig sbi = new HarnessConfig(List.of("two_moons"), List.of("mdn"), List.of(1000), List.of(1), 1000,
                100, 1, dir);
        HarnessConfig longer = new HarnessConfig(List.of("two_moons"), List.of("mdn"), List.of(1000), List.of(1), 1000,
                100, 1, dir, 100);
        assertEquals(20, sbi.stopAfterEpochs());
        Path settings = dir.resolve(ValidationHarness.SETTINGS_FILE);
        ValidationHarness.checkSameTraining(longer, true);
        assertTrue(Files.readString(settings).contains("stop_after_epochs=100"));
        ValidationHarness.checkSameTraining(longer, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ValidationHarness.checkSameTraining(sbi, false));
        assertTrue(e.getMessage().contains("were trained with --stop-after-epochs 100, not 20"), e.getMessage());
        // No record and rows present: the rows were made with the default.
        Files.delete(settings);
        ValidationHarness.checkSameTraining(sbi, false);
        e = assertThrows(IllegalStateException.class, () -> ValidationHarness.checkSameTraining(longer, false));
        assertTrue(e.getMessage().contains("were trained with --stop-after-epochs 20, not 100"), e.getMessage());
        assertTrue(!Files.exists(settings));
        Files.writeString(settings, "stop_after_epochs=many\n");
        e = assertThrows(IllegalStateException.class, () -> ValidationHarness.checkSameTraining(longer, false));
        assertTrue(e.getMessage().contains("no valid stop_after_epochs"), e.getMessage());
    }

    @Test
    void configRefusesNonsense(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of("two_moons"), List.of("nsf"),
                List.of(1000), List.of(1), 1000, 100, 1, dir));
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of("two_moons"), List.of("maf"),
                List.of(1000), List.of(11), 1000, 100, 1, dir));
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of(), List.of("maf"),
                List.of(1000), List.of(1), 1000, 100, 1, dir));
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of("two_moons"), List.of("maf"),
                List.of(1000), List.of(1), 1000, 100, 1, dir, 0));
    }
}
