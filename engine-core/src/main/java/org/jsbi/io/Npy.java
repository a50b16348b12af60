package org.jsbi.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes NumPy {@code .npy} files of little-endian float32 ({@code '<f4'}) and float64 ({@code '<f8'})
 * arrays in C (row-major) order, so θ, x and samples move to and from Python ({@code np.load}, {@code np.save}).
 *
 * <p>The format (NumPy's {@code numpy.lib.format}): the magic bytes {@code \x93NUMPY}, a major and a minor version byte,
 * the header length (little-endian uint16 in version 1.0, uint32 in 2.0 and 3.0), then the header: a Python dict
 * literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }} padded with spaces and ended with
 * {@code '\n'} so that the data start at a multiple of 64 bytes; then the values, raw. This class writes version 1.0
 * headers byte for byte as NumPy does (including NumPy's spare spaces that let the first dimension grow in place), and
 * reads versions 1.0, 2.0 and 3.0.
 *
 * <p>Values are copied bit for bit ({@code '<f4'} round-trips exactly, NaN payloads included); a {@code '<f8'} file read
 * into floats is rounded to the nearest float. A 1-D array read as a matrix is one column. Anything else — another
 * dtype, big-endian data, Fortran order of a 2-D array, a malformed header, truncated data, bytes after the data, a file
 * that is not {@code .npy} at all — is an {@link NpyFormatException} whose message names the file and what to do;
 * arguments that cannot be written (ragged rows, shapes that do not match the values) are
 * {@link IllegalArgumentException}s.
 *
 * <p>Writing to a path is atomic: the file is written under a temporary name in the same directory, flushed to the
 * device and renamed, so a crash leaves the old file or the new one, never half of one. For data that do not fit in
 * memory, {@link Writer} streams rows, with the row count given up front or filled in when it finishes.
 */
public final class Npy {

    /** Row count for {@link Writer#create} when it is not known in advance: the header is completed by {@code finish()}. */
    public static final long UNKNOWN_ROWS = -1;

    /** The header is padded so that the data start at a multiple of this many bytes (NumPy's ARRAY_ALIGN). */
    static final int ALIGN = 64;
    /** NumPy pads the header so that the first dimension can grow to this many digits in place. */
    static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** A header longer than this is taken as damage, not as an array. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int IO_BLOCK = 1 << 16;

    private Npy() {
    }

    /** The element types jsbi reads and writes. */
    public enum DType {
        FLOAT32("<f4", 4), FLOAT64("<f8", 8);

        private final String descr;
        private final int itemSize;

        DType(String descr, int itemSize) {
            this.descr = descr;
            this.itemSize = itemSize;
        }

        /** NumPy's dtype string, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        /** Bytes per value. */
        public int itemSize() {
            return itemSize;
        }
    }

    /** What a {@code .npy} header says: the dtype and the shape (C order). */
    public record Header(DType dtype, long[] shape) {

        public Header {
            if (dtype == null) throw new IllegalArgumentException("dtype must be given");
            if (shape == null) throw new IllegalArgumentException("shape must be given");
            shape = shape.clone();
            for (long s : shape) {
                if (s < 0) throw new IllegalArgumentException("shape " + tuple(shape) + " has a negative dimension");
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public int ndim() {
            return shape.length;
        }

        /** The number of values; throws {@link ArithmeticException} when it overflows a long. */
        public long elementCount() {
            long n = 1;
            for (long s : shape) n = Math.multiplyExact(n, s);
            return n;
        }

        /** Bytes of data after the header. */
        public long dataBytes() {
            return Math.multiplyExact(elementCount(), (long) dtype.itemSize());
        }

        /** The first dimension (1 for a 0-d array): the rows of a matrix, the length of a vector. */
        public long rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        /** Values per row: the product of the dimensions after the first (1 for a vector or a 0-d array). */
        public long cols() {
            long n = 1;
            for (int i = 1; i < shape.length; i++) n = Math.multiplyExact(n, shape[i]);
            return n;
        }

        /** The shape as Python writes it: {@code (3, 2)}, {@code (5,)}, {@code ()}. */
        public String shapeText() {
            return tuple(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h && h.dtype == dtype && Arrays.equals(h.shape, shape);
        }

        @Override
        public int hashCode() {
            return 31 * dtype.hashCode() + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "Header[dtype=" + dtype.descr() + ", shape=" + tuple(shape) + "]";
        }
    }

    /** The most rows (or columns) a matrix read as {@code float[][]} can have: Java's array length limit. */
    static final long MAX_ROWS = Integer.MAX_VALUE - 8;

    /** The first allocation when reading a whole array from a stream, which then doubles as data arrive. */
    static final int STREAM_FIRST_ELEMENTS = 1 << 16;

    /** An array read from a {@code .npy} file: its shape and its values in C order, as floats. */
    public record FloatArray(long[] shape, float[] values) {

        public FloatArray {
            shape = shape.clone();
            long n = 1;
            for (long s : shape) n = Math.multiplyExact(n, s);
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + tuple(shape) + " needs " + n + " values, got " + values.length);
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The rows of a 2-D array, or a 1-D array as one column. */
        public float[][] toRows() {
            if (shape.length != 1 && shape.length != 2) {
                throw new IllegalArgumentException("a " + shape.length + "-d array of shape " + tuple(shape)
                        + " is not a matrix; reshape it to 2-D in Python first");
            }
            long rowCount = shape[0], colCount = shape.length == 1 ? 1 : shape[1];
            if (rowCount > MAX_ROWS || colCount > MAX_ROWS) {
                throw new IllegalArgumentException("an array of shape " + tuple(shape) + " has more rows or columns than"
                        + " a Java matrix holds (" + MAX_ROWS + "); read it row by row with Npy.Reader");
            }
            if (colCount == 0 && rowCount > 0) {
                // Each row would still be an object: a few header bytes could otherwise ask for gigabytes.
                throw new IllegalArgumentException("an array of shape " + tuple(shape) + " has rows of no values; a"
                        + " matrix of samples needs at least one column");
            }
            int rows = (int) rowCount;
            int cols = (int) colCount;
            float[][] r = new float[rows][cols];
            for (int i = 0; i < rows; i++) System.arraycopy(values, i * cols, r[i], 0, cols);
            return r;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FloatArray a && Arrays.equals(a.shape, shape) && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "FloatArray[shape=" + tuple(shape) + "]";
        }
    }

    // ================================================================ writing

    /**
     * The version 1.0 header for an array of this dtype and shape, byte for byte as {@code np.save} writes it: magic,
     * version, length, the dict with NumPy's spare spaces for growth, padding to a multiple of 64 bytes and {@code '\n'}.
     */
    public static byte[] header(DType dtype, long... shape) {
        Header h = new Header(dtype, shape); // validates
        StringBuilder dict = new StringBuilder("{'descr': '").append(dtype.descr())
                .append("', 'fortran_order': False, 'shape': ").append(h.shapeText()).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        int hlen = dict.length() + 1;
        int pad = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN);
        int total = hlen + pad;
        if (total > 0xFFFF) {
            throw new IllegalArgumentException("the header of shape " + h.shapeText() + " is too long for format 1.0");
        }
        byte[] b = new byte[MAGIC.length + 4 + total];
        System.arraycopy(MAGIC, 0, b, 0, MAGIC.length);
        b[6] = 1;
        b[7] = 0;
        b[8] = (byte) total;
        b[9] = (byte) (total >>> 8);
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(text, 0, b, 10, text.length);
        Arrays.fill(b, 10 + text.length, b.length - 1, (byte) ' ');
        b[b.length - 1] = '\n';
        return b;
    }

    /** A whole {@code .npy} file in memory: the header, then {@code values} (C order) as {@code dtype}. */
    public static byte[] encode(float[] values, DType dtype, long... shape) {
        Header h = new Header(dtype, shape);
        if (h.elementCount() != values.length) {
            throw new IllegalArgumentException("shape " + h.shapeText() + " needs " + h.elementCount() + " values, got "
                    + values.length);
        }
        byte[] head = header(dtype, shape);
        long size = head.length + h.dataBytes();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an array of shape " + h.shapeText() + " is too large to encode in memory;"
                    + " stream it with Npy.Writer");
        }
        byte[] b = Arrays.copyOf(head, (int) size);
        ByteBuffer bb = ByteBuffer.wrap(b, head.length, b.length - head.length).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.FLOAT32) {
            bb.asFloatBuffer().put(values);
        } else {
            for (float v : values) bb.putDouble(v);
        }
        return b;
    }

    /** Writes rows (all of one length) as a 2-D {@code '<f4'} array, atomically. */
    public static void write(Path path, float[][] rows) throws IOException {
        write(path, rows, DType.FLOAT32);
    }

    /** Writes rows (all of one length) as a 2-D array of {@code dtype}, atomically. */
    public static void write(Path path, float[][] rows, DType dtype) throws IOException {
        int cols = checkRows(rows);
        try (Writer w = Writer.create(path, dtype, rows.length, cols)) {
            for (float[] r : rows) w.writeRow(r);
            w.finish();
        }
    }

    /** Writes rows (all of one length) as a 2-D {@code '<f8'} array, atomically. */
    public static void write(Path path, double[][] rows) throws IOException {
        if (rows == null) throw new IllegalArgumentException("rows are null");
        int cols = rows.length == 0 ? 0 : lengthOf(rows[0], 0);
        for (int i = 0; i < rows.length; i++) {
            if (lengthOf(rows[i], i) != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values but row 0 has " + cols);
            }
        }
        try (Writer w = Writer.create(path, DType.FLOAT64, rows.length, cols)) {
            for (double[] r : rows) w.writeRow(r);
            w.finish();
        }
    }

    /** Writes a vector as a 1-D {@code '<f4'} array (shape {@code (n,)}), atomically. */
    public static void write(Path path, float[] vector) throws IOException {
        if (vector == null) throw new IllegalArgumentException("the vector is null");
        writeAtomically(path, encode(vector, DType.FLOAT32, vector.length));
    }

    private static int checkRows(float[][] rows) {
        if (rows == null) throw new IllegalArgumentException("rows are null");
        int cols = rows.length == 0 ? 0 : lengthOf(rows[0], 0);
        for (int i = 0; i < rows.length; i++) {
            if (lengthOf(rows[i], i) != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values but row 0 has " + cols
                        + ": a .npy matrix needs rows of one length");
            }
        }
        return cols;
    }

    private static int lengthOf(Object row, int i) {
        if (row == null) throw new IllegalArgumentException("row " + i + " is null");
        return row instanceof float[] f ? f.length : ((double[]) row).length;
    }

    /**
     * Writes bytes to {@code path} atomically: a temporary file in the same directory, flushed to the device, renamed
     * onto {@code path}. Plain {@code java.io} streams are used, so an interrupt of the calling thread does not abort it.
     */
    public static void writeAtomically(Path path, byte[] bytes) throws IOException {
        Path target = AtomicFiles.target(path);
        Path tmp = AtomicFiles.tempSibling(target);
        boolean moved = false;
        try {
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            AtomicFiles.move(tmp, target);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /**
     * Streams a 2-D array to a file or a stream, row by row, without holding it in memory.
     *
     * <pre>{@code
     * try (Npy.Writer w = Npy.Writer.create(path, Npy.DType.FLOAT32, Npy.UNKNOWN_ROWS, 3)) {
     *     for (...) w.writeRow(row);
     *     w.finish();          // completes the header, syncs, and renames the file into place
     * }                        // close() without finish() discards the file: nothing half-written appears
     * }</pre>
     *
     * A writer to a path writes a temporary file next to it and renames it onto the path in {@link #finish()}; with
     * {@link Npy#UNKNOWN_ROWS} the header's row count is filled in then (NumPy's spare header space makes this an
     * in-place rewrite). A writer to a stream needs the row count in advance. {@code finish()} fails when the rows
     * written differ from the rows declared. Not thread-safe.
     */
    public static final class Writer implements Closeable {

        private final DType dtype;
        private final long declaredRows;
        private final int cols;
        private final OutputStream out;
        private final RandomAccessFile file;
        private final Path tmp;
        private final Path target;
        private final String name;
        private final byte[] block;
        private long rows;
        private boolean finished;
        private boolean prepared;
        private boolean closed;

        private Writer(DType dtype, long declaredRows, int cols, OutputStream out, RandomAccessFile file, Path tmp,
                       Path target, String name) {
            this.dtype = dtype;
            this.declaredRows = declaredRows;
            this.cols = cols;
            this.out = out;
            this.file = file;
            this.tmp = tmp;
            this.target = target;
            this.name = name;
            this.block = new byte[(int) Math.max(dtype.itemSize(), Math.min(IO_BLOCK, (long) cols * dtype.itemSize()))];
        }

        /**
         * A writer of a {@code rows × cols} array to {@code path} ({@code rows} may be {@link Npy#UNKNOWN_ROWS}); the
         * file appears at {@code path} only when {@link #finish()} succeeds.
         */
        public static Writer create(Path path, DType dtype, long rows, int cols) throws IOException {
            checkShape(dtype, rows, cols, true);
            Path target = AtomicFiles.target(path);
            Path tmp = AtomicFiles.tempSibling(target);
            RandomAccessFile raf = null;
            try {
                raf = new RandomAccessFile(tmp.toFile(), "rw");
                OutputStream out = new BufferedOutputStream(new FileOutputStream(raf.getFD()), IO_BLOCK);
                Writer w = new Writer(dtype, rows, cols, out, raf, tmp, target, path.toString());
                out.write(header(dtype, Math.max(rows, 0), cols));
                return w;
            } catch (IOException | RuntimeException e) {
                if (raf != null) raf.close();
                Files.deleteIfExists(tmp);
                throw e;
            }
        }

        /** A writer of a {@code rows × cols} array to {@code out} (not closed by this writer). */
        public static Writer to(OutputStream out, DType dtype, long rows, int cols) throws IOException {
            checkShape(dtype, rows, cols, false);
            Writer w = new Writer(dtype, rows, cols, out, null, null, null, "stream");
            out.write(header(dtype, rows, cols));
            return w;
        }

        private static void checkShape(DType dtype, long rows, int cols, boolean unknownAllowed) {
            if (dtype == null) throw new IllegalArgumentException("dtype must be given");
            if (cols < 0) throw new IllegalArgumentException("cols must be >= 0, got " + cols);
            if (rows < 0 && !(unknownAllowed && rows == UNKNOWN_ROWS)) {
                throw new IllegalArgumentException("rows must be >= 0" + (unknownAllowed ? " or UNKNOWN_ROWS" : "")
                        + ", got " + rows);
            }
        }

        public long rowsWritten() {
            return rows;
        }

        public void writeRow(float[] row) throws IOException {
            if (row == null || row.length != cols) {
                throw new IllegalArgumentException("row " + rows + " has " + (row == null ? "no" : row.length)
                        + " values but the array has " + cols + " columns");
            }
            writeRows(row, 0, 1);
        }

        public void writeRow(double[] row) throws IOException {
            if (row == null || row.length != cols) {
                throw new IllegalArgumentException("row " + rows + " has " + (row == null ? "no" : row.length)
                        + " values but the array has " + cols + " columns");
            }
            beforeWrite(1);
            int item = dtype.itemSize();
            int per = block.length / item;
            for (int i = 0; i < cols; i += per) {
                int m = Math.min(per, cols - i);
                ByteBuffer bb = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < m; k++) {
                    if (dtype == DType.FLOAT32) bb.putFloat((float) row[i + k]); else bb.putDouble(row[i + k]);
                }
                out.write(block, 0, m * item);
            }
            rows++;
        }

        /** Writes {@code count} rows taken from {@code values} (row-major) starting at {@code offset}. */
        public void writeRows(float[] values, int offset, int count) throws IOException {
            if (count < 0 || offset < 0 || (long) offset + (long) count * cols > values.length) {
                throw new IllegalArgumentException(count + " rows of " + cols + " from offset " + offset
                        + " do not fit in " + values.length + " values");
            }
            beforeWrite(count);
            int item = dtype.itemSize();
            int per = block.length / item;
            long total = (long) count * cols;
            for (long i = 0; i < total; i += per) {
                int m = (int) Math.min(per, total - i);
                ByteBuffer bb = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
                int from = offset + (int) i;
                if (dtype == DType.FLOAT32) {
                    bb.asFloatBuffer().put(values, from, m);
                } else {
                    for (int k = 0; k < m; k++) bb.putDouble(values[from + k]);
                }
                out.write(block, 0, m * item);
            }
            rows += count;
        }

        private void beforeWrite(long count) {
            if (finished || closed) throw new IllegalStateException("the writer of " + name + " is already closed");
            if (declaredRows >= 0 && rows + count > declaredRows) {
                throw new IllegalStateException("writing row " + (rows + count - 1) + " of " + name + ", which was declared"
                        + " with " + declaredRows + " rows");
            }
        }

        /**
         * Completes the array: checks the row count, completes the header, and (for a path) syncs the file and
         * renames it into place. After a failure nothing is left at the path but what was there before.
         */
        public void finish() throws IOException {
            prepare();
            if (file != null) commit();
        }

        /**
         * Finishes two arrays that belong together (θ and x of the same simulations) so that a failure leaves both
         * earlier files or both new ones, never a new one beside an old one of the same shape, which would load
         * without complaint and pair the wrong rows: both are completed and synced before either is renamed, and
         * if the second rename fails the first file's earlier version (kept through a hard link, or a copy where
         * the file system has none) is put back. A crash between the two renames can still leave one of each.
         */
        public static void finishBoth(Writer first, Writer second) throws IOException {
            if (first.file == null || second.file == null) {
                first.finish();
                second.finish();
                return;
            }
            try {
                first.prepare();
                second.prepare();
            } catch (IOException | RuntimeException e) {
                closeQuietly(first, e);
                closeQuietly(second, e);
                throw e;
            }
            Path backup = null;
            try {
                backup = Files.exists(first.target) ? keepCopy(first.target) : null;
                first.commit();
                try {
                    second.commit();
                } catch (IOException | RuntimeException e) {
                    try {
                        if (backup != null) {
                            AtomicFiles.move(backup, first.target);
                            backup = null;
                        } else {
                            Files.deleteIfExists(first.target);
                        }
                    } catch (IOException restore) {
                        e.addSuppressed(restore);
                        Path kept = backup;
                        backup = null;
                        throw new IOException(second.name + " could not be written, and " + first.name + ", already"
                                + " replaced, could not be put back, so the two no longer belong together"
                                + (kept != null ? " (the earlier " + first.name + " is in " + kept + ")" : "")
                                + ": delete both and write them again", e);
                    }
                    throw e;
                }
            } finally {
                closeQuietly(first, null);
                closeQuietly(second, null);
                if (backup != null) AtomicFiles.deleteQuietly(backup);
            }
        }

        /** A hidden second name (a hard link, else a copy) for the file's current contents. */
        private static Path keepCopy(Path file) throws IOException {
            Path copy = AtomicFiles.tempSibling(file);
            Files.delete(copy);
            try {
                Files.createLink(copy, file);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
            return copy;
        }

        private static void closeQuietly(Writer w, Throwable into) {
            try {
                w.close();
            } catch (IOException e) {
                if (into != null) into.addSuppressed(e);
            }
        }

        /** Checks the row count, completes the header and, for a path, syncs the temporary file and closes it. */
        private void prepare() throws IOException {
            if (finished || closed || prepared) {
                throw new IllegalStateException("the writer of " + name + " is already closed");
            }
            if (declaredRows >= 0 && rows != declaredRows) {
                close();
                throw new IOException(name + ": " + rows + " rows were written but " + declaredRows + " were declared;"
                        + " the array is incomplete and was not saved");
            }
            out.flush();
            if (file == null) {
                finished = true;
                return;
            }
            boolean ok = false;
            try {
                if (declaredRows < 0) {
                    byte[] head = header(dtype, rows, cols);
                    file.seek(0);
                    file.write(head);
                }
                file.getFD().sync();
                file.close();
                prepared = true;
                ok = true;
            } finally {
                if (!ok) close();
            }
        }

        /** Renames the prepared temporary file onto the target. */
        private void commit() throws IOException {
            boolean moved = false;
            try {
                AtomicFiles.move(tmp, target);
                moved = true;
                finished = true;
            } finally {
                if (!moved) close();
            }
        }

        /** Releases the writer; without a successful {@link #finish()} the partial file is deleted. */
        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            if (file != null && !finished) {
                try {
                    if (!prepared) file.close();
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }

    // ================================================================ reading

    /** Reads a whole array as floats ({@code '<f8'} values are rounded to float). */
    public static FloatArray read(Path path) throws IOException {
        try (Reader r = Reader.open(path)) {
            return r.readAll();
        }
    }

    /** Reads a whole array from a stream (not closed); {@code source} names it in error messages. */
    public static FloatArray read(InputStream in, String source) throws IOException {
        Reader r = Reader.of(in, source);
        return r.readAll();
    }

    /** Decodes a whole {@code .npy} file held in memory; trailing bytes after the data are an error. */
    public static FloatArray decode(byte[] bytes, String source) throws IOException {
        Reader r = Reader.of(new ByteArrayInputStream(bytes), source);
        long expected = r.dataOffset + r.header.dataBytes();
        if (bytes.length < expected) {
            throw r.truncatedError(bytes.length - r.dataOffset);
        }
        if (bytes.length > expected) throw r.trailingError(bytes.length - expected);
        r.sizeChecked = true;
        return r.readAll();
    }

    /** Reads a 2-D array as rows (a 1-D array as one column). */
    public static float[][] readMatrix(Path path) throws IOException {
        try (Reader r = Reader.open(path)) {
            if (r.header.ndim() != 1 && r.header.ndim() != 2) {
                throw new NpyFormatException(path + ": a " + r.header.ndim() + "-d array of shape " + r.header.shapeText()
                        + " where a matrix (2-d) was expected; reshape it in Python (a.reshape(n, -1)) and save again");
            }
            FloatArray a = r.readAll();
            try {
                return a.toRows();
            } catch (IllegalArgumentException e) {
                throw new NpyFormatException(path + ": " + e.getMessage());
            }
        }
    }

    /** Reads a 1-D array. */
    public static float[] readVector(Path path) throws IOException {
        try (Reader r = Reader.open(path)) {
            if (r.header.ndim() != 1) {
                throw new NpyFormatException(path + ": a " + r.header.ndim() + "-d array of shape " + r.header.shapeText()
                        + " where a vector (1-d) was expected; flatten it in Python (a.ravel()) and save again");
            }
            return r.readAll().values();
        }
    }

    /** The header of a {@code .npy} file, checked against the file's size. */
    public static Header readHeader(Path path) throws IOException {
        try (Reader r = Reader.open(path)) {
            return r.header();
        }
    }

    /**
     * Parses a header dict as NumPy writes it, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }}
     * with any padding; keys in any order, either quote style, Python 2 long suffixes ({@code 3L}).
     */
    public static Header parseHeader(String dict) throws NpyFormatException {
        return new HeaderParser(dict, "header").parse();
    }

    /**
     * Reads an array row by row (rows are the first dimension; a row holds the product of the others), without
     * holding it in memory. A reader of a path checks the file's size against its header when it opens, so a truncated
     * file fails at once; a reader of a stream fails when the data run out. Not thread-safe.
     */
    public static final class Reader implements Closeable {

        private final InputStream in;
        private final boolean owned;
        private final String source;
        private final Header header;
        private final long dataOffset;
        private final long totalElements;
        private final long cols;
        private final byte[] block = new byte[IO_BLOCK];
        private long elementsRead;
        private long rowsRead;
        /** Whether the data's size was checked against the header (a file, a byte array) before any allocation. */
        private boolean sizeChecked;

        private Reader(InputStream in, boolean owned, String source) throws IOException {
            this.in = in;
            this.owned = owned;
            this.source = source;
            long[] offset = new long[1];
            this.header = readHeaderFrom(in, source, offset);
            this.dataOffset = offset[0];
            try {
                this.totalElements = header.elementCount();
                header.dataBytes();
                this.cols = header.cols();
            } catch (ArithmeticException e) {
                throw new NpyFormatException(source + ": shape " + header.shapeText() + " is too large to be an array;"
                        + " the header is damaged");
            }
        }

        public static Reader open(Path path) throws IOException {
            InputStream in = new BufferedInputStream(new FileInputStream(path.toFile()), IO_BLOCK);
            try {
                Reader r = new Reader(in, true, path.toString());
                long size = Files.size(path);
                long expected = r.dataOffset + r.header.dataBytes();
                if (size < expected) throw r.truncatedError(size - r.dataOffset);
                if (size > expected) throw r.trailingError(size - expected);
                r.sizeChecked = true;
                return r;
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** A reader of a stream, which it does not close; {@code source} names it in error messages. */
        public static Reader of(InputStream in, String source) throws IOException {
            return new Reader(in, false, source);
        }

        public Header header() {
            return header;
        }

        /** Rows not read yet. */
        public long remainingRows() {
            return header.rows() - rowsRead;
        }

        /**
         * Reads up to {@code maxRows} rows into {@code dst} from {@code offset}; returns the rows read, 0 at the end.
         */
        public int readRows(float[] dst, int offset, int maxRows) throws IOException {
            int n = (int) Math.max(0, Math.min(maxRows, remainingRows()));
            long values = n * cols;
            if (offset < 0 || offset + values > dst.length) {
                throw new IllegalArgumentException(n + " rows of " + cols + " do not fit in " + dst.length
                        + " values from offset " + offset);
            }
            readElements(dst, offset, (int) values);
            rowsRead += n;
            return n;
        }

        private void readElements(float[] dst, int offset, int count) throws IOException {
            int item = header.dtype().itemSize();
            int per = block.length / item;
            int done = 0;
            while (done < count) {
                int m = Math.min(per, count - done);
                int want = m * item;
                int got = in.readNBytes(block, 0, want);
                if (got < want) {
                    throw truncatedError(elementsRead * item + got);
                }
                ByteBuffer bb = ByteBuffer.wrap(block, 0, want).order(ByteOrder.LITTLE_ENDIAN);
                if (header.dtype() == DType.FLOAT32) {
                    bb.asFloatBuffer().get(dst, offset + done, m);
                } else {
                    for (int k = 0; k < m; k++) {
                        double value = bb.getDouble();
                        float f = (float) value;
                        if (Float.isInfinite(f) && !Double.isInfinite(value)) {
                            throw new NpyFormatException(source + ": value " + (elementsRead + k) + " is " + value
                                    + ", beyond float32's range (about ±3.4e38), which jsbi computes in; rescale the"
                                    + " data before saving it");
                        }
                        dst[offset + done + k] = f;
                    }
                }
                done += m;
                elementsRead += m;
            }
        }

        /** The rest of the array. */
        FloatArray readAll() throws IOException {
            long left = totalElements - elementsRead;
            if (left > Integer.MAX_VALUE - 8) {
                throw new NpyFormatException(source + ": an array of shape " + header.shapeText() + " (" + totalElements
                        + " values) does not fit in one Java array; read it row by row with Npy.Reader");
            }
            float[] v;
            if (sizeChecked) {
                v = new float[(int) left];
                readElements(v, 0, v.length);
            } else {
                // A stream's header is not backed by a known size: grow the array as the data arrives, so that a
                // damaged header is reported as truncated rather than allocated.
                v = new float[(int) Math.min(left, STREAM_FIRST_ELEMENTS)];
                int filled = 0;
                while (filled < left) {
                    if (filled == v.length) v = Arrays.copyOf(v, (int) Math.min(left, 2L * v.length));
                    readElements(v, filled, v.length - filled);
                    filled = v.length;
                }
            }
            rowsRead = header.rows();
            return new FloatArray(header.shape(), v);
        }

        NpyFormatException truncatedError(long dataBytesPresent) {
            return new NpyFormatException(source + ": truncated: the header says shape " + header.shapeText() + " of '"
                    + header.dtype().descr() + "' (" + header.dataBytes() + " bytes of data) but only "
                    + Math.max(0, dataBytesPresent) + " bytes follow the " + dataOffset + "-byte header;"
                    + " the file was not completely written or was cut short: write it again");
        }

        NpyFormatException trailingError(long extra) {
            return new NpyFormatException(source + ": " + extra + " unexpected bytes after the data of shape "
                    + header.shapeText() + " of '" + header.dtype().descr() + "'; the file is damaged or not a plain"
                    + " .npy file (np.save writes nothing after the data)");
        }

        @Override
        public void close() throws IOException {
            if (owned) in.close();
        }
    }

    /** Reads magic, version and header from {@code in}; {@code offset[0]} receives the data offset. */
    private static Header readHeaderFrom(InputStream in, String source, long[] offset) throws IOException {
        byte[] pre = in.readNBytes(8);
        int k = Math.min(pre.length, MAGIC.length);
        boolean prefix = true;
        for (int i = 0; i < k; i++) prefix &= pre[i] == MAGIC[i];
        if (!prefix) {
            String hint = pre.length >= 2 && pre[0] == 'P' && pre[1] == 'K'
                    ? " (it looks like a .npz zip archive: unzip it, or save each array with np.save)"
                    : "";
            throw new NpyFormatException(source + ": not a NumPy .npy file: it starts with " + describeBytes(pre, k)
                    + " where a .npy file starts with \\x93NUMPY" + hint);
        }
        if (pre.length < 8) {
            throw new NpyFormatException(source + ": truncated: " + (pre.length == 0 ? "the file is empty"
                    : "it ends after " + pre.length + " bytes, inside the magic and version") + "; write it again");
        }
        int major = pre[6] & 0xff, minor = pre[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(source + ": .npy format version " + major + "." + minor + " is not supported;"
                    + " jsbi reads versions 1.0, 2.0 and 3.0 (save with np.save from NumPy 1.x or 2.x)");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = in.readNBytes(lenBytes);
        if (lb.length < lenBytes) {
            throw new NpyFormatException(source + ": truncated inside the header length; write the file again");
        }
        long hlen = major == 1 ? (lb[0] & 0xff) | (lb[1] & 0xff) << 8
                : ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (hlen > MAX_HEADER_BYTES) {
            throw new NpyFormatException(source + ": the header claims " + hlen + " bytes, more than any array header;"
                    + " the file is damaged");
        }
        byte[] hb = in.readNBytes((int) hlen);
        if (hb.length < hlen) {
            throw new NpyFormatException(source + ": truncated inside the header (" + hb.length + " of " + hlen
                    + " bytes); write the file again");
        }
        String text = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        offset[0] = 8 + lenBytes + hlen;
        return new HeaderParser(text, source).parse();
    }

    private static String describeBytes(byte[] b, int k) {
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < k; i++) {
            int v = b[i] & 0xff;
            hex.append(i == 0 ? "" : " ").append(String.format("%02X", v));
            text.append(v >= 0x20 && v < 0x7f ? (char) v : '.');
        }
        return k == 0 ? "nothing (the file is empty)" : "the bytes " + hex + " (\"" + text + "\")";
    }

    static String tuple(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(')').toString();
    }

    /** A parser of the small Python literal subset NumPy writes: a dict of strings, booleans and tuples of ints. */
    private static final class HeaderParser {

        private static final Object LIST = new Object();
        private static final Object DICT = new Object();

        private final String s;
        private final String source;
        private int pos;

        HeaderParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Header parse() throws NpyFormatException {
            Map<String, Object> d = new HashMap<>();
            ws();
            expect('{');
            while (true) {
                ws();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                ws();
                expect(':');
                ws();
                Object value = value();
                if (d.put(key, value) != null) throw error("the key '" + key + "' appears twice");
                ws();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    break;
                } else {
                    throw error("expected ',' or '}' at position " + pos);
                }
            }
            ws();
            if (pos != s.length()) throw error("unexpected text after the dict at position " + pos);
            if (!d.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
                throw error("the header has the keys " + new TreeSet<>(d.keySet())
                        + " where a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
            }
            Object shapeValue = d.get("shape");
            if (!(shapeValue instanceof long[] shape)) throw error("'shape' is not a tuple of integers");
            DType dtype = dtype(d.get("descr"));
            Object fo = d.get("fortran_order");
            if (!(fo instanceof Boolean fortran)) throw error("'fortran_order' is not True or False");
            if (fortran && shape.length > 1) {
                throw new NpyFormatException(source + ": the array of shape " + tuple(shape) + " is in Fortran"
                        + " (column-major) order; jsbi reads C order: save np.ascontiguousarray(a) instead");
            }
            return new Header(dtype, shape);
        }

        private DType dtype(Object descr) throws NpyFormatException {
            if (descr == LIST) {
                throw new NpyFormatException(source + ": a structured dtype (record array) is not supported; jsbi reads"
                        + " plain float32 ('<f4') and float64 ('<f8') arrays: save a float column stack instead");
            }
            if (!(descr instanceof String t)) throw error("'descr' is not a dtype string");
            for (DType dt : DType.values()) {
                if (dt.descr().equals(t)) return dt;
            }
            String order = t.isEmpty() ? "" : t.substring(0, 1);
            String rest = "<>|=".contains(order) && !order.isEmpty() ? t.substring(1) : t;
            if (order.equals(">") && (rest.equals("f4") || rest.equals("f8"))) {
                throw new NpyFormatException(source + ": dtype '" + t + "' is big-endian; jsbi reads little-endian"
                        + " float32 ('<f4') and float64 ('<f8'): save a.astype('<" + rest + "') instead");
            }
            throw new NpyFormatException(source + ": dtype '" + t + "' (" + kindName(rest) + ") is not supported; jsbi"
                    + " reads float32 ('<f4') and float64 ('<f8') arrays: save a.astype(np.float32) instead");
        }

        private static String kindName(String rest) {
            if (rest.isEmpty()) return "unknown";
            String bits = rest.substring(1).matches("\\d+") ? 8 * Integer.parseInt(rest.substring(1)) + "-bit " : "";
            return switch (rest.charAt(0)) {
                case 'f' -> bits + "floats";
                case 'i' -> bits + "signed integers";
                case 'u' -> bits + "unsigned integers";
                case 'b', '?' -> "booleans";
                case 'c' -> bits + "complex numbers";
                case 'O' -> "Python objects";
                case 'U', 'S', 'a' -> "strings";
                case 'M', 'm' -> "dates or times";
                case 'V' -> "raw bytes";
                default -> "unknown";
            };
        }

        private Object value() throws NpyFormatException {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '(') return shapeTuple();
            if (c == '[') {
                skipBalanced('[', ']');
                return LIST;
            }
            if (c == '{') {
                skipBalanced('{', '}');
                return DICT;
            }
            throw error("unexpected value at position " + pos);
        }

        private long[] shapeTuple() throws NpyFormatException {
            expect('(');
            List<Long> v = new ArrayList<>();
            while (true) {
                ws();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                v.add(integer());
                ws();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ')') {
                    pos++;
                    break;
                } else {
                    throw error("expected ',' or ')' in the shape at position " + pos);
                }
            }
            long[] r = new long[v.size()];
            for (int i = 0; i < r.length; i++) r[i] = v.get(i);
            return r;
        }

        private long integer() throws NpyFormatException {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos == start) throw error("expected a non-negative integer in the shape at position " + start);
            long v;
            try {
                v = Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("the dimension " + s.substring(start, pos) + " is too large");
            }
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) pos++;
            return v;
        }

        private String string() throws NpyFormatException {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a quoted string at position " + pos);
            int end = s.indexOf(q, pos + 1);
            if (end < 0) throw error("an unterminated string at position " + pos);
            String v = s.substring(pos + 1, end);
            pos = end + 1;
            return v;
        }

        private void skipBalanced(char open, char close) throws NpyFormatException {
            int depth = 0;
            char quote = 0;
            for (; pos < s.length(); pos++) {
                char c = s.charAt(pos);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == open) {
                    depth++;
                } else if (c == close && --depth == 0) {
                    pos++;
                    return;
                }
            }
            throw error("an unbalanced '" + open + "'");
        }

        private void ws() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        private char peek() throws NpyFormatException {
            if (pos >= s.length()) throw error("the header ends early");
            return s.charAt(pos);
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) throw error("expected '" + c + "' at position " + pos);
            pos++;
        }

        private NpyFormatException error(String what) {
            String shown = s.strip();
            if (shown.length() > 200) shown = shown.substring(0, 200) + "...";
            return new NpyFormatException(source + ": malformed .npy header (" + what + "): \"" + shown + "\"");
        }
    }

    /** A 2-D array as the bytes of a {@code .npy} file, through the stream writer. */
    static byte[] toBytes(float[][] rows, DType dtype) throws IOException {
        int cols = checkRows(rows);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Writer w = Writer.to(bos, dtype, rows.length, cols);
        for (float[] r : rows) w.writeRow(r);
        w.finish();
        return bos.toByteArray();
    }
}
