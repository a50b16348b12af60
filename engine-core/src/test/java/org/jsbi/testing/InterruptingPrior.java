package org.jsbi.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.jsbi.dist.Prior;
import org.jsbi.random.Rng;

/**
 * A base prior that interrupts the calling thread on the k-th call of {@link #sample} or of {@link #inSupport}: Ctrl-C
 * arriving at a known point while rejection sampling draws from (or checks against) it. Otherwise it is the base.
 */
public final class InterruptingPrior implements Prior {

    private final Prior base;
    private final int atSample, atSupportCheck;
    private final AtomicInteger samples = new AtomicInteger(), supportChecks = new AtomicInteger();

    private InterruptingPrior(Prior base, int atSample, int atSupportCheck) {
        this.base = base;
        this.atSample = atSample;
        this.atSupportCheck = atSupportCheck;
    }

    /** Interrupts on the {@code call}-th (from 1) call of {@link #sample}. */
    public static InterruptingPrior onSample(Prior base, int call) {
        return new InterruptingPrior(base, call, -1);
    }

    /** Interrupts on the {@code call}-th (from 1) call of {@link #inSupport}. */
    public static InterruptingPrior onSupportCheck(Prior base, int call) {
        return new InterruptingPrior(base, -1, call);
    }

    @Override
    public int dim() {
        return base.dim();
    }

    @Override
    public float[][] sample(int n, Rng rng) {
        float[][] s = base.sample(n, rng);
        if (samples.incrementAndGet() == atSample) Thread.currentThread().interrupt();
        return s;
    }

    @Override
    public double logProb(float[] theta) {
        return base.logProb(theta);
    }

    @Override
    public boolean inSupport(float[] theta) {
        if (supportChecks.incrementAndGet() == atSupportCheck) Thread.currentThread().interrupt();
        return base.inSupport(theta);
    }

    @Override
    public double[] mean() {
        return base.mean();
    }

    @Override
    public double[] stddev() {
        return base.stddev();
    }

    @Override
    public String describe() {
        return base.describe();
    }
}
