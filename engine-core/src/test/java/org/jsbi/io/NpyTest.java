package org.jsbi.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jsbi.io.Npy.DType;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    // Files written by NumPy 2.4 (np.save, or numpy.lib.format.write_array for versions 2.0 and 3.0), base64.
    /** np.array([[1.5, -2], [3.25, 4], [1e-3, np.inf]], '<f4') */
    static final String F4_3X2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAUEAAAIBAbxKDOgAAgH8=";
    /** np.array([[0.1, 1/3, -2.5], [1e300, 5e-324, 7]], '<f8') */
    static final String F8_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqamZmZmZm5P1VVVVVVVdU/AAAAAAAABMCcdQCIPOQ3fgEAAAAAAAAAAAAAAAAAHEA=";
    /** np.array([1, 2, 3, 4], '<f4') */
    static final String F4_VEC = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBA";
    /** np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)) */
    static final String FORTRAN = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=";
    /** np.arange(4, dtype='<i8') */
    static final String I8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAEAAAAAAAAAAgAAAAAAAAADAAAAAAAAAA==";
    /** np.arange(4, dtype='>f4') */
    static final String BIG_F4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAP4AAAEAAAABAQAAA";
    /** np.array([[1, 2], [3, 4]], '<f4'), format version 2.0 */
    static final String V2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBA";
    /** the same, format version 3.0 */
    static final String V3 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAAAIBA";
    /** np.zeros((0, 3), '<f4') */
    static final String EMPTY_0X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=";

    @TempDir
    Path dir;

    static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void headerIsByteForByteWhatNumpyWrites() {
        byte[] numpy = b64(F4_3X2);
        byte[] header = Npy.header(DType.FLOAT32, 3, 2);
        assertEquals(128, header.length);
        assertArrayEquals(Arrays.copyOf(numpy, 128), header);
        assertArrayEquals(Arrays.copyOf(b64(F8_2X3), 128), Npy.header(DType.FLOAT64, 2, 3));
        assertArrayEquals(b64(EMPTY_0X3), Npy.header(DType.FLOAT32, 0, 3));
        // every header keeps the data 64-byte aligned, whatever the digits of the shape
        for (long rows : new long[] {0, 9, 10, 999_999, 123_456_789_012L}) {
            assertEquals(0, Npy.header(DType.FLOAT32, rows, 7).length % 64, "rows " + rows);
            assertEquals(Npy.header(DType.FLOAT32, 0, 7).length, Npy.header(DType.FLOAT32, rows, 7).length);
        }
    }

    @Test
    void encodeIsByteForByteWhatNumpyWrites() {
        assertArrayEquals(b64(F4_3X2), Npy.encode(new float[] {1.5f, -2, 3.25f, 4, 1e-3f, Float.POSITIVE_INFINITY},
                DType.FLOAT32, 3, 2));
        assertArrayEquals(b64(F4_VEC), Npy.encode(new float[] {1, 2, 3, 4}, DType.FLOAT32, 4));
        assertArrayEquals(b64(EMPTY_0X3), Npy.encode(new float[0], DType.FLOAT32, 0, 3));
    }

    @Test
    void parsesTheHeaderStringAsNumpyWritesIt() throws IOException {
        String numpy = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }" + " ".repeat(57) + "\n";
        assertEquals(new Npy.Header(DType.FLOAT32, new long[] {3, 2}), Npy.parseHeader(numpy));
        assertEquals(new Npy.Header(DType.FLOAT64, new long[] {5}),
                Npy.parseHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }   \n"));
        assertEquals(new Npy.Header(DType.FLOAT64, new long[] {}),
                Npy.parseHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n"));
        // other writers: keys in another order, double quotes, no trailing comma, Python 2 longs
        assertEquals(new Npy.Header(DType.FLOAT32, new long[] {3, 2}),
                Npy.parseHeader("{\"shape\": (3L, 2L), \"fortran_order\": False, \"descr\": \"<f4\"}"));
        // the header text of the numpy file itself
        byte[] f = b64(F4_3X2);
        assertEquals(new Npy.Header(DType.FLOAT32, new long[] {3, 2}),
                Npy.parseHeader(new String(f, 10, 118, StandardCharsets.ISO_8859_1)));
    }

    @Test
    void malformedHeadersAreRefusedClearly() {
        for (String bad : List.of("{'descr': '<f4', 'fortran_order': False}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), 'extra': True}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3, -2)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2)",
                "['descr', '<f4']", "")) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.parseHeader(bad), bad);
            assertTrue(e.getMessage().contains("malformed .npy header"), e.getMessage());
        }
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.parseHeader(
                "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (3,), }"));
        assertTrue(e.getMessage().contains("structured dtype"), e.getMessage());
    }

    @Test
    void readsNumpyFiles() throws IOException {
        float[][] m = Npy.readMatrix(file("a.npy", b64(F4_3X2)));
        assertArrayEquals(new float[][] {{1.5f, -2}, {3.25f, 4}, {1e-3f, Float.POSITIVE_INFINITY}}, m);
        assertArrayEquals(new float[] {1, 2, 3, 4}, Npy.readVector(file("v.npy", b64(F4_VEC))));
        assertArrayEquals(new float[][] {{1}, {2}, {3}, {4}}, Npy.readMatrix(dir.resolve("v.npy")), "a vector is a column");
        assertEquals(0, Npy.readMatrix(file("e.npy", b64(EMPTY_0X3))).length);
        assertEquals(new Npy.Header(DType.FLOAT32, new long[] {0, 3}), Npy.readHeader(dir.resolve("e.npy")));
        for (String v : List.of(V2, V3)) {
            assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, Npy.readMatrix(file("v23.npy", b64(v))));
        }
    }

    @Test
    void readsFloat64IntoFloatByRounding() throws IOException {
        Path f8 = dir.resolve("d8.npy");
        try (Npy.Writer w = Npy.Writer.create(f8, DType.FLOAT64, 2, 3)) {
            w.writeRow(new double[] {0.1, 1.0 / 3, -2.5});
            w.writeRow(new double[] {Double.POSITIVE_INFINITY, 0, 7});
            w.finish();
        }
        Npy.FloatArray a = Npy.read(f8);
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {(float) 0.1, (float) (1.0 / 3), -2.5f, Float.POSITIVE_INFINITY, 0f, 7f}, a.values(),
                "each double is rounded to the nearest float; an infinity stays one");
        assertEquals(new Npy.Header(DType.FLOAT64, new long[] {2, 3}), Npy.readHeader(f8));
    }

    @Test
    void aFiniteFloat64BeyondFloatRangeIsRefusedNotMadeInfinite() throws IOException {
        // NumPy's file holds 1e300 at index 3: as a float it would become an infinity that later checks would blame
        // on the data, not on the conversion.
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file("d.npy", b64(F8_2X3))));
        assertTrue(e.getMessage().contains("value 3 is 1.0E300") && e.getMessage().contains("float32"),
                e.getMessage());
    }

    @Test
    void roundTripsFloat32BitForBit() throws IOException {
        long seed = TestSeeds.seed(7);
        Random r = new Random(seed);
        float[][] rows = new float[37][5];
        for (float[] row : rows) for (int j = 0; j < row.length; j++) row[j] = (float) r.nextGaussian() * 100;
        rows[3][2] = Float.NaN;
        rows[4][0] = Float.intBitsToFloat(0x7fc01234); // a NaN with a payload
        rows[5][1] = Float.NEGATIVE_INFINITY;
        rows[6][3] = -0.0f;
        rows[7][4] = Float.MIN_VALUE;
        Path p = dir.resolve("rt.npy");
        Npy.write(p, rows);
        float[][] back = Npy.readMatrix(p);
        assertEquals(rows.length, back.length);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(Float.floatToRawIntBits(rows[i][j]), Float.floatToRawIntBits(back[i][j]),
                        "[" + i + "][" + j + "]" + TestSeeds.replay(seed));
            }
        }
        assertEquals(Npy.header(DType.FLOAT32, 37, 5).length + 37 * 5 * 4, Files.size(p));
        assertArrayEquals(Files.readAllBytes(p), Npy.toBytes(rows, DType.FLOAT32), "the stream writer writes the same");
        assertNoTempFiles();
    }

    @Test
    void roundTripsFloat64AndVectors() throws IOException {
        double[][] d = {{0.1, 1e-300, -3}, {Math.PI, Double.NaN, 1e30}};
        Path p = dir.resolve("d.npy");
        Npy.write(p, d);
        assertEquals(new Npy.Header(DType.FLOAT64, new long[] {2, 3}), Npy.readHeader(p));
        float[][] back = Npy.readMatrix(p);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) assertEquals((float) d[i][j], back[i][j]);

        float[][] f = {{1.25f, 2}, {3, 4}};
        Npy.write(p, f, DType.FLOAT64);
        assertEquals(DType.FLOAT64, Npy.readHeader(p).dtype());
        assertArrayEquals(f, Npy.readMatrix(p));

        Npy.write(p, new float[] {5, 6, 7});
        assertArrayEquals(new long[] {3}, Npy.readHeader(p).shape());
        assertArrayEquals(new float[] {5, 6, 7}, Npy.readVector(p));
        assertNoTempFiles();
    }

    @Test
    void streamingWriterWithUnknownRowCountCompletesTheHeader() throws IOException {
        Path p = dir.resolve("s.npy");
        float[] flat = new float[3 * 4 * 1000];
        for (int i = 0; i < flat.length; i++) flat[i] = i * 0.5f;
        try (Npy.Writer w = Npy.Writer.create(p, DType.FLOAT32, Npy.UNKNOWN_ROWS, 3)) {
            w.writeRows(flat, 0, 1500);
            w.writeRow(new float[] {flat[4500], flat[4501], flat[4502]});
            w.writeRow(new double[] {flat[4503], flat[4504], flat[4505]});
            w.writeRows(flat, 4506, 4000 - 1502);
            assertFalse(Files.exists(p), "nothing appears at the path before finish()");
            w.finish();
        }
        assertArrayEquals(Npy.encode(flat, DType.FLOAT32, 4000, 3), Files.readAllBytes(p));
        // and the reader streams it back in pieces
        try (Npy.Reader r = Npy.Reader.open(p)) {
            float[] got = new float[flat.length];
            int rows = 0, n;
            while ((n = r.readRows(got, rows * 3, 333)) > 0) rows += n;
            assertEquals(4000, rows);
            assertEquals(0, r.remainingRows());
            assertArrayEquals(flat, got);
        }
        assertNoTempFiles();
    }

    @Test
    void writerThatIsNotFinishedLeavesNothing() throws IOException {
        Path p = dir.resolve("w.npy");
        Files.writeString(p, "previous content");
        try (Npy.Writer w = Npy.Writer.create(p, DType.FLOAT32, 5, 2)) {
            w.writeRow(new float[] {1, 2});
            // an exception in the caller: close() without finish()
        }
        assertEquals("previous content", Files.readString(p));
        assertNoTempFiles();

        IOException e = assertThrows(IOException.class, () -> {
            try (Npy.Writer w = Npy.Writer.create(p, DType.FLOAT32, 5, 2)) {
                w.writeRow(new float[] {1, 2});
                w.finish();
            }
        });
        assertTrue(e.getMessage().contains("1 rows were written but 5 were declared"), e.getMessage());
        assertEquals("previous content", Files.readString(p));
        assertNoTempFiles();

        try (Npy.Writer w = Npy.Writer.create(p, DType.FLOAT32, 1, 2)) {
            w.writeRow(new float[] {1, 2});
            assertThrows(IllegalStateException.class, () -> w.writeRow(new float[] {3, 4}));
            assertThrows(IllegalArgumentException.class, () -> w.writeRow(new float[] {1, 2, 3}));
        }
        assertNoTempFiles();
        assertThrows(IllegalArgumentException.class, () -> Npy.write(p, new float[][] {{1, 2}, {3}}));
    }

    @Test
    void streamWriterNeedsTheRowCount() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        assertThrows(IllegalArgumentException.class, () -> Npy.Writer.to(bos, DType.FLOAT32, Npy.UNKNOWN_ROWS, 2));
        Npy.Writer w = Npy.Writer.to(bos, DType.FLOAT32, 3, 2);
        w.writeRows(new float[] {1.5f, -2, 3.25f, 4, 1e-3f, Float.POSITIVE_INFINITY}, 0, 3);
        w.finish();
        assertArrayEquals(b64(F4_3X2), bos.toByteArray());
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        byte[] full = b64(F4_3X2);
        for (int cut : new int[] {full.length - 1, full.length - 4, 128, 100, 9, 3, 0}) {
            Path p = file("t" + cut + ".npy", Arrays.copyOf(full, cut));
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(p), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("empty"), e.getMessage());
            assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        }
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(file("t.npy", Arrays.copyOf(full, full.length - 4))));
        assertTrue(e.getMessage().contains("shape (3, 2) of '<f4' (24 bytes of data) but only 20 bytes follow the"
                + " 128-byte header"), e.getMessage());
        // a stream finds out when its data run out
        e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(Arrays.copyOf(full, full.length - 4)), "pipe"));
        assertTrue(e.getMessage().startsWith("pipe: truncated"), e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.decode(Arrays.copyOf(full, full.length - 4), "bytes"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] full = b64(F4_3X2);
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(file("x.npy", Arrays.copyOf(full, full.length + 5))));
        assertTrue(e.getMessage().contains("5 unexpected bytes after the data"), e.getMessage());
    }

    @Test
    void otherFilesAndDtypesAreRefusedClearly() throws IOException {
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(file("a.txt", "hello, world\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("not a NumPy .npy file: it starts with the bytes 68 65 6C 6C 6F 2C"),
                e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.read(file("z.npz", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0})));
        assertTrue(e.getMessage().contains(".npz"), e.getMessage());

        e = assertThrows(NpyFormatException.class, () -> Npy.read(file("i.npy", b64(I8))));
        assertTrue(e.getMessage().contains("dtype '<i8' (64-bit signed integers) is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("astype(np.float32)"), e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.read(file("b.npy", b64(BIG_F4))));
        assertTrue(e.getMessage().contains("big-endian"), e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.read(file("f.npy", b64(FORTRAN))));
        assertTrue(e.getMessage().contains("Fortran") && e.getMessage().contains("np.ascontiguousarray"), e.getMessage());

        byte[] v4 = b64(V2);
        v4[6] = 4;
        e = assertThrows(NpyFormatException.class, () -> Npy.read(file("v4.npy", v4)));
        assertTrue(e.getMessage().contains("version 4.0 is not supported"), e.getMessage());

        e = assertThrows(NpyFormatException.class, () -> Npy.readVector(file("m.npy", b64(F4_3X2))));
        assertTrue(e.getMessage().contains("where a vector (1-d) was expected"), e.getMessage());
    }

    @Test
    void aHeaderOfRowsWithoutValuesIsRefusedNotAllocated() throws IOException {
        // A 128-byte file (no data at all) whose header claims two billion rows of nothing.
        Path p = dir.resolve("empty-rows.npy");
        try (Npy.Writer w = Npy.Writer.create(p, DType.FLOAT32, 2_000_000_000L, 0)) {
            w.writeRows(new float[0], 0, 2_000_000_000);
            w.finish();
        }
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.readMatrix(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("rows of no values"),
                e.getMessage());
        assertEquals(0, Npy.readMatrix(file("e.npy", b64(EMPTY_0X3))).length, "no rows of three is still fine");
    }

    @Test
    void aStreamWhoseHeaderPromisesMoreThanItHoldsIsTruncatedNotAllocated() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Npy.Writer w = Npy.Writer.to(bos, DType.FLOAT32, 1_900_000_000L, 1);
        w.writeRows(new float[] {1, 2, 3, 4}, 0, 4);
        byte[] bytes = bos.toByteArray();
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), "stream"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // A whole stream still reads, beyond the first allocation.
        int n = Npy.STREAM_FIRST_ELEMENTS * 2 + 3;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        ByteArrayOutputStream full = new ByteArrayOutputStream();
        Npy.Writer wf = Npy.Writer.to(full, DType.FLOAT32, n, 1);
        wf.writeRows(v, 0, n);
        wf.finish();
        assertArrayEquals(v, Npy.read(new ByteArrayInputStream(full.toByteArray()), "stream").values());
    }

    @Test
    void aSaveKeepsTheReplacedFilesPermissionsAndFollowsASymbolicLink() throws IOException {
        Path p = dir.resolve("shared.npy");
        Npy.write(p, new float[][] {{1}});
        var perms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(p, perms);
        Npy.write(p, new float[][] {{2}});
        assertEquals(perms, Files.getPosixFilePermissions(p), "a re-save keeps the file's permissions");
        Path plain = dir.resolve("plain");
        Files.createFile(plain);
        Path fresh = dir.resolve("fresh.npy");
        Npy.write(fresh, new float[][] {{3}});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(fresh),
                "a new file gets the permissions any new file gets (the umask's), not owner-only");

        Path link = dir.resolve("current.npy");
        Files.createSymbolicLink(link, p.getFileName());
        Npy.write(link, new float[][] {{4}});
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertArrayEquals(new float[][] {{4}}, Npy.readMatrix(p), "the file it points to holds the new array");
        assertNoTempFiles();
    }

    @Test
    void twoArraysFinishedTogetherAreBothOldOrBothNew() throws IOException {
        Path theta = dir.resolve("theta.npy"), x = dir.resolve("x.npy");
        Npy.write(theta, new float[][] {{1}, {2}});
        // x's target cannot be replaced (a non-empty directory): its rename fails after θ's has succeeded.
        Files.createDirectory(x);
        Files.writeString(x.resolve("keep"), "k");
        byte[] before = Files.readAllBytes(theta);
        Npy.Writer wt = Npy.Writer.create(theta, DType.FLOAT32, 2, 1);
        Npy.Writer wx = Npy.Writer.create(x, DType.FLOAT32, 2, 1);
        wt.writeRows(new float[] {7, 8}, 0, 2);
        wx.writeRows(new float[] {7, 8}, 0, 2);
        assertThrows(IOException.class, () -> Npy.Writer.finishBoth(wt, wx));
        assertArrayEquals(before, Files.readAllBytes(theta), "θ is put back as it was");
        assertNoTempFiles();
        // Where there was no θ before, the new one is removed again.
        Files.delete(theta);
        Npy.Writer wt2 = Npy.Writer.create(theta, DType.FLOAT32, 1, 1);
        Npy.Writer wx2 = Npy.Writer.create(x, DType.FLOAT32, 1, 1);
        wt2.writeRow(new float[] {1});
        wx2.writeRow(new float[] {1});
        assertThrows(IOException.class, () -> Npy.Writer.finishBoth(wt2, wx2));
        assertFalse(Files.exists(theta));
        assertNoTempFiles();
        // And both land when both can.
        Files.delete(x.resolve("keep"));
        Files.delete(x);
        Npy.Writer wt3 = Npy.Writer.create(theta, DType.FLOAT32, 1, 1);
        Npy.Writer wx3 = Npy.Writer.create(x, DType.FLOAT32, 1, 1);
        wt3.writeRow(new float[] {5});
        wx3.writeRow(new float[] {6});
        Npy.Writer.finishBoth(wt3, wx3);
        assertArrayEquals(new float[][] {{5}}, Npy.readMatrix(theta));
        assertArrayEquals(new float[][] {{6}}, Npy.readMatrix(x));
        assertNoTempFiles();
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temporary files left: " + tmp);
        }
    }
}
