package org.jsbi.posterior;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.CRC32;
import org.jsbi.backend.Backend;
import org.jsbi.dist.Prior;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.flow.MafFile;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFiles;
import org.jsbi.io.Npy;
import org.jsbi.io.PropertiesText;
import org.jsbi.mdn.MdnFile;

/**
 * A {@link TruncatedPrior} on disk, so that the next round's simulations can be made (and resumed) by another
 * process: a small properties file beside the estimator's model file.
 *
 * <pre>
 * format=jsbi-truncated-prior      formatVersion=1
 * estimator=posterior-maf.jsbi     the model file, relative to this file's folder
 * estimatorCrc32=1a2b3c4d          CRC32 of the model file's bytes; a changed file is refused
 * threshold=-62.55...              τ, exact (Double.toString)
 * quantile=1.0E-4                  how τ was chosen, over posteriorSamples samples
 * observation=1171.0,206.0,...     x_o, exact (Float.toString)
 * basePrior=BoxUniform[...]        the base prior's description; loading with another prior is refused
 * </pre>
 */
public final class TruncatedPriorFile {

    public static final String FORMAT_NAME = "jsbi-truncated-prior";
    public static final int FORMAT_VERSION = 1;

    private TruncatedPriorFile() {
    }

    /**
     * Writes the description of {@code prior} to {@code file} (atomically). The estimator must already be saved at
     * {@code estimatorFile}, in the same folder as {@code file}.
     */
    public static void write(Path file, TruncatedPrior prior, Path estimatorFile, double quantile, int posteriorSamples)
            throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (!estimatorFile.toAbsolutePath().getParent().equals(folder)) {
            throw new IllegalArgumentException("the estimator file " + estimatorFile + " must be in the folder of " + file);
        }
        if (!(quantile >= 0 && quantile < 1) || posteriorSamples < 1) {
            throw new IllegalArgumentException("quantile must be in [0, 1) and posteriorSamples >= 1, got " + quantile
                    + " and " + posteriorSamples);
        }
        requireSameModel(prior, estimatorFile);
        float[] xo = prior.observation();
        StringBuilder obs = new StringBuilder();
        for (int i = 0; i < xo.length; i++) obs.append(i == 0 ? "" : ",").append(Float.toString(xo[i]));
        StringBuilder text = new StringBuilder("# jsbi truncated prior (TSNPE): the base prior restricted to"
                + " log q(theta | x_o) >= threshold\n# Simulate the next round from it with: jsbi pyloric simulate"
                + " --proposal <this file> ...\n");
        PropertiesText.line(text, "format", FORMAT_NAME);
        PropertiesText.line(text, "formatVersion", Integer.toString(FORMAT_VERSION));
        PropertiesText.line(text, "estimator", estimatorFile.getFileName().toString());
        PropertiesText.line(text, "estimatorCrc32", crc32(estimatorFile));
        PropertiesText.line(text, "threshold", Double.toString(prior.threshold()));
        PropertiesText.line(text, "quantile", Double.toString(quantile));
        PropertiesText.line(text, "posteriorSamples", Integer.toString(posteriorSamples));
        PropertiesText.line(text, "observation", obs.toString());
        PropertiesText.line(text, "basePrior", prior.base().describe());
        Npy.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a truncated prior over {@code base}, loading its estimator onto {@code backend}. Every mismatch (format,
     * a changed or missing model file, another base prior, x_o of the wrong length) is an
     * {@link IllegalArgumentException} that names it.
     */
    public static TruncatedPrior load(Path file, Prior base, Backend backend, PosteriorConfig config) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no truncated prior at " + file + " (it is written by a round's inference,"
                    + " e.g. 'jsbi pyloric infer', as truncated-prior.properties)");
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        if (!FORMAT_NAME.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException(file + " is not a truncated-prior file (format is '"
                    + p.getProperty("format") + "', expected '" + FORMAT_NAME + "')");
        }
        String version = p.getProperty("formatVersion", "");
        if (!String.valueOf(FORMAT_VERSION).equals(version)) {
            throw new IllegalArgumentException(file + " has format version '" + version + "'; this jsbi reads "
                    + FORMAT_VERSION);
        }
        String baseDesc = required(p, "basePrior", file);
        if (!baseDesc.equals(base.describe())) {
            throw new IllegalArgumentException(file + " truncates another prior (" + baseDesc + ") than this one ("
                    + base.describe() + ")");
        }
        Path model = file.toAbsolutePath().getParent().resolve(required(p, "estimator", file));
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(file + " names the estimator " + model + ", which does not exist; keep"
                    + " the model file beside it");
        }
        String crc = crc32(model);
        if (!crc.equals(required(p, "estimatorCrc32", file))) {
            throw new IllegalArgumentException("the estimator " + model + " has changed since " + file + " was written"
                    + " (CRC32 " + crc + ", recorded " + p.getProperty("estimatorCrc32") + "); the region belongs to"
                    + " the estimator it was computed with");
        }
        double threshold;
        float[] xo;
        try {
            threshold = Double.parseDouble(required(p, "threshold", file));
            String[] f = required(p, "observation", file).split(",");
            xo = new float[f.length];
            for (int i = 0; i < f.length; i++) xo[i] = Float.parseFloat(f[i].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": threshold or observation is not a number (" + e.getMessage()
                    + ")");
        }
        ConditionalDensityEstimator q = loadEstimator(model, backend);
        if (q.xDim() != xo.length || q.thetaDim() != base.dim()) {
            throw new IllegalArgumentException(file + ": the estimator takes " + q.thetaDim() + " parameters and "
                    + q.xDim() + " data values, but the prior has " + base.dim() + " and the observation "
                    + xo.length);
        }
        return new TruncatedPrior(new DirectPosterior(q, base, config), xo, threshold, "crc32:" + crc);
    }

    /**
     * Refuses a model file that is not the estimator {@code prior} was made with: the file written names it, and a
     * load would rebuild the region from whatever it holds (a stale model beside a new threshold drew 1,722 of 2,000
     * proposals outside the region written). Compared by their log-densities at prior draws, which a saved model
     * reproduces bit for bit.
     */
    private static void requireSameModel(TruncatedPrior prior, Path estimatorFile) throws IOException {
        DirectPosterior p = prior.posterior();
        org.jsbi.backend.Backend be = p.estimator().parameters().get(0).value().backend();
        DirectPosterior saved = new DirectPosterior(loadEstimator(estimatorFile, be), p.prior(), p.config());
        float[][] theta = p.prior().sample(16, new org.jsbi.random.Rng(0x7E57L));
        double[] a = p.logProbUncorrected(theta, prior.observation());
        double[] b = saved.logProbUncorrected(theta, prior.observation());
        if (!java.util.Arrays.equals(a, b)) {
            throw new IllegalArgumentException(estimatorFile + " is not the estimator this truncated prior was made with"
                    + " (their log-densities differ); save that estimator there first");
        }
    }

    /** A MAF or MDN model file. */
    static ConditionalDensityEstimator loadEstimator(Path model, Backend backend) throws IOException {
        ModelFile f = ModelFiles.read(model);
        return switch (f.kind()) {
            case "maf" -> MafFile.fromModelFile(f, backend);
            case "mdn" -> MdnFile.fromModelFile(f, backend);
            default -> throw new IllegalArgumentException(model + " holds a '" + f.kind() + "' model; a truncated"
                    + " prior needs a conditional density estimator (maf or mdn)");
        };
    }

    static String crc32(Path file) throws IOException {
        CRC32 c = new CRC32();
        c.update(Files.readAllBytes(file));
        return String.format(Locale.ROOT, "%08x", c.getValue());
    }

    private static String required(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(file + " has no '" + key + "' entry");
        return v.strip();
    }
}
