package org.jsbi.backend;

import org.jsbi.tensor.Storage;

/**
 * The argument checks at the edge of every {@link Backend}: sizes not negative, every run of floats a kernel reads
 * or writes inside its storage (or host array), leading dimensions of at least the columns, indices not negative and
 * inside what they address. Each backend's public kernel methods call the method here named after them before any
 * work, so every backend rejects a bad call with the same {@link IllegalArgumentException} and message
 * (BackendArgumentSuite runs the same bad calls on each). The facades ({@code Tensor}, {@code Tape}) check shapes
 * before they get here; these checks are for direct callers, whose bad sizes were a silent no-op on one backend, an
 * ArrayIndexOutOfBoundsException deep in a kernel on another, and a read or write outside device memory or a Java
 * array (a host copy) on the GPU.
 *
 * <p>Cost: a few comparisons per argument, once per call, none in a kernel's loops; index arrays (gathers, scatters,
 * a flow's permutation) take one pass over the indices, not over the data. Nothing is allocated unless a check fails:
 * the names are literals, and the message is built only to be thrown. A storage an argument needs is never null,
 * and its offset lies in [0, length] even where no float of it is used (an empty slice at the end of a storage is
 * legal, one past it is not, as for System.arraycopy).
 */
public final class KernelChecks {

    private KernelChecks() {
    }

    // ---- the checks every method below is made of ------------------------------------------------------------------

    /** A size (rows, columns, a count of elements): 0 or more. */
    public static void size(String op, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(op + ": " + name + " = " + value + " is negative; a size counts rows,"
                    + " columns or elements");
        }
    }

    /**
     * n floats of s from off: s must hold [off, off + n). An empty run's offset must still lie in [0, length], as
     * System.arraycopy wants it.
     */
    public static void run(String op, String name, Storage s, int off, long n) {
        if (s == null) throw nullStorage(op, name);
        if (off < 0 || off + n > s.length()) throw outside(op, name, s.length(), off, n, n + " floats", null);
    }

    /** As {@link #run} for an argument that may be null (an optional input or output, not used then). */
    public static void optionalRun(String op, String name, Storage s, int off, long n) {
        if (s != null) run(op, name, s, off, n);
    }

    /**
     * A rows x cols matrix of s from off with leading dimension ld (the distance between rows; at least cols where
     * there is more than one row, as Backend's conventions say, so that rows do not overlap). An empty matrix is an
     * empty run from off (its ld is not used).
     */
    public static void matrix(String op, String name, Storage s, int off, int rows, int cols, int ld, String ldName) {
        if (rows > 1 && cols > 0 && ld < cols) {
            throw new IllegalArgumentException(op + ": " + ldName + " = " + ld + " is less than the " + cols
                    + " columns of " + name + "; rows would overlap (a leading dimension is at least the columns)");
        }
        long n = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (s == null) throw nullStorage(op, name);
        if (off < 0 || off + n > s.length()) {
            throw outside(op, name, s.length(), off, n, rows + " rows of " + cols + ", " + ldName + " = " + ld, ldName);
        }
    }

    /** n floats of a host array from off (a copy to or from the device reads or writes exactly these). */
    public static void host(String op, String name, float[] a, int off, int n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        if (off < 0 || (long) off + n > a.length) throw outside(op, name, a.length, off, n, n + " floats", null);
    }

    /** The largest index of idx (-1 where it is empty); every index must be 0 or more. */
    public static int maxIndex(String op, String name, int[] idx) {
        if (idx == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        int min = 0, max = -1;
        for (int v : idx) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min < 0) {
            int i = 0;
            while (idx[i] >= 0) i++;
            throw new IllegalArgumentException(op + ": " + name + "[" + i + "] = " + idx[i] + " is negative; an index"
                    + " counts rows or columns from 0");
        }
        return max;
    }

    /** A permutation's entries: d of them, each in [0, d) (repeats are the caller's business, as in a gather). */
    public static void permutation(String op, String name, int[] perm, int d) {
        if (perm == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        if (perm.length != d) {
            throw new IllegalArgumentException(op + ": " + name + " has " + perm.length + " entries for d = " + d);
        }
        int max = maxIndex(op, name, perm);
        if (max >= d) {
            int i = 0;
            while (perm[i] < d) i++;
            throw new IllegalArgumentException(op + ": " + name + "[" + i + "] = " + perm[i] + " is outside [0, " + d
                    + ")");
        }
    }

    /** Storages ts[t] of at least lengths[t] floats each, one per length (the several-tensors kernels). */
    public static void tensors(String op, String name, Storage[] ts, int[] lengths) {
        tensors(op, name, -1, ts, lengths);
    }

    /** As above for group {@code group} of name (name[group][t]); -1: name is the group itself. */
    private static void tensors(String op, String name, int group, Storage[] ts, int[] lengths) {
        if (ts == null) throw new IllegalArgumentException(op + ": " + groupName(name, group) + " is null");
        if (ts.length != lengths.length) {
            throw new IllegalArgumentException(op + ": " + groupName(name, group) + " has " + ts.length
                    + " storages for " + lengths.length + " lengths");
        }
        for (int t = 0; t < ts.length; t++) {
            if (ts[t] == null) {
                throw new IllegalArgumentException(op + ": " + groupName(name, group) + "[" + t + "] is null");
            }
            if (ts[t].length() < lengths[t]) {
                throw new IllegalArgumentException(op + ": " + groupName(name, group) + "[" + t + "] holds "
                        + ts[t].length() + " floats, fewer than lengths[" + t + "] = " + lengths[t]);
            }
        }
    }

    private static String groupName(String name, int group) {
        return group < 0 ? name : name + "[" + group + "]";
    }

    /** The lengths of the several-tensors kernels: not null, none negative. */
    public static void lengths(String op, int[] lengths) {
        if (lengths == null) throw new IllegalArgumentException(op + ": lengths is null");
        for (int t = 0; t < lengths.length; t++) {
            if (lengths[t] < 0) {
                throw new IllegalArgumentException(op + ": lengths[" + t + "] = " + lengths[t] + " is negative");
            }
        }
    }

    private static IllegalArgumentException nullStorage(String op, String name) {
        return new IllegalArgumentException(op + ": " + name + " is null; pass a storage of this backend");
    }

    /** The message for a run of n floats from off (what: its shape in words) outside the length floats of name. */
    private static IllegalArgumentException outside(String op, String name, int length, int off, long n, String what,
                                                    String ldName) {
        String where = off < 0 ? "starts at offset " + off + ", before its first float"
                : "needs floats [" + off + ", " + (off + n) + ") (" + what + " from offset " + off + ") but holds "
                + length;
        return new IllegalArgumentException(op + ": " + name + " " + where + "; check the sizes and the offset"
                + (ldName == null ? "" : " and " + ldName) + " passed with " + name);
    }

    // ---- one method per Backend method, named after it -------------------------------------------------------------

    public static void allocate(int length) {
        size("allocate", "length", length);
    }

    public static void upload(float[] src, int srcOff, Storage dst, int dstOff, int n) {
        size("upload", "n", n);
        host("upload", "src", src, srcOff, n);
        run("upload", "dst", dst, dstOff, n);
    }

    public static void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
        size("download", "n", n);
        run("download", "src", src, srcOff, n);
        host("download", "dst", dst, dstOff, n);
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, Storage a, int aOff, int lda,
                            Storage b, int bOff, int ldb, Storage c, int cOff, int ldc) {
        size("gemm", "m", m);
        size("gemm", "n", n);
        size("gemm", "k", k);
        matrix("gemm", "a", a, aOff, transA ? k : m, transA ? m : k, lda, "lda");
        matrix("gemm", "b", b, bOff, transB ? n : k, transB ? k : n, ldb, "ldb");
        matrix("gemm", "c", c, cOff, m, n, ldc, "ldc");
    }

    public static void maskedGemm(boolean transW, int m, int n, int k, Storage w, int wOff, Storage mask, int maskOff,
                                  int ldw, Storage b, int bOff, int ldb, Storage c, int cOff, int ldc) {
        size("maskedGemm", "m", m);
        size("maskedGemm", "n", n);
        size("maskedGemm", "k", k);
        matrix("maskedGemm", "w", w, wOff, transW ? k : m, transW ? m : k, ldw, "ldw");
        matrix("maskedGemm", "mask", mask, maskOff, transW ? k : m, transW ? m : k, ldw, "ldw");
        matrix("maskedGemm", "b", b, bOff, k, n, ldb, "ldb");
        matrix("maskedGemm", "c", c, cOff, m, n, ldc, "ldc");
    }

    public static void denseForward(int m, int n, int k, Storage w, int wOff, Storage mask, int maskOff, Storage x,
                                    int xOff, Storage b, int bOff, Storage addend, int addendOff, Storage y, int yOff) {
        size("denseForward", "m", m);
        size("denseForward", "n", n);
        size("denseForward", "k", k);
        long mk = (long) m * k, mn = (long) m * n;
        run("denseForward", "w", w, wOff, mk);
        optionalRun("denseForward", "mask", mask, maskOff, mk);
        run("denseForward", "x", x, xOff, (long) k * n);
        run("denseForward", "b", b, bOff, m);
        optionalRun("denseForward", "addend", addend, addendOff, mn);
        run("denseForward", "y", y, yOff, mn);
    }

    public static void denseParameterGradients(int m, int k, int n, Storage dy, int dyOff, Storage x, int xOff,
                                               Storage dw, int dwOff, Storage db, int dbOff) {
        size("denseParameterGradients", "m", m);
        size("denseParameterGradients", "k", k);
        size("denseParameterGradients", "n", n);
        run("denseParameterGradients", "dy", dy, dyOff, (long) m * n);
        run("denseParameterGradients", "x", x, xOff, (long) k * n);
        run("denseParameterGradients", "dw", dw, dwOff, (long) m * k);
        optionalRun("denseParameterGradients", "db", db, dbOff, m);
    }

    public static void maskedParameterGradients(int m, int k, int n, Storage dy, int dyOff, Storage x, int xOff,
                                                Storage mask, int maskOff, Storage scratch, int scratchOff,
                                                Storage dw, int dwOff, Storage db, int dbOff) {
        size("maskedParameterGradients", "m", m);
        size("maskedParameterGradients", "k", k);
        size("maskedParameterGradients", "n", n);
        long mk = (long) m * k;
        run("maskedParameterGradients", "dy", dy, dyOff, (long) m * n);
        run("maskedParameterGradients", "x", x, xOff, (long) k * n);
        run("maskedParameterGradients", "mask", mask, maskOff, mk);
        run("maskedParameterGradients", "scratch", scratch, scratchOff, mk);
        run("maskedParameterGradients", "dw", dw, dwOff, mk);
        optionalRun("maskedParameterGradients", "db", db, dbOff, m);
    }

    public static void affineFlowForward(int d, int n, int[] perm, Storage p, int pOff, Storage u, int uOff,
                                         Storage logDetIn, int logDetInOff, Storage scale, int scaleOff, Storage out,
                                         int outOff, Storage logDet, int logDetOff) {
        size("affineFlowForward", "d", d);
        size("affineFlowForward", "n", n);
        permutation("affineFlowForward", "perm", perm, d);
        long dn = (long) d * n;
        run("affineFlowForward", "p", p, pOff, 2 * dn);
        run("affineFlowForward", "u", u, uOff, dn);
        optionalRun("affineFlowForward", "logDetIn", logDetIn, logDetInOff, n);
        run("affineFlowForward", "scale", scale, scaleOff, dn);
        run("affineFlowForward", "out", out, outOff, dn);
        run("affineFlowForward", "logDet", logDet, logDetOff, n);
    }

    public static void affineFlowBackward(int d, int n, int[] perm, Storage p, int pOff, Storage u, int uOff,
                                          Storage scale, int scaleOff, Storage dOut, int dOutOff, Storage dLogDet,
                                          int dLogDetOff, Storage dp, int dpOff, Storage du, int duOff) {
        size("affineFlowBackward", "d", d);
        size("affineFlowBackward", "n", n);
        permutation("affineFlowBackward", "perm", perm, d);
        long dn = (long) d * n;
        run("affineFlowBackward", "p", p, pOff, 2 * dn);
        run("affineFlowBackward", "u", u, uOff, dn);
        run("affineFlowBackward", "scale", scale, scaleOff, dn);
        run("affineFlowBackward", "dOut", dOut, dOutOff, dn);
        optionalRun("affineFlowBackward", "dLogDet", dLogDet, dLogDetOff, n);
        optionalRun("affineFlowBackward", "dp", dp, dpOff, 2 * dn);
        optionalRun("affineFlowBackward", "du", du, duOff, dn);
    }

    public static void gaussianMixtureForward(int k, int d, int n, Storage logits, Storage means, Storage diag,
                                              Storage upper, Storage z, Storage out, Storage work) {
        String op = "gaussianMixtureForward";
        size(op, "k", k);
        size(op, "d", d);
        size(op, "n", n);
        long kn = (long) k * n, kdn = kn * d;
        run(op, "logits", logits, 0, kn);
        run(op, "means", means, 0, kdn);
        run(op, "diag", diag, 0, kdn);
        long upperN = kdn * Math.max(0, d - 1) / 2;
        if (upper != null || upperN > 0) run(op, "upper", upper, 0, upperN);   // null where d = 1
        run(op, "z", z, 0, (long) d * n);
        run(op, "out", out, 0, n);
        run(op, "work", work, 0, (k + 2L) * n);
    }

    public static void gaussianMixtureBackward(int k, int d, int n, Storage logits, Storage means, Storage diag,
                                               Storage upper, Storage z, Storage work, Storage dOut, Storage dLogits,
                                               Storage dMeans, Storage dDiag, Storage dUpper, Storage dz) {
        String op = "gaussianMixtureBackward";
        size(op, "k", k);
        size(op, "d", d);
        size(op, "n", n);
        long kn = (long) k * n, kdn = kn * d, upperN = kdn * Math.max(0, d - 1) / 2, dn = (long) d * n;
        run(op, "logits", logits, 0, kn);
        run(op, "means", means, 0, kdn);
        run(op, "diag", diag, 0, kdn);
        if (upper != null || upperN > 0) run(op, "upper", upper, 0, upperN);
        run(op, "z", z, 0, dn);
        run(op, "work", work, 0, (k + 2L) * n);
        run(op, "dOut", dOut, 0, n);
        optionalRun(op, "dLogits", dLogits, 0, kn);
        optionalRun(op, "dMeans", dMeans, 0, kdn);
        optionalRun(op, "dDiag", dDiag, 0, kdn);
        optionalRun(op, "dUpper", dUpper, 0, upperN);
        optionalRun(op, "dz", dz, 0, dn);
    }

    public static void unary(int n, Storage x, int xOff, Storage y, int yOff) {
        size("unary", "n", n);
        run("unary", "x", x, xOff, n);
        run("unary", "y", y, yOff, n);
    }

    public static void unaryBackward(int n, Storage x, int xOff, Storage y, int yOff, Storage dy, int dyOff,
                                     Storage dx, int dxOff) {
        size("unaryBackward", "n", n);
        run("unaryBackward", "x", x, xOff, n);
        run("unaryBackward", "y", y, yOff, n);
        run("unaryBackward", "dy", dy, dyOff, n);
        run("unaryBackward", "dx", dx, dxOff, n);
    }

    public static void activationBackwardInPlace(int n, Storage y, int yOff, Storage dy, int dyOff) {
        size("activationBackwardInPlace", "n", n);
        run("activationBackwardInPlace", "y", y, yOff, n);
        run("activationBackwardInPlace", "dy", dy, dyOff, n);
    }

    public static void binary(int n, Storage a, int aOff, Storage b, int bOff, Storage c, int cOff) {
        size("binary", "n", n);
        run("binary", "a", a, aOff, n);
        run("binary", "b", b, bOff, n);
        run("binary", "c", c, cOff, n);
    }

    public static void axpy(int n, Storage x, int xOff, Storage y, int yOff) {
        size("axpy", "n", n);
        run("axpy", "x", x, xOff, n);
        run("axpy", "y", y, yOff, n);
    }

    public static void affine(int n, Storage x, int xOff, Storage y, int yOff) {
        size("affine", "n", n);
        run("affine", "x", x, xOff, n);
        run("affine", "y", y, yOff, n);
    }

    public static void fill(int n, Storage x, int xOff) {
        size("fill", "n", n);
        run("fill", "x", x, xOff, n);
    }

    public static void dot(int n, Storage x, int xOff, Storage y, int yOff) {
        size("dot", "n", n);
        run("dot", "x", x, xOff, n);
        run("dot", "y", y, yOff, n);
    }

    public static void broadcastColumn(int rows, int cols, Storage a, int aOff, int lda, Storage v, int vOff,
                                       Storage c, int cOff, int ldc) {
        broadcast("broadcastColumn", rows, cols, a, aOff, lda, v, vOff, rows, c, cOff, ldc);
    }

    public static void broadcastRow(int rows, int cols, Storage a, int aOff, int lda, Storage v, int vOff, Storage c,
                                    int cOff, int ldc) {
        broadcast("broadcastRow", rows, cols, a, aOff, lda, v, vOff, cols, c, cOff, ldc);
    }

    private static void broadcast(String op, int rows, int cols, Storage a, int aOff, int lda, Storage v, int vOff,
                                  int vLength, Storage c, int cOff, int ldc) {
        size(op, "rows", rows);
        size(op, "cols", cols);
        matrix(op, "a", a, aOff, rows, cols, lda, "lda");
        run(op, "v", v, vOff, vLength);
        matrix(op, "c", c, cOff, rows, cols, ldc, "ldc");
    }

    public static void reduceRows(int rows, int cols, Storage a, int aOff, int lda, Storage out, int outOff) {
        size("reduceRows", "rows", rows);
        size("reduceRows", "cols", cols);
        matrix("reduceRows", "a", a, aOff, rows, cols, lda, "lda");
        run("reduceRows", "out", out, outOff, rows);   // written even for cols = 0: the empty reduction's value
    }

    public static void reduceColumns(int rows, int cols, Storage a, int aOff, int lda, Storage out, int outOff) {
        size("reduceColumns", "rows", rows);
        size("reduceColumns", "cols", cols);
        matrix("reduceColumns", "a", a, aOff, rows, cols, lda, "lda");
        run("reduceColumns", "out", out, outOff, cols);
    }

    public static void reduceAll(int n, Storage a, int aOff, Storage out, int outOff) {
        size("reduceAll", "n", n);
        run("reduceAll", "a", a, aOff, n);
        run("reduceAll", "out", out, outOff, 1);
    }

    public static void reduceRowsBackward(int rows, int cols, Storage x, int xOff, int ldx, Storage y, int yOff,
                                          Storage dy, int dyOff, Storage dx, int dxOff, int lddx) {
        reduceBackward("reduceRowsBackward", rows, cols, x, xOff, ldx, y, yOff, dy, dyOff, rows, dx, dxOff, lddx);
    }

    public static void reduceColumnsBackward(int rows, int cols, Storage x, int xOff, int ldx, Storage y, int yOff,
                                             Storage dy, int dyOff, Storage dx, int dxOff, int lddx) {
        reduceBackward("reduceColumnsBackward", rows, cols, x, xOff, ldx, y, yOff, dy, dyOff, cols, dx, dxOff, lddx);
    }

    private static void reduceBackward(String op, int rows, int cols, Storage x, int xOff, int ldx, Storage y,
                                       int yOff, Storage dy, int dyOff, int reduced, Storage dx, int dxOff, int lddx) {
        size(op, "rows", rows);
        size(op, "cols", cols);
        matrix(op, "x", x, xOff, rows, cols, ldx, "ldx");
        run(op, "y", y, yOff, reduced);
        run(op, "dy", dy, dyOff, reduced);
        matrix(op, "dx", dx, dxOff, rows, cols, lddx, "lddx");
    }

    public static void copy2d(int rows, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd) {
        size("copy2d", "rows", rows);
        size("copy2d", "cols", cols);
        matrix("copy2d", "src", src, srcOff, rows, cols, lds, "lds");
        matrix("copy2d", "dst", dst, dstOff, rows, cols, ldd, "ldd");
    }

    /** gatherRows: src rows idx[r] to dst rows r; scatterAddRows: the other way ({@code gather} false). */
    private static void rows(String op, boolean gather, int[] idx, int cols, Storage src, int srcOff, int lds,
                             Storage dst, int dstOff, int ldd) {
        int addressed = maxIndex(op, "idx", idx) + 1;
        size(op, "cols", cols);
        matrix(op, "src", src, srcOff, gather ? addressed : idx.length, cols, lds, "lds");
        matrix(op, "dst", dst, dstOff, gather ? idx.length : addressed, cols, ldd, "ldd");
    }

    /** gatherColumns: src columns idx[c] to dst columns c; scatterAddColumns: the other way. */
    private static void columns(String op, boolean gather, int[] idx, int rows, Storage src, int srcOff, int lds,
                                Storage dst, int dstOff, int ldd) {
        int addressed = maxIndex(op, "idx", idx) + 1;
        size(op, "rows", rows);
        matrix(op, "src", src, srcOff, rows, gather ? addressed : idx.length, lds, "lds");
        matrix(op, "dst", dst, dstOff, rows, gather ? idx.length : addressed, ldd, "ldd");
    }

    public static void gatherRows(int[] idx, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff,
                                  int ldd) {
        rows("gatherRows", true, idx, cols, src, srcOff, lds, dst, dstOff, ldd);
    }

    public static void gatherColumns(int[] idx, int rows, Storage src, int srcOff, int lds, Storage dst, int dstOff,
                                     int ldd) {
        columns("gatherColumns", true, idx, rows, src, srcOff, lds, dst, dstOff, ldd);
    }

    public static void scatterAddRows(int[] idx, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff,
                                      int ldd) {
        rows("scatterAddRows", false, idx, cols, src, srcOff, lds, dst, dstOff, ldd);
    }

    public static void scatterAddColumns(int[] idx, int rows, Storage src, int srcOff, int lds, Storage dst,
                                         int dstOff, int ldd) {
        columns("scatterAddColumns", false, idx, rows, src, srcOff, lds, dst, dstOff, ldd);
    }

    public static void adamStep(int n, Storage param, int pOff, Storage grad, int gOff, Storage m, int mOff, Storage v,
                                int vOff) {
        size("adamStep", "n", n);
        run("adamStep", "param", param, pOff, n);
        run("adamStep", "grad", grad, gOff, n);
        run("adamStep", "m", m, mOff, n);
        run("adamStep", "v", v, vOff, n);
    }

    public static void sumOfSquares(Storage[] xs, int[] lengths) {
        lengths("sumOfSquares", lengths);
        tensors("sumOfSquares", "xs", xs, lengths);
    }

    public static void scaleMany(Storage[] xs, int[] lengths) {
        lengths("scaleMany", lengths);
        tensors("scaleMany", "xs", xs, lengths);
    }

    public static void zeroMany(Storage[] xs, int[] lengths) {
        lengths("zeroMany", lengths);
        tensors("zeroMany", "xs", xs, lengths);
    }

    /** parts[0] is not read (it may be null); every other part is a group of storages as dst. */
    public static void addManyAndSumSquares(Storage[] dst, Storage[][] parts, int[] lengths) {
        String op = "addManyAndSumSquares";
        lengths(op, lengths);
        tensors(op, "dst", dst, lengths);
        if (parts == null) throw new IllegalArgumentException(op + ": parts is null");
        for (int p = 1; p < parts.length; p++) tensors(op, "parts", p, parts[p], lengths);
    }

    public static void adamStepMany(Storage[] params, Storage[] grads, Storage[] m, Storage[] v, int[] lengths) {
        lengths("adamStepMany", lengths);
        tensors("adamStepMany", "params", params, lengths);
        tensors("adamStepMany", "grads", grads, lengths);
        tensors("adamStepMany", "m", m, lengths);
        tensors("adamStepMany", "v", v, lengths);
    }
}
