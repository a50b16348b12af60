package org.jsbi.mdn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.backend.Backend;
import org.jsbi.estimator.ZScore;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFiles;
import org.jsbi.io.ModelFormatException;
import org.jsbi.nn.Activation;
import org.jsbi.random.Rng;

/**
 * Saves and loads a {@link Mdn} in the model-file format (docs/MODEL-FORMAT.md): the architecture ({@link MdnConfig}
 * and the dimensions) as metadata, the z-scoring and every parameter as named arrays, in {@link Mdn#parameters()}
 * order. A loaded MDN computes bit-identical log-densities and, for the same seed, identical samples.
 *
 * <p>Layout 1 of kind {@code "mdn"}: metadata {@code layout, thetaDim, xDim, hiddenFeatures, hiddenLayers, components,
 * activation, epsilon} (ε written as the exact decimal of its float value); arrays {@code zscore.theta.mean},
 * {@code zscore.theta.std}, {@code zscore.x.mean}, {@code zscore.x.std} (1 x dim each), then one array per parameter
 * under the parameter's name ({@code mlp.<i>.weight|bias}, {@code mdn.logits|means|diag|upper.weight|bias}).
 */
public final class MdnFile {

    static final String KIND = "mdn";
    /** Revision of this estimator's layout inside the container. */
    static final int LAYOUT = 1;

    private MdnFile() {
    }

    public static ModelFile toModelFile(Mdn mdn) {
        MdnConfig c = mdn.config();
        ModelFile.Builder b = ModelFile.builder(KIND)
                .meta("layout", LAYOUT)
                .meta("thetaDim", mdn.thetaDim())
                .meta("xDim", mdn.xDim())
                .meta("hiddenFeatures", c.hiddenFeatures())
                .meta("hiddenLayers", c.hiddenLayers())
                .meta("components", c.components())
                .meta("activation", c.activation().name())
                .meta("epsilon", (double) c.epsilon());
        b.vector("zscore.theta.mean", mdn.thetaScore().mean()).vector("zscore.theta.std", mdn.thetaScore().std());
        b.vector("zscore.x.mean", mdn.xScore().mean()).vector("zscore.x.std", mdn.xScore().std());
        for (Parameter p : mdn.parameters()) b.array(p.name(), p.value().rows(), p.value().cols(), p.value().toArray());
        return b.build();
    }

    public static void save(Mdn mdn, Path path) throws IOException {
        ModelFiles.write(toModelFile(mdn), path);
    }

    public static Mdn load(Path path, Backend backend) throws IOException {
        ModelFile f = ModelFiles.read(path);
        try {
            return fromModelFile(f, backend);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e);
        }
    }

    public static Mdn fromModelFile(ModelFile f, Backend backend) {
        f.requireKind(KIND);
        int layout = f.metaInt("layout");
        if (layout != LAYOUT) {
            throw new ModelFormatException("this MDN was saved with layout " + layout + "; this jsbi reads layout "
                    + LAYOUT);
        }
        int d = f.metaInt("thetaDim"), xd = f.metaInt("xDim");
        if (d < 1 || xd < 1) {
            throw new ModelFormatException("the MDN file's architecture is inconsistent: thetaDim " + d + " and xDim "
                    + xd + " must both be >= 1");
        }
        Activation act;
        try {
            act = Activation.valueOf(f.meta("activation"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("unknown activation '" + f.meta("activation") + "' in the MDN file");
        }
        double eps = f.metaDouble("epsilon");
        if ((float) eps != eps) {
            throw new ModelFormatException("the MDN file's epsilon " + eps + " is not a float32 value: the file was"
                    + " not written by jsbi or was edited");
        }
        MdnConfig cfg;
        try {
            cfg = new MdnConfig(f.metaInt("hiddenFeatures"), f.metaInt("hiddenLayers"), f.metaInt("components"), act,
                    (float) eps);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("the MDN file's architecture is inconsistent: " + e.getMessage(), e);
        }
        ZScore ts, xs;
        try {
            ts = new ZScore(f.array("zscore.theta.mean", 1, d), f.array("zscore.theta.std", 1, d));
            xs = new ZScore(f.array("zscore.x.mean", 1, xd), f.array("zscore.x.std", 1, xd));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("the MDN file's z-scoring is unusable: " + e.getMessage(), e);
        }
        // The z-scoring's shapes bound θ's and x's dimensions by the file's contents; then the sizes.
        double h = cfg.hiddenLayers() > 0 ? cfg.hiddenFeatures() : xd;
        double trunk = cfg.hiddenLayers() > 0 ? h * xd + (cfg.hiddenLayers() - 1) * h * h : 0;
        f.requireValuesFor(trunk + h * cfg.components() * (1 + d + d * (d + 1.0) / 2),
                cfg + " for θ of " + d + " and x of " + xd + " dimensions");
        Mdn mdn;
        try {
            mdn = new Mdn(backend, d, xd, ts, xs, cfg, new Rng(0));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("the MDN file's architecture is inconsistent: " + e.getMessage(), e);
        }
        List<Parameter> params = mdn.parameters();
        for (Parameter p : params) {
            p.value().set(f.array(p.name(), p.value().rows(), p.value().cols()));
        }
        int expected = params.size() + 4;
        if (f.arrays().size() != expected) {
            throw new ModelFormatException("the MDN file holds " + f.arrays().size() + " arrays, expected " + expected
                    + " for this architecture (" + cfg + ", thetaDim " + d + ", xDim " + xd + ")");
        }
        return mdn;
    }
}
