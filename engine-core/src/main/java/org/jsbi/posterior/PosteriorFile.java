package org.jsbi.posterior;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsbi.backend.Backend;
import org.jsbi.dist.Prior;
import org.jsbi.dist.PriorEntries;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafFile;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFiles;
import org.jsbi.io.ModelFormatException;
import org.jsbi.io.NamedArray;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnFile;

/**
 * A posterior in one file: its estimator (a MAF's or MDN's model file, every entry under {@code estimator.}), the
 * prior it is restricted to ({@link PriorEntries}, under {@code prior.}) and its sampling settings (under {@code
 * config.}), in the model format of {@link ModelFiles} (kind {@value #KIND}: versioned, checksummed, written
 * atomically). Loading gives a posterior whose log-densities are bit-identical to the saved one's and whose samples,
 * for the same seed, are the same, on the same backend and thread count; what a pipeline needs to sample and score
 * later without training again, or without the code that built the prior.
 *
 * <pre>{@code
 * posterior.save(Path.of("posterior.jsbi"));
 * DirectPosterior again = DirectPosterior.load(Path.of("posterior.jsbi"), Backends.current());
 * }</pre>
 */
public final class PosteriorFile {

    static final String KIND = "posterior";
    /** Revision of the entries inside the container. */
    static final int LAYOUT = 1;
    private static final String ESTIMATOR = "estimator.", PRIOR = "prior.", CONFIG = "config.",
            NAMES = "parameter.name.", SIMULATOR = "source.simulator";

    private PosteriorFile() {
    }

    /**
     * Writes {@code posterior} to {@code path} atomically. Its estimator must be a {@link Maf} or an {@link Mdn}, and
     * its prior one of {@link org.jsbi.dist.Priors}' (an {@link IllegalArgumentException} says which is not).
     */
    public static void save(DirectPosterior posterior, Path path) throws IOException {
        ModelFiles.write(toModelFile(posterior), path);
    }

    /** Reads a posterior written by {@link #save}, its estimator on {@code backend}. */
    public static DirectPosterior load(Path path, Backend backend) throws IOException {
        ModelFile f = ModelFiles.read(path);
        try {
            return fromModelFile(f, backend);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e);
        }
    }

    static ModelFile toModelFile(DirectPosterior posterior) {
        if (posterior == null) throw new IllegalArgumentException("no posterior given");
        ConditionalDensityEstimator est = posterior.estimator();
        ModelFile e = switch (est) {
            case Maf maf -> MafFile.toModelFile(maf);
            case Mdn mdn -> MdnFile.toModelFile(mdn);
            default -> throw new IllegalArgumentException("a posterior whose estimator is a "
                    + est.getClass().getName() + " cannot be saved: only MAF and MDN estimators have a model file");
        };
        Prior prior = posterior.prior();
        if (!PriorEntries.canWrite(prior)) {
            throw new IllegalArgumentException("this posterior's prior (" + prior.describe() + ", a "
                    + prior.getClass().getSimpleName() + ") cannot be written to a file: only the priors of Priors"
                    + " (box-uniform, Gaussian, log-normal and independent products of them) can; save the estimator"
                    + " alone (MafFile.save, MdnFile.save) and build the prior again in code");
        }
        ModelFile.Builder b = ModelFile.builder(KIND).meta("layout", LAYOUT).meta(ESTIMATOR + "kind", e.kind());
        for (Map.Entry<String, String> m : e.metadata().entrySet()) b.meta(ESTIMATOR + m.getKey(), m.getValue());
        for (NamedArray a : e.arrays()) b.array(ESTIMATOR + a.name(), a.rows(), a.cols(), a.data());
        PriorEntries.write(prior, PRIOR, b);
        PosteriorConfig c = posterior.config();
        b.meta(CONFIG + "timeLimitSeconds", c.timeLimitSeconds()).meta(CONFIG + "maxProposalBatch", c.maxProposalBatch())
                .meta(CONFIG + "leakageSamples", c.leakageSamples()).meta(CONFIG + "mapStarts", c.mapStarts())
                .meta(CONFIG + "mapSteps", c.mapSteps()).meta(CONFIG + "mapLearningRate", c.mapLearningRate());
        // Optional entries, which a jsbi from before them skips: a file stays readable by both.
        List<String> names = posterior.parameterNames();
        for (int i = 0; i < names.size(); i++) b.meta(NAMES + i, names.get(i));
        posterior.simulator().ifPresent(sim -> b.meta(SIMULATOR, sim));
        return b.build();
    }

    static DirectPosterior fromModelFile(ModelFile f, Backend backend) {
        if (backend == null) throw new IllegalArgumentException("a backend must be given");
        if (!f.kind().equals(KIND)) {
            throw new ModelFormatException("this is a '" + f.kind() + "' model file, not a posterior: load it with "
                    + (f.kind().equals("maf") ? "MafFile.load" : f.kind().equals("mdn") ? "MdnFile.load"
                    : "its own loader") + " and build the posterior with new DirectPosterior(estimator, prior, config)");
        }
        int layout = f.metaInt("layout");
        if (layout != LAYOUT) {
            throw new ModelFormatException("this posterior was saved with layout " + layout + "; this jsbi reads layout "
                    + LAYOUT);
        }
        ModelFile.Builder e = ModelFile.builder(f.meta(ESTIMATOR + "kind"));
        for (Map.Entry<String, String> m : f.metadata().entrySet()) {
            if (m.getKey().startsWith(ESTIMATOR) && !m.getKey().equals(ESTIMATOR + "kind")) {
                e.meta(m.getKey().substring(ESTIMATOR.length()), m.getValue());
            }
        }
        for (NamedArray a : f.arrays()) {
            if (!a.name().startsWith(ESTIMATOR)) {
                throw new ModelFormatException("array '" + a.name() + "' belongs to no part of a posterior file");
            }
            e.array(a.name().substring(ESTIMATOR.length()), a.rows(), a.cols(), a.data());
        }
        ModelFile ef = e.build();
        ConditionalDensityEstimator est = switch (ef.kind()) {
            case "maf" -> MafFile.fromModelFile(ef, backend);
            case "mdn" -> MdnFile.fromModelFile(ef, backend);
            default -> throw new ModelFormatException("the posterior's estimator is a '" + ef.kind()
                    + "'; this jsbi reads maf and mdn");
        };
        Prior prior = PriorEntries.read(f, PRIOR);
        PosteriorConfig config;
        try {
            config = new PosteriorConfig(f.metaDouble(CONFIG + "timeLimitSeconds"), f.metaInt(CONFIG + "maxProposalBatch"),
                    f.metaInt(CONFIG + "leakageSamples"), f.metaInt(CONFIG + "mapStarts"), f.metaInt(CONFIG + "mapSteps"),
                    f.metaDouble(CONFIG + "mapLearningRate"));
        } catch (IllegalArgumentException ex) {
            throw new ModelFormatException("the posterior's sampling settings are not valid: " + ex.getMessage(), ex);
        }
        DirectPosterior posterior;
        try {
            posterior = new DirectPosterior(est, prior, config);
        } catch (IllegalArgumentException ex) {
            throw new ModelFormatException("the posterior's parts do not fit together: " + ex.getMessage(), ex);
        }
        try {
            if (f.hasMeta(SIMULATOR)) posterior = posterior.withSimulator(f.meta(SIMULATOR));
        } catch (IllegalArgumentException ex) {
            throw new ModelFormatException("the posterior's simulator entry is not valid: " + ex.getMessage(), ex);
        }
        if (!f.hasMeta(NAMES + 0)) return posterior;   // saved before names were kept: theta_1, theta_2, ...
        List<String> names = new ArrayList<>();
        for (int i = 0; i < prior.dim(); i++) names.add(f.meta(NAMES + i));
        if (f.hasMeta(NAMES + prior.dim())) {
            throw new ModelFormatException("the posterior names more parameters than its prior's " + prior.dim());
        }
        try {
            return posterior.withParameterNames(names);
        } catch (IllegalArgumentException ex) {
            throw new ModelFormatException("the posterior's parameter names are not valid: " + ex.getMessage(), ex);
        }
    }
}
