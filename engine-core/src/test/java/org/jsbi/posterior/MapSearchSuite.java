package org.jsbi.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.backend.Backend;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;
import org.jsbi.testing.DiagonalGaussianEstimator;
import org.jsbi.testing.PassCountingEstimator;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectPosterior#map} on a backend: the same floats as the search written before session 39
 * ({@link TwoPassMapSearch}: a gradient pass and a log q pass per step, ten columns wide, parameter gradients
 * included), from one estimator pass per step, padded to the backend's {@link Backend#preferredColumnMultiple}, that
 * leaves the parameters' gradients alone. The flows have perturbed random weights and their θ z-scoring centred
 * beyond the box's edge at 1, so the mode lies outside: chains are refused steps and meet the edge.
 */
public abstract class MapSearchSuite {

    protected abstract Backend backend();

    private static final Prior BOX = Priors.boxUniform(2, 0, 1);
    /** Fewer starts and steps than the defaults, for time (a fresh JVM runs the first searches' kernels slowly). */
    private static final PosteriorConfig SHORT = PosteriorConfig.defaults().withMap(100, 60, 0.01);

    private ConditionalDensityEstimator maf(int salt) {
        Maf maf = new Maf(backend(), 2, 2, new ZScore(new float[] {1.1f, 0.5f}, new float[] {0.3f, 0.3f}),
                ZScore.identity(2), MafConfig.defaults().withHiddenFeatures(20).withTransforms(3), new Rng(salt));
        return perturbed(maf, salt);
    }

    private ConditionalDensityEstimator mdn(int salt) {
        Mdn mdn = new Mdn(backend(), 2, 2, new ZScore(new float[] {1.1f, 0.5f}, new float[] {0.3f, 0.3f}),
                ZScore.identity(2), MdnConfig.defaults().withHiddenFeatures(20).withComponents(3), new Rng(salt));
        return perturbed(mdn, salt);
    }

    /** N(0, 0.1²) added to every weight: at their initial values the flows are nearly Gaussian. */
    private static <E extends ConditionalDensityEstimator> E perturbed(E estimator, int salt) {
        Rng rng = new Rng(1000 + salt);
        for (Parameter p : estimator.parameters()) {
            float[] v = p.value().toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.1 * rng.nextGaussian());
            p.value().set(v);
        }
        return estimator;
    }

    @Test
    void mafAndMdnGiveTheTwoPassSearchsAnswer() {
        float[][] xs = {{0.3f, -0.2f}, {-1f, 0.7f}};
        for (ConditionalDensityEstimator est : List.of(maf(1), mdn(2))) {
            DirectPosterior p = new DirectPosterior(est, BOX, SHORT);
            for (int o = 0; o < xs.length; o++) {
                assertArrayEquals(TwoPassMapSearch.map(p, xs[o], o), p.map(xs[o], o), est.getClass().getSimpleName() + ", observation " + o + " on "
                        + backend().name());
            }
        }
    }

    /**
     * DirectPosteriorTest's known answers: a mode beyond a box's edge (steps cut at the edge), beyond a support with
     * no bounds, and a posterior much narrower than a step (most steps refused), with the default settings.
     */
    @Test
    void edgeAndNarrowPosteriorsGiveTheTwoPassSearchsAnswer() {
        Backend be = backend();
        DirectPosterior edge = new DirectPosterior(new DiagonalGaussianEstimator(be, new float[] {3f, 1f},
                new float[] {1f, 1f}, 1f), Priors.boxUniform(2, -2, 2), PosteriorConfig.defaults());
        DirectPosterior unbounded = new DirectPosterior(new DiagonalGaussianEstimator(be, new float[] {-1f, 1f},
                new float[] {1f, 1f}, 1f), Priors.logNormal(new double[] {0, 0}, new double[] {1, 1}),
                PosteriorConfig.defaults());
        int d = 10;
        float[] mu = new float[d], sigma = new float[d];
        for (int i = 0; i < d; i++) {
            mu[i] = 0.1f * i - 0.3f;
            sigma[i] = 0.01f;
        }
        DirectPosterior narrow = new DirectPosterior(new DiagonalGaussianEstimator(be, mu, sigma, 1f),
                Priors.boxUniform(d, -3, 3), PosteriorConfig.defaults());
        float[] x = {0f};
        for (DirectPosterior p : List.of(edge, unbounded, narrow)) {
            for (long seed = 1; seed <= 2; seed++) {
                assertArrayEquals(TwoPassMapSearch.map(p, x, seed), p.map(x, seed), p.prior() + ", seed " + seed);
            }
        }
    }

    /**
     * The starts' log q, then one pass for the first gradient and one per step: log q and its gradient at the
     * proposals together. Each step's pass is ten columns padded to the backend's preferred multiple.
     */
    @Test
    void oneEstimatorPassPerStepAtThePreferredWidth() {
        PassCountingEstimator counting = new PassCountingEstimator(maf(3));
        PosteriorConfig cfg = PosteriorConfig.defaults().withMap(200, 30, 0.01);
        new DirectPosterior(counting, BOX, cfg).map(new float[] {0.3f, -0.2f}, 5);
        int multiple = backend().preferredColumnMultiple();
        int width = (10 + multiple - 1) / multiple * multiple;
        List<Integer> expected = new ArrayList<>();
        expected.add(200);
        for (int i = 0; i <= cfg.mapSteps(); i++) expected.add(width);
        assertEquals(expected, counting.widths(), "widths of the estimator's passes on " + backend().name());
    }

    /** MAP wants ∂ log q / ∂θ alone: the gradients the parameters hold (a training's, say) are left as they were. */
    @Test
    void leavesTheParametersGradientsAlone() {
        ConditionalDensityEstimator est = maf(4);
        List<float[]> before = new ArrayList<>();
        for (Parameter p : est.parameters()) {
            float[] g = new float[p.size()];
            java.util.Arrays.fill(g, 0.25f);
            p.grad().set(g);
            before.add(g);
        }
        new DirectPosterior(est, BOX, PosteriorConfig.defaults().withMap(100, 20, 0.01))
                .map(new float[] {0.3f, -0.2f}, 6);
        for (int i = 0; i < before.size(); i++) {
            Parameter p = est.parameters().get(i);
            assertArrayEquals(before.get(i), p.grad().toArray(), p.name());
        }
    }
}
