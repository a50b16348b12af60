package org.jsbi.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.flow.MafFile;
import org.jsbi.random.Rng;
import org.jsbi.testing.InterruptingPrior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truncated prior of TSNPE against brute force: the same base draws filtered by the same log-density threshold,
 * drawn from an independent stream. The estimator is an untrained MAF (its density is as good as any for these
 * properties, which hold for every q), over a box prior in 2-D with τ at the median of log q over prior draws, so
 * the region holds about half of the prior's mass.
 */
class TruncatedPriorTest {

    static final Prior BOX = Priors.boxUniform(2, -3, 3);
    static final float[] XO = {0.4f, -0.7f};

    @TempDir
    Path tmp;

    static Maf flow(Backend be) {
        return new Maf(be, 2, 2, ZScore.identity(2), ZScore.identity(2),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(16), new Rng(5));
    }

    static DirectPosterior posterior() {
        return new DirectPosterior(flow(Backends.current()), BOX, PosteriorConfig.defaults());
    }

    /** τ at the median of log q over 20,000 prior draws of another stream. */
    static double medianThreshold(DirectPosterior p) {
        double[] lq = p.logProbUncorrected(BOX.sample(20_000, new Rng(77)), XO);
        return TruncatedPrior.threshold(lq, 0.5);
    }

    @Test
    void everyDrawIsInsideTheRegionAndTheDrawsAreTheBasePriorFilteredByIt() {
        DirectPosterior p = posterior();
        double tau = medianThreshold(p);
        TruncatedPrior t = new TruncatedPrior(p, XO, tau, "test");
        int n = 20_000;
        float[][] draws = t.sample(n, new Rng(3));
        assertEquals(n, draws.length);
        double[] lq = p.logProbUncorrected(draws, XO);
        for (int i = 0; i < n; i++) {
            assertTrue(BOX.inSupport(draws[i]), "draw " + i + " outside the box");
            assertTrue(lq[i] >= tau, "draw " + i + " below the threshold: " + lq[i] + " < " + tau);
        }
        // Brute force from an independent stream: prior draws, kept where log q >= τ.
        float[][] base = BOX.sample(200_000, new Rng(11));
        double[] blq = p.logProbUncorrected(base, XO);
        double[] bMean = new double[2], bSq = new double[2];
        int kept = 0;
        for (int i = 0; i < base.length; i++) {
            if (blq[i] < tau) continue;
            kept++;
            for (int k = 0; k < 2; k++) {
                bMean[k] += base[i][k];
                bSq[k] += base[i][k] * (double) base[i][k];
            }
        }
        for (int k = 0; k < 2; k++) {
            bMean[k] /= kept;
            double sd = Math.sqrt(bSq[k] / kept - bMean[k] * bMean[k]);
            int col = k;
            double mean = Arrays.stream(draws).mapToDouble(r -> r[col]).average().orElseThrow();
            double se = sd * Math.sqrt(1.0 / n + 1.0 / kept);
            assertTrue(Math.abs(mean - bMean[k]) < 5 * se, "parameter " + k + ": truncated mean " + mean
                    + " against brute force " + bMean[k] + " (5 se = " + 5 * se + ")");
            assertEquals(bMean[k], t.mean()[k], 5 * sd * Math.sqrt(1.0 / t.massEstimate().accepted() + 1.0 / kept),
                    "the mass estimate's mean of parameter " + k);
            assertEquals(sd, t.stddev()[k], 0.05 * sd, "the mass estimate's sd of parameter " + k);
        }
        double bruteMass = kept / (double) base.length;
        TruncatedPrior.MassEstimate m = t.massEstimate();
        double se = Math.sqrt(bruteMass * (1 - bruteMass) * (1.0 / m.proposals() + 1.0 / base.length));
        assertEquals(bruteMass, m.mass(), 5 * se, "region mass");
        assertEquals(0.5, m.mass(), 0.03, "τ at the median of log q over prior draws");
    }

    @Test
    void theSameStreamGivesTheSameDrawsAndALongerRunExtendsAShorterOne() {
        TruncatedPrior t = new TruncatedPrior(posterior(), XO, medianThreshold(posterior()), "test");
        float[][] a = t.sample(3_000, new Rng(42)), b = t.sample(3_000, new Rng(42)), c = t.sample(5_000, new Rng(42));
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
            assertArrayEquals(a[i], c[i], "a longer run must begin with the shorter one's draws");
        }
        float[][] d = t.sample(3_000, new Rng(43));
        assertTrue(!Arrays.equals(a[0], d[0]), "another stream gives other draws");
    }

    @Test
    void logProbIsTheBaseDensityOverTheRegionsMassInsideAndMinusInfinityOutside() {
        DirectPosterior p = posterior();
        double tau = medianThreshold(p);
        TruncatedPrior t = new TruncatedPrior(p, XO, tau, "test");
        float[][] base = BOX.sample(2_000, new Rng(8));
        double[] lq = p.logProbUncorrected(base, XO);
        int in = 0, out = 0;
        for (int i = 0; i < base.length; i++) {
            double lp = t.logProb(base[i]);
            if (lq[i] >= tau) {
                in++;
                assertTrue(t.inSupport(base[i]));
                assertEquals(BOX.logProb(base[i]) - Math.log(t.massEstimate().mass()), lp, 1e-12);
            } else {
                out++;
                assertTrue(!t.inSupport(base[i]));
                assertEquals(Double.NEGATIVE_INFINITY, lp);
            }
        }
        assertTrue(in > 500 && out > 500, "both sides exercised: " + in + " in, " + out + " out");
        assertTrue(!t.inSupport(new float[] {5f, 0f}), "outside the box is outside the truncation");
    }

    @Test
    void thresholdIsTheInterpolatedQuantileOfTheFiniteValues() {
        double[] v = new double[101];
        for (int i = 0; i <= 100; i++) v[i] = 100 - i; // 0..100, unsorted
        double[] withInf = Arrays.copyOf(v, 103);
        withInf[101] = Double.NEGATIVE_INFINITY;
        withInf[102] = Double.NaN;
        assertEquals(0.0, TruncatedPrior.threshold(v, 0), 0);
        assertEquals(50.0, TruncatedPrior.threshold(withInf, 0.5), 0);
        assertEquals(12.5, TruncatedPrior.threshold(v, 0.125), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TruncatedPrior.threshold(v, 1.0));
        assertThrows(IllegalArgumentException.class, () -> TruncatedPrior.threshold(v, -0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TruncatedPrior.threshold(new double[50], 1e-4));
        assertTrue(e.getMessage().contains("at least 100"), e.getMessage());
    }

    @Test
    void aRegionWithoutPriorMassIsAClearErrorNotAHang() {
        DirectPosterior p = posterior();
        TruncatedPrior t = new TruncatedPrior(p, XO, 1e6, "test", 40_000, 40_000);
        IllegalStateException e = assertThrows(TruncatedPrior.RegionTooSmallException.class, t::massEstimate);
        assertTrue(e.getMessage().contains("none of"), e.getMessage());
        e = assertThrows(TruncatedPrior.RegionTooSmallException.class, () -> t.sample(10, new Rng(1)));
        assertTrue(e.getMessage().contains("accepted 0 of 40,960 base draws"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TruncatedPrior(p, XO, Double.NaN, "test"));
        assertThrows(IllegalArgumentException.class, () -> new TruncatedPrior(p, new float[3], 0, "test"));
        assertThrows(IllegalArgumentException.class, () -> new TruncatedPrior(p, XO, 0, " "));
    }

    /** Ctrl-C during a long rejection run: it stops between blocks and hands back what it had accepted. */
    @Test
    void anInterruptStopsSamplingBetweenBlocksWithTheDrawsAcceptedSoFar() {
        DirectPosterior p = posterior();
        double tau = medianThreshold(p);
        DirectPosterior interrupting = new DirectPosterior(p.estimator(), InterruptingPrior.onSample(BOX, 3),
                PosteriorConfig.defaults());
        TruncatedPrior t = new TruncatedPrior(interrupting, XO, tau, "test");
        SamplingIncompleteException e;
        try {
            e = assertThrows(SamplingIncompleteException.class, () -> t.sample(1_000_000, new Rng(3)));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        } finally {
            Thread.interrupted();
        }
        assertTrue(e.interrupted());
        assertTrue(e.getMessage().contains("was interrupted"), e.getMessage());
        float[][] accepted = e.accepted();
        assertTrue(accepted.length > 0 && accepted.length <= 3 * TruncatedPrior.BLOCK,
                "stopped after the third block: " + accepted.length + " accepted");
        assertEquals(0.5, e.acceptanceRate(), 0.05, "τ at the median holds half the base draws");
        float[][] uninterrupted = new TruncatedPrior(p, XO, tau, "test").sample(accepted.length, new Rng(3));
        for (int i = 0; i < accepted.length; i++) assertArrayEquals(uninterrupted[i], accepted[i]);
    }

    @Test
    void anInterruptStopsTheMassEstimateAndALaterCallEstimatesAgain() {
        DirectPosterior p = posterior();
        // τ at the 0.9 quantile: a tenth of the prior, so the estimate needs several blocks for its 2,000 draws
        double tau = TruncatedPrior.threshold(p.logProbUncorrected(BOX.sample(20_000, new Rng(77)), XO), 0.9);
        TruncatedPrior t = new TruncatedPrior(new DirectPosterior(p.estimator(), InterruptingPrior.onSample(BOX, 2),
                PosteriorConfig.defaults()), XO, tau, "test");
        SamplingIncompleteException e;
        try {
            e = assertThrows(SamplingIncompleteException.class, t::massEstimate);
        } finally {
            Thread.interrupted();
        }
        assertTrue(e.interrupted());
        assertTrue(e.getMessage().contains("after 8,192 base draws"), e.getMessage());
        assertEquals(0.1, e.acceptanceRate(), 0.03);
        assertEquals(new TruncatedPrior(p, XO, tau, "test").massEstimate().mass(), t.massEstimate().mass(), 0,
                "estimated again, uninterrupted, from the same stream");
    }

    @Test
    void samplingARegionOfLittleMassStopsAtThePosteriorsTimeLimit() {
        DirectPosterior p = posterior();
        DirectPosterior hurried = new DirectPosterior(p.estimator(), BOX,
                PosteriorConfig.defaults().withTimeLimitSeconds(1e-6));
        TruncatedPrior t = new TruncatedPrior(hurried, XO, medianThreshold(p), "test");
        SamplingIncompleteException e = assertThrows(SamplingIncompleteException.class,
                () -> t.sample(1_000_000, new Rng(3)));
        assertFalse(e.interrupted());
        assertTrue(e.getMessage().contains("time limit") && e.getMessage().contains("withTimeLimitSeconds"),
                e.getMessage());
        assertTrue(e.accepted().length < 1_000_000);
    }

    @Test
    void theDescriptionNamesTheBasePriorTheThresholdTheEstimatorAndTheObservation() {
        TruncatedPrior t = new TruncatedPrior(posterior(), XO, -1.25, "crc32:0badf00d");
        String d = t.describe();
        assertEquals(BOX.describe(), TruncatedPrior.baseDescription(d));
        assertTrue(d.contains("-1.25") && d.contains("crc32:0badf00d") && d.contains("0.4, -0.7"), d);
        assertNull(TruncatedPrior.baseDescription(BOX.describe()));
        assertNull(TruncatedPrior.baseDescription(null));
    }

    @Test
    void aFileRoundTripGivesTheSameRegionAndTheSameDraws() throws IOException {
        Backend be = Backends.current();
        Maf maf = flow(be);
        Path model = tmp.resolve("q.jsbi"), file = tmp.resolve("truncated-prior.properties");
        MafFile.save(maf, model);
        DirectPosterior p = new DirectPosterior(maf, BOX, PosteriorConfig.defaults());
        TruncatedPrior t = new TruncatedPrior(p, XO, medianThreshold(p), "next round");
        TruncatedPriorFile.write(file, t, model, 0.5, 20_000);

        TruncatedPrior back = TruncatedPriorFile.load(file, BOX, be, PosteriorConfig.defaults());
        assertEquals(t.threshold(), back.threshold(), 0);
        assertArrayEquals(XO, back.observation());
        assertTrue(back.estimatorId().startsWith("crc32:"), back.estimatorId());
        float[][] a = t.sample(500, new Rng(1)), b = back.sample(500, new Rng(1));
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i]);
        assertEquals(back.describe(), TruncatedPriorFile.load(file, BOX, be, PosteriorConfig.defaults()).describe(),
                "a resumed store compares descriptions: loading twice must give the same one");
    }

    @Test
    void aFileIsNotWrittenNamingAnotherModelThanThePriorsOwn() throws IOException {
        Backend be = Backends.current();
        Path other = tmp.resolve("other.jsbi"), file = tmp.resolve("w.properties");
        MafFile.save(new Maf(be, 2, 2, ZScore.identity(2), ZScore.identity(2),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(16), new Rng(6)), other);
        TruncatedPrior t = new TruncatedPrior(posterior(), XO, -2.0, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TruncatedPriorFile.write(file, t, other, 1e-4, 10_000));
        assertTrue(e.getMessage().contains("is not the estimator this truncated prior was made with"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(file), "nothing written");
        // `other` is still the wrong model, so only the message shows that the quantile itself was refused.
        e = assertThrows(IllegalArgumentException.class, () -> TruncatedPriorFile.write(file, t, other, 7.5, 10_000));
        assertTrue(e.getMessage().contains("quantile must be in [0, 1)") && e.getMessage().contains("got 7.5"),
                e.getMessage());
    }

    @Test
    void aChangedModelAnotherPriorOrADamagedFileIsRefusedWithTheReason() throws IOException {
        Backend be = Backends.current();
        Path model = tmp.resolve("q.jsbi"), file = tmp.resolve("t.properties");
        MafFile.save(flow(be), model);
        DirectPosterior p = new DirectPosterior(MafFile.load(model, be), BOX, PosteriorConfig.defaults());
        TruncatedPriorFile.write(file, new TruncatedPrior(p, XO, -2.0, "x"), model, 1e-4, 10_000);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TruncatedPriorFile.load(file, Priors.boxUniform(2, -2, 2), be, PosteriorConfig.defaults()));
        assertTrue(e.getMessage().contains("truncates another prior"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> TruncatedPriorFile.load(tmp.resolve("missing.properties"), BOX, be, PosteriorConfig.defaults()));
        assertTrue(e.getMessage().contains("no truncated prior"), e.getMessage());

        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.replace("formatVersion=1", "formatVersion=9"), StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> TruncatedPriorFile.load(file, BOX, be,
                PosteriorConfig.defaults()));
        assertTrue(e.getMessage().contains("format version '9'"), e.getMessage());
        Files.writeString(file, text.replace("threshold=-2.0", "threshold=abc"), StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> TruncatedPriorFile.load(file, BOX, be,
                PosteriorConfig.defaults()));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        Files.writeString(file, text, StandardCharsets.UTF_8);

        MafFile.save(new Maf(be, 2, 2, ZScore.identity(2), ZScore.identity(2),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(16), new Rng(6)), model);
        e = assertThrows(IllegalArgumentException.class, () -> TruncatedPriorFile.load(file, BOX, be,
                PosteriorConfig.defaults()));
        assertTrue(e.getMessage().contains("has changed"), e.getMessage());
        Files.delete(model);
        e = assertThrows(IllegalArgumentException.class, () -> TruncatedPriorFile.load(file, BOX, be,
                PosteriorConfig.defaults()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
