package org.jsbi.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafFile;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.io.ModelFormatException;
import org.jsbi.random.Rng;
import org.jsbi.testing.NoisyIdentity;
import org.jsbi.testing.TestSeeds;
import org.jsbi.train.EstimatorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A posterior saved to one file and loaded back gives the same log-densities to the bit and the same samples for the
 * same seed, with each kind of prior; what cannot be saved, and files that are not posteriors, are clear errors.
 */
class PosteriorFileTest {

    private final long seed = TestSeeds.seed(91);

    @TempDir
    Path dir;

    private DirectPosterior trained(EstimatorFactory factory, Prior prior) {
        NpeConfig cfg = NpeConfig.defaults().withEstimator(factory)
                .withTraining(NpeConfig.defaults().training().withSeed(seed).withMaxEpochs(3));
        return new Npe(cfg).run(new NoisyIdentity(0.3), prior, 600, seed)
                .posterior(prior, PosteriorConfig.defaults().withLeakageSamples(2_000).withMap(50, 100, 0.02));
    }

    private void assertSamePosterior(DirectPosterior a, DirectPosterior b) {
        float[] x = {0.4f, 0.7f};
        float[][] theta = Priors.boxUniform(2, -0.2, 1.2).sample(200, new Rng(seed));
        assertArrayEquals(a.logProb(theta, x), b.logProb(theta, x), "log-densities, bit for bit");
        float[][] sa = a.sample(300, x, seed), sb = b.sample(300, x, seed);
        for (int i = 0; i < sa.length; i++) assertArrayEquals(sa[i], sb[i], "sample " + i);
        assertEquals(a.prior().describe(), b.prior().describe());
        assertEquals(a.config(), b.config());
    }

    @Test
    void aSavedPosteriorLoadsBackTheSameForEveryKindOfPrior() throws IOException {
        DirectPosterior maf = trained(EstimatorFactory.maf(), Priors.boxUniform(2, 0, 1));
        DirectPosterior mdn = trained(EstimatorFactory.mdn(), Priors.boxUniform(2, 0, 1));
        List<Prior> priors = List.of(
                Priors.boxUniform(new double[] {0.1, -0.3}, new double[] {0.7000003, 1.3}),
                Priors.gaussian(new double[] {0.5, 0.5}, new double[][] {{0.04, 0.01}, {0.01, 0.09}}),
                Priors.logNormal(new double[] {-0.7, -0.2}, new double[] {0.5, 0.3}),
                Priors.independent(Priors.boxUniform(1, 0, 1), Priors.logNormal(new double[] {-0.5},
                        new double[] {0.4})));
        Backend be = Backends.current();
        int i = 0;
        for (DirectPosterior base : List.of(maf, mdn)) {
            for (Prior prior : priors) {
                DirectPosterior p = new DirectPosterior(base.estimator(), prior, base.config());
                Path file = dir.resolve("posterior-" + i++ + ".jsbi");
                p.save(file);
                assertSamePosterior(p, DirectPosterior.load(file, be));
            }
        }
    }

    /**
     * Parameter names travel with the file; a file without them (saved before they were kept) loads with theta_1, ...;
     * names that could not head a CSV column are refused when given and when read.
     */
    @Test
    void parameterNamesAreSavedAndOlderFilesGetTheDefault() throws IOException {
        DirectPosterior p = trained(EstimatorFactory.maf(), Priors.boxUniform(2, 0, 1));
        assertEquals(List.of("theta_1", "theta_2"), p.parameterNames());
        DirectPosterior named = p.withParameterNames(List.of("ḡ_Na", "E leak"));
        Path file = dir.resolve("named.jsbi");
        named.save(file);
        DirectPosterior back = DirectPosterior.load(file, Backends.current());
        assertEquals(List.of("ḡ_Na", "E leak"), back.parameterNames());
        assertSamePosterior(named, back);

        org.jsbi.io.ModelFile withNames = PosteriorFile.toModelFile(named);
        org.jsbi.io.ModelFile.Builder older = org.jsbi.io.ModelFile.builder(withNames.kind());
        withNames.metadata().forEach((k, v) -> {
            if (!k.startsWith("parameter.name.")) older.meta(k, v);
        });
        for (org.jsbi.io.NamedArray a : withNames.arrays()) older.array(a.name(), a.rows(), a.cols(), a.data());
        assertEquals(List.of("theta_1", "theta_2"), PosteriorFile.fromModelFile(older.build(), Backends.current())
                .parameterNames());

        for (List<String> bad : List.of(List.of("a"), List.of("a", "a"), List.of("a", " "), List.of("a", "b,c"),
                List.of("a", "b\nc"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.withParameterNames(bad));
            assertTrue(e.getMessage().contains("parameter name") || e.getMessage().contains("names for"),
                    e.getMessage());
        }
        org.jsbi.io.ModelFile.Builder damaged = org.jsbi.io.ModelFile.builder(withNames.kind());
        withNames.metadata().forEach((k, v) -> damaged.meta(k, k.equals("parameter.name.1") ? "ḡ_Na" : v));
        for (org.jsbi.io.NamedArray a : withNames.arrays()) damaged.array(a.name(), a.rows(), a.cols(), a.data());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> PosteriorFile.fromModelFile(damaged.build(), Backends.current()));
        assertTrue(e.getMessage().contains("parameter names are not valid: parameter name 'ḡ_Na' appears twice"),
                e.getMessage());
    }

    @Test
    void whatCannotBeSavedOrIsNoPosteriorIsAClearError() throws IOException {
        DirectPosterior maf = trained(EstimatorFactory.maf(), Priors.boxUniform(2, 0, 1));
        Prior custom = new Prior() {
            public int dim() {
                return 2;
            }

            public float[][] sample(int n, Rng rng) {
                return Priors.boxUniform(2, 0, 1).sample(n, rng);
            }

            public double logProb(float[] theta) {
                return 0;
            }

            public boolean inSupport(float[] theta) {
                return true;
            }

            public double[] mean() {
                return new double[] {0.5, 0.5};
            }

            public double[] stddev() {
                return new double[] {0.3, 0.3};
            }

            public String describe() {
                return "MyPrior[2]";
            }
        };
        Path file = dir.resolve("p.jsbi");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DirectPosterior(maf.estimator(), custom, maf.config()).save(file));
        assertTrue(e.getMessage().contains("MyPrior[2]") && e.getMessage().contains("save the estimator alone"),
                e.getMessage());
        assertTrue(Files.notExists(file), "nothing written");

        Path model = dir.resolve("maf.jsbi");
        MafFile.save((Maf) maf.estimator(), model);
        ModelFormatException m = assertThrows(ModelFormatException.class,
                () -> DirectPosterior.load(model, Backends.current()));
        assertTrue(m.getMessage().contains("not a posterior") && m.getMessage().contains("MafFile.load"),
                m.getMessage());

        maf.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(ModelFormatException.class, () -> DirectPosterior.load(file, Backends.current()));
    }
}
