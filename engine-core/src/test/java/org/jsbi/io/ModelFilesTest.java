package org.jsbi.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

    private final long seed = TestSeeds.seed(20240611L);

    @TempDir
    Path dir;

    /** A small model with awkward values: -0.0, subnormals, extremes, non-ASCII strings, an empty array. */
    private ModelFile sample() {
        Random rnd = new Random(seed);
        float[] w = new float[3 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        w[0] = -0.0f;
        w[1] = Float.MIN_VALUE;
        w[2] = Float.MAX_VALUE;
        w[3] = -Float.MIN_NORMAL;
        w[4] = Float.intBitsToFloat(0x00000123); // subnormal
        return ModelFile.builder("maf")
                .meta("zeta", "first, not sorted")
                .meta("thetaDim", 3)
                .meta("hidden", new int[] {50, 50})
                .meta("learningRate", 5e-4)
                .meta("seed", 1234567890123L)
                .meta("batchNorm", false)
                .meta("activation", "tanh")
                .meta("note", "Ünïcødé \u0000 \uD83D\uDE00 €")
                .meta("empty", "")
                .array("layer0.weight", 3, 5, w)
                .vector("layer0.bias", new float[] {1f, -2f, 3.5f})
                .array("empty", 0, 7, new float[0])
                .vector("zscore.theta.mean", new float[] {0.25f, -1e-30f})
                .build();
    }

    private static void assertBitIdentical(ModelFile expected, ModelFile actual) {
        assertEquals(expected.kind(), actual.kind());
        assertEquals(new ArrayList<>(expected.metadata().entrySet()), new ArrayList<>(actual.metadata().entrySet()),
                "metadata, in order");
        assertEquals(expected.arrays().size(), actual.arrays().size());
        for (int i = 0; i < expected.arrays().size(); i++) {
            NamedArray e = expected.arrays().get(i), a = actual.arrays().get(i);
            assertEquals(e.name(), a.name());
            assertEquals(e.rows(), a.rows(), e.name());
            assertEquals(e.cols(), a.cols(), e.name());
            float[] ed = e.data(), ad = a.data();
            assertEquals(ed.length, ad.length);
            for (int j = 0; j < ed.length; j++) {
                assertEquals(Float.floatToRawIntBits(ed[j]), Float.floatToRawIntBits(ad[j]), e.name() + "[" + j + "]");
            }
        }
        assertEquals(expected, actual);
    }

    private static ModelFormatException readFails(byte[] bytes) {
        try {
            ModelFile m = ModelFiles.fromBytes(bytes);
            fail("read a model from bad bytes: " + m);
            return null;
        } catch (ModelFormatException e) {
            return e;
        } catch (RuntimeException e) {
            throw new AssertionError("expected a ModelFormatException, got " + e, e);
        }
    }

    private static void assertMessageContains(ModelFormatException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------ round trips

    @Test
    void roundTripThroughAFileIsBitIdentical() throws IOException {
        ModelFile m = sample();
        Path p = dir.resolve("model.jsbi");
        ModelFiles.write(m, p);
        ModelFile back = ModelFiles.read(p);
        assertBitIdentical(m, back);
        assertEquals(List.of("zeta", "thetaDim", "hidden", "learningRate", "seed", "batchNorm", "activation", "note",
                "empty"), List.copyOf(back.metadata().keySet()));
        // and writing it again gives the same bytes
        assertArrayEquals(Files.readAllBytes(p), ModelFiles.toBytes(back));
    }

    @Test
    void roundTripThroughStreamsAndBytes() throws IOException {
        ModelFile m = sample();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFiles.write(m, out);
        assertBitIdentical(m, ModelFiles.read(new ByteArrayInputStream(out.toByteArray())));
        assertBitIdentical(m, ModelFiles.fromBytes(ModelFiles.toBytes(m)));
        assertArrayEquals(out.toByteArray(), ModelFiles.toBytes(m));
    }

    @Test
    void typedMetadataReadsBackExactly() {
        ModelFile m = ModelFiles.fromBytes(ModelFiles.toBytes(sample()));
        assertEquals(3, m.metaInt("thetaDim"));
        assertArrayEquals(new int[] {50, 50}, m.metaInts("hidden"));
        assertEquals(5e-4, m.metaDouble("learningRate"));
        assertEquals(1234567890123L, m.metaLong("seed"));
        assertFalse(m.metaBoolean("batchNorm"));
        assertEquals("tanh", m.meta("activation"));
        assertEquals("Ünïcødé \u0000 \uD83D\uDE00 €", m.meta("note"));
        assertEquals("", m.meta("empty"));
        assertArrayEquals(new float[] {1f, -2f, 3.5f}, m.array("layer0.bias", 1, 3));
        assertEquals(0, m.array("empty").size());
        assertTrue(m.hasMeta("thetaDim"));
        assertFalse(m.hasArray("nope"));
        m.requireKind("maf");
    }

    @Test
    void emptyModelWorks() throws IOException {
        ModelFile m = ModelFile.builder("mdn").build();
        Path p = dir.resolve("empty.jsbi");
        ModelFiles.write(m, p);
        ModelFile back = ModelFiles.read(p);
        assertEquals("mdn", back.kind());
        assertTrue(back.metadata().isEmpty());
        assertTrue(back.arrays().isEmpty());
        // 8 magic + 4 version + (2 + 3) kind + 4 + 4 counts + 8 checksum
        assertEquals(33, Files.size(p));
    }

    @Test
    void noArraysButMetadataWorks() {
        ModelFile m = ModelFile.builder("mdn").meta("components", 5).build();
        assertBitIdentical(m, ModelFiles.fromBytes(ModelFiles.toBytes(m)));
    }

    @Test
    void layoutIsTheDocumentedOne() {
        ModelFile m = ModelFile.builder("k").meta("a", "b").array("w", 1, 2, new float[] {1f, -0f}).build();
        byte[] bytes = ModelFiles.toBytes(m);
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[8];
        bb.get(magic);
        assertEquals("JSBIMODL", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, bb.getInt());
        assertEquals(1, bb.getShort());
        assertEquals('k', bb.get());
        assertEquals(1, bb.getInt()); // metadata count
        assertEquals(1, bb.getShort());
        assertEquals('a', bb.get());
        assertEquals(1, bb.getShort());
        assertEquals('b', bb.get());
        assertEquals(1, bb.getInt()); // array count
        assertEquals(1, bb.getShort());
        assertEquals('w', bb.get());
        assertEquals(1, bb.getInt());
        assertEquals(2, bb.getInt());
        assertEquals(0x3f800000, bb.getInt());
        assertEquals(0x80000000, bb.getInt());
        int end = bb.position();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, end);
        assertEquals(crc.getValue(), bb.getLong());
        assertFalse(bb.hasRemaining());
    }

    // ------------------------------------------------------------ damaged files

    @Test
    void oneFlippedByteInTheWeightsIsAChecksumError() {
        byte[] good = ModelFiles.toBytes(sample());
        int mid = indexOfArrayData(good, "layer0.weight") + 4 * 7 + 2;
        byte[] bad = good.clone();
        bad[mid] ^= 0x10;
        assertMessageContains(readFails(bad), "damaged: checksum", "model bytes");
        // also in the exponent byte, so the bad value may be NaN or infinite: still the checksum that speaks first
        byte[] nan = good.clone();
        int at = indexOfArrayData(good, "layer0.weight") + 4 * 8;
        nan[at] = (byte) 0x7f;
        nan[at + 1] = (byte) 0xc0;
        assertMessageContains(readFails(nan), "damaged: checksum");
    }

    @Test
    void everySingleByteFlipIsRefusedWithAModelFormatException() {
        byte[] good = ModelFiles.toBytes(sample());
        for (int i = 0; i < good.length; i++) {
            for (int bit : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) bit;
                ModelFormatException e = readFails(bad);
                assertFalse(e.getMessage().isBlank(), "byte " + i);
            }
        }
    }

    @Test
    void truncationAtAnyPositionIsATruncatedError() throws IOException {
        byte[] good = ModelFiles.toBytes(sample());
        for (int len = 0; len < good.length; len++) {
            ModelFormatException e = readFails(Arrays.copyOf(good, len));
            assertMessageContains(e, "truncated at byte " + len);
        }
        // through a file too
        Path p = dir.resolve("cut.jsbi");
        Files.write(p, Arrays.copyOf(good, good.length / 2));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(p));
        assertMessageContains(e, p.toString(), "truncated at byte " + good.length / 2);
    }

    @Test
    void randomDamageIsAlwaysAModelFormatException() {
        byte[] good = ModelFiles.toBytes(sample());
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = Arrays.copyOf(good, good.length + (trial % 3 == 0 ? rnd.nextInt(9) - 4 : 0));
            int flips = 1 + rnd.nextInt(6);
            for (int f = 0; f < flips; f++) {
                int at = 12 + rnd.nextInt(bad.length - 12); // keep magic and version: exercise the body
                bad[at] = (byte) rnd.nextInt(256);
            }
            if (Arrays.equals(bad, good)) {
                continue;
            }
            try {
                readFails(bad);
            } catch (AssertionError e) {
                throw new AssertionError("trial " + trial + TestSeeds.replay(seed) + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void wrongMagicNamesTheFirstBytes() {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
        assertMessageContains(readFails(zip), "not a jsbi model file", "50 4B 03 04 14 00 00 00", "\"PK......\"",
                "JSBIMODL");
        assertMessageContains(readFails("hello".getBytes()), "not a jsbi model file", "68 65 6C 6C 6F", "hello");
        byte[] good = ModelFiles.toBytes(sample());
        good[3] = 'X';
        assertMessageContains(readFails(good), "not a jsbi model file");
    }

    @Test
    void anotherVersionIsRefusedByName() {
        byte[] v2 = withVersion(ModelFiles.toBytes(sample()), 2);
        assertMessageContains(readFails(v2), "written by a newer jsbi (format version 2); this jsbi reads version 1");
        byte[] v7 = withVersion(ModelFiles.toBytes(sample()), 7);
        assertMessageContains(readFails(v7), "format version 7");
        byte[] v0 = withVersion(ModelFiles.toBytes(sample()), 0);
        assertMessageContains(readFails(v0), "format version 0", "damaged");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] good = ModelFiles.toBytes(sample());
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertMessageContains(readFails(longer), "3 unexpected bytes after the checksum");
        byte[] twice = new byte[good.length * 2];
        System.arraycopy(good, 0, twice, 0, good.length);
        System.arraycopy(good, 0, twice, good.length, good.length);
        assertMessageContains(readFails(twice), "unexpected bytes after the checksum");
    }

    @Test
    void absurdCountsAreRefusedWithoutHugeAllocations() {
        byte[] good = ModelFiles.toBytes(ModelFile.builder("k").array("w", 2, 2, new float[4]).build());
        int shapeAt = indexOfArrayData(good, "w") - 8;
        // rows = cols = Integer.MAX_VALUE: 16 EiB claimed in a 50-byte file
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(shapeAt, Integer.MAX_VALUE).putInt(shapeAt + 4, Integer.MAX_VALUE);
        assertMessageContains(readFails(rechecksum(huge)), "truncated", "2147483647 x 2147483647");
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(shapeAt, -2);
        assertMessageContains(readFails(rechecksum(negative)), "impossible shape -2 x 2", "damaged");
        // the counts right after the kind
        int metaCountAt = 8 + 4 + 2 + 1;
        byte[] manyMeta = good.clone();
        ByteBuffer.wrap(manyMeta).putInt(metaCountAt, Integer.MAX_VALUE);
        assertMessageContains(readFails(manyMeta), "truncated", "2147483647 metadata entries");
        byte[] negMeta = good.clone();
        ByteBuffer.wrap(negMeta).putInt(metaCountAt, -1);
        assertMessageContains(readFails(negMeta), "metadata count", "is -1", "damaged");
        byte[] manyArrays = good.clone();
        ByteBuffer.wrap(manyArrays).putInt(metaCountAt + 4, 1 << 30);
        assertMessageContains(readFails(manyArrays), "truncated", "arrays");
    }

    @Test
    void nonFiniteValuesAreNeverWrittenNorRead() throws IOException {
        ModelFile nan = ModelFile.builder("k").array("w", 2, 3, new float[] {0, 1, 2, 3, Float.NaN, 5}).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.toBytes(nan));
        assertMessageContains(e, "array 'w'", "NaN", "[1, 1]");
        Path p = dir.resolve("nan.jsbi");
        assertThrows(ModelFormatException.class, () -> ModelFiles.write(nan, p));
        assertFalse(Files.exists(p));
        assertEquals(0, listDir().size(), "nothing written: " + listDir());
        ModelFile inf = ModelFile.builder("k").vector("b", new float[] {Float.NEGATIVE_INFINITY}).build();
        assertMessageContains(assertThrows(ModelFormatException.class, () -> ModelFiles.toBytes(inf)), "Infinity");

        // a well-formed file with a correct checksum that holds NaN (not written by jsbi) is refused on read
        byte[] bytes = ModelFiles.toBytes(ModelFile.builder("k").array("w", 2, 3, new float[6]).build());
        ByteBuffer.wrap(bytes).putFloat(indexOfArrayData(bytes, "w") + 4 * 5, Float.NaN);
        assertMessageContains(readFails(rechecksum(bytes)), "array 'w' holds NaN at [1, 2]");
    }

    @Test
    void invalidModifiedUtf8IsRefused() {
        byte[] bytes = ModelFiles.toBytes(ModelFile.builder("abc").build());
        bytes[8 + 4 + 2] = (byte) 0xff; // not a valid modified UTF-8 lead byte
        assertMessageContains(readFails(rechecksum(bytes)), "not valid modified UTF-8");
        // with the stale checksum, the checksum is what is reported
        byte[] stale = ModelFiles.toBytes(ModelFile.builder("abc").build());
        stale[8 + 4 + 2] = (byte) 0xff;
        assertMessageContains(readFails(stale), "checksum");
    }

    @Test
    void aFileThatIsNotThereIsAnIOException() {
        assertThrows(IOException.class, () -> ModelFiles.read(dir.resolve("missing.jsbi")));
    }

    // ------------------------------------------------------------ atomic writes

    @Test
    void atomicWriteLeavesNoTemporaryFilesAndReplaces() throws IOException {
        Path p = dir.resolve("model.jsbi");
        ModelFiles.write(ModelFile.builder("mdn").meta("v", 1).build(), p);
        ModelFiles.write(sample(), p);
        assertEquals(List.of(p.getFileName().toString()), listDir());
        assertBitIdentical(sample(), ModelFiles.read(p));
    }

    /**
     * An interrupted training keeps its best weights and leaves the thread's interrupt flag set; saving them must
     * still work (a FileChannel refused: ClosedByInterruptException) and leave the flag as it was.
     */
    @Test
    void aWriteOnAnInterruptedThreadSavesAndKeepsTheInterrupt() throws IOException {
        Path p = dir.resolve("model.jsbi");
        Thread.currentThread().interrupt();
        try {
            ModelFiles.write(sample(), p);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is the caller's to clear");
        } finally {
            Thread.interrupted();
        }
        assertBitIdentical(sample(), ModelFiles.read(p));
        assertEquals(List.of(p.getFileName().toString()), listDir());
    }

    @Test
    void aFailedWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("model.jsbi");
        ModelFiles.write(sample(), p);
        byte[] before = Files.readAllBytes(p);
        ModelFile bad = ModelFile.builder("k").vector("w", new float[] {Float.NaN}).build();
        assertThrows(ModelFormatException.class, () -> ModelFiles.write(bad, p));
        assertArrayEquals(before, Files.readAllBytes(p));
        // the target is a non-empty directory: the move fails, the temporary file is removed
        Path sub = dir.resolve("sub");
        Files.createDirectory(sub);
        Files.writeString(sub.resolve("keep.txt"), "x");
        assertThrows(IOException.class, () -> ModelFiles.write(sample(), sub));
        assertEquals(List.of("model.jsbi", "sub"), listDir());
    }

    @Test
    void aSaveKeepsPermissionsAndFollowsASymbolicLink() throws IOException {
        Path real = dir.resolve("run7.jsbi"), link = dir.resolve("current.jsbi");
        ModelFiles.write(ModelFile.builder("mdn").meta("k", 1).build(), real);
        var perms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(real, perms);
        Files.createSymbolicLink(link, real.getFileName());
        ModelFiles.write(ModelFile.builder("mdn").meta("k", 2).build(), link);
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("2", ModelFiles.read(real).meta("k"), "the file it points to holds the new model");
        assertEquals(perms, Files.getPosixFilePermissions(real), "and keeps its permissions");
        assertEquals(List.of("current.jsbi", "run7.jsbi"), listDir());
    }

    @Test
    void anotherKindOfFileIsNamedFromItsFirstBytes() throws IOException {
        Path npy = dir.resolve("theta.npy");
        Npy.write(npy, new float[][] {{1, 2}, {3, 4}});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(npy));
        assertTrue(e.getMessage().startsWith(npy.toString()) && e.getMessage().contains("not a jsbi model file"),
                e.getMessage());
    }

    @Test
    void aMissingDirectoryIsAnIOException() {
        assertThrows(IOException.class, () -> ModelFiles.write(sample(), dir.resolve("no").resolve("m.jsbi")));
    }

    // ------------------------------------------------------------ helpers

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(q -> q.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] withVersion(byte[] bytes, int version) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).putInt(8, version);
        return rechecksum(out);
    }

    /** Recomputes the trailing CRC32, so a test reaches the check after it. */
    private static byte[] rechecksum(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
        return bytes;
    }

    /** The offset of the first value of the named array (found by its name, which is unique in these tests). */
    private static int indexOfArrayData(byte[] bytes, String name) {
        byte[] pattern = new byte[2 + name.length()];
        pattern[1] = (byte) name.length();
        System.arraycopy(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, pattern, 2, name.length());
        // the last match: an array name follows every metadata entry in these samples
        for (int i = bytes.length - pattern.length; i >= 0; i--) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i + pattern.length + 8;
            }
        }
        throw new AssertionError("no array " + name);
    }

}
