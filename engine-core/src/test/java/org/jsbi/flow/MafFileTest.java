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

    /**
     * The file holds the hidden units in nflows' order, not in the sorted order Made computes with: its arrays, put
     * through the float64 flow with nflows' masks, give the flow's own log-densities. (At D = 3 the orders differ:
     * nflows' degrees alternate 1, 2, 1, 2, …; Made's are ten 1s, then ten 2s.)
     */
    @Test
    void theFileHoldsTheHiddenUnitsInNflowsOrder() {
        Maf a = maf();
        ModelFile f = MafFile.toModelFile(a);
        java.util.List<org.jsbi.autodiff.Parameter> ps = a.parameters();
        double[][] p = new double[ps.size()][];
        for (int i = 0; i < p.length; i++) {
            float[] v = f.array(ps.get(i).name(), ps.get(i).value().rows(), ps.get(i).value().cols());
            p[i] = new double[v.length];
            for (int j = 0; j < v.length; j++) p[i][j] = v[j];
        }
        int n = 17;
        Rng r = new Rng(5);
        float[] t = new float[3 * n], x = new float[2 * n];
        double[] t64 = new double[t.length], x64 = new double[x.length];
        for (int i = 0; i < t.length; i++) t64[i] = t[i] = (float) r.nextGaussian();
        for (int i = 0; i < x.length; i++) x64[i] = x[i] = (float) r.nextGaussian();
        float[] lp = a.logProb(Tensor.of(be, 3, n, t), Tensor.of(be, 2, n, x));
        double[] ref = MafGradCheckTest.logProb64(a, p, t64, x64, n, MadeMasks.hiddenDegrees(20, 3));
        for (int s = 0; s < n; s++) {
            assertTrue(Math.abs(lp[s] - ref[s]) <= 1e-4 * Math.max(1, Math.abs(ref[s])), s + ": " + lp[s] + " vs " + ref[s]);
        }
        // and not by chance: Made's own order, read as nflows', describes another density
        double[][] own = new double[ps.size()][];
        for (int i = 0; i < own.length; i++) {
            float[] v = ps.get(i).value().toArray();
            own[i] = new double[v.length];
            for (int j = 0; j < v.length; j++) own[i][j] = v[j];
        }
        double[] wrong = MafGradCheckTest.logProb64(a, own, t64, x64, n, MadeMasks.hiddenDegrees(20, 3));
        double maxDiff = 0;
        for (int s = 0; s < n; s++) maxDiff = Math.max(maxDiff, Math.abs(wrong[s] - ref[s]));
        assertTrue(maxDiff > 1e-2, "the orders should differ at D = 3: " + maxDiff);
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
        assertTrue(e.getMessage().contains("expected") || e.getMessage().contains("needs at least"), e.getMessage());
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

    @Test
    void absurdSizesInTheMetadataAreRefusedBeforeAnythingIsBuilt() {
        // A file whose checksum is right but whose sizes promise gigabytes (or an int overflow in the masks) must
        // be refused from its own contents, not run out of memory building the network.
        ModelFile good = MafFile.toModelFile(maf());
        for (String[] edit : new String[][] {{"transforms", "2147483647"}, {"hiddenFeatures", "2000000000"},
                {"hiddenFeatures", "65536"}, {"blocks", "1000000000"}}) {
            ModelFile.Builder b = ModelFile.builder("maf");
            good.metadata().forEach((k, v) -> b.meta(k, k.equals(edit[0]) ? edit[1] : v));
            good.arrays().forEach(b::array);
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> MafFile.fromModelFile(b.build(), be), edit[0] + " = " + edit[1]);
            assertTrue(e.getMessage().contains("needs at least") && e.getMessage().contains("damaged"),
                    e.getMessage());
        }
    }

    @Test
    void aFileOfAnotherKindIsNamedByItsPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("posterior.jsbi");
        ModelFiles.write(ModelFile.builder("mdn").meta("layout", 1).build(), file);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> MafFile.load(file, be));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("mdn"), e.getMessage());
    }
}
