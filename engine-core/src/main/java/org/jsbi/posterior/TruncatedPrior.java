package org.jsbi.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsbi.dist.Prior;
import org.jsbi.random.Rng;

/**
 * A prior restricted to the region where a posterior estimate for one observation is high: {θ in the base prior's
 * support : log q(θ | x_o) ≥ τ}, with τ a low quantile (default 10⁻⁴) of log q over posterior samples. This is the
 * proposal of truncated sequential NPE (TSNPE, Deistler, Goncalves &amp; Macke 2022; sbi's {@code RestrictedPrior} with
 * {@code get_density_thresholder}).
 *
 * <p>Why it needs no loss correction: inside the region the truncated prior is the base prior times a constant, so
 * data pooled from the base prior and from truncated priors have, inside the region, a proposal proportional to the
 * prior. NPE trained on the pooled data by plain maximum likelihood estimates the true posterior for x_o as long as
 * the region holds (almost) all of it, which the low quantile provides. What it buys: every simulation lands where
 * the posterior for x_o has mass, so a round needs far fewer of them than the prior would.
 *
 * <p>Sampling is rejection from the base prior in blocks of {@value #BLOCK} draws, each block's log q evaluated in one
 * batch on the estimator's backend. The draws for a given {@link Rng} depend on the base prior, the estimator's
 * weights, x_o, τ and the backend (a one-ulp difference in log q can move a draw lying exactly on the threshold), not
 * on how many samples are asked of earlier calls. {@link #logProb}, {@link #mean} and {@link #stddev} need the
 * region's prior mass; it is estimated once, lazily, from a fixed stream of base draws
 * ({@link #massEstimate()}).
 *
 * <p>Immutable; thread-safe when the estimator's evaluation is (jsbi's estimators are).
 */
public final class TruncatedPrior implements Prior {

    /**
     * The region log q(θ | x_o) ≥ τ holds too little of the prior's mass to be drawn from or measured: a sequential
     * run ends at its finished rounds on it, as on a time limit.
     */
    public static final class RegionTooSmallException extends IllegalStateException {
        RegionTooSmallException(String message) {
            super(message);
        }
    }


    /** sbi's default quantile of log q over posterior samples that sets τ. */
    public static final double DEFAULT_QUANTILE = 1e-4;
    /** Base draws per evaluated block. */
    public static final int BLOCK = 4_096;
    /** Base draws one {@link #sample} call may make before it gives up (a region with almost no prior mass). */
    public static final long MAX_PROPOSALS = 200_000_000L;
    /** Base draws the mass estimate stops at, and accepted draws it is content with. */
    static final long MASS_MAX_PROPOSALS = 2_000_000L;
    static final int MASS_ACCEPTED = 2_000;
    private static final long MASS_SEED = 0x7A11_C0FFEEL;

    private final DirectPosterior posterior;
    private final float[] xo;
    private final double threshold;
    private final String estimatorId;
    private final long maxProposals, massMaxProposals;
    private volatile MassEstimate mass;

    /**
     * The prior mass of the region and the moments of the truncated prior, from the base draws of a fixed stream.
     *
     * @param mass      accepted / proposals
     * @param accepted  accepted draws
     * @param proposals base draws evaluated
     * @param mean      per parameter, over the accepted draws
     * @param stddev    per parameter, over the accepted draws
     */
    public record MassEstimate(double mass, long accepted, long proposals, double[] mean, double[] stddev) {
    }

    /**
     * @param posterior   the estimate q(θ | x) with its base prior (the prior the region is cut from)
     * @param xo          the observation the region is for
     * @param threshold   τ: the region is log q(θ | x_o) ≥ τ (see {@link #threshold(double[], double)})
     * @param estimatorId a short identifier of the estimator's weights (e.g. the CRC32 of its model file), written
     *                    into {@link #describe()} so that stores made from different estimates are told apart
     */
    public TruncatedPrior(DirectPosterior posterior, float[] xo, double threshold, String estimatorId) {
        this(posterior, xo, threshold, estimatorId, MAX_PROPOSALS, MASS_MAX_PROPOSALS);
    }

    /** With other limits on the base draws of one {@link #sample} call and of the mass estimate (tests). */
    TruncatedPrior(DirectPosterior posterior, float[] xo, double threshold, String estimatorId, long maxProposals,
                   long massMaxProposals) {
        if (posterior == null) throw new IllegalArgumentException("the posterior estimate must be given");
        InvalidObservationException.check(xo, posterior.xDim());
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("the log-density threshold must be finite, got " + threshold);
        }
        if (estimatorId == null || estimatorId.isBlank()) {
            throw new IllegalArgumentException("an identifier of the estimator must be given (e.g. its file's CRC32)");
        }
        if (posterior.thetaDim() != posterior.prior().dim()) {
            throw new IllegalArgumentException("the estimator has " + posterior.thetaDim() + " parameters but the prior "
                    + posterior.prior().dim());
        }
        this.posterior = posterior;
        this.xo = xo.clone();
        this.threshold = threshold;
        this.estimatorId = estimatorId.strip();
        this.maxProposals = maxProposals;
        this.massMaxProposals = massMaxProposals;
    }

    /**
     * τ for a quantile: the {@code quantile}-quantile (linear interpolation between order statistics) of log q(θ | x_o)
     * over posterior samples θ. Non-finite values (samples outside the prior) are ignored.
     */
    public static double threshold(double[] logProbOfPosteriorSamples, double quantile) {
        if (!(quantile >= 0 && quantile < 1)) {
            throw new IllegalArgumentException("the quantile must be in [0, 1), got " + quantile);
        }
        double[] v = Arrays.stream(logProbOfPosteriorSamples).filter(Double::isFinite).sorted().toArray();
        if (v.length < 100) {
            throw new IllegalArgumentException("the threshold needs the log-density of at least 100 posterior samples"
                    + " inside the prior, got " + v.length + "; draw more posterior samples");
        }
        double pos = quantile * (v.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(v.length - 1, i + 1);
        return v[i] + (pos - i) * (v[j] - v[i]);
    }

    public Prior base() {
        return posterior.prior();
    }

    public DirectPosterior posterior() {
        return posterior;
    }

    public float[] observation() {
        return xo.clone();
    }

    public double threshold() {
        return threshold;
    }

    public String estimatorId() {
        return estimatorId;
    }

    @Override
    public int dim() {
        return posterior.prior().dim();
    }

    /**
     * n draws of the base prior inside the region, by rejection in blocks of {@value #BLOCK}. Between blocks it stops
     * with a {@link SamplingIncompleteException} holding the draws accepted so far when the thread is interrupted (the
     * interrupt stays set) or after the posterior's {@link PosteriorConfig#timeLimitSeconds()}, and with an
     * {@link IllegalStateException} naming the acceptance rate after {@value #MAX_PROPOSALS} base draws.
     */
    @Override
    public float[][] sample(int n, Rng rng) {
        if (n < 0) throw new IllegalArgumentException("number of draws must be >= 0, got " + n);
        float[][] out = new float[n][];
        int kept = 0;
        long proposals = 0;
        long t0 = System.nanoTime();
        while (kept < n) {
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (Thread.currentThread().isInterrupted()) {
                throw incomplete("was interrupted", true, Arrays.copyOf(out, kept), n, proposals, seconds);
            }
            if (seconds > posterior.config().timeLimitSeconds()) {
                throw incomplete("hit its time limit of " + posterior.config().timeLimitSeconds() + " s", false,
                        Arrays.copyOf(out, kept), n, proposals, seconds);
            }
            if (proposals >= maxProposals) {
                throw new RegionTooSmallException(String.format(java.util.Locale.ROOT, "the truncated prior accepted %d"
                        + " of %,d base draws (%.2g): the region log q(θ | x_o) ≥ %.4g holds almost none of the"
                        + " prior's mass; lower the threshold (a smaller quantile) or check that the estimator is the"
                        + " one trained for x_o", kept, proposals, kept / (double) proposals, threshold));
            }
            proposals += BLOCK;
            for (float[] t : nextBlockInRegion(rng)) {
                if (kept < n) out[kept++] = t;
            }
        }
        return out;
    }

    /** Why {@link #sample} stopped short, how far it got, and (when the region is what makes it slow) what to do. */
    private SamplingIncompleteException incomplete(String cause, boolean interrupted, float[][] accepted, int requested,
                                                   long proposals, double seconds) {
        double rate = proposals == 0 ? 0 : accepted.length / (double) proposals;
        String advice = interrupted ? "" : "; the region holds little of the prior's mass: lower the threshold (a"
                + " smaller quantile), raise the time limit (PosteriorConfig.withTimeLimitSeconds of the posterior the"
                + " region is cut from) or check that the estimator is the one trained for x_o";
        return new SamplingIncompleteException(String.format(java.util.Locale.ROOT, "drawing from the truncated prior"
                + " %s after %.1f s with %d of %d draws; %d of %,d base draws (%.2g) fell in the region log q(θ | x_o)"
                + " >= %.4g%s", cause, seconds, accepted.length, requested, accepted.length, proposals, rate, threshold,
                advice), interrupted, accepted, proposals);
    }

    /** {@value #BLOCK} base draws from {@code rng}, log q evaluated as one batch; those inside the region, in order. */
    private List<float[]> nextBlockInRegion(Rng rng) {
        float[][] block = posterior.prior().sample(BLOCK, rng);
        double[] lq = posterior.logProbUncorrected(block, xo);
        List<float[]> in = new ArrayList<>();
        for (int i = 0; i < BLOCK; i++) {
            if (lq[i] >= threshold) in.add(block[i]);
        }
        return in;
    }

    /** log of the base density minus log of the region's mass inside the region, −∞ outside. */
    @Override
    public double logProb(float[] theta) {
        checkParameters(theta);
        if (!inSupport(theta)) return Double.NEGATIVE_INFINITY;
        return posterior.prior().logProb(theta) - Math.log(massEstimate().mass());
    }

    @Override
    public boolean inSupport(float[] theta) {
        checkParameters(theta);
        if (!posterior.prior().inSupport(theta)) return false;
        return posterior.logProbUncorrected(new float[][] {theta}, xo)[0] >= threshold;
    }

    @Override
    public double[] mean() {
        return massEstimate().mean().clone();
    }

    @Override
    public double[] stddev() {
        return massEstimate().stddev().clone();
    }

    /**
     * The base prior's description, then the region. Stores compare descriptions to refuse mixing proposals, so it
     * names the estimator, τ (exactly: {@link Double#toString}) and x_o.
     */
    @Override
    public String describe() {
        return posterior.prior().describe() + " truncated to log q(θ | x_o) >= " + threshold + " [estimator "
                + estimatorId + ", x_o " + Arrays.toString(xo) + "]";
    }

    /** The base prior's description if {@code description} is one of a truncated prior, else null. */
    public static String baseDescription(String description) {
        int i = description == null ? -1 : description.indexOf(" truncated to log q(θ | x_o) >= ");
        return i < 0 ? null : description.substring(0, i);
    }

    /**
     * The region's prior mass and the truncated prior's moments, estimated once from a fixed stream of base draws
     * (until {@value #MASS_ACCEPTED} are accepted, at most {@value #MASS_MAX_PROPOSALS} draws). Throws an
     * {@link IllegalStateException} when none is accepted, and a {@link SamplingIncompleteException} (with the draws
     * accepted so far) when the thread is interrupted between blocks; a later call estimates again.
     */
    public MassEstimate massEstimate() {
        MassEstimate m = mass;
        if (m == null) {
            synchronized (this) {
                if (mass == null) mass = estimateMass();
                m = mass;
            }
        }
        return m;
    }

    private MassEstimate estimateMass() {
        Rng rng = new Rng(MASS_SEED);
        int d = dim();
        List<float[]> inRegion = new ArrayList<>();
        long proposals = 0;
        while (inRegion.size() < MASS_ACCEPTED && proposals < massMaxProposals) {
            if (Thread.currentThread().isInterrupted()) {
                throw new SamplingIncompleteException(String.format(java.util.Locale.ROOT, "estimating the truncated"
                        + " prior's mass was interrupted after %,d base draws, %d of them in the region", proposals,
                        inRegion.size()), true, inRegion.toArray(float[][]::new), proposals);
            }
            proposals += BLOCK;
            inRegion.addAll(nextBlockInRegion(rng));
        }
        long accepted = inRegion.size();
        if (accepted == 0) {
            throw new RegionTooSmallException(String.format(java.util.Locale.ROOT, "none of %,d base draws lies in the"
                    + " region log q(θ | x_o) >= %.4g; it holds almost none of the prior's mass", proposals, threshold));
        }
        double[] sum = new double[d], sumSq = new double[d];
        for (float[] t : inRegion) {
            for (int k = 0; k < d; k++) {
                sum[k] += t[k];
                sumSq[k] += (double) t[k] * t[k];
            }
        }
        double[] mean = new double[d], sd = new double[d];
        for (int k = 0; k < d; k++) {
            mean[k] = sum[k] / accepted;
            sd[k] = Math.sqrt(Math.max(0, sumSq[k] / accepted - mean[k] * mean[k]));
        }
        return new MassEstimate(accepted / (double) proposals, accepted, proposals, mean, sd);
    }
}
