package org.jsbi.mdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.jsbi.autodiff.Parameter;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.flow.MafFile;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFormatException;
import org.jsbi.io.NamedArray;
import org.jsbi.nn.Activation;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save → load gives bit-identical log-densities and identical samples; foreign, damaged or inconsistent files are refused. */
class MdnFileTest {

    private static final long SEED = TestSeeds.seed(5_113L);

    private final Backend be = new ScalarBackend();

    private Mdn mdn(int d, int xd, MdnConfig cfg) {
        Rng rng = new Rng(SEED + d);
        float[] tm = new float[d], tsd = new float[d], xm = new float[xd], xsd = new float[xd];
        for (int i = 0; i < d; i++) {
            tm[i] = (float) rng.uniform(-2, 2);
            tsd[i] = (float) rng.uniform(0.3, 3);
        }
        for (int i = 0; i < xd; i++) {
            xm[i] = (float) rng.uniform(-2, 2);
            xsd[i] = (float) rng.uniform(0.3, 3);
        }
        Mdn m = new Mdn(be, d, xd, new ZScore(tm, tsd), new ZScore(xm, xsd), cfg, rng);
        MdnTesting.perturb(m, rng, 0.3); // non-trivial weights, covariances and mixture weights
        return m;
    }

    private Mdn mdn() {
        return mdn(3, 2, MdnConfig.defaults().withHiddenFeatures(20).withComponents(4).withEpsilon(3e-4f));
    }

    private void assertSameModel(Mdn a, Mdn b, String what) {
        int d = a.thetaDim(), xd = a.xDim(), n = 33;
        assertEquals(a.config(), b.config(), what);
        assertEquals(a.thetaScore(), b.thetaScore(), what);
        assertEquals(a.xScore(), b.xScore(), what);
        Rng r = new Rng(SEED ^ 4);
        float[] t = new float[d * n], x = new float[xd * n];
        for (int i = 0; i < t.length; i++) t[i] = (float) (2 * r.nextGaussian());
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextGaussian());
        float[] la = a.logProb(Tensor.of(be, d, n, t), Tensor.of(be, xd, n, x));
        float[] lb = b.logProb(Tensor.of(be, d, n, t), Tensor.of(be, xd, n, x));
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(la[i]), Float.floatToRawIntBits(lb[i]),
                    what + ": log q of column " + i + ": " + la[i] + " vs " + lb[i] + TestSeeds.replay(SEED));
        }
        float[] xo = new float[xd];
        for (int i = 0; i < xd; i++) xo[i] = 0.3f - 0.2f * i;
        assertArrayEquals(a.sample(50, xo, new Rng(77)).toArray(), b.sample(50, xo, new Rng(77)).toArray(), what);
    }

    @Test
    void roundTripIsBitIdentical(@TempDir Path dir) throws Exception {
        Mdn a = mdn();
        Path file = dir.resolve("posterior.jsbi");
        MdnFile.save(a, file);
        Mdn b = MdnFile.load(file, be);
        assertSameModel(a, b, "D=3 xDim=2 K=4 H=20");
        for (int i = 0; i < a.parameters().size(); i++) {
            Parameter pa = a.parameters().get(i), pb = b.parameters().get(i);
            assertEquals(pa.name(), pb.name());
            assertArrayEquals(pa.value().toArray(), pb.value().toArray(), pa.name());
        }
    }

    @Test
    void roundTripOfOtherArchitectures(@TempDir Path dir) throws Exception {
        // D = 1 (no upper-triangle head), no hidden layers, a tanh trunk of one layer.
        Mdn[] models = {
            mdn(1, 3, MdnConfig.defaults().withHiddenFeatures(8).withComponents(3)),
            mdn(4, 2, MdnConfig.defaults().withHiddenFeatures(10).withHiddenLayers(0)),
            mdn(2, 1, MdnConfig.defaults().withHiddenFeatures(6).withHiddenLayers(1).withComponents(1)
                    .withActivation(Activation.TANH).withEpsilon(0f)),
        };
        for (int m = 0; m < models.length; m++) {
            Path file = dir.resolve("m" + m + ".jsbi");
            MdnFile.save(models[m], file);
            assertSameModel(models[m], MdnFile.load(file, be), "model " + m + " " + models[m].config());
        }
    }

    @Test
    void foreignKindAndOtherLayoutAreRefused() {
        ModelFile maf = MafFile.toModelFile(new Maf(be, 3, 2, ZScore.identity(3), ZScore.identity(2),
                MafConfig.defaults().withTransforms(1).withHiddenFeatures(4), new Rng(1)));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(maf, be));
        assertTrue(e.getMessage().contains("'maf'") && e.getMessage().contains("'mdn'"), e.getMessage());
        // And the other way round: an MDN file given to the MAF loader.
        ModelFile mdnFile = MdnFile.toModelFile(mdn());
        e = assertThrows(ModelFormatException.class, () -> MafFile.fromModelFile(mdnFile, be));
        assertTrue(e.getMessage().contains("'mdn'"), e.getMessage());

        ModelFile layout2 = edit(mdnFile, (k, v) -> k.equals("layout") ? "2" : v);
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(layout2, be));
        assertTrue(e.getMessage().contains("layout 2") && e.getMessage().contains("layout 1"), e.getMessage());
    }

    @Test
    void damagedAndTruncatedFilesAreRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.jsbi");
        MdnFile.save(mdn(), file);
        byte[] good = Files.readAllBytes(file);
        byte[] bytes = good.clone();
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> MdnFile.load(file, be));
        assertTrue(e.getMessage().toLowerCase().contains("damaged"), e.getMessage());
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
        e = assertThrows(ModelFormatException.class, () -> MdnFile.load(file, be));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void absurdSizesInTheMetadataAreRefusedBeforeAnythingIsBuilt() {
        ModelFile good = MdnFile.toModelFile(mdn());
        for (String[] e : new String[][] {{"components", "1000000000"}, {"hiddenFeatures", "2000000000"},
                {"hiddenLayers", "1000000000"}}) {
            ModelFile wrong = edit(good, (k, v) -> k.equals(e[0]) ? e[1] : v);
            ModelFormatException x = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(wrong, be),
                    e[0]);
            assertTrue(x.getMessage().contains("needs at least") && x.getMessage().contains("damaged"),
                    x.getMessage());
        }
    }

    @Test
    void inconsistentArchitectureIsRefused() {
        ModelFile good = MdnFile.toModelFile(mdn());

        // Metadata promising another architecture than the arrays hold.
        for (String key : new String[] {"components", "hiddenFeatures", "thetaDim", "xDim"}) {
            ModelFile wrong = edit(good, (k, v) -> k.equals(key) ? Integer.toString(Integer.parseInt(v) + 1) : v);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(wrong, be),
                    key);
            // Either an array of the wrong shape, or (more weights than the file holds) the size check before it.
            assertTrue(e.getMessage().contains("expected") || e.getMessage().contains("needs at least"),
                    key + ": " + e.getMessage());
        }
        // One hidden layer more: the file lacks the arrays of that layer.
        ModelFile deeper = edit(good, (k, v) -> k.equals("hiddenLayers") ? "3" : v);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(deeper, be));
        assertTrue(e.getMessage().contains("no array 'mlp.") || e.getMessage().contains("needs at least"),
                e.getMessage());
        // One hidden layer less: every array found has its shape, one pair is left over.
        ModelFile shallower = edit(good, (k, v) -> k.equals("hiddenLayers") ? "1" : v);
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(shallower, be));
        assertTrue(e.getMessage().contains("holds 16 arrays, expected 14"), e.getMessage());

        // Values no MdnConfig accepts.
        ModelFile noComponents = edit(good, (k, v) -> k.equals("components") ? "0" : v);
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(noComponents, be));
        assertTrue(e.getMessage().contains("inconsistent") && e.getMessage().contains("components"), e.getMessage());
        ModelFile negativeEps = edit(good, (k, v) -> k.equals("epsilon") ? "-1.0" : v);
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(negativeEps, be));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        ModelFile badAct = edit(good, (k, v) -> k.equals("activation") ? "SWISH" : v);
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(badAct, be));
        assertTrue(e.getMessage().contains("SWISH"), e.getMessage());
        ModelFile zeroX = edit(good, (k, v) -> k.equals("xDim") ? "0" : v);
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(zeroX, be));
        assertTrue(e.getMessage().contains("xDim 0"), e.getMessage());
        ModelFile missing = ModelFile.builder("mdn").meta("layout", 1).build();
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(missing, be));
        assertTrue(e.getMessage().contains("thetaDim"), e.getMessage());

        // An unusable z-scoring (std 0).
        ModelFile.Builder zs = ModelFile.builder("mdn");
        good.metadata().forEach(zs::meta);
        for (NamedArray a : good.arrays()) {
            zs.array(a.name().equals("zscore.x.std") ? new NamedArray(a.name(), 1, 2, new float[] {1f, 0f}) : a);
        }
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(zs.build(), be));
        assertTrue(e.getMessage().contains("z-scoring"), e.getMessage());

        // An extra array, and a missing one.
        ModelFile.Builder extra = ModelFile.builder("mdn");
        good.metadata().forEach(extra::meta);
        good.arrays().forEach(extra::array);
        extra.vector("stray", new float[] {1f});
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(extra.build(), be));
        assertTrue(e.getMessage().contains("holds 17 arrays, expected 16"), e.getMessage());
        ModelFile.Builder less = ModelFile.builder("mdn");
        good.metadata().forEach(less::meta);
        good.arrays().stream().filter(a -> !a.name().equals("mdn.upper.bias")).forEach(less::array);
        e = assertThrows(ModelFormatException.class, () -> MdnFile.fromModelFile(less.build(), be));
        assertTrue(e.getMessage().contains("no array 'mdn.upper.bias'"), e.getMessage());
    }

    /** A copy of f with each metadata value replaced by edit(key, value). */
    private static ModelFile edit(ModelFile f, BiFunction<String, String, String> edit) {
        ModelFile.Builder b = ModelFile.builder(f.kind());
        f.metadata().forEach((k, v) -> b.meta(k, edit.apply(k, v)));
        f.arrays().forEach(b::array);
        return b.build();
    }
}
