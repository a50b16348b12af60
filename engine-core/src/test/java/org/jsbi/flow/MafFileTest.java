package org.jsbi.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ZScore;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFiles;
import org.jsbi.io.ModelFormatException;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save → load gives bit-identical log-densities and identical samples; foreign or damaged files are refused. */
class MafFileTest {

    private final Backend be = new ScalarBackend();

    private Maf maf() {
        ZScore ts = new ZScore(new float[] {0.5f, -1f, 2f}, new float[] {1.5f, 0.3f, 2f});
        ZScore xs = new ZScore(new float[] {0.1f, 0.2f}, new float[] {1f, 4f});
        return new Maf(be, 3, 2, ts, xs, MafConfig.defaults().withTransforms(3).withHiddenFeatures(20), new Rng(9));
    }

    @Test
    void roundTripIsBitIdentical(@TempDir Path dir) throws Exception {
        Maf a = maf();
        Path file = dir.resolve("posterior.jsbi");
        MafFile.save(a, file);
        Maf b = MafFile.load(file, be);
        Rng r = new Rng(4);
        float[] t = new float[3 * 33], x = new float[2 * 33];
        for (int i = 0; i < t.length; i++) t[i] = (float) r.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] la = a.logProb(Tensor.of(be, 3, 33, t), Tensor.of(be, 2, 33, x));
        float[] lb = b.logProb(Tensor.of(be, 3, 33, t), Tensor.of(be, 2, 33, x));
        assertArrayEquals(la, lb);
        float[] xo = {0.3f, -0.2f};
        assertArrayEquals(a.sample(50, xo, new Rng(77)).toArray(), b.sample(50, xo, new Rng(77)).toArray());
    }

    @Test
    void foreignAndDamagedFilesAreRefused(@TempDir Path dir) throws Exception {
        ModelFile other = ModelFile.builder("mdn").meta("layout", 1).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> MafFile.fromModelFile(other, be));
        assertTrue(e.getMessage().contains("mdn"), e.getMessage());
        Path file = dir.resolve("m.jsbi");
        MafFile.save(maf(), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        e = assertThrows(ModelFormatException.class, () -> MafFile.load(file, be));
        assertTrue(e.getMessage().toLowerCase().contains("damaged") || e.getMessage().contains("truncated"),
                e.getMessage());
        // A file whose metadata promises another architecture than its arrays hold.
        ModelFile good = MafFile.toModelFile(maf());
        ModelFile.Builder wrong = ModelFile.builder("maf");
        good.metadata().forEach((k, v) -> wrong.meta(k, k.equals("hiddenFeatures") ? "21" : v));
        good.arrays().forEach(wrong::array);
        e = assertThrows(ModelFormatException.class, () -> MafFile.fromModelFile(wrong.build(), be));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
        assertTrue(ModelFiles.toBytes(good).length > 0);
    }

    @Test
    void aFileOfTheOldMadeLayoutIsRefusedNotMisread() {
        // Layout 1 held the same arrays for a MADE with one activation fewer: loading it would give another density.
        ModelFile good = MafFile.toModelFile(maf());
        ModelFile.Builder old = ModelFile.builder("maf");
        good.metadata().forEach((k, v) -> old.meta(k, k.equals("layout") ? "1" : v));
        good.arrays().forEach(old::array);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> MafFile.fromModelFile(old.build(), be));
        assertTrue(e.getMessage().contains("layout 1") && e.getMessage().contains("train the estimator again"),
                e.getMessage());
    }
}
