package org.jsbi.simulation;

import java.util.Arrays;

/**
 * Which simulations count as "good", judged on their data x: every row ({@link #all()}), rows whose values are all
 * finite ({@link #allFinite()}), or rows whose chosen columns are finite ({@link #finiteColumns(int...)}) — for
 * models where one feature is NaN by design in some regimes. A filter has a text form ({@link #describe()}, read
 * back by {@link #parse(String)}) so that a {@link SimulationStore} can record it in its manifest.
 *
 * @param kind    what is checked
 * @param columns the data columns that must be finite, for {@link Kind#COLUMNS_FINITE}; empty otherwise
 */
public record RowFilter(Kind kind, int[] columns) {

    /** What a filter checks. */
    public enum Kind {
        /** Every row is kept. */
        ALL,
        /** Rows whose every value is finite (not NaN, not infinite). */
        ALL_FINITE,
        /** Rows whose listed columns are finite. */
        COLUMNS_FINITE
    }

    public RowFilter {
        if (kind == null) throw new IllegalArgumentException("the filter kind must be given");
        columns = columns == null ? new int[0] : columns.clone();
        if (kind == Kind.COLUMNS_FINITE) {
            if (columns.length == 0) throw new IllegalArgumentException("name at least one column that must be finite");
            for (int c : columns) {
                if (c < 0) throw new IllegalArgumentException("column " + c + " is negative; columns count from 0");
            }
        } else if (columns.length != 0) {
            throw new IllegalArgumentException(kind + " takes no columns, got " + Arrays.toString(columns));
        }
    }

    /** Keeps every row. */
    public static RowFilter all() {
        return new RowFilter(Kind.ALL, null);
    }

    /** Keeps rows whose data are all finite. */
    public static RowFilter allFinite() {
        return new RowFilter(Kind.ALL_FINITE, null);
    }

    /** Keeps rows whose data columns {@code columns} (from 0) are finite. */
    public static RowFilter finiteColumns(int... columns) {
        return new RowFilter(Kind.COLUMNS_FINITE, columns);
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }

    /** Whether the row of {@code dim} values at {@code x[offset]} passes. */
    public boolean test(float[] x, int offset, int dim) {
        switch (kind) {
            case ALL:
                return true;
            case ALL_FINITE:
                for (int i = 0; i < dim; i++) {
                    if (!Float.isFinite(x[offset + i])) return false;
                }
                return true;
            default:
                for (int c : columns) {
                    if (!Float.isFinite(x[offset + c])) return false;
                }
                return true;
        }
    }

    /** Throws a clear error when a column lies outside data of dimension {@code dataDim}. */
    public void check(int dataDim) {
        for (int c : columns) {
            if (c >= dataDim) {
                throw new IllegalArgumentException("the filter '" + describe() + "' names column " + c + " but the data have "
                        + dataDim + " columns (0.." + (dataDim - 1) + ")");
            }
        }
    }

    /** The text form: {@code all}, {@code all-finite} or {@code finite:0,3}. */
    public String describe() {
        return switch (kind) {
            case ALL -> "all";
            case ALL_FINITE -> "all-finite";
            case COLUMNS_FINITE -> {
                StringBuilder s = new StringBuilder("finite:");
                for (int i = 0; i < columns.length; i++) s.append(i == 0 ? "" : ",").append(columns[i]);
                yield s.toString();
            }
        };
    }

    /** Reads the text form written by {@link #describe()}. */
    public static RowFilter parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equals("all")) return all();
        if (t.equals("all-finite")) return allFinite();
        if (t.startsWith("finite:")) {
            String[] parts = t.substring("finite:".length()).split(",");
            int[] cols = new int[parts.length];
            try {
                for (int i = 0; i < parts.length; i++) cols[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a row filter: after 'finite:' give column"
                        + " numbers separated by commas, e.g. finite:0,3");
            }
            return finiteColumns(cols);
        }
        throw new IllegalArgumentException("'" + text + "' is not a row filter; use all, all-finite or finite:<columns>"
                + " (e.g. finite:0,3)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowFilter f && f.kind == kind && Arrays.equals(f.columns, columns);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(columns);
    }

    @Override
    public String toString() {
        return "RowFilter[" + describe() + "]";
    }
}
