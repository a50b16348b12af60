package org.jsbi.flow;

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
 * Saves and loads a {@link Maf} in the model-file format (docs/MODEL-FORMAT.md): the architecture and permutations
 * as metadata, the z-scoring and every parameter as named arrays. A loaded flow computes bit-identical log-densities
 * and, for the same seed, identical samples.
 */
public final class MafFile {

    static final String KIND = "maf";
    /**
     * Revision of this estimator's layout inside the container. 2: the MADE of nflows (see {@link Made}); layout-1
     * files hold weights for a MADE with one activation fewer, which this code would evaluate as a different density.
     */
    static final int LAYOUT = 2;

    private MafFile() {
    }

    public static ModelFile toModelFile(Maf maf) {
        MafConfig c = maf.config();
        ModelFile.Builder b = ModelFile.builder(KIND)
                .meta("layout", LAYOUT)
                .meta("thetaDim", maf.thetaDim())
                .meta("xDim", maf.xDim())
                .meta("transforms", c.transforms())
                .meta("hiddenFeatures", c.hiddenFeatures())
                .meta("blocks", c.blocks())
                .meta("activation", c.activation().name());
        for (int t = 0; t < c.transforms(); t++) b.meta("permutation." + t, maf.permutation(t));
        b.vector("zscore.theta.mean", maf.thetaScore().mean()).vector("zscore.theta.std", maf.thetaScore().std());
        b.vector("zscore.x.mean", maf.xScore().mean()).vector("zscore.x.std", maf.xScore().std());
        // nflows' unit order, whatever order the MADEs keep their hidden units in (Made.toFileOrder).
        for (Made m : maf.mades()) {
            for (Parameter p : m.parameters()) b.array(p.name(), p.value().rows(), p.value().cols(), m.toFileOrder(p));
        }
        return b.build();
    }

    public static void save(Maf maf, Path path) throws IOException {
        ModelFiles.write(toModelFile(maf), path);
    }

    public static Maf load(Path path, Backend backend) throws IOException {
        ModelFile f = ModelFiles.read(path);
        try {
            return fromModelFile(f, backend);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e);
        }
    }

    public static Maf fromModelFile(ModelFile f, Backend backend) {
        f.requireKind(KIND);
        int layout = f.metaInt("layout");
        if (layout == 1) {
            throw new ModelFormatException("this MAF was saved with layout 1, by a jsbi from before 2026-11-26 whose"
                    + " MADE had one activation fewer than nflows' (the one this jsbi and sbi use); its weights do not"
                    + " describe the same density here: train the estimator again");
        }
        if (layout != LAYOUT) {
            throw new ModelFormatException("this MAF was saved with layout " + layout + "; this jsbi reads layout "
                    + LAYOUT);
        }
        int d = f.metaInt("thetaDim"), xd = f.metaInt("xDim");
        Activation act;
        try {
            act = Activation.valueOf(f.meta("activation"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("unknown activation '" + f.meta("activation") + "' in the MAF file");
        }
        Maf maf;
        try {
            MafConfig cfg = new MafConfig(f.metaInt("transforms"), f.metaInt("hiddenFeatures"), f.metaInt("blocks"),
                    act);
            // The z-scoring's shapes bound θ's and x's dimensions by the file's contents; then the sizes.
            ZScore ts = new ZScore(f.array("zscore.theta.mean", 1, d), f.array("zscore.theta.std", 1, d));
            ZScore xs = new ZScore(f.array("zscore.x.mean", 1, xd), f.array("zscore.x.std", 1, xd));
            double h = cfg.hiddenFeatures();
            f.requireValuesFor(cfg.transforms() * (h * (d + xd) + cfg.blocks() * h * h + h * 2.0 * d),
                    cfg + " for θ of " + d + " and x of " + xd + " dimensions");
            int[][] perms = new int[cfg.transforms()][];
            for (int t = 0; t < perms.length; t++) perms[t] = f.metaInts("permutation." + t);
            maf = new Maf(backend, d, xd, ts, xs, cfg, new Rng(0), perms);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("the MAF file's architecture is inconsistent: " + e.getMessage());
        }
        List<Parameter> params = maf.parameters();
        for (Made m : maf.mades()) {
            for (Parameter p : m.parameters()) m.fromFileOrder(p, f.array(p.name(), p.value().rows(), p.value().cols()));
        }
        int expected = params.size() + 4;
        if (f.arrays().size() != expected) {
            throw new ModelFormatException("the MAF file holds " + f.arrays().size() + " arrays, expected " + expected
                    + " for this architecture");
        }
        return maf;
    }
}
