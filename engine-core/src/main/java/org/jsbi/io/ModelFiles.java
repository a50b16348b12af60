package org.jsbi.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Writes and reads {@link ModelFile}s in the jsbi model file format, version {@value #FORMAT_VERSION}
 * (big-endian; layout in {@code docs/MODEL-FORMAT.md}):
 *
 * <pre>
 * magic "JSBIMODL" (8 bytes) | version (int = 1) | kind (UTF)
 * | metadata count (int) | (key UTF, value UTF)*
 * | array count (int) | (name UTF, rows int, cols int, rows*cols float32)*
 * | CRC32 of every preceding byte (long)
 * </pre>
 *
 * <p>UTF is {@link DataOutputStream#writeUTF}: a 2-byte length then modified UTF-8. Floats are written bit for bit
 * (raw IEEE 754 bits), so a round trip is exact. A file that is not a jsbi model file, of another format version,
 * truncated, damaged (checksum mismatch), followed by extra bytes, or that holds NaN or infinite values is refused
 * with a {@link ModelFormatException} naming the problem; a model is never built from it. I/O failures (a missing
 * file, a full disk) are {@link IOException}s.
 */
public final class ModelFiles {

    /** The 8 bytes every jsbi model file starts with: ASCII {@code "JSBIMODL"}. */
    public static final String MAGIC = "JSBIMODL";

    /** The format version this jsbi writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    /** The magic bytes and the format version. */
    private static final int HEAD_BYTES = 12;

    /** The largest file this format version holds (one Java byte array). */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

    private ModelFiles() {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code model} to {@code path} atomically: to a temporary file in the same directory, flushed to the
     * device, then moved onto {@code path} (replacing an existing file), so an interrupted save leaves either the
     * previous file or the new one under that name, never a half-written one. The temporary file is removed if
     * anything fails. A symbolic link is followed (the file it points to is replaced) and a replaced file's
     * permissions are kept (AtomicFiles).
     *
     * @throws ModelFormatException if the model cannot be written in this format (a NaN or infinite value, a string
     *                              over 65535 bytes, a file over 2 GiB); nothing is written then
     * @throws IOException          if the file cannot be written
     */
    public static void write(ModelFile model, Path path) throws IOException {
        byte[] bytes = toBytes(model);
        Path target = AtomicFiles.target(path);
        if (target.getParent() == null) {
            throw new IOException("cannot write a model file to " + path + ": it has no parent directory");
        }
        Path tmp = AtomicFiles.tempSibling(target);
        boolean moved = false;
        try {
            // A stream, not a FileChannel: a channel refuses to write while the thread's interrupt flag is set, and an
            // interrupted training keeps its best weights and leaves that flag set, so saving them failed
            // (ClosedByInterruptException) unless the caller had cleared it.
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            AtomicFiles.move(tmp, target);
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // the original failure matters more; the temp file is a hidden ".<name>.*.tmp"
                }
            }
        }
    }

    /** Writes {@code model} to {@code out} (not closed). See {@link #write(ModelFile, Path)} for the exceptions. */
    public static void write(ModelFile model, OutputStream out) throws IOException {
        out.write(toBytes(model));
        out.flush();
    }

    /** The bytes of {@code model} in the file format. */
    public static byte[] toBytes(ModelFile model) {
        long size = 8 + 4 + utfSize(model.kind(), "the model kind") + 4 + 4 + 8;
        for (var e : model.metadata().entrySet()) {
            size += utfSize(e.getKey(), "metadata key '" + e.getKey() + "'")
                    + utfSize(e.getValue(), "the value of metadata entry '" + e.getKey() + "'");
        }
        for (NamedArray a : model.arrays()) {
            size += utfSize(a.name(), "array name '" + a.name() + "'") + 8 + 4L * a.size();
            checkFinite(a);
        }
        if (size > MAX_FILE_BYTES) {
            throw new ModelFormatException("the model is " + size + " bytes, more than format version "
                    + FORMAT_VERSION + " holds (" + MAX_FILE_BYTES + " bytes)");
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream((int) size);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.write(MAGIC_BYTES);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(model.kind());
            out.writeInt(model.metadata().size());
            for (var e : model.metadata().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(model.arrays().size());
            for (NamedArray a : model.arrays()) {
                out.writeUTF(a.name());
                out.writeInt(a.rows());
                out.writeInt(a.cols());
                for (float v : a.values()) {
                    out.writeInt(Float.floatToRawIntBits(v));
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bos.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // cannot happen: sizes checked above
        }
        byte[] bytes = bos.toByteArray();
        assert bytes.length == size : bytes.length + " != " + size;
        return bytes;
    }

    private static void checkFinite(NamedArray a) {
        float[] d = a.values();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new ModelFormatException("array '" + a.name() + "' holds " + d[i] + " at [" + i / a.cols() + ", "
                        + i % a.cols() + "]: a model with NaN or infinite values cannot be saved (did training diverge?)");
            }
        }
    }

    /** The size of {@code s} written by writeUTF, 2 + its modified UTF-8 length; throws if over 65535. */
    private static int utfSize(String s, String what) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += (c >= 0x0001 && c <= 0x007F) ? 1 : (c <= 0x07FF ? 2 : 3);
        }
        if (n > 65535) {
            throw new ModelFormatException(what + " is " + n + " bytes in modified UTF-8, over the 65535 a model file"
                    + " string holds; store long data as an array instead");
        }
        return (int) n + 2;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads the model file at {@code path}.
     *
     * @throws ModelFormatException if it is not a jsbi model file, of another format version, truncated, damaged or
     *                              otherwise invalid; the message starts with the path
     * @throws IOException          if it cannot be read (missing, unreadable)
     */
    public static ModelFile read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new ModelFormatException(path + ": the file is " + size + " bytes, more than any jsbi model file"
                    + " of format version " + FORMAT_VERSION + " (" + MAX_FILE_BYTES + " bytes): not a jsbi model file");
        }
        // The head first: another kind of file (say a large .npy given where a model was meant) is then named as such
        // instead of being read whole.
        byte[] head = new byte[HEAD_BYTES];
        int got;
        try (InputStream in = Files.newInputStream(path)) {
            got = in.readNBytes(head, 0, HEAD_BYTES);
        }
        if (got == HEAD_BYTES) new Reader(head, path.toString()).readHead();
        return parse(Files.readAllBytes(path), path.toString());
    }

    /** Reads one model file from {@code in}, to its end (not closed). */
    public static ModelFile read(InputStream in) throws IOException {
        return parse(in.readAllBytes(), "model stream");
    }

    /** Reads a model file from its bytes. */
    public static ModelFile fromBytes(byte[] bytes) {
        return parse(bytes, "model bytes");
    }

    private static ModelFile parse(byte[] bytes, String source) {
        return new Reader(bytes, source).read();
    }

    /** A bounds-checked cursor over the bytes of a file: every read past the end is a "truncated" error. */
    private static final class Reader {
        private final byte[] b;
        private final int n;
        private final String source;
        private int pos;
        /** An error found while the structure could still be followed, reported after the checksum is verified. */
        private ModelFormatException deferred;

        Reader(byte[] b, String source) {
            this.b = b;
            this.n = b.length;
            this.source = source;
        }

        /** The magic bytes and the format version, which must be this jsbi's. */
        void readHead() {
            checkMagic();
            int version = readInt("the format version");
            if (version != FORMAT_VERSION) {
                if (version > FORMAT_VERSION && version < 65536) {
                    throw error("written by a newer jsbi (format version " + version + "); this jsbi reads version "
                            + FORMAT_VERSION + ": read it with the jsbi that wrote it, or a newer one");
                }
                throw error("format version " + version + " is not one any jsbi writes (this jsbi reads version "
                        + FORMAT_VERSION + "): the file is damaged");
            }
        }

        ModelFile read() {
            readHead();
            String kind = readUtf("the model kind");
            int metaCount = readCount("metadata count", 4, "metadata entries");
            LinkedHashMap<String, String> meta = new LinkedHashMap<>();
            for (int i = 0; i < metaCount; i++) {
                String key = readUtf("metadata key " + i);
                String value = readUtf("the value of metadata entry '" + key + "'");
                if (meta.putIfAbsent(key, value) != null) {
                    defer("metadata entry '" + key + "' appears twice: the file is damaged or was not written by jsbi");
                }
            }
            int arrayCount = readCount("array count", 10, "arrays");
            List<NamedArray> arrays = new ArrayList<>(arrayCount);
            Set<String> names = new HashSet<>();
            for (int i = 0; i < arrayCount; i++) {
                String name = readUtf("the name of array " + i);
                int start = pos;
                int rows = readInt("the rows of array '" + name + "'");
                int cols = readInt("the columns of array '" + name + "'");
                if (rows < 0 || cols < 0) {
                    throw error("array '" + name + "' at byte " + start + " has the impossible shape " + rows + " x "
                            + cols + ": the file is damaged; save the model again or restore a good copy");
                }
                long count = (long) rows * cols; // < 2^62, no overflow (4 * count could overflow)
                if (count > (n - pos) / 4) {
                    throw truncated("the values of array '" + name + "' (" + rows + " x " + cols + " = " + count
                            + " floats, 4 bytes each)");
                }
                int bytesNeeded = 4 * (int) count;
                float[] data = new float[(int) count];
                ByteBuffer.wrap(b, pos, bytesNeeded).asFloatBuffer().get(data);
                pos += bytesNeeded;
                if (name.isEmpty()) {
                    defer("array " + i + " has an empty name: the file is damaged or was not written by jsbi");
                } else if (!names.add(name)) {
                    defer("array '" + name + "' appears twice: the file is damaged or was not written by jsbi");
                }
                arrays.add(name.isEmpty() ? null : new NamedArray(name, rows, cols, data));
            }
            int contentEnd = pos;
            long stored = readLong("the checksum");
            CRC32 crc = new CRC32();
            crc.update(b, 0, contentEnd);
            if (crc.getValue() != stored) {
                throw error(String.format("damaged: checksum mismatch (stored %08x, computed %08x over bytes 0..%d);"
                        + " the file changed after it was written: do not use it, save the model again or restore"
                        + " a good copy", stored, crc.getValue(), contentEnd - 1));
            }
            if (pos != n) {
                throw error((n - pos) + " unexpected bytes after the checksum (the model ends at byte " + pos
                        + ", the file at byte " + n + "): something was appended or files were concatenated;"
                        + " restore a good copy");
            }
            if (deferred != null) {
                throw deferred;
            }
            if (kind.isEmpty()) {
                throw error("the model kind is empty: the file was not written by jsbi");
            }
            for (NamedArray a : arrays) {
                float[] d = a.values();
                for (int i = 0; i < d.length; i++) {
                    if (!Float.isFinite(d[i])) {
                        throw error("array '" + a.name() + "' holds " + d[i] + " at [" + i / a.cols() + ", "
                                + i % a.cols() + "]: a jsbi model file never holds NaN or infinite values;"
                                + " the file was not written by jsbi or was edited");
                    }
                }
            }
            try {
                return new ModelFile(kind, meta, arrays);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": not a valid model: " + e.getMessage(), e);
            }
        }

        private void checkMagic() {
            int k = Math.min(n, MAGIC_BYTES.length);
            boolean prefix = true;
            for (int i = 0; i < k; i++) {
                prefix &= b[i] == MAGIC_BYTES[i];
            }
            if (prefix && n < MAGIC_BYTES.length) {
                if (n == 0) {
                    throw error("the file is empty (truncated at byte 0): a save that never completed, or not a"
                            + " model file; save the model again");
                }
                throw truncated("the magic bytes");
            }
            if (!prefix) {
                throw error("not a jsbi model file: it starts with " + describeBytes(k) + " where a jsbi model file"
                        + " starts with \"" + MAGIC + "\"; give the path of a model saved by jsbi");
            }
            pos = MAGIC_BYTES.length;
        }

        private String describeBytes(int k) {
            StringBuilder hex = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < k; i++) {
                int v = b[i] & 0xff;
                hex.append(i == 0 ? "" : " ").append(String.format("%02X", v));
                text.append(v >= 0x20 && v < 0x7f ? (char) v : '.');
            }
            return "the bytes " + hex + " (\"" + text + "\")";
        }

        private void need(int k, String what) {
            if (n - pos < k) {
                throw truncated(what);
            }
        }

        private int readInt(String what) {
            need(4, what);
            int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        private long readLong(String what) {
            need(8, what);
            long v = ByteBuffer.wrap(b, pos, 8).getLong();
            pos += 8;
            return v;
        }

        /** A count of items that each take at least {@code minBytes}: negative is damage, too many is truncation. */
        private int readCount(String what, int minBytes, String items) {
            int start = pos;
            int count = readInt("the " + what);
            if (count < 0) {
                throw error("the " + what + " at byte " + start + " is " + count + ": the file is damaged; save the"
                        + " model again or restore a good copy");
            }
            if ((long) count * minBytes > n - pos) {
                throw truncated(count + " " + items + " (at least " + (long) count * minBytes + " bytes)");
            }
            return count;
        }

        private String readUtf(String what) {
            need(2, what);
            int len = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
            need(2 + len, what + " (" + len + " bytes)");
            String s;
            try {
                s = new DataInputStream(new ByteArrayInputStream(b, pos, 2 + len)).readUTF();
            } catch (UTFDataFormatException e) {
                defer(what + " at byte " + pos + " is not valid modified UTF-8: the file is damaged");
                s = "";
            } catch (IOException e) {
                throw new IllegalStateException("reading from memory failed", e); // cannot happen: length checked
            }
            pos += 2 + len;
            return s;
        }

        private void defer(String message) {
            if (deferred == null) {
                deferred = error(message);
            }
        }

        private ModelFormatException truncated(String what) {
            return error("the file is truncated at byte " + n + ": it ends while reading " + what + " from byte "
                    + pos + " (or a length in it is damaged); the save was interrupted or the copy is incomplete: save or"
                    + " copy the model again");
        }

        private ModelFormatException error(String message) {
            return new ModelFormatException(source + ": " + message);
        }
    }
}
