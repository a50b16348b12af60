package org.jsbi.dist;

import java.util.ArrayList;
import java.util.List;
import org.jsbi.random.Rng;

/** The product of independent priors over consecutive blocks of θ, e.g. a uniform block followed by a log-normal one. */
public final class IndependentPrior implements Prior {

    private final Prior[] parts;
    private final int[] offsets;
    private final int dim;

    IndependentPrior(Prior... parts) {
        if (parts == null || parts.length == 0) throw new IllegalArgumentException("a product prior needs at least one part");
        this.parts = parts.clone();
        this.offsets = new int[parts.length];
        int d = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) throw new IllegalArgumentException("part " + i + " of the product prior is null");
            offsets[i] = d;
            d += parts[i].dim();
        }
        this.dim = d;
    }

    public List<Prior> parts() {
        return List.of(parts);
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public float[][] sample(int n, Rng rng) {
        Priors.checkCount(n);
        float[][] out = new float[n][dim];
        for (int p = 0; p < parts.length; p++) {
            float[][] block = parts[p].sample(n, rng);
            for (int s = 0; s < n; s++) System.arraycopy(block[s], 0, out[s], offsets[p], parts[p].dim());
        }
        return out;
    }

    private float[] slice(float[] theta, int p) {
        float[] s = new float[parts[p].dim()];
        System.arraycopy(theta, offsets[p], s, 0, s.length);
        return s;
    }

    @Override
    public double logProb(float[] theta) {
        checkParameters(theta);
        double lp = 0;
        for (int p = 0; p < parts.length; p++) lp += parts[p].logProb(slice(theta, p));
        return lp;
    }

    @Override
    public boolean inSupport(float[] theta) {
        checkParameters(theta);
        for (int p = 0; p < parts.length; p++) {
            if (!parts[p].inSupport(slice(theta, p))) return false;
        }
        return true;
    }

    @Override
    public double[] mean() {
        return concat(true);
    }

    @Override
    public double[] stddev() {
        return concat(false);
    }

    private double[] concat(boolean mean) {
        double[] out = new double[dim];
        for (int p = 0; p < parts.length; p++) {
            double[] v = mean ? parts[p].mean() : parts[p].stddev();
            System.arraycopy(v, 0, out, offsets[p], v.length);
        }
        return out;
    }

    @Override
    public String describe() {
        List<String> names = new ArrayList<>();
        for (Prior p : parts) names.add(p.describe());
        return "Independent" + names;
    }
}
