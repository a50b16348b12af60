package org.jsbi.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFormatException;

/**
 * A prior as entries of a model file, so that a saved posterior carries the prior it is restricted to: its kind and
 * parameters as metadata under a prefix, each number written by {@link Double#toString} (read back exactly: a box's
 * bounds, and so its support, are the same after loading). The priors of {@link Priors} can be written; a prior of
 * another class (a user's, a truncated prior) cannot, and {@link #write} says so.
 *
 * <p>A Gaussian is written by its mean and the Cholesky factor of its covariance, so that it reads back the same to
 * the bit (its covariance factorised again would not).
 */
public final class PriorEntries {

    private PriorEntries() {
    }

    /** Whether {@link #write} can write this prior. */
    public static boolean canWrite(Prior prior) {
        if (prior instanceof IndependentPrior ip) {
            for (Prior p : ip.parts()) {
                if (!canWrite(p)) return false;
            }
            return true;
        }
        return prior instanceof BoxUniform || prior instanceof MultivariateGaussian || prior instanceof LogNormal;
    }

    /** Writes {@code prior} as metadata entries whose keys start with {@code prefix}. */
    public static void write(Prior prior, String prefix, ModelFile.Builder b) {
        switch (prior) {
            case BoxUniform box -> {
                b.meta(prefix + "kind", "box_uniform");
                b.meta(prefix + "low", doubles(box.low()));
                b.meta(prefix + "high", doubles(box.high()));
            }
            case MultivariateGaussian g -> {
                b.meta(prefix + "kind", "gaussian");
                b.meta(prefix + "mean", doubles(g.mean()));
                // The Cholesky factor the prior works with, not Σ: factorised again, Σ would give another factor in
                // the last bits. A row per entry: a whole 100-D factor would pass a metadata value's 65,535 bytes.
                double[][] l = g.choleskyFactor();
                for (int i = 0; i < l.length; i++) b.meta(prefix + "cholesky." + i, doubles(l[i]));
            }
            case LogNormal ln -> {
                b.meta(prefix + "kind", "log_normal");
                b.meta(prefix + "mu", doubles(ln.mu()));
                b.meta(prefix + "sigma", doubles(ln.sigma()));
            }
            case IndependentPrior ip -> {
                List<Prior> parts = ip.parts();
                b.meta(prefix + "kind", "independent");
                b.meta(prefix + "parts", parts.size());
                for (int i = 0; i < parts.size(); i++) write(parts.get(i), prefix + "part." + i + ".", b);
            }
            case null -> throw new IllegalArgumentException("no prior given");
            default -> throw new IllegalArgumentException("a prior of class " + prior.getClass().getName() + " ("
                    + prior.describe() + ") cannot be written to a file: only the priors of Priors (box-uniform,"
                    + " Gaussian, log-normal and independent products of them) can; save the estimator alone"
                    + " (MafFile.save, MdnFile.save) and build the prior again in code");
        }
    }

    /** Reads the prior {@link #write} wrote under {@code prefix}; a malformed entry is a {@link ModelFormatException}. */
    public static Prior read(ModelFile f, String prefix) {
        String kind = f.meta(prefix + "kind");
        try {
            return switch (kind) {
                case "box_uniform" -> new BoxUniform(doubles(f, prefix + "low"), doubles(f, prefix + "high"));
                case "gaussian" -> {
                    double[] mean = doubles(f, prefix + "mean");
                    double[][] l = new double[mean.length][];
                    for (int i = 0; i < l.length; i++) l[i] = doubles(f, prefix + "cholesky." + i);
                    yield MultivariateGaussian.fromCholesky(mean, l);
                }
                case "log_normal" -> new LogNormal(doubles(f, prefix + "mu"), doubles(f, prefix + "sigma"));
                case "independent" -> {
                    int n = f.metaInt(prefix + "parts");
                    if (n < 1 || n > 100_000) {
                        throw new ModelFormatException("the independent prior under '" + prefix + "' has " + n
                                + " parts");
                    }
                    List<Prior> parts = new ArrayList<>();
                    for (int i = 0; i < n; i++) parts.add(read(f, prefix + "part." + i + "."));
                    yield new IndependentPrior(parts.toArray(Prior[]::new));
                }
                default -> throw new ModelFormatException("unknown prior kind '" + kind + "' under '" + prefix
                        + "': written by a newer jsbi?");
            };
        } catch (IllegalArgumentException e) {
            // The priors' own checks (bounds in order, a positive definite covariance, ...) on damaged values.
            throw new ModelFormatException("the prior under '" + prefix + "' is not valid: " + e.getMessage(), e);
        }
    }

    private static String doubles(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(Double.toString(v[i]));
        return sb.toString();
    }

    private static double[] doubles(ModelFile f, String key) {
        String v = f.meta(key);
        String[] parts = v.isEmpty() ? new String[0] : v.split(",", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new ModelFormatException(String.format(Locale.ROOT, "metadata entry '%s' holds '%s' at position"
                        + " %d, not a number", key, parts[i], i), e);
            }
        }
        return out;
    }
}
