package org.jsbi.simulation;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.jsbi.io.PropertiesText;

/**
 * What a {@link SimulationStore} holds, as recorded in its {@code manifest.properties} when it was created: the
 * simulator and prior it was made with, the dimensions, the number of simulations, the chunk size, the seed and the
 * good-row filter. Everything but {@link #created()} is part of the store's identity: the data of a store are a pure
 * function of these values, and a store is only resumed with the same ones.
 *
 * @param formatVersion the store layout version ({@value SimulationStore#FORMAT_VERSION})
 * @param simulator     {@link Simulator#name()}
 * @param revision      {@link Simulator#revision()}; empty for a store made before jsbi recorded it (not checked)
 * @param configuration {@link Simulator#configuration()} (empty for a simulator without one); {@code null} for a store
 *                      made before jsbi recorded it, which is not checked
 * @param parameterDim  values per θ row
 * @param dataDim       values per x row
 * @param simulations   the number of simulations N
 * @param chunkSize     simulations per chunk (the last chunk may be smaller)
 * @param seed          the seed of the prior draws and the simulator's noise
 * @param prior         {@link org.jsbi.dist.Prior#describe()} of the prior
 * @param goodRow       {@link RowFilter#describe()} of the rows counted as good
 * @param created       when the store was created (ISO-8601, informational)
 */
public record StoreManifest(int formatVersion, String simulator, String revision, String configuration,
                            int parameterDim, int dataDim, long simulations, int chunkSize, long seed, String prior,
                            String goodRow, String created) {

    public StoreManifest {
        if (simulator == null || simulator.isBlank()) throw new IllegalArgumentException("the simulator name is empty");
        if (parameterDim < 1 || dataDim < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got parameterDim=" + parameterDim + ", dataDim="
                    + dataDim);
        }
        if (simulations < 1) throw new IllegalArgumentException("the number of simulations must be >= 1, got " + simulations);
        if (chunkSize < 1 || chunkSize > StoreConfig.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be in 1.." + StoreConfig.MAX_CHUNK_SIZE + ", got " + chunkSize);
        }
        if ((simulations + chunkSize - 1) / chunkSize > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException(simulations + " simulations in chunks of " + chunkSize + " are too many"
                    + " chunks; use larger chunks");
        }
        if ((long) chunkSize * Math.max(parameterDim, dataDim) > (Integer.MAX_VALUE - 1024) / 8) {
            throw new IllegalArgumentException("a chunk of " + chunkSize + " rows of " + Math.max(parameterDim, dataDim)
                    + " values is too large for one array; use smaller chunks");
        }
        if (revision == null) revision = "";
        if (prior == null) throw new IllegalArgumentException("the prior description is null");
        RowFilter.parse(goodRow).check(dataDim);
        if (created == null) created = "";
    }

    /** The number of chunks. */
    public int chunks() {
        return (int) ((simulations + chunkSize - 1) / chunkSize);
    }

    /** The simulations in chunk {@code c}: {@code chunkSize}, or what is left for the last chunk. */
    public int rowsOfChunk(int c) {
        return (int) Math.min(chunkSize, simulations - (long) c * chunkSize);
    }

    /** The good-row filter. */
    public RowFilter goodRowFilter() {
        return RowFilter.parse(goodRow);
    }

    /**
     * The ways {@code other} differs from this manifest in what identifies a store's data (everything but the
     * creation time; the simulator revision where both record one, the configuration where both record it, even
     * empty), one line each, e.g. {@code seed: 42 here, 7
     * requested}; empty when they agree.
     */
    public List<String> differences(StoreManifest other, String mine, String theirs) {
        List<String> d = new ArrayList<>();
        diff(d, "format version", formatVersion, other.formatVersion, mine, theirs);
        diff(d, "simulator", simulator, other.simulator, mine, theirs);
        if (!revision.isEmpty() && !other.revision.isEmpty()) {
            diff(d, "simulator revision", revision, other.revision, mine, theirs);
        }
        if (configuration != null && other.configuration != null) {
            diff(d, "simulator configuration", shown(configuration), shown(other.configuration), mine, theirs);
        }
        diff(d, "parameter dimension", parameterDim, other.parameterDim, mine, theirs);
        diff(d, "data dimension", dataDim, other.dataDim, mine, theirs);
        diff(d, "number of simulations", simulations, other.simulations, mine, theirs);
        diff(d, "chunk size", chunkSize, other.chunkSize, mine, theirs);
        diff(d, "seed", seed, other.seed, mine, theirs);
        diff(d, "prior", prior, other.prior, mine, theirs);
        diff(d, "good-row filter", goodRow, other.goodRow, mine, theirs);
        return d;
    }

    /** A configuration as differences show it: an empty one is "(none)", so that the line still reads. */
    static String shown(String configuration) {
        return configuration.isEmpty() ? "(none)" : configuration;
    }

    private static void diff(List<String> d, String what, Object a, Object b, String mine, String theirs) {
        if (!a.equals(b)) d.add(what + ": " + a + " " + mine + ", " + b + " " + theirs);
    }

    /** The text of {@code manifest.properties}, in a fixed order. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append("# jsbi simulation store; do not edit (see docs/STORE.md)\n");
        PropertiesText.line(s, "format", SimulationStore.FORMAT_NAME);
        PropertiesText.line(s, "formatVersion", Integer.toString(formatVersion));
        PropertiesText.line(s, "simulator", simulator);
        if (!revision.isEmpty()) PropertiesText.line(s, "simulatorRevision", revision);
        // Written even when empty: a store whose simulator had none must not resume with one that has one.
        if (configuration != null) PropertiesText.line(s, "simulatorConfiguration", configuration);
        PropertiesText.line(s, "parameterDim", Integer.toString(parameterDim));
        PropertiesText.line(s, "dataDim", Integer.toString(dataDim));
        PropertiesText.line(s, "simulations", Long.toString(simulations));
        PropertiesText.line(s, "chunkSize", Integer.toString(chunkSize));
        PropertiesText.line(s, "seed", Long.toString(seed));
        PropertiesText.line(s, "prior", prior);
        PropertiesText.line(s, "goodRow", goodRow);
        PropertiesText.line(s, "dtype", "<f4");
        PropertiesText.line(s, "created", created);
        return s.toString();
    }

    /** Reads the text of a {@code manifest.properties}; {@code source} names it in errors. */
    public static StoreManifest parse(String text, Path source) throws SimulationStoreException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(source, "it is not a properties file (" + e.getMessage() + ")");
        }
        String format = p.getProperty("format");
        if (!SimulationStore.FORMAT_NAME.equals(format)) {
            throw damaged(source, "it does not say format=" + SimulationStore.FORMAT_NAME);
        }
        int version = (int) number(p, "formatVersion", source);
        if (version != SimulationStore.FORMAT_VERSION) {
            throw new SimulationStoreException(source + ": the store has layout version " + version + "; this jsbi reads"
                    + " version " + SimulationStore.FORMAT_VERSION + (version > SimulationStore.FORMAT_VERSION
                    ? ": it was written by a newer jsbi; use that one" : ": the manifest is damaged"));
        }
        String dtype = p.getProperty("dtype");
        if (!"<f4".equals(dtype)) throw damaged(source, "dtype is " + dtype + ", not <f4");
        try {
            return new StoreManifest(version, text(p, "simulator", source), p.getProperty("simulatorRevision", ""),
                    p.getProperty("simulatorConfiguration"), (int) number(p, "parameterDim", source),
                    (int) number(p, "dataDim", source), number(p, "simulations", source),
                    (int) number(p, "chunkSize", source), number(p, "seed", source), text(p, "prior", source),
                    text(p, "goodRow", source), p.getProperty("created", ""));
        } catch (IllegalArgumentException e) {
            throw damaged(source, e.getMessage());
        }
    }

    private static String text(Properties p, String key, Path source) throws SimulationStoreException {
        String v = p.getProperty(key);
        if (v == null) throw damaged(source, "the entry '" + key + "' is missing");
        return v;
    }

    private static long number(Properties p, String key, Path source) throws SimulationStoreException {
        String v = text(p, key, source);
        try {
            long n = Long.parseLong(v.strip());
            if (!key.equals("seed") && !key.equals("simulations") && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw damaged(source, "'" + key + "' is '" + v + "', not a number");
        }
    }

    private static SimulationStoreException damaged(Path source, String why) {
        return new SimulationStoreException(source + " is not a valid simulation store manifest: " + why + ". If the"
                + " manifest was edited or damaged, restore it (the chunks are intact only with their original manifest),"
                + " or move the directory aside and start a new store");
    }
}
