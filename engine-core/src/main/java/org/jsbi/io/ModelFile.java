package org.jsbi.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The content of a jsbi model file, independent of the estimator that wrote it: a kind ({@code "maf"},
 * {@code "mdn"}, ...), ordered metadata entries (the architecture description: sizes, activation, seeds, ...) and
 * ordered named float32 arrays (weights, z-scoring statistics, ...). {@link ModelFiles} writes and reads it; the
 * byte layout is documented in {@code docs/MODEL-FORMAT.md}.
 *
 * <p>Immutable; metadata and arrays keep the order in which they were given, and that order is the order in the
 * file. The accessors throw a {@link ModelFormatException} naming what is missing or mismatched, so an estimator
 * loading a file of another kind or architecture fails with a clear message rather than building a wrong model.
 *
 * <pre>{@code
 * ModelFile f = ModelFile.builder("maf")
 *         .meta("thetaDim", 3).meta("hidden", new int[] {50, 50}).meta("activation", "tanh")
 *         .array("layer0.weight", 50, 5, w0)
 *         .build();
 * }</pre>
 *
 * @param kind     the estimator kind, non-empty
 * @param metadata key → value, in file order (an unmodifiable copy)
 * @param arrays   the arrays, in file order, with unique names (an unmodifiable copy)
 */
public record ModelFile(String kind, Map<String, String> metadata, List<NamedArray> arrays) {

    public ModelFile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(arrays, "arrays");
        if (kind.isEmpty()) {
            throw new IllegalArgumentException("the model kind must not be empty");
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "metadata key");
            if (k.isEmpty()) {
                throw new IllegalArgumentException("a metadata key must not be empty");
            }
            meta.put(k, Objects.requireNonNull(e.getValue(), () -> "metadata value of '" + k + "'"));
        }
        List<NamedArray> list = new ArrayList<>(arrays.size());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (NamedArray a : arrays) {
            Objects.requireNonNull(a, "array");
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("two arrays are named '" + a.name() + "'");
            }
            list.add(a);
        }
        metadata = Collections.unmodifiableMap(meta);
        arrays = Collections.unmodifiableList(list);
    }

    /** A builder for a file of the given kind. */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** Throws unless this file is of the expected kind (e.g. an MDN file given to the MAF loader). */
    public ModelFile requireKind(String expected) {
        if (!kind.equals(expected)) {
            throw new ModelFormatException("this is a '" + kind + "' model file, not a '" + expected
                    + "' one: load it with the " + kind + " estimator");
        }
        return this;
    }

    /** Whether there is a metadata entry with this key. */
    public boolean hasMeta(String key) {
        return metadata.containsKey(key);
    }

    /** The metadata value of {@code key}; throws if there is none. */
    public String meta(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new ModelFormatException(describe() + " has no metadata entry '" + key + "' (it has " + metadata.keySet()
                    + "): it was written by another estimator or an incompatible version of it");
        }
        return v;
    }

    /** The metadata value of {@code key} as an int. */
    public int metaInt(String key) {
        String v = meta(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw notA(key, v, "an integer", e);
        }
    }

    /** The metadata value of {@code key} as a long. */
    public long metaLong(String key) {
        String v = meta(key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw notA(key, v, "an integer", e);
        }
    }

    /** The metadata value of {@code key} as a double (written by {@link Builder#meta(String, double)}: exact). */
    public double metaDouble(String key) {
        String v = meta(key);
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw notA(key, v, "a number", e);
        }
    }

    /** The metadata value of {@code key} as a boolean: exactly {@code "true"} or {@code "false"}. */
    public boolean metaBoolean(String key) {
        String v = meta(key);
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw notA(key, v, "true or false", null);
        };
    }

    /**
     * The metadata value of {@code key} as a list of ints, written comma-separated (e.g. hidden layer sizes
     * {@code "50,50"}; {@code ""} is the empty list).
     */
    public int[] metaInts(String key) {
        String v = meta(key).trim();
        if (v.isEmpty()) {
            return new int[0];
        }
        String[] parts = v.split(",", -1);
        int[] out = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw notA(key, v, "a comma-separated list of integers", e);
        }
        return out;
    }

    /** The float values the file's arrays hold together: no architecture the file describes has more weights. */
    public long values() {
        long n = 0;
        for (NamedArray a : arrays) n += (long) a.rows() * a.cols();
        return n;
    }

    /**
     * Refuses an architecture read from the metadata whose weights (at least {@code weights}, counted in double so
     * that no product overflows) outnumber the values the file holds, before anything of that size is built: a
     * damaged or edited size entry would otherwise ask for gigabytes, or overflow an int, instead of failing on the
     * first array's shape.
     */
    public void requireValuesFor(double weights, String architecture) {
        if (weights > values()) {
            throw new ModelFormatException(describe() + "'s architecture (" + architecture + ") needs at least "
                    + String.format(java.util.Locale.ROOT, "%.0f", weights) + " weights, but the file holds only "
                    + values() + " values: the file is damaged or was not written by jsbi");
        }
    }

    /** Whether there is an array with this name. */
    public boolean hasArray(String name) {
        for (NamedArray a : arrays) {
            if (a.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The array with this name; throws if there is none. */
    public NamedArray array(String name) {
        for (NamedArray a : arrays) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        List<String> names = arrays.stream().map(NamedArray::name).toList();
        throw new ModelFormatException(describe() + " has no array '" + name + "' (it has " + names
                + "): it was written by another estimator or an incompatible version of it");
    }

    /**
     * The values (a copy, row-major) of the array with this name, which must have shape {@code rows x cols}; throws
     * naming both shapes otherwise.
     */
    public float[] array(String name, int rows, int cols) {
        NamedArray a = array(name);
        if (a.rows() != rows || a.cols() != cols) {
            throw new ModelFormatException("array '" + name + "' has shape " + a.shape() + ", expected " + rows + " x "
                    + cols + ": this file was written for another architecture (check the metadata of "
                    + describe() + ": " + metadata + ")");
        }
        return a.data();
    }

    @Override
    public String toString() {
        return "ModelFile[kind=" + kind + ", metadata=" + metadata + ", arrays=" + arrays + "]";
    }

    private String describe() {
        return "the '" + kind + "' model file";
    }

    private ModelFormatException notA(String key, String value, String what, Throwable cause) {
        return new ModelFormatException("metadata entry '" + key + "' of " + describe() + " is '" + value
                + "', not " + what + ": the file was written by an incompatible estimator or edited", cause);
    }

    /** Builds a {@link ModelFile}; keys and names must be unique (a repeat is a bug in the caller and throws). */
    public static final class Builder {
        private final String kind;
        private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
        private final List<NamedArray> arrays = new ArrayList<>();
        private final java.util.Set<String> names = new java.util.HashSet<>();

        private Builder(String kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder meta(String key, String value) {
            Objects.requireNonNull(key, "metadata key");
            Objects.requireNonNull(value, "metadata value");
            if (metadata.containsKey(key)) {
                throw new IllegalArgumentException("metadata entry '" + key + "' given twice");
            }
            metadata.put(key, value);
            return this;
        }

        public Builder meta(String key, int value) {
            return meta(key, Integer.toString(value));
        }

        public Builder meta(String key, long value) {
            return meta(key, Long.toString(value));
        }

        /** Written with {@link Double#toString(double)}, which {@link ModelFile#metaDouble} reads back exactly. */
        public Builder meta(String key, double value) {
            return meta(key, Double.toString(value));
        }

        public Builder meta(String key, boolean value) {
            return meta(key, Boolean.toString(value));
        }

        /** Comma-separated, read back by {@link ModelFile#metaInts}. */
        public Builder meta(String key, int[] values) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < values.length; i++) {
                sb.append(i == 0 ? "" : ",").append(values[i]);
            }
            return meta(key, sb.toString());
        }

        public Builder array(NamedArray array) {
            Objects.requireNonNull(array, "array");
            if (!names.add(array.name())) {
                throw new IllegalArgumentException("array '" + array.name() + "' given twice");
            }
            arrays.add(array);
            return this;
        }

        /** An array of shape {@code rows x cols}, row-major (the values are copied). */
        public Builder array(String name, int rows, int cols, float[] data) {
            return array(new NamedArray(name, rows, cols, data));
        }

        /** A 1 x n array. */
        public Builder vector(String name, float[] data) {
            return array(NamedArray.vector(name, data));
        }

        public ModelFile build() {
            return new ModelFile(kind, metadata, arrays);
        }
    }
}
