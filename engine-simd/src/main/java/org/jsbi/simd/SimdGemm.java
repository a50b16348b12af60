package org.jsbi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.backend.Parallel;

/**
 * Row-major SGEMM with the Vector API, blocked as in GotoBLAS: B is packed into panels NR columns wide (a panel of
 * KC rows stays in L1), A into panels of MR rows (a block of MC x KC stays in L2), and a 4 x 2-vector register tile
 * accumulates 8 vectors of C (docs/ARCHITECTURE.md: 12 accumulators spill on AVX2's 16 registers and run at half
 * the speed). Packing is where the transposes, alpha and the MADE mask are applied, so one
 * micro-kernel serves every variant. Threads split the larger tile dimension; each thread packs its own buffers,
 * which live in thread-locals: a call allocates only a few small objects, never a matrix.
 */
final class SimdGemm {

    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;
    private static final int L = SimdConfig.LANES;
    static final int MR = 4;
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MC = 24 * MR;
    static final int NC = Math.max(NR, 2048 / NR * NR);

    /**
     * Whether the last partial vector of a row is read with a masked load rather than from a zero-padded copy. Both
     * give the same products (masked-off lanes read as zero, as the padding does). AVX-512 has masked loads in
     * hardware; on AVX2 C2 compiles them to a Java fallback that boxes the loop's vectors, so narrower widths keep
     * the copies.
     */
    static final boolean MASKED_TAILS = S.vectorBitSize() == 512;

    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 20;

    /** The dot-product path of C = A·Bᵀ needs C small (it rereads A and B once per tile) and k not too long. */
    private static final int DOT_MAX_C = 1 << 16;
    private static final int DOT_MAX_K = 4096;

    private static final ThreadLocal<float[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new float[][] {new float[KC * NC], new float[MC * KC], new float[2 * MR * NR],
                    new float[10 * L]});

    private SimdGemm() {
    }

    /**
     * Where op(A)'s elements come from; mask may be null. Not a record: {@link #operand} hands each thread one
     * instance, reset per product, because a product's Operand reaches methods too large to inline and was the
     * largest allocation of a training step after its tape nodes (session 36). A product that splits its work over
     * threads hands them this instance, which its caller does not reset until the product returns.
     */
    static final class Operand {
        private float[] a;
        private int off, ld, maskOff;
        private boolean trans;
        private float[] mask;

        Operand(float[] a, int off, int ld, boolean trans, float[] mask, int maskOff) {
            set(a, off, ld, trans, mask, maskOff);
        }

        private Operand set(float[] a, int off, int ld, boolean trans, float[] mask, int maskOff) {
            this.a = a;
            this.off = off;
            this.ld = ld;
            this.trans = trans;
            this.mask = mask;
            this.maskOff = maskOff;
            return this;
        }

        float[] a() {
            return a;
        }

        int off() {
            return off;
        }

        int ld() {
            return ld;
        }

        boolean trans() {
            return trans;
        }

        float[] mask() {
            return mask;
        }

        int maskOff() {
            return maskOff;
        }
    }

    private static final ThreadLocal<Operand> OPERAND = ThreadLocal.withInitial(() -> new Operand(null, 0, 0, false,
            null, 0));

    /** This thread's Operand, set to these values: valid until this thread's next call. */
    static Operand operand(float[] a, int off, int ld, boolean trans, float[] mask, int maskOff) {
        return OPERAND.get().set(a, off, ld, trans, mask, maskOff);
    }

    /** op(A) from row r0 on: the same storage, its offsets (and the mask's, which shares A's layout) moved. */
    private static Operand rowsFrom(Operand a, int r0) {
        int shift = a.trans() ? r0 : r0 * a.ld();
        return new Operand(a.a(), a.off() + shift, a.ld(), a.trans(), a.mask(), a.maskOff() + shift);
    }

    /** op(A) from column p0 on (the reduction's index). */
    private static Operand columnsFrom(Operand a, int p0) {
        int shift = a.trans() ? p0 * a.ld() : p0;
        return new Operand(a.a(), a.off() + shift, a.ld(), a.trans(), a.mask(), a.maskOff() + shift);
    }

    static void gemm(int m, int n, int k, float alpha, Operand a, float[] b, int bOff, int ldb, boolean transB,
                     float beta, float[] c, int cOff, int ldc) {
        JitDirectives.beforeFirstProduct();
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        long fmas = (long) m * n * k;
        if (fmas < PARALLEL_MIN_FMAS || !Parallel.canSplit()) {
            if (!transB && k <= SHORT_K && n >= L
                    && (long) ((m + MR - 1) / MR) * MR * k <= (long) MC * KC) {
                shortK(m, n, k, alpha, a, b, bOff, ldb, beta, c, cOff, ldc);
                return;
            }
            if (transB && !a.trans() && a.mask() == null && alpha == 1f && transposedBFits(m, n, k)) {
                transposedB(m, n, k, a.a(), a.off(), a.ld(), b, bOff, ldb, beta, c, cOff, ldc, null, 0);
                return;
            }
            if (transB && !a.trans() && a.mask() == null && alpha == 1f && narrowTransposedBFits(m, n, k)) {
                narrowTransposedB(m, n, k, a.a(), a.off(), a.ld(), b, bOff, ldb, beta, c, cOff, ldc);
                return;
            }
            if (transB && !a.trans() && a.mask() == null && (long) m * n <= DOT_MAX_C && k <= DOT_MAX_K) {
                dotProducts(m, n, k, alpha, a.a(), a.off(), a.ld(), b, bOff, ldb, beta, c, cOff, ldc);
                return;
            }
            // All of op(A), packed, must fit the MC x KC buffer: m ≤ MC always does; wider A (the C2ST classifier's
            // 100 x 100 layers at 10-D) too when k is short enough, rather than packing B as well.
            if (!transB && k <= KC && (long) ((m + MR - 1) / MR) * MR * k <= (long) MC * KC) {
                direct(m, n, k, alpha, a, b, bOff, ldb, beta, c, cOff, ldc);
                return;
            }
            // Taller A in blocks of rows that fit, each a direct product over all of B: an MDN's stacked heads at
            // 10-D (660 x 50 weights) ran at 50 GMAC/s through the packed path against 80-90 in blocks.
            if (!transB && k <= KC) {
                int rows = MC * KC / k / (2 * MR) * (2 * MR);
                for (int r0 = 0; r0 < m; r0 += rows) {
                    direct(Math.min(rows, m - r0), n, k, alpha, rowsFrom(a, r0), b, bOff, ldb, beta, c,
                            cOff + r0 * ldc, ldc);
                }
                return;
            }
            // Longer k in blocks of KC, each a direct product added to the last: the input gradient of those heads
            // (50 x 200 over 660) ran at 50 GMAC/s through the packed path.
            if (!transB && k > KC && m <= MC) {
                for (int p0 = 0; p0 < k; p0 += KC) {
                    direct(m, n, Math.min(KC, k - p0), alpha, columnsFrom(a, p0), b, bOff + p0 * ldb, ldb,
                            p0 == 0 ? beta : 1f, c, cOff, ldc);
                }
                return;
            }
        }
        int tilesN = (n + NR - 1) / NR, tilesM = (m + MR - 1) / MR;
        if (fmas < PARALLEL_MIN_FMAS || !Parallel.canSplit()) {
            block(0, m, 0, n, k, alpha, a, b, bOff, ldb, transB, beta, c, cOff, ldc);
        } else if (tilesN >= tilesM) {
            Parallel.forRange(tilesN, 1, 1, (t0, t1) -> block(0, m, t0 * NR, Math.min(n, t1 * NR), k, alpha, a,
                    b, bOff, ldb, transB, beta, c, cOff, ldc));
        } else {
            Parallel.forRange(tilesM, 1, 1, (t0, t1) -> block(t0 * MR, Math.min(m, t1 * MR), 0, n, k, alpha, a,
                    b, bOff, ldb, transB, beta, c, cOff, ldc));
        }
    }

    /**
     * Whether C = A·Bᵀ with k ≤ KC (the weight gradient dY·Xᵀ of a layer at training batch sizes) runs as a small
     * product on Bᵀ written out ({@link #transposedB}) rather than by dot products: 512 bits only, since its 8-row
     * tile's 16 accumulators fit AVX-512's 32 vector registers and would spill on AVX2's 16.
     */
    static final boolean TRANSPOSED_B = S.vectorBitSize() == 512
            && Boolean.parseBoolean(System.getProperty("jsbi.gemm.transposedB", "true"));

    /**
     * Whether an m x n product over k takes {@link #transposedB}: Bᵀ written out is k x n, at most KC x NC floats (2
     * MB, as the packed path's B buffer). Fewer than 8 rows (a MADE's output layer at 2-D: 4) would leave the 8-row
     * tile half empty behind the transpose's fixed cost; the dot products are faster there.
     */
    private static boolean transposedBFits(int m, int n, int k) {
        return TRANSPOSED_B && k <= KC && n >= L && n <= NC && m >= 2 * MR;
    }

    private static final ThreadLocal<float[][]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[][] {new float[0]});
    private static final ThreadLocal<int[][]> GATHER = ThreadLocal.withInitial(() -> new int[][] {new int[L]});

    /**
     * C = A·Bᵀ + beta C (alpha 1, B stored n x k, k ≤ KC): Bᵀ is written out k x n, its rows padded with zeros to a
     * multiple of NR, and the product runs on the 8-row tile with A's rows read in place, every element's k-long sum
     * in one register lane. The dot-product path keeps k along the lanes and pays a fold of the lanes per element,
     * which at k = 200 on 16 lanes cost as much as the multiply-adds.
     */
    private static void transposedB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float beta, float[] c, int cOff, int ldc, float[] rowSums, int rsOff) {
        float[][] bufs = BUFFERS.get();
        float[] ar = bufs[1], tile = bufs[2];
        float[] t = transposedWithOnes(n, k, b, bOff, ldb, rowSums != null, tile);
        // Taller A (an MDN's heads at 10-D: 660 rows) in chunks of MC rows, the buffer's height, on the same Bᵀ.
        for (int i0 = 0; i0 < m; i0 += MC) {
            int rows = Math.min(MC, m - i0);
            rowsAtStrideKc(a, aOff, lda, i0, rows, k, ar);
            for (int j = 0; j < n; j += NR) {
                int sums = rowSums != null && n - j < NR ? n - j : -1;   // the strip that holds column n
                rowBlocks(rows, k, ar, t, j / NR * k * NR, Math.min(NR, n - j), beta, c, cOff + i0 * ldc + j, ldc,
                        tile, sums, rowSums, rsOff + i0);
            }
        }
    }

    /**
     * Bᵀ written out by strips ({@link #transpose}) in this thread's buffer, with column n all ones where
     * {@code ones}, so that a product's column n sums A's rows. {@code scratch} is the caller's tile buffer (2·MR·NR =
     * 16·L floats, a 16 x 16 block on 16 lanes), free until the tiles run.
     */
    private static float[] transposedWithOnes(int n, int k, float[] b, int bOff, int ldb, boolean ones,
                                              float[] scratch) {
        int ldt = (n + NR - 1) / NR * NR;
        float[][] th = TRANSPOSED.get();
        if (th[0].length < k * ldt) th[0] = new float[k * ldt];
        float[] t = th[0];
        transpose(b, bOff, ldb, n, k, t, ldt, scratch);
        if (ones) {
            int at = n / NR * k * NR + n % NR;
            for (int p = 0; p < k; p++) t[at + p * NR] = 1f;
        }
        return t;
    }

    /**
     * Rows i0..i0+rows of A into ar at a fixed stride of KC floats, zero rows after them up to a multiple of 8: the
     * tile then addresses all 8 rows from one index register (8 row indices of their own spill on x86's general
     * registers: 117 against 138 GFLOP/s, the tile alone).
     */
    private static void rowsAtStrideKc(float[] a, int aOff, int lda, int i0, int rows, int k, float[] ar) {
        int rowsUp = (rows + 2 * MR - 1) / (2 * MR) * (2 * MR);
        for (int i = 0; i < rows; i++) System.arraycopy(a, aOff + (i0 + i) * lda, ar, i * KC, k);
        for (int i = rows; i < rowsUp; i++) java.util.Arrays.fill(ar, i * KC, i * KC + k, 0f);
    }

    /**
     * C[0:m, 0:nr] (from cIdx) = or += the product of A's rows (at ar[i·KC], zero rows past m to a multiple of 8) and
     * the strip of NR columns of Bᵀ at b[bIdx] (row p at bIdx + p·NR), 8 rows at a time. Whole tiles with beta 0 or
     * 1 go to C directly, the rest through the tile.
     */
    private static void rowBlocks(int m, int k, float[] ar, float[] b, int bIdx, int nr, float beta,
                                  float[] c, int cIdx, int ldc, float[] tile, int sumCol, float[] rowSums, int rsIdx) {
        for (int i = 0; i < m; i += 2 * MR, cIdx += 2 * MR * ldc) {
            int mr = Math.min(2 * MR, m - i);
            if (mr == 2 * MR && nr == NR && beta == 0f) {
                kernel8Store(k, ar, i * KC, b, bIdx, c, cIdx, ldc);
            } else if (mr == 2 * MR && nr == NR && beta == 1f) {
                kernel8Add(k, ar, i * KC, b, bIdx, c, cIdx, ldc);
            } else {
                // The last 1-4 rows (50 = 6 x 8 + 2) on a 4-row tile: half the multiply-adds of an 8-row one, still 8
                // accumulators (full speed); rows past m read the zero rows that follow A in ar.
                if (mr <= MR) {
                    kernel4Store(k, ar, i * KC, b, bIdx, tile, 0, NR);
                } else {
                    kernel8Store(k, ar, i * KC, b, bIdx, tile, 0, NR);
                }
                merge(tile, c, cIdx, ldc, mr, nr, beta);
                // sumCol < NR = nr's bound, so this strip always comes through the tile.
                if (sumCol >= 0) {
                    for (int r = 0; r < mr; r++) rowSums[rsIdx + i + r] = tile[r * NR + sumCol];
                }
            }
        }
    }

    /**
     * Whether an m x n product over k with n &lt; L takes {@link #narrowTransposedB}: the weight gradient of a layer
     * fed by 8 to L - 1 inputs (a MADE's θ and context layers at 10-D: 50 x 10 over the batch).
     */
    private static boolean narrowTransposedBFits(int m, int n, int k) {
        return TRANSPOSED_B && k <= KC && n >= NARROW_MIN_N && n < L && m >= 2 * MR;
    }

    /**
     * Below 8 columns the dot products stay faster: their cost grows with n (50 x 2 x 200: 1.0 µs), the narrow tile's
     * does not (2.9 µs for any n &lt; L; it is bound by its one broadcast per multiply-add). At n = 8 both take 4.0 µs,
     * at 10 5.2 against 4.2, at 12 6.2 against 4.4 (at 200 columns, one thread).
     */
    private static final int NARROW_MIN_N = 8;

    /**
     * {@link #transposedB} for n &lt; L columns: Bᵀ written out as k rows of one vector each (B's n columns, then
     * zeros), and the product on an 8-row tile of one vector per row, A's rows read in place. Every element is the same
     * k-long sum as on the wide tile: one lane, +0 then one FMA per p. The dot products it replaces (4 x 2 blocks of
     * lane sums and a tree per block) ran 50 x 10 x 200 in 5.2 µs against 4.2, most of it the blocks' folds and
     * stores. The bias gradient stays a pass of its own ({@code reduceRows}), unlike on the wide tile: a column of
     * ones here would give the fused layer's bias gradient other bits than the unfused layer's (DenseLayerTest), for
     * 0.6 µs a call.
     */
    private static void narrowTransposedB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                          int ldb, float beta, float[] c, int cOff, int ldc) {
        float[] tile = BUFFERS.get()[2];
        float[][] th = TRANSPOSED.get();
        if (th[0].length < k * L) th[0] = new float[k * L];
        float[] t = th[0];
        FloatVector zero = FloatVector.zero(S);
        for (int p = 0; p < k; p++) zero.intoArray(t, p * L);
        for (int j = 0; j < n; j++) {
            int src = bOff + j * ldb;
            for (int p = 0; p < k; p++) t[p * L + j] = b[src + p];
        }
        for (int i = 0; i < m; i += 2 * MR) {
            int mr = Math.min(2 * MR, m - i);
            // The last rows (50 = 6 x 8 + 2) repeat row m - 1 and drop its sums.
            int last = m - 1 - i;
            narrow8(k, a, aOff + i * lda, lda, Math.min(1, last), Math.min(2, last), Math.min(3, last),
                    Math.min(4, last), Math.min(5, last), Math.min(6, last), Math.min(7, last), t, tile);
            for (int r = 0; r < mr; r++) {
                int row = cOff + (i + r) * ldc, tr = r * L;
                for (int q = 0; q < n; q++) c[row + q] = beta != 0f ? Math.fma(c[row + q], beta, tile[tr + q]) : tile[tr + q];
            }
        }
    }

    /**
     * tile[r·L, (r + 1)·L) = Σ_p a[lo + r_r·lda + p] · t[p·L, (p + 1)·L) for the 8 rows r_0 = 0, r_1 .. r_7 (row
     * offsets in units of lda, repeated at the edge), accumulators from +0, one FMA per p.
     */
    private static void narrow8(int k, float[] a, int lo, int lda, int r1, int r2, int r3, int r4, int r5, int r6,
                                int r7, float[] t, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int o1 = lo + r1 * lda, o2 = lo + r2 * lda, o3 = lo + r3 * lda, o4 = lo + r4 * lda, o5 = lo + r5 * lda,
                o6 = lo + r6 * lda, o7 = lo + r7 * lda;
        for (int p = 0; p < k; p++) {
            FloatVector v = FloatVector.fromArray(S, t, p * L);
            c0 = FloatVector.broadcast(S, a[lo + p]).fma(v, c0);
            c1 = FloatVector.broadcast(S, a[o1 + p]).fma(v, c1);
            c2 = FloatVector.broadcast(S, a[o2 + p]).fma(v, c2);
            c3 = FloatVector.broadcast(S, a[o3 + p]).fma(v, c3);
            c4 = FloatVector.broadcast(S, a[o4 + p]).fma(v, c4);
            c5 = FloatVector.broadcast(S, a[o5 + p]).fma(v, c5);
            c6 = FloatVector.broadcast(S, a[o6 + p]).fma(v, c6);
            c7 = FloatVector.broadcast(S, a[o7 + p]).fma(v, c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L);
        c5.intoArray(tile, 5 * L);
        c6.intoArray(tile, 6 * L);
        c7.intoArray(tile, 7 * L);
    }

    /**
     * C = A·Bᵀ + beta C as {@link #gemm} with transB (A m x k, B n x k, alpha 1) and, in the same product, the row
     * sums of A into rowSums[rsOff..rsOff+m): the weight and bias gradients of a dense layer, dY·Xᵀ and dY·1, where
     * the bias gradient was a pass of its own over dY (2.4 µs of 50 x 200, a tenth of the product). Bᵀ written out
     * gets a column of ones in its zero padding past column n, so the sums cost nothing in the tile; each is then a
     * float sum in the order of p, one rounding per term, as every element of the product. Returns false, touching
     * nothing, where the product does not take that path (n a multiple of NR has no padding to use).
     */
    static boolean gemmWithRowSums(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc, float[] rowSums, int rsOff) {
        JitDirectives.beforeFirstProduct();
        if (k < 1 || n % NR == 0 || !transposedBFits(m, n, k)
                || ((long) m * n * k >= PARALLEL_MIN_FMAS && Parallel.canSplit())) {
            return false;
        }
        transposedB(m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, rowSums, rsOff);
        return true;
    }

    /**
     * C += (A·Bᵀ) ⊙ M (M of C's shape, row stride ldm) and, where rowSums is not null, A's row sums into it, as
     * {@link #gemmWithRowSums} computes them: a masked layer's weight and bias gradients in one pass over Bᵀ written
     * out. Each tile's sums are those of {@link #transposedB}; the mask is applied as they are added into C, so the
     * values are those of the product, a multiply by M and an add (Backend.maskedParameterGradients' default). A
     * tile whose block of M is all zero is skipped (it would add exact zeros); where that tile holds the row-sum
     * column, the row sums are taken in the tile's order (one add per p from +0) without its products. A MADE with
     * its hidden units in order of degree has such blocks (Made). Returns false, touching nothing, where
     * gemmWithRowSums would not run, or the product is big enough to be split over threads.
     */
    static boolean maskedGemmWithRowSums(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                         int ldb, float[] mask, int maskOff, int ldm, float[] c, int cOff, int ldc,
                                         float[] rowSums, int rsOff) {
        JitDirectives.beforeFirstProduct();
        if (k < 1 || (rowSums != null && n % NR == 0) || !transposedBFits(m, n, k)
                || ((long) m * n * k >= PARALLEL_MIN_FMAS && Parallel.canSplit())) {
            return false;
        }
        float[][] bufs = BUFFERS.get();
        float[] ar = bufs[1], tile = bufs[2];
        float[] t = transposedWithOnes(n, k, b, bOff, ldb, rowSums != null, tile);
        for (int i0 = 0; i0 < m; i0 += MC) {
            int rows = Math.min(MC, m - i0);
            rowsAtStrideKc(a, aOff, lda, i0, rows, k, ar);
            for (int j = 0; j < n; j += NR) {
                int nr = Math.min(NR, n - j), sums = rowSums != null && n - j < NR ? n - j : -1;
                int bIdx = j / NR * k * NR;
                for (int i = 0; i < rows; i += 2 * MR) {
                    int mr = Math.min(2 * MR, rows - i), cIdx = cOff + (i0 + i) * ldc + j;
                    int mIdx = maskOff + (i0 + i) * ldm + j;
                    if (allZero(mask, mIdx, ldm, mr, nr)) {
                        if (sums >= 0) rowSumsInOrder(ar, i, mr, k, rowSums, rsOff + i0 + i);
                        continue;
                    }
                    if (mr <= MR) {
                        kernel4Store(k, ar, i * KC, t, bIdx, tile, 0, NR);
                    } else {
                        kernel8Store(k, ar, i * KC, t, bIdx, tile, 0, NR);
                    }
                    mergeMasked(tile, mask, mIdx, ldm, c, cIdx, ldc, mr, nr);
                    if (sums >= 0) {
                        for (int r = 0; r < mr; r++) rowSums[rsOff + i0 + i + r] = tile[r * NR + sums];
                    }
                }
            }
        }
        return true;
    }

    /**
     * Whether the mr x nr block of M at idx (row stride ld) is all zero. The lanes are tested with toLong, as in
     * blockPanels, not anyTrue: with anyTrue in the process SimdAllocationTest found the 2-input dense layer's
     * kernel (shortKDense) boxed in one run of two (a second mask method's type profile); with toLong, five of five
     * clean.
     */
    private static boolean allZero(float[] mask, int idx, int ld, int mr, int nr) {
        for (int r = 0; r < mr; r++) {
            int row = idx + r * ld, j = 0;
            for (; j + L <= nr; j += L) {
                if (FloatVector.fromArray(S, mask, row + j).compare(VectorOperators.NE, 0f).toLong() != 0) return false;
            }
            for (; j < nr; j++) {
                if (mask[row + j] != 0f) return false;
            }
        }
        return true;
    }

    /**
     * Row sums of rows i..i+mr of A (at ar[row·KC]), each one add per p from +0 in order: the bits of the tile's
     * column of ones (an FMA by 1 is that add). Eight rows at once, so the eight chains of adds overlap.
     */
    private static void rowSumsInOrder(float[] ar, int i, int mr, int k, float[] rowSums, int rsIdx) {
        if (mr == 2 * MR) {
            int a0 = i * KC;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            for (int p = 0; p < k; p++) {
                int q = a0 + p;
                s0 += ar[q];
                s1 += ar[q + KC];
                s2 += ar[q + 2 * KC];
                s3 += ar[q + 3 * KC];
                s4 += ar[q + 4 * KC];
                s5 += ar[q + 5 * KC];
                s6 += ar[q + 6 * KC];
                s7 += ar[q + 7 * KC];
            }
            rowSums[rsIdx] = s0;
            rowSums[rsIdx + 1] = s1;
            rowSums[rsIdx + 2] = s2;
            rowSums[rsIdx + 3] = s3;
            rowSums[rsIdx + 4] = s4;
            rowSums[rsIdx + 5] = s5;
            rowSums[rsIdx + 6] = s6;
            rowSums[rsIdx + 7] = s7;
            return;
        }
        for (int r = 0; r < mr; r++) {
            float s = 0f;
            for (int p = 0; p < k; p++) s += ar[(i + r) * KC + p];
            rowSums[rsIdx + r] = s;
        }
    }

    /** C[r][q] += tile[r][q] · M[r][q] for r &lt; mr, q &lt; nr: the product of the multiply and the add it replaces. */
    private static void mergeMasked(float[] tile, float[] mask, int mIdx, int ldm, float[] c, int cIdx, int ldc, int mr,
                                    int nr) {
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc, mrow = mIdx + r * ldm, q = 0;
            for (; q + L <= nr; q += L) {
                FloatVector.fromArray(S, tile, r * NR + q).mul(FloatVector.fromArray(S, mask, mrow + q))
                        .add(FloatVector.fromArray(S, c, row + q)).intoArray(c, row + q);
            }
            for (; q < nr; q++) c[row + q] += tile[r * NR + q] * mask[mrow + q];
        }
    }

    /**
     * Bᵀ written out by strips of NR columns: element (p, j) of Bᵀ, b[bOff + j·ldb + p], at
     * t[(j / NR)·k·NR + p·NR + j mod NR], for j &lt; n and p &lt; k, and zeros in columns n..ldt. Within a strip row p
     * is at a constant stride NR from row p − 1, so the tile's loads are at base + p·NR and C2 drops their bounds
     * checks (at a stride of ldt, a variable, each load kept its check: 50 x 50 x 200 in 17.4 µs with them and 15.5
     * with the Vector API's checks turned off). {@code scratch}: at least 256 floats on 16 lanes ({@link #transpose16}).
     */
    static void transpose(float[] b, int bOff, int ldb, int n, int k, float[] t, int ldt, float[] scratch) {
        int[] idx = GATHER.get()[0];
        if (idx[1] != ldb) {
            for (int l = 0; l < L; l++) idx[l] = l * ldb;
        }
        int nv = n - n % L;
        // On 16 lanes, whole 16 x 16 blocks in registers; the last k mod 16 values of p (and other widths) by gathers.
        int kb = L == 16 ? k - k % 16 : 0;
        for (int j = 0; j < nv; j += L) {
            int src = bOff + j * ldb, base = j / NR * k * NR + j % NR;
            for (int p = 0; p < kb; p += 16) transpose16(b, src + p, ldb, scratch, t, base + p * NR);
            for (int p = kb; p < k; p++) FloatVector.fromArray(S, b, src + p, idx, 0).intoArray(t, base + p * NR);
        }
        FloatVector zero = FloatVector.zero(S);
        for (int j = nv; j < ldt; j += L) {
            int base = j / NR * k * NR + j % NR;
            for (int p = 0; p < k; p++) zero.intoArray(t, base + p * NR);
        }
        for (int j = nv; j < n; j++) {
            int base = j / NR * k * NR + j % NR;
            for (int p = 0; p < k; p++) t[base + p * NR] = b[bOff + j * ldb + p];
        }
    }

    /**
     * The 8-row tile: C[0:8, 0:NR] = Σ_p a[lo + r·KC + p] · B's row p (NR wide, at bIdx + p·NR: a strip of
     * {@link #transpose}), accumulators from +0 and one FMA per p, as in {@link #kernelStore}. Alone at m = 48,
     * n = 192, k = 48 it ran at 138 GFLOP/s against 131 for the 4-row tile (FMA peak 170–178). Store and add stay two methods, as kernelStore and kernelAdd, so that
     * each stays small for C2.
     */
    private static void kernel8Store(int kc, float[] a, int lo, float[] b, int bIdx, float[] c, int cIdx,
                                     int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int q = lo + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[q + KC]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[q + 2 * KC]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[q + 3 * KC]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[q + 4 * KC]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[q + 5 * KC]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[q + 6 * KC]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[q + 7 * KC]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx += ldc);
        c11.intoArray(c, cIdx + L);
        c20.intoArray(c, cIdx += ldc);
        c21.intoArray(c, cIdx + L);
        c30.intoArray(c, cIdx += ldc);
        c31.intoArray(c, cIdx + L);
        c40.intoArray(c, cIdx += ldc);
        c41.intoArray(c, cIdx + L);
        c50.intoArray(c, cIdx += ldc);
        c51.intoArray(c, cIdx + L);
        c60.intoArray(c, cIdx += ldc);
        c61.intoArray(c, cIdx + L);
        c70.intoArray(c, cIdx += ldc);
        c71.intoArray(c, cIdx + L);
    }

    /** The upper half of {@link #kernel8Store}: 4 rows of A at stride KC, the same sums per element. */
    private static void kernel4Store(int kc, float[] a, int lo, float[] b, int bIdx,
                                     float[] c, int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00;
        for (int p = 0; p < kc; p++) {
            int q = lo + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[q + KC]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[q + 2 * KC]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[q + 3 * KC]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx += ldc);
        c11.intoArray(c, cIdx + L);
        c20.intoArray(c, cIdx += ldc);
        c21.intoArray(c, cIdx + L);
        c30.intoArray(c, cIdx += ldc);
        c31.intoArray(c, cIdx + L);
    }

    /** As {@link #kernel8Store}, adding the product to C (beta = 1). */
    private static void kernel8Add(int kc, float[] a, int lo, float[] b, int bIdx,
                                   float[] c, int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int q = lo + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + p * NR + L);
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[q + KC]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[q + 2 * KC]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[q + 3 * KC]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[q + 4 * KC]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[q + 5 * KC]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[q + 6 * KC]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[q + 7 * KC]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c01.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c10.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c11.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c20.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c21.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c30.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c31.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c40.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c41.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c50.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c51.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c60.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c61.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c70.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c71.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
    }

    // ---- small products: B read in place ---------------------------------------------------------------------------

    /**
     * C = alpha op(A) B + beta C for k ≤ KC and m ≤ MC, B not transposed: the shapes of a layer's forward pass and
     * input gradient at training batch sizes (W of 50 x 50, B of 50 x 200). op(A) is packed once (it is small: the
     * transpose, alpha and the MADE mask are applied there); B is read in place, row p of a tile being 2 vectors of
     * contiguous columns, so B needs no packing; full tiles are written straight to C when beta is 0 or 1. A last
     * strip of one vector is read in place too, and the last n mod L columns from a zero-padded copy.
     */
    private static void direct(int m, int n, int k, float alpha, Operand a, float[] b, int bOff, int ldb, float beta,
                               float[] c, int cOff, int ldc) {
        float[][] bufs = BUFFERS.get();
        float[] ap = bufs[1], tile = bufs[2];
        packA(a, alpha, 0, m, 0, k, ap);
        // The 8-row blocks' kc, panels and first p (blockPanels): a masked op(A) may leave zero ranges of p out (on
        // 512 bits, where the pack buffer bufs[0] is free: the tail below pads B only without masked tails).
        int[][] th = BLOCKS.get();
        if (th[0].length < 3 * (m / (2 * MR))) th[0] = new int[3 * (m / (2 * MR))];
        int[] bt3 = th[0];
        float[] pan = blockPanels(m, k, ap, PANEL8 && MASKED_TAILS && a.mask() != null, bufs[0], bt3);
        // Three-vector strips first, on the 8 x 3 tile (24 accumulators): per multiply-add a third fewer broadcasts of
        // A and loop overhead than the 8 x 2 tile, 5.3 against 6.4 µs for 48 x 192 x 50 alone (ideal 5.0). n = 200 is
        // 4 such strips and 8 masked columns; 112 (a half-batch) is 2 strips and one vector.
        int j0 = 0;
        // Also for m = 2 alone (a 2-D MADE's input gradient with respect to its inputs, 2 x n x 50), on pair3: 2 x 200
        // x 50 in 0.68-0.69 µs against 0.87-0.94 on 4-row tiles through the tile and merge.
        if (PANEL8 && (beta == 0f || beta == 1f) && (m >= 2 * MR || m == 2)) {
            for (; j0 + 3 * L <= n; j0 += 3 * L) {
                int ir = 0;
                for (; ir + 2 * MR <= m; ir += 2 * MR) {
                    int cIdx = cOff + ir * ldc + j0, q = 3 * (ir / (2 * MR));
                    int bIdx = bOff + j0 + bt3[q + 2] * ldb;
                    if (beta == 0f) {
                        panel83Store(bt3[q], pan, bt3[q + 1], b, bIdx, ldb, c, cIdx, ldc);
                    } else {
                        panel83Add(bt3[q], pan, bt3[q + 1], b, bIdx, ldb, c, cIdx, ldc);
                    }
                }
                if (m - ir == 2) {
                    // 50 = 6 x 8 + 2: the last two rows in place, on their own 2 x 3 tile.
                    pair3(k, ap, ir * k, b, bOff + j0, ldb, beta == 1f, c, cOff + ir * ldc + j0, ldc);
                } else if (ir < m) {
                    // Other remainders as on the narrower strips: the same sums per element.
                    stripRows(ir, m, k, ap, b, bOff + j0, ldb, beta, c, cOff + j0, ldc, tile);
                    oneVectorRows(ir, m, k, ap, b, bOff + j0 + NR, ldb, beta, c, cOff + j0 + NR, ldc, tile);
                }
            }
        }
        int nFull = j0 + (n - j0) / NR * NR;
        // Column strips outer, row panels inner: a strip of B (k x NR, 3.2 KB at k = 50) then stays in L1 for every
        // panel of packed A (also L1-sized here), where rows outer streamed all of B (40 KB at n = 200) from L2 once
        // per panel. Each tile's arithmetic is the same either way.
        for (int j = j0; j < nFull; j += NR) {
            int ir = 0;
            if (PANEL8 && (beta == 0f || beta == 1f)) {
                for (; ir + 2 * MR <= m; ir += 2 * MR) {
                    int cIdx = cOff + ir * ldc + j, q = 3 * (ir / (2 * MR));
                    int bIdx = bOff + j + bt3[q + 2] * ldb;
                    if (beta == 0f) {
                        panel8Store(bt3[q], pan, bt3[q + 1], b, bIdx, ldb, c, cIdx, ldc);
                    } else {
                        panel8Add(bt3[q], pan, bt3[q + 1], b, bIdx, ldb, c, cIdx, ldc);
                    }
                }
            }
            stripRows(ir, m, k, ap, b, bOff + j, ldb, beta, c, cOff + j, ldc, tile);
        }
        // A last strip one vector wide (n = 200: columns 192..199) in place too, rather than padded to NR in the
        // packed path; the same sums in the same order per element.
        int nHalf = nFull;
        if (n - nFull >= L) {
            int ir = 0;
            if (PANEL8 && beta == 0f) {
                for (; ir + 2 * MR <= m; ir += 2 * MR) {
                    int q = 3 * (ir / (2 * MR));
                    half8Store(bt3[q], pan, bt3[q + 1], b, bOff + nFull + bt3[q + 2] * ldb, ldb, c,
                            cOff + ir * ldc + nFull, ldc);
                }
            }
            oneVectorRows(ir, m, k, ap, b, bOff + nFull, ldb, beta, c, cOff + nFull, ldc, tile);
            nHalf = nFull + L;
        }
        if (nHalf < n) {
            // The last n mod L columns (8 at n = 200 with 16 lanes): copied, zero-padded, into one vector per row of B
            // (the pack buffer is free on this path) and run as a one-vector strip, rather than through the packed
            // path, which would pack op(A) again and pad them to NR. The same sums in the same order per element.
            int nt = n - nHalf;
            if (MASKED_TAILS) {
                int ir = 0;
                if (PANEL8) {
                    for (; ir + 2 * MR <= m; ir += 2 * MR) {
                        int q = 3 * (ir / (2 * MR)), kc = bt3[q], pi = bt3[q + 1];
                        int bIdx = bOff + nHalf + bt3[q + 2] * ldb;
                        if (beta == 0f) {
                            half8MaskedStore(kc, pan, pi, b, bIdx, ldb, nt, c, cOff + ir * ldc + nHalf, ldc);
                        } else if (beta == 1f) {
                            half8MaskedAdd(kc, pan, pi, b, bIdx, ldb, nt, c, cOff + ir * ldc + nHalf, ldc);
                        } else {
                            half8MaskedStore(kc, pan, pi, b, bIdx, ldb, nt, tile, 0, NR);
                            merge(tile, c, cOff + ir * ldc + nHalf, ldc, 2 * MR, nt, beta);
                        }
                    }
                }
                for (; ir < m; ir += MR) {
                    halfStoreMasked(k, ap, ir * k, b, bOff + nHalf, ldb, nt, tile, 0, NR);
                    merge(tile, c, cOff + ir * ldc + nHalf, ldc, Math.min(MR, m - ir), nt, beta);
                }
                return;
            }
            float[] bt = bufs[0];
            padRows(b, bOff, ldb, k, nHalf, nt, bt);
            for (int ir = 0; ir < m; ir += MR) {
                halfStore(k, ap, ir * k, bt, 0, L, tile, 0, NR);
                merge(tile, c, cOff + ir * ldc + nHalf, ldc, Math.min(MR, m - ir), nt, beta);
            }
        }
    }

    private static final ThreadLocal<int[][]> BLOCKS = ThreadLocal.withInitial(() -> new int[][] {new int[0]});

    /**
     * The full 8-row blocks of packed op(A) (rows 8b..8b+7: the 4-row panels at 8b·k and 8b·k + 4k) as {@link #direct}
     * runs them: per block {kc, the index of its panels in the array returned, lo}, its product taken over p in
     * [lo, lo + kc) on B's rows from lo. Where {@code skip} and leaving out the p outside which a block's values are
     * all zero saves at least an eighth of the blocks' multiply-adds, the blocks' panels are copied, cut to those
     * ranges, into {@code apc} and that is returned; otherwise every block runs over all of k on ap. A MADE whose
     * hidden units are in order of degree (Made) has such staircase masks: a unit of degree d sees only the units of
     * degree ≤ d, a prefix of k, and its input gradient only those of degree ≥ d, a suffix; with nflows' cyclic
     * degrees every block sees almost all of k. The terms left out are exact zeros, which leave a sum from +0
     * unchanged (for finite B: an infinite or NaN value of B meeting a zero of A gives NaN in the full sum, not here).
     */
    private static float[] blockPanels(int m, int k, float[] ap, boolean skip, float[] apc, int[] table) {
        int blocks = m / (2 * MR);
        for (int blk = 0; blk < blocks; blk++) {
            table[3 * blk] = k;
            table[3 * blk + 1] = blk * 2 * MR * k;
            table[3 * blk + 2] = 0;
        }
        if (!skip || blocks == 0) return ap;
        long kept = 0;
        int pv = L / MR;                    // values of p per vector of a panel (4 rows per p)
        int kFull = k - k % pv;
        for (int blk = 0; blk < blocks; blk++) {
            int lo = k, hi = 0;
            for (int half = 0; half < 2; half++) {
                int base = (2 * blk + half) * MR * k;
                for (int p = 0; p < kFull; p += pv) {
                    long bits = FloatVector.fromArray(S, ap, base + p * MR).compare(VectorOperators.NE, 0f).toLong();
                    if (bits != 0) {
                        lo = Math.min(lo, p + Long.numberOfTrailingZeros(bits) / MR);
                        hi = Math.max(hi, p + (63 - Long.numberOfLeadingZeros(bits)) / MR + 1);
                    }
                }
                for (int p = kFull; p < k; p++) {
                    for (int r = 0; r < MR; r++) {
                        if (ap[base + p * MR + r] != 0f) {
                            lo = Math.min(lo, p);
                            hi = Math.max(hi, p + 1);
                        }
                    }
                }
            }
            if (lo >= hi) {
                lo = 0;
                hi = 0;
            }
            table[3 * blk] = hi - lo;
            table[3 * blk + 2] = lo;
            kept += hi - lo;
        }
        if (kept * 8 > (long) blocks * k * 7) {
            for (int blk = 0; blk < blocks; blk++) {
                table[3 * blk] = k;
                table[3 * blk + 2] = 0;
            }
            return ap;
        }
        int off = 0;
        for (int blk = 0; blk < blocks; blk++) {
            int kc = table[3 * blk], lo = table[3 * blk + 2], base = blk * 2 * MR * k;
            System.arraycopy(ap, base + lo * MR, apc, off, kc * MR);
            System.arraycopy(ap, base + MR * k + lo * MR, apc, off + kc * MR, kc * MR);
            table[3 * blk + 1] = off;
            off += 2 * MR * kc;
        }
        return apc;
    }

    /** Rows ir0..m of a strip of NR columns of C (from cOff) on the 4-row tile: whole tiles in place, edges via the tile. */
    private static void stripRows(int ir0, int m, int k, float[] ap, float[] b, int bIdx, int ldb, float beta, float[] c,
                                  int cOff, int ldc, float[] tile) {
        for (int ir = ir0; ir < m; ir += MR) {
            int mr = Math.min(MR, m - ir);
            int cIdx = cOff + ir * ldc;
            if (mr == MR && beta == 0f) {
                kernelStore(k, ap, ir * k, b, bIdx, ldb, c, cIdx, ldc);
            } else if (mr == MR && beta == 1f) {
                kernelAdd(k, ap, ir * k, b, bIdx, ldb, c, cIdx, ldc);
            } else {
                kernelStore(k, ap, ir * k, b, bIdx, ldb, tile, 0, NR);   // edge rows, general beta: via the tile
                merge(tile, c, cIdx, ldc, mr, NR, beta);
            }
        }
    }

    /** As {@link #stripRows} for a strip of one vector of columns. */
    private static void oneVectorRows(int ir0, int m, int k, float[] ap, float[] b, int bIdx, int ldb, float beta,
                                      float[] c, int cOff, int ldc, float[] tile) {
        for (int ir = ir0; ir < m; ir += MR) {
            int mr = Math.min(MR, m - ir);
            int cIdx = cOff + ir * ldc;
            if (mr == MR && beta == 0f) {
                halfStore(k, ap, ir * k, b, bIdx, ldb, c, cIdx, ldc);
            } else {
                // One strip in n/NR: the tile's round trip costs little here (merge's c + t is kernelAdd's sum).
                halfStore(k, ap, ir * k, b, bIdx, ldb, tile, 0, NR);   // rows of the tile: stride NR
                merge(tile, c, cIdx, ldc, mr, L, beta);
            }
        }
    }

    /**
     * Products this short in k or shorter run row by row in {@link #shortK}: a layer fed by 2-D θ or x (k = 2) and
     * the input gradient of a 2-D MADE's output layer (k = 4). On the register tile their loop over k is too short to
     * pay for the tile's setup and stores: 5 µs for 50 x 200 x 2, a quarter of a 50 x 200 x 50 product.
     */
    static final int SHORT_K = 4;

    /**
     * C = alpha op(A)·B + beta C for k ≤ {@link #SHORT_K}: op(A) packed as everywhere (alpha and the mask applied),
     * then each row of C in one pass along n, its k broadcasts hoisted. Every element gets the tile's operations in
     * the tile's order (a sum from zero, one FMA per p in order, then c·beta + sum in one rounding), so the bits are
     * those of {@link #direct}.
     */
    private static void shortK(int m, int n, int k, float alpha, Operand a, float[] b, int bOff, int ldb, float beta,
                               float[] c, int cOff, int ldc) {
        float[] ap = BUFFERS.get()[1];
        packA(a, alpha, 0, m, 0, k, ap);
        int nFull = n - n % L;
        int b1 = bOff + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        for (int i = 0; i < m; i++) {
            int ai = (i - i % MR) * k + i % MR, row = cOff + i * ldc;
            float a0 = ap[ai], a1 = k > 1 ? ap[ai + MR] : 0f, a2 = k > 2 ? ap[ai + 2 * MR] : 0f,
                    a3 = k > 3 ? ap[ai + 3 * MR] : 0f;
            switch (k) {
                case 1 -> shortRow1(nFull, a0, b, bOff, beta, c, row);
                case 2 -> shortRow2(nFull, a0, a1, b, bOff, b1, beta, c, row);
                case 3 -> shortRow3(nFull, a0, a1, a2, b, bOff, b1, b2, beta, c, row);
                default -> shortRow4(nFull, a0, a1, a2, a3, b, bOff, b1, b2, b3, beta, c, row);
            }
            if (MASKED_TAILS && nFull < n) {
                shortTailMasked(k, a0, a1, a2, a3, b, bOff + nFull, ldb, n - nFull, beta, c, row + nFull);
                continue;
            }
            for (int j = nFull; j < n; j++) {
                float s = Math.fma(a0, b[bOff + j], 0f);
                if (k > 1) s = Math.fma(a1, b[b1 + j], s);
                if (k > 2) s = Math.fma(a2, b[b2 + j], s);
                if (k > 3) s = Math.fma(a3, b[b3 + j], s);
                c[row + j] = beta != 0f ? Math.fma(c[row + j], beta, s) : s;
            }
        }
    }

    /**
     * A dense layer's forward pass y = f((W ⊙ M) x + b + addend) for k ≤ {@link #SHORT_K} (a layer fed by 2-D θ or x)
     * in one pass over y, 512 bits only: each row's sums as {@link #shortK} makes them (one FMA per p from +0), then
     * + b_i, + the addend and tanh (f null: none) before the one store, so each element is what shortK,
     * broadcastColumn, binary(ADD) and unary(TANH) give in turn, bit for bit. The unfused sequence wrote and reread
     * y four times for a handful of multiply-adds per element. Returns false, touching nothing, where shortK would not
     * run (k, widths, or a product big enough to be split over threads).
     */
    static boolean shortKDense(int m, int n, int k, Operand a, float[] x, int xOff, float[] bias, int bOff,
                               float[] addend, int addOff, boolean tanh, float[] y, int yOff) {
        if (!MASKED_TAILS || m == 0 || k < 1 || k > SHORT_K || n < L
                || (long) ((m + MR - 1) / MR) * MR * k > (long) MC * KC
                || ((long) m * n * k >= PARALLEL_MIN_FMAS && Parallel.canSplit())) {
            return false;
        }
        JitDirectives.beforeFirstProduct();
        float[] ap = BUFFERS.get()[1];
        packA(a, 1f, 0, m, 0, k, ap);
        int nFull = n - n % L;
        for (int i = 0; i < m; i++) {
            int ai = (i - i % MR) * k + i % MR, row = yOff + i * n, ar = addend == null ? 0 : addOff + i * n;
            float a0 = ap[ai], a1 = k > 1 ? ap[ai + MR] : 0f, a2 = k > 2 ? ap[ai + 2 * MR] : 0f,
                    a3 = k > 3 ? ap[ai + 3 * MR] : 0f;
            denseRow(k, nFull, a0, a1, a2, a3, x, xOff, n, bias[bOff + i], addend, ar, tanh, y, row);
            if (nFull < n) denseTailMasked(k, a0, a1, a2, a3, x, xOff + nFull, n, n - nFull, bias[bOff + i], addend,
                    ar + nFull, tanh, y, row + nFull);
        }
        return true;
    }

    /** {@link #shortKDense}'s sums of one row over [0, nFull), + b, + addend, tanh if asked, stored. */
    private static void denseRow(int k, int nFull, float a0, float a1, float a2, float a3, float[] x, int r0,
                                 int ldx, float bi, float[] addend, int ar, boolean tanh, float[] y, int row) {
        FloatVector z = FloatVector.zero(S), v0 = FloatVector.broadcast(S, a0), v1 = FloatVector.broadcast(S, a1),
                v2 = FloatVector.broadcast(S, a2), v3 = FloatVector.broadcast(S, a3), bv = FloatVector.broadcast(S, bi);
        for (int j = 0; j < nFull; j += L) {
            FloatVector s = v0.fma(FloatVector.fromArray(S, x, r0 + j), z);
            if (k > 1) s = v1.fma(FloatVector.fromArray(S, x, r0 + ldx + j), s);
            if (k > 2) s = v2.fma(FloatVector.fromArray(S, x, r0 + 2 * ldx + j), s);
            if (k > 3) s = v3.fma(FloatVector.fromArray(S, x, r0 + 3 * ldx + j), s);
            s = s.add(bv);
            if (addend != null) s = s.add(FloatVector.fromArray(S, addend, ar + j));
            if (tanh) s = SimdMath.tanh(s);
            s.intoArray(y, row + j);
        }
    }

    /** The last nt &lt; L columns of a {@link #shortKDense} row, read and written with masks, as its other columns. */
    private static void denseTailMasked(int k, float a0, float a1, float a2, float a3, float[] x, int r0, int ldx,
                                        int nt, float bi, float[] addend, int ar, boolean tanh, float[] y, int idx) {
        VectorMask<Float> cols = S.indexInRange(0, nt);
        FloatVector s = FloatVector.broadcast(S, a0).fma(FloatVector.fromArray(S, x, r0, cols), FloatVector.zero(S));
        if (k > 1) s = FloatVector.broadcast(S, a1).fma(FloatVector.fromArray(S, x, r0 + ldx, cols), s);
        if (k > 2) s = FloatVector.broadcast(S, a2).fma(FloatVector.fromArray(S, x, r0 + 2 * ldx, cols), s);
        if (k > 3) s = FloatVector.broadcast(S, a3).fma(FloatVector.fromArray(S, x, r0 + 3 * ldx, cols), s);
        s = s.add(FloatVector.broadcast(S, bi));
        if (addend != null) s = s.add(FloatVector.fromArray(S, addend, ar, cols));
        if (tanh) s = SimdMath.tanh(s);
        s.intoArray(y, idx, cols);
    }

    /**
     * The last n mod L columns of a {@link #shortK} row as one masked vector (512 bits): the scalar loop took 1 µs of
     * a 2.5 µs 50 x 200 x 4 product. Lanes past the mask read and write nothing; the sums are the scalar loop's.
     */
    private static void shortTailMasked(int k, float a0, float a1, float a2, float a3, float[] b, int r0, int ldb,
                                        int nt, float beta, float[] c, int idx) {
        // The mask is made here, not passed in: a mask argument of a call C2 does not inline is boxed (48 bytes per
        // row, SimdAllocationTest).
        VectorMask<Float> cols = S.indexInRange(0, nt);
        FloatVector s = FloatVector.broadcast(S, a0).fma(FloatVector.fromArray(S, b, r0, cols), FloatVector.zero(S));
        if (k > 1) s = FloatVector.broadcast(S, a1).fma(FloatVector.fromArray(S, b, r0 + ldb, cols), s);
        if (k > 2) s = FloatVector.broadcast(S, a2).fma(FloatVector.fromArray(S, b, r0 + 2 * ldb, cols), s);
        if (k > 3) s = FloatVector.broadcast(S, a3).fma(FloatVector.fromArray(S, b, r0 + 3 * ldb, cols), s);
        if (beta != 0f) s = FloatVector.fromArray(S, c, idx, cols).fma(FloatVector.broadcast(S, beta), s);
        s.intoArray(c, idx, cols);
    }

    /** The sum's last step: store it, or c·beta + sum in one rounding (as {@link #merge}; c + sum at beta = 1). */
    private static void shortStore(FloatVector s, float beta, float[] c, int idx) {
        if (beta != 0f) s = FloatVector.fromArray(S, c, idx).fma(FloatVector.broadcast(S, beta), s);
        s.intoArray(c, idx);
    }

    private static void shortRow1(int nFull, float a0, float[] b, int r0, float beta, float[] c, int row) {
        FloatVector z = FloatVector.zero(S), v0 = FloatVector.broadcast(S, a0);
        for (int j = 0; j < nFull; j += L) {
            shortStore(v0.fma(FloatVector.fromArray(S, b, r0 + j), z), beta, c, row + j);
        }
    }

    private static void shortRow2(int nFull, float a0, float a1, float[] b, int r0, int r1, float beta, float[] c,
                                  int row) {
        FloatVector z = FloatVector.zero(S), v0 = FloatVector.broadcast(S, a0), v1 = FloatVector.broadcast(S, a1);
        for (int j = 0; j < nFull; j += L) {
            FloatVector s = v0.fma(FloatVector.fromArray(S, b, r0 + j), z);
            shortStore(v1.fma(FloatVector.fromArray(S, b, r1 + j), s), beta, c, row + j);
        }
    }

    private static void shortRow3(int nFull, float a0, float a1, float a2, float[] b, int r0, int r1, int r2,
                                  float beta, float[] c, int row) {
        FloatVector z = FloatVector.zero(S), v0 = FloatVector.broadcast(S, a0), v1 = FloatVector.broadcast(S, a1),
                v2 = FloatVector.broadcast(S, a2);
        for (int j = 0; j < nFull; j += L) {
            FloatVector s = v0.fma(FloatVector.fromArray(S, b, r0 + j), z);
            s = v1.fma(FloatVector.fromArray(S, b, r1 + j), s);
            shortStore(v2.fma(FloatVector.fromArray(S, b, r2 + j), s), beta, c, row + j);
        }
    }

    private static void shortRow4(int nFull, float a0, float a1, float a2, float a3, float[] b, int r0, int r1,
                                  int r2, int r3, float beta, float[] c, int row) {
        FloatVector z = FloatVector.zero(S), v0 = FloatVector.broadcast(S, a0), v1 = FloatVector.broadcast(S, a1),
                v2 = FloatVector.broadcast(S, a2), v3 = FloatVector.broadcast(S, a3);
        for (int j = 0; j < nFull; j += L) {
            FloatVector s = v0.fma(FloatVector.fromArray(S, b, r0 + j), z);
            s = v1.fma(FloatVector.fromArray(S, b, r1 + j), s);
            s = v2.fma(FloatVector.fromArray(S, b, r2 + j), s);
            shortStore(v3.fma(FloatVector.fromArray(S, b, r3 + j), s), beta, c, row + j);
        }
    }

    /**
     * Whether {@link #direct} runs 8 rows at a time ({@link #panel8Store}, {@link #half8Store},
     * {@link #half8MaskedStore}) where 8 rows remain: 512 bits only, where 16 accumulators fit the 32 vector registers.
     * A one-vector strip on the 4-row tile has 4 accumulators, fewer than an FMA's latency times its two pipes (8),
     * so it ran at half speed: the last 16 columns of a 112-column half-batch, and the masked last 8 of a batch of 200
     * (50 x 200 x 50: 11.4 µs against 9.7 at 192 columns, for 4% more columns). Each element's sum is the same.
     */
    static final boolean PANEL8 = S.vectorBitSize() == 512;

    /**
     * The 8-row tile on packed A: rows 0..3 from the panel at aIdx, rows 4..7 from the next one (aIdx + 4·kc), two
     * vectors of B's columns; accumulators from +0 and one FMA per p, as in {@link #kernelStore}. The same loop as
     * {@link #kernel8Store} but for A's addressing, and kept apart on purpose: one kernel taking A's row stride, p step
     * and half offset as arguments ran the 50 x 50 x 200 forward product in 10.2–10.3 µs against 9.5–9.7 here (and the
     * input gradient in 11.0–11.2 against 10.4), its addresses no longer constant offsets of one index.
     */
    private static void panel8Store(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                    int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int hi = aIdx + MR * kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + L);
            bIdx += ldb;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[hi]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[hi + 1]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[hi + 2]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[hi + 3]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            aIdx += MR;
            hi += MR;
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx += ldc);
        c11.intoArray(c, cIdx + L);
        c20.intoArray(c, cIdx += ldc);
        c21.intoArray(c, cIdx + L);
        c30.intoArray(c, cIdx += ldc);
        c31.intoArray(c, cIdx + L);
        c40.intoArray(c, cIdx += ldc);
        c41.intoArray(c, cIdx + L);
        c50.intoArray(c, cIdx += ldc);
        c51.intoArray(c, cIdx + L);
        c60.intoArray(c, cIdx += ldc);
        c61.intoArray(c, cIdx + L);
        c70.intoArray(c, cIdx += ldc);
        c71.intoArray(c, cIdx + L);
    }

    /** As {@link #panel8Store}, adding the product to C (beta = 1), as {@link #kernelAdd}. */
    private static void panel8Add(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                  int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int hi = aIdx + MR * kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + L);
            bIdx += ldb;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[hi]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[hi + 1]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[hi + 2]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[hi + 3]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            aIdx += MR;
            hi += MR;
        }
        c00.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c01.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c10.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c11.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c20.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c21.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c30.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c31.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c40.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c41.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c50.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c51.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c60.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c61.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c70.add(FloatVector.fromArray(S, c, cIdx += ldc)).intoArray(c, cIdx);
        c71.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
    }

    /**
     * The 8-row tile on packed A over three vectors of B's columns: 24 accumulators, 28 of AVX-512's 32 registers with
     * B's three vectors and the broadcast. Each element's sum is {@link #panel8Store}'s (from +0, one FMA per p in
     * order), so the products are the same bit for bit on either tile.
     */
    private static void panel83Store(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                     int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z,
                c22 = z, c30 = z, c31 = z, c32 = z, c40 = z, c41 = z, c42 = z, c50 = z,
                c51 = z, c52 = z, c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        int hi = aIdx + MR * kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bIdx + 2 * L);
            bIdx += ldb;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, ap[hi]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, ap[hi + 1]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, ap[hi + 2]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, ap[hi + 3]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            c72 = x.fma(b2, c72);
            aIdx += MR;
            hi += MR;
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c02.intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c10.intoArray(c, cIdx);
        c11.intoArray(c, cIdx + L);
        c12.intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c20.intoArray(c, cIdx);
        c21.intoArray(c, cIdx + L);
        c22.intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c30.intoArray(c, cIdx);
        c31.intoArray(c, cIdx + L);
        c32.intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c40.intoArray(c, cIdx);
        c41.intoArray(c, cIdx + L);
        c42.intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c50.intoArray(c, cIdx);
        c51.intoArray(c, cIdx + L);
        c52.intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c60.intoArray(c, cIdx);
        c61.intoArray(c, cIdx + L);
        c62.intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c70.intoArray(c, cIdx);
        c71.intoArray(c, cIdx + L);
        c72.intoArray(c, cIdx + 2 * L);
    }

    /**
     * Rows 0 and 1 of the 4-row panel at aIdx over three vectors of B's columns, stored (or added, beta = 1) in place:
     * the remainder of 50 rows on the 8 x 3 tile's strips. Six accumulators wait on the FMA latency, but that is
     * cheaper than the 4-row tiles it replaces (2 vectors plus 1, half of their rows padding, through the tile and
     * merge). The same sums per element as every tile.
     */
    private static void pair3(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, boolean add, float[] c,
                              int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bIdx + 2 * L);
            bIdx += ldb;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            aIdx += MR;
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cIdx));
            c01 = c01.add(FloatVector.fromArray(S, c, cIdx + L));
            c02 = c02.add(FloatVector.fromArray(S, c, cIdx + 2 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, cIdx + ldc + 2 * L));
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c02.intoArray(c, cIdx + 2 * L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c12.intoArray(c, cIdx + ldc + 2 * L);
    }

    /** As {@link #panel83Store}, adding the product to C (beta = 1), as {@link #panel8Add}. */
    private static void panel83Add(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                   int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z,
                c22 = z, c30 = z, c31 = z, c32 = z, c40 = z, c41 = z, c42 = z, c50 = z,
                c51 = z, c52 = z, c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        int hi = aIdx + MR * kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bIdx + 2 * L);
            bIdx += ldb;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, ap[hi]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, ap[hi + 1]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, ap[hi + 2]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, ap[hi + 3]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            c72 = x.fma(b2, c72);
            aIdx += MR;
            hi += MR;
        }
        c00.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c01.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c02.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c10.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c11.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c12.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c20.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c21.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c22.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c30.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c31.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c32.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c40.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c41.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c42.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c50.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c51.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c52.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c60.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c61.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c62.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
        cIdx += ldc;
        c70.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c71.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c72.add(FloatVector.fromArray(S, c, cIdx + 2 * L)).intoArray(c, cIdx + 2 * L);
    }

    /** As {@link #panel8Store} for a strip of one vector of columns: 8 accumulators, as {@link #halfStore}. */
    private static void half8Store(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                   int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int hi = aIdx + MR * kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            bIdx += ldb;
            c0 = FloatVector.broadcast(S, ap[aIdx]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[aIdx + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[aIdx + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[aIdx + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[hi]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[hi + 1]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[hi + 2]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[hi + 3]).fma(b0, c7);
            aIdx += MR;
            hi += MR;
        }
        c0.intoArray(c, cIdx);
        c1.intoArray(c, cIdx += ldc);
        c2.intoArray(c, cIdx += ldc);
        c3.intoArray(c, cIdx += ldc);
        c4.intoArray(c, cIdx += ldc);
        c5.intoArray(c, cIdx += ldc);
        c6.intoArray(c, cIdx += ldc);
        c7.intoArray(c, cIdx += ldc);
    }

    /**
     * As {@link #half8Store} for the last nt &lt; L columns, read and written with masks (lanes past nt read as 0 and
     * are not stored), straight into C rather than through the tile and merge's scalar loop (64 elements a tile);
     * for a general beta, into the tile (ldc = NR) for {@link #merge}.
     */
    private static void half8MaskedStore(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, int nt, float[] c,
                                         int cIdx, int ldc) {
        VectorMask<Float> cols = S.indexInRange(0, nt);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int hi = aIdx + MR * kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = tailLoad(b, bIdx, nt, cols);
            bIdx += ldb;
            c0 = FloatVector.broadcast(S, ap[aIdx]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[aIdx + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[aIdx + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[aIdx + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[hi]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[hi + 1]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[hi + 2]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[hi + 3]).fma(b0, c7);
            aIdx += MR;
            hi += MR;
        }
        c0.intoArray(c, cIdx, cols);
        c1.intoArray(c, cIdx += ldc, cols);
        c2.intoArray(c, cIdx += ldc, cols);
        c3.intoArray(c, cIdx += ldc, cols);
        c4.intoArray(c, cIdx += ldc, cols);
        c5.intoArray(c, cIdx += ldc, cols);
        c6.intoArray(c, cIdx += ldc, cols);
        c7.intoArray(c, cIdx += ldc, cols);
    }

    /**
     * B's last nt &lt; L columns of one row as a vector, lanes from nt on zero: what {@code fromArray(S, b, idx, cols)}
     * reads. Where the whole vector at idx would run past b's end (the last row of a tensor, whose array ends there)
     * the masked load leaves the intrinsic for a per-lane bounds check that boxes its mask, a 32-byte array per call:
     * most of what an MDN training step allocated (its 660-row head runs as many row blocks, each reading B's last
     * row; session 36). There the vector that ends at the row's end, slid down by L − nt lanes, has the same lanes.
     * In the JIT directive's inline list ({@link JitDirectives}): it returns a vector.
     */
    private static FloatVector tailLoad(float[] b, int idx, int nt, VectorMask<Float> cols) {
        if (idx + L <= b.length || idx + nt < L) return FloatVector.fromArray(S, b, idx, cols);
        return FloatVector.fromArray(S, b, idx + nt - L).slice(L - nt);
    }

    /** As {@link #half8MaskedStore}, adding the product to C (beta = 1: c + sum, merge's c·1 + t). */
    private static void half8MaskedAdd(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, int nt, float[] c,
                                       int cIdx, int ldc) {
        VectorMask<Float> cols = S.indexInRange(0, nt);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int hi = aIdx + MR * kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = tailLoad(b, bIdx, nt, cols);
            bIdx += ldb;
            c0 = FloatVector.broadcast(S, ap[aIdx]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[aIdx + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[aIdx + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[aIdx + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[hi]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[hi + 1]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[hi + 2]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[hi + 3]).fma(b0, c7);
            aIdx += MR;
            hi += MR;
        }
        c0.add(FloatVector.fromArray(S, c, cIdx, cols)).intoArray(c, cIdx, cols);
        c1.add(FloatVector.fromArray(S, c, cIdx += ldc, cols)).intoArray(c, cIdx, cols);
        c2.add(FloatVector.fromArray(S, c, cIdx += ldc, cols)).intoArray(c, cIdx, cols);
        c3.add(FloatVector.fromArray(S, c, cIdx += ldc, cols)).intoArray(c, cIdx, cols);
        c4.add(FloatVector.fromArray(S, c, cIdx += ldc, cols)).intoArray(c, cIdx, cols);
        c5.add(FloatVector.fromArray(S, c, cIdx += ldc, cols)).intoArray(c, cIdx, cols);
        c6.add(FloatVector.fromArray(S, c, cIdx += ldc, cols)).intoArray(c, cIdx, cols);
        c7.add(FloatVector.fromArray(S, c, cIdx += ldc, cols)).intoArray(c, cIdx, cols);
    }

    /** As {@link #kernelStore} for a strip of one vector of columns. */
    private static void halfStore(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                  int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            bIdx += ldb;
            c0 = FloatVector.broadcast(S, ap[aIdx]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[aIdx + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[aIdx + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[aIdx + 3]).fma(b0, c3);
            aIdx += MR;
        }
        c0.intoArray(c, cIdx);
        c1.intoArray(c, cIdx + ldc);
        c2.intoArray(c, cIdx + 2 * ldc);
        c3.intoArray(c, cIdx + 3 * ldc);
    }

    /**
     * As {@link #halfStore} for the last nt &lt; L columns, read from B with a masked load (lanes past nt are 0). Its
     * own method rather than a mask argument of halfStore, which runs on every width: on AVX2 a masked load in that
     * loop would be compiled to the boxing fallback ({@link #MASKED_TAILS}).
     */
    private static void halfStoreMasked(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, int nt, float[] c,
                                        int cIdx, int ldc) {
        VectorMask<Float> cols = S.indexInRange(0, nt);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = tailLoad(b, bIdx, nt, cols);
            bIdx += ldb;
            c0 = FloatVector.broadcast(S, ap[aIdx]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[aIdx + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[aIdx + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[aIdx + 3]).fma(b0, c3);
            aIdx += MR;
        }
        c0.intoArray(c, cIdx);
        c1.intoArray(c, cIdx + ldc);
        c2.intoArray(c, cIdx + 2 * ldc);
        c3.intoArray(c, cIdx + 3 * ldc);
    }

    /** C tile = the product of an MR-row panel of packed A and NR columns of B read in place (row stride ldb). */
    private static void kernelStore(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                    int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + L);
            bIdx += ldb;
            FloatVector a0 = FloatVector.broadcast(S, ap[aIdx]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            aIdx += MR;
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
    }

    /** As {@link #kernelStore}, adding the product to C (beta = 1: gradients accumulate). */
    private static void kernelAdd(int kc, float[] ap, int aIdx, float[] b, int bIdx, int ldb, float[] c, int cIdx,
                                  int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, b, bIdx + L);
            bIdx += ldb;
            FloatVector a0 = FloatVector.broadcast(S, ap[aIdx]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            aIdx += MR;
        }
        c00.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
        c01.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
        c10.add(FloatVector.fromArray(S, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
        c11.add(FloatVector.fromArray(S, c, cIdx + ldc + L)).intoArray(c, cIdx + ldc + L);
        c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
        c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + L)).intoArray(c, cIdx + 2 * ldc + L);
        c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
        c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + L)).intoArray(c, cIdx + 3 * ldc + L);
    }

    // ---- C = A·Bᵀ as dot products: the weight gradient dY·Xᵀ -----------------------------------------------------------

    /**
     * C = alpha A Bᵀ + beta C with A (m x k) and B (n x k) both row-major: every C[i][j] is a dot product of two
     * contiguous rows, so in the batch-major layout the weight gradient dW = dY·Xᵀ reduces along the batch without
     * transposing anything. A 4 x 2 block of dot products runs in 8 vector accumulators over k, the k mod L tail as one
     * more vector from zero-padded copies of the rows' tails; the 8 accumulators are then reduced together by a tree
     * of vector adds ({@link #treeSums}). Every operation is a lanewise IEEE operation in a fixed order, so the sums
     * are the same whether C2 compiled the code or not (unlike {@code reduceLanes}, whose order is unspecified).
     */
    private static void dotProducts(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                                    int ldb, float beta, float[] c, int cOff, int ldc) {
        float[] acc = BUFFERS.get()[3];
        int kv = k - k % L;
        float[] ta = null, tb = null;
        int kTail = MASKED_TAILS ? k - kv : 0;
        if (kv < k && !MASKED_TAILS) {
            ta = tails(TAIL_A, m, k, kv, a, aOff, lda);
            tb = tails(TAIL_B, n, k, kv, b, bOff, ldb);
        }
        for (int i = 0; i < m; i += MR) {
            int mr = Math.min(MR, m - i);
            // Rows past the edge repeat the last row; their sums are computed and dropped.
            int r1 = i + Math.min(1, mr - 1), r2 = i + Math.min(2, mr - 1), r3 = i + mr - 1;
            for (int j = 0; j < n; j += 2) {
                int nr = Math.min(2, n - j), j1 = j + nr - 1;
                dotTile(kv, kTail, a, aOff + i * lda, aOff + r1 * lda, aOff + r2 * lda, aOff + r3 * lda, b,
                        bOff + j * ldb, bOff + j1 * ldb, acc);
                if (ta != null) {
                    tailStep(ta, i * L, r1 * L, r2 * L, r3 * L, tb, j * L, j1 * L, acc);
                }
                treeSums(acc);
                for (int r = 0; r < mr; r++) {
                    for (int q = 0; q < nr; q++) {
                        float s = acc[8 * L + SUM_LANE[r * 2 + q]];
                        int ci = cOff + (i + r) * ldc + j + q;
                        c[ci] = beta == 0f ? alpha * s : Math.fma(beta, c[ci], alpha * s);
                    }
                }
            }
        }
    }

    private static final ThreadLocal<float[][]> TAIL_A = ThreadLocal.withInitial(() -> new float[][] {new float[0]});
    private static final ThreadLocal<float[][]> TAIL_B = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /** Row r's elements kv..k−1 at [r L, r L + k − kv), zeros after them: one zero-padded vector per row. */
    private static float[] tails(ThreadLocal<float[][]> holder, int rows, int k, int kv, float[] x, int off, int ld) {
        float[][] h = holder.get();
        if (h[0].length < rows * L) h[0] = new float[rows * L];
        padRows(x, off, ld, rows, kv, k - kv, h[0]);
        return h[0];
    }

    /**
     * dst[r L, r L + width) = x's row r, columns col .. col + width − 1 (row stride ld), and zeros to (r + 1) L: a
     * band narrower than a vector as one zero-padded vector per row (width &lt; L).
     */
    private static void padRows(float[] x, int off, int ld, int rows, int col, int width, float[] dst) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, off + r * ld + col, dst, r * L, width);
            java.util.Arrays.fill(dst, r * L + width, (r + 1) * L, 0f);
        }
    }

    /**
     * acc[(r*2 + q)*L + l] = lane l of Σ over vectors of the first kv elements of rows a_r and b_q, then, where
     * kTail &gt; 0 (masked tails), one more FMA of the next kTail elements read with masked loads: the same sums as
     * {@link #tailStep}'s zero-padded copies, without the copies and the round trip of the accumulators through acc.
     */
    private static void dotTile(int kv, int kTail, float[] a, int a0, int a1, int a2, int a3, float[] b, int b0,
                                int b1, float[] acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kv; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector x1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y = FloatVector.fromArray(S, a, a0 + p);
            c00 = y.fma(x0, c00);
            c01 = y.fma(x1, c01);
            y = FloatVector.fromArray(S, a, a1 + p);
            c10 = y.fma(x0, c10);
            c11 = y.fma(x1, c11);
            y = FloatVector.fromArray(S, a, a2 + p);
            c20 = y.fma(x0, c20);
            c21 = y.fma(x1, c21);
            y = FloatVector.fromArray(S, a, a3 + p);
            c30 = y.fma(x0, c30);
            c31 = y.fma(x1, c31);
        }
        if (kTail > 0 && kv > 0) {
            // The tail as the whole vector that ends at the row's end, its top kTail lanes slid down and zeros above:
            // the masked load's vector, but in range on the arrays' last rows, where a masked load past the end takes
            // the lane-by-lane bounds check, which allocated in some runs (SimdAllocationTest, 50 x 50 x 300 Bᵀ).
            int sh = L - kTail, e = kv - sh;
            FloatVector x0 = FloatVector.fromArray(S, b, b0 + e).slice(sh);
            FloatVector x1 = FloatVector.fromArray(S, b, b1 + e).slice(sh);
            FloatVector y = FloatVector.fromArray(S, a, a0 + e).slice(sh);
            c00 = y.fma(x0, c00);
            c01 = y.fma(x1, c01);
            y = FloatVector.fromArray(S, a, a1 + e).slice(sh);
            c10 = y.fma(x0, c10);
            c11 = y.fma(x1, c11);
            y = FloatVector.fromArray(S, a, a2 + e).slice(sh);
            c20 = y.fma(x0, c20);
            c21 = y.fma(x1, c21);
            y = FloatVector.fromArray(S, a, a3 + e).slice(sh);
            c30 = y.fma(x0, c30);
            c31 = y.fma(x1, c31);
        } else if (kTail > 0) {
            VectorMask<Float> t = S.indexInRange(0, kTail);
            FloatVector x0 = FloatVector.fromArray(S, b, b0 + kv, t);
            FloatVector x1 = FloatVector.fromArray(S, b, b1 + kv, t);
            FloatVector y = FloatVector.fromArray(S, a, a0 + kv, t);
            c00 = y.fma(x0, c00);
            c01 = y.fma(x1, c01);
            y = FloatVector.fromArray(S, a, a1 + kv, t);
            c10 = y.fma(x0, c10);
            c11 = y.fma(x1, c11);
            y = FloatVector.fromArray(S, a, a2 + kv, t);
            c20 = y.fma(x0, c20);
            c21 = y.fma(x1, c21);
            y = FloatVector.fromArray(S, a, a3 + kv, t);
            c30 = y.fma(x0, c30);
            c31 = y.fma(x1, c31);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, 2 * L);
        c11.intoArray(acc, 3 * L);
        c20.intoArray(acc, 4 * L);
        c21.intoArray(acc, 5 * L);
        c30.intoArray(acc, 6 * L);
        c31.intoArray(acc, 7 * L);
    }

    /** The k mod L tail as one more FMA into the 8 accumulators in acc, from the zero-padded tail rows. */
    private static void tailStep(float[] ta, int a0, int a1, int a2, int a3, float[] tb, int b0, int b1, float[] acc) {
        FloatVector x0 = FloatVector.fromArray(S, tb, b0);
        FloatVector x1 = FloatVector.fromArray(S, tb, b1);
        FloatVector y = FloatVector.fromArray(S, ta, a0);
        y.fma(x0, FloatVector.fromArray(S, acc, 0)).intoArray(acc, 0);
        y.fma(x1, FloatVector.fromArray(S, acc, L)).intoArray(acc, L);
        y = FloatVector.fromArray(S, ta, a1);
        y.fma(x0, FloatVector.fromArray(S, acc, 2 * L)).intoArray(acc, 2 * L);
        y.fma(x1, FloatVector.fromArray(S, acc, 3 * L)).intoArray(acc, 3 * L);
        y = FloatVector.fromArray(S, ta, a2);
        y.fma(x0, FloatVector.fromArray(S, acc, 4 * L)).intoArray(acc, 4 * L);
        y.fma(x1, FloatVector.fromArray(S, acc, 5 * L)).intoArray(acc, 5 * L);
        y = FloatVector.fromArray(S, ta, a3);
        y.fma(x0, FloatVector.fromArray(S, acc, 6 * L)).intoArray(acc, 6 * L);
        y.fma(x1, FloatVector.fromArray(S, acc, 7 * L)).intoArray(acc, 7 * L);
    }

    // The reduction tree: pair(u, v, h) keeps, in each block of h lanes, u's lanes where the block index is even and
    // v's where it is odd, each added to its partner h lanes away, so one vector carries half-sums of two. Levels at
    // h = L/2, L/4, ... fold the 8 accumulators into one vector (two for L = 4); at L = 16 one more self-fold finishes.
    private static final VectorMask<Float> ODD_8 = VectorMask.fromArray(S, oddBlocks(8), 0),
            ODD_4 = VectorMask.fromArray(S, oddBlocks(4), 0), ODD_2 = VectorMask.fromArray(S, oddBlocks(2), 0),
            ODD_1 = VectorMask.fromArray(S, oddBlocks(1), 0);
    private static final VectorShuffle<Float> SWAP_8 = VectorShuffle.fromArray(S, swap(8), 0),
            SWAP_4 = VectorShuffle.fromArray(S, swap(4), 0), SWAP_2 = VectorShuffle.fromArray(S, swap(2), 0),
            SWAP_1 = VectorShuffle.fromArray(S, swap(1), 0);

    /** Where the sum of accumulator t (= r·2 + q) is after {@link #treeSums}: acc[8L + SUM_LANE[t]]. */
    private static final int[] SUM_LANE = sumLanes();

    /** Lanes whose block of h lanes has an odd index (none where h ≥ L). */
    private static boolean[] oddBlocks(int h) {
        boolean[] m = new boolean[L];
        for (int l = 0; l < L; l++) m[l] = h < L && (l / h) % 2 == 1;
        return m;
    }

    /** Lane l takes lane l xor h (the identity where h ≥ L). */
    private static int[] swap(int h) {
        int[] idx = new int[L];
        for (int l = 0; l < L; l++) idx[l] = h < L ? l ^ h : l;
        return idx;
    }

    private static FloatVector pair(FloatVector u, FloatVector v, VectorMask<Float> odd, VectorShuffle<Float> swap) {
        return u.blend(v, odd).add(v.blend(u, odd).rearrange(swap));
    }

    /**
     * Folds the 8 accumulators acc[tL, (t+1)L) into their 8 sums at acc[8L + SUM_LANE[t]]. Supports L = 4, 8, 16
     * (SimdConfig's widths).
     */
    private static void treeSums(float[] acc) {
        VectorMask<Float> m1 = L == 16 ? ODD_8 : L == 8 ? ODD_4 : ODD_2;
        VectorShuffle<Float> s1 = L == 16 ? SWAP_8 : L == 8 ? SWAP_4 : SWAP_2;
        VectorMask<Float> m2 = L == 16 ? ODD_4 : L == 8 ? ODD_2 : ODD_1;
        VectorShuffle<Float> s2 = L == 16 ? SWAP_4 : L == 8 ? SWAP_2 : SWAP_1;
        FloatVector x0 = pair(FloatVector.fromArray(S, acc, 0), FloatVector.fromArray(S, acc, L), m1, s1);
        FloatVector x1 = pair(FloatVector.fromArray(S, acc, 2 * L), FloatVector.fromArray(S, acc, 3 * L), m1, s1);
        FloatVector x2 = pair(FloatVector.fromArray(S, acc, 4 * L), FloatVector.fromArray(S, acc, 5 * L), m1, s1);
        FloatVector x3 = pair(FloatVector.fromArray(S, acc, 6 * L), FloatVector.fromArray(S, acc, 7 * L), m1, s1);
        FloatVector y0 = pair(x0, x1, m2, s2);
        FloatVector y1 = pair(x2, x3, m2, s2);
        if (L == 4) {
            y0.intoArray(acc, 8 * L);
            y1.intoArray(acc, 9 * L);
            return;
        }
        FloatVector z = pair(y0, y1, L == 16 ? ODD_2 : ODD_1, L == 16 ? SWAP_2 : SWAP_1);
        if (L == 16) z = z.add(z.rearrange(SWAP_1));
        z.intoArray(acc, 8 * L);
    }

    /** The lane model of {@link #treeSums}: which accumulator each output lane holds (the first lane per sum). */
    private static int[] sumLanes() {
        int[][] v = new int[8][L];
        for (int t = 0; t < 8; t++) java.util.Arrays.fill(v[t], t);
        int count = 8, h = L / 2, levels = L == 4 ? 2 : 3;
        for (int level = 0; level < levels; level++, h /= 2) {
            for (int p = 0; p < count / 2; p++) {
                int[] out = new int[L];
                for (int l = 0; l < L; l++) out[l] = (l / h) % 2 == 1 ? v[2 * p + 1][l] : v[2 * p][l];
                v[p] = out;
            }
            count /= 2;
        }
        int[] lane = new int[8];
        java.util.Arrays.fill(lane, -1);
        for (int vec = 0; vec < count; vec++) {
            for (int l = 0; l < L; l++) {
                if (lane[v[vec][l]] < 0) lane[v[vec][l]] = vec * L + l;
            }
        }
        return lane;
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }

    /** C[i0:i1, j0:j1] for the full k, on the calling thread. */
    private static void block(int i0, int i1, int j0, int j1, int k, float alpha, Operand a, float[] b, int bOff,
                              int ldb, boolean transB, float beta, float[] c, int cOff, int ldc) {
        float[][] bufs = BUFFERS.get();
        float[] bp = bufs[0], ap = bufs[1], tile = bufs[2];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff, ldb, transB, pc, kc, jc, nc, bp);
                boolean first = pc == 0;
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(a, alpha, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bIdx = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            kernel(kc, ap, ir * kc, bp, bIdx, tile);
                            merge(tile, c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr, first ? beta : 1f);
                        }
                    }
                }
            }
        }
    }

    /** op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns, each kc x NR row-major, zero-padded on the right. */
    private static void packB(float[] b, int bOff, int ldb, boolean transB, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = jr * kc;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    if (nr == NR) {
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                    } else {
                        System.arraycopy(b, src, bp, dst, nr);
                        for (int j = nr; j < NR; j++) bp[dst + j] = 0f;
                    }
                    dst += NR;
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    if (j < nr) {
                        int src = bOff + (jc + jr + j) * ldb + pc;
                        for (int p = 0; p < kc; p++) bp[dst + p * NR + j] = b[src + p];
                    } else {
                        for (int p = 0; p < kc; p++) bp[dst + p * NR + j] = 0f;
                    }
                }
            }
        }
    }

    /** alpha * op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows, each stored kc x MR, zero-padded below. */
    private static void packA(Operand a, float alpha, int ic, int mc, int pc, int kc, float[] ap) {
        float[] src = a.a(), mask = a.mask();
        int ld = a.ld();
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (VECTOR_PACK && a.trans() && ir + L <= mc) {
                // L rows of op(A) (4 panels) at once: each is one vector of a row of A.
                int s = a.off() + pc * a.ld() + ic + ir;
                packPanelsTransposed(src, s, mask, s - a.off() + a.maskOff(), ld, alpha, kc, ap, dst);
                ir += L - MR;
                continue;
            }
            if (mr == MR) {
                packPanel(a, alpha, ic + ir, pc, kc, ap, dst);
                continue;
            }
            java.util.Arrays.fill(ap, dst, dst + kc * MR, 0f);
            for (int r = 0; r < mr; r++) {
                int i = ic + ir + r;
                // Element (i, p) of op(A) sits at off + i*ld + p, or off + p*ld + i when A is stored transposed.
                int base = a.off() + (a.trans() ? i + pc * ld : i * ld + pc);
                int step = a.trans() ? ld : 1;
                int mBase = base - a.off() + a.maskOff();
                if (mask == null) {
                    for (int p = 0; p < kc; p++) ap[dst + p * MR + r] = alpha * src[base + p * step];
                } else {
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * MR + r] = alpha * src[base + p * step] * mask[mBase + p * step];
                    }
                }
            }
        }
    }

    /**
     * Whether {@link #packPanel} packs an A stored by rows with vector instructions (512 bits, where C2 compiles the
     * two-table permutations it needs): the scalar loops took 2.0–2.5 µs of a 12 µs 50 x 50 x 200 forward product,
     * 1 ns per element. The products are the same, so the packed panels are the same bits. A transposed A keeps the
     * scalar loop: its 4 values per p would want 4-lane vectors, and a second vector shape in the process pollutes
     * the type profiles inside the Vector API's shared methods (intoArray's call of length() saw Float128Vector, C2
     * speculated on it and the 512-bit stores of other kernels fell back to boxing: SimdAllocationTest, session 20).
     */
    static final boolean VECTOR_PACK = S.vectorBitSize() == 512;
    /** Permutations of {@link #packPanelRows}: two rows interleaved (low and high halves), then pairs of pairs. */
    private static final VectorShuffle<Float> PAIR_LO = twoTable(interleave(1, 0)),
            PAIR_HI = twoTable(interleave(1, L / 2)),
            QUAD_LO = twoTable(interleave(2, 0)),
            QUAD_HI = twoTable(interleave(2, L / 2));

    /**
     * One 16 x 16 block of {@link #transpose} on 16 lanes: rows src + r·ldb (r &lt; 16, 16 values each) to t[dst +
     * p·NR] (p &lt; 16), lane r of row p being value p of row r. A butterfly of four rounds of two-table permutations
     * ({@link #butterfly}): rounds 1 and 2 pair rows within each group of four, so they run group by group and park
     * their results in buf; rounds 3 and 4 pair rows c, c + 4, c + 8 and c + 12, and run per c. No more than about a
     * dozen vectors are live at once: the whole block in registers (32 live vectors) spilled (session 24). On an AMD
     * EPYC (Zen 5) the 50 x 200 transpose took 2.7–2.9 µs with selectFrom's permutations against 3.1 by gathers alone
     * ("Session 30"), and takes 1.9 with rearrange's ({@link #twoTable}, "Session 31" in docs/ARCHITECTURE.md).
     */
    private static void transpose16(float[] b, int src, int ldb, float[] buf, float[] t, int dst) {
        for (int q = 0; q < 16; q += 4) {
            int r = src + q * ldb;
            FloatVector a0 = FloatVector.fromArray(S, b, r), a1 = FloatVector.fromArray(S, b, r + ldb);
            FloatVector a2 = FloatVector.fromArray(S, b, r + 2 * ldb), a3 = FloatVector.fromArray(S, b, r + 3 * ldb);
            FloatVector b0 = a0.rearrange(BF1_LO, a1), b1 = a0.rearrange(BF1_HI, a1);
            FloatVector b2 = a2.rearrange(BF1_LO, a3), b3 = a2.rearrange(BF1_HI, a3);
            b0.rearrange(BF2_LO, b2).intoArray(buf, q * 16);
            b1.rearrange(BF2_LO, b3).intoArray(buf, (q + 1) * 16);
            b0.rearrange(BF2_HI, b2).intoArray(buf, (q + 2) * 16);
            b1.rearrange(BF2_HI, b3).intoArray(buf, (q + 3) * 16);
        }
        for (int c = 0; c < 4; c++) {
            FloatVector v0 = FloatVector.fromArray(S, buf, c * 16), v4 = FloatVector.fromArray(S, buf, (c + 4) * 16);
            FloatVector v8 = FloatVector.fromArray(S, buf, (c + 8) * 16);
            FloatVector v12 = FloatVector.fromArray(S, buf, (c + 12) * 16);
            FloatVector w0 = v0.rearrange(BF4_LO, v4), w4 = v0.rearrange(BF4_HI, v4);
            FloatVector w8 = v8.rearrange(BF4_LO, v12), w12 = v8.rearrange(BF4_HI, v12);
            w0.rearrange(BF8_LO, w8).intoArray(t, dst + c * NR);
            w4.rearrange(BF8_LO, w12).intoArray(t, dst + (c + 4) * NR);
            w0.rearrange(BF8_HI, w8).intoArray(t, dst + (c + 8) * NR);
            w4.rearrange(BF8_HI, w12).intoArray(t, dst + (c + 12) * NR);
        }
    }

    /**
     * The round of the butterfly transpose that pairs rows i and i + g (i with bit g clear): row i takes, lane by
     * lane, its own value where lane l has bit g clear and row i + g's value from lane l − g where it is set (LO); row
     * i + g takes row i's value from lane l + g where bit g is clear and its own where set (HI). After the rounds g =
     * 1, 2, 4, 8 row p holds column p. Indexes below L pick from the first table, from L up from the second.
     */
    private static int[] butterfly(int g, boolean hi) {
        int[] idx = new int[L];
        for (int l = 0; l < L; l++) {
            boolean set = (l & g) != 0;
            idx[l] = hi ? (set ? L + l : l + g) : (set ? L + l - g : l);
        }
        return idx;
    }

    private static final VectorShuffle<Float> BF1_LO = twoTable(butterfly(1, false)),
            BF1_HI = twoTable(butterfly(1, true)),
            BF2_LO = twoTable(butterfly(2, false)),
            BF2_HI = twoTable(butterfly(2, true)),
            BF4_LO = twoTable(butterfly(Math.min(4, L / 2), false)),
            BF4_HI = twoTable(butterfly(Math.min(4, L / 2), true)),
            BF8_LO = twoTable(butterfly(Math.min(8, L / 2), false)),
            BF8_HI = twoTable(butterfly(Math.min(8, L / 2), true));

    /**
     * A two-table permutation as a shuffle: index i &lt; L takes lane i of the vector rearranged, index L + i lane i of
     * the other ({@code a.rearrange(shuffle, b)}). The same permutation as a float index vector's {@code
     * selectFrom(a, b)}, which JDK 25 compiles to more work: the 16 x 16 transpose of 48 x 192 values took 2.41 µs
     * with selectFrom and 1.25 with rearrange, the same values (docs/ARCHITECTURE.md, "Session 31").
     */
    private static VectorShuffle<Float> twoTable(int[] idx) {
        return VectorShuffle.fromArray(S, idx, 0);
    }

    /** Lane l takes element (l / 2g)·g + l mod g + base of the first table (l / g even) or of the second (odd). */
    private static int[] interleave(int g, int base) {
        int[] idx = new int[L];
        for (int l = 0; l < L; l++) {
            int e = (l / (2 * g)) * g + l % g + base;
            idx[l] = (l / g) % 2 == 0 ? e : L + e;
        }
        return idx;
    }

    /**
     * packPanel of an A stored by rows: L values of each of the 4 rows, then a 4 x L to L x 4 transpose by two rounds
     * of two-table permutations (rows 0 and 1 interleaved, 2 and 3, then the pairs); the last kc mod L by scalars.
     */
    private static void packPanelRows(float[] src, int s0, float[] mask, int m0, int ld, float alpha, int kc,
                                      float[] ap, int dst) {
        int s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld;
        int p = 0;
        for (; p <= kc - L; p += L, dst += MR * L) {
            FloatVector r0 = FloatVector.fromArray(S, src, s0 + p).mul(alpha);
            FloatVector r1 = FloatVector.fromArray(S, src, s1 + p).mul(alpha);
            FloatVector r2 = FloatVector.fromArray(S, src, s2 + p).mul(alpha);
            FloatVector r3 = FloatVector.fromArray(S, src, s3 + p).mul(alpha);
            if (mask != null) {
                r0 = r0.mul(FloatVector.fromArray(S, mask, m0 + p));
                r1 = r1.mul(FloatVector.fromArray(S, mask, m1 + p));
                r2 = r2.mul(FloatVector.fromArray(S, mask, m2 + p));
                r3 = r3.mul(FloatVector.fromArray(S, mask, m3 + p));
            }
            FloatVector t0 = r0.rearrange(PAIR_LO, r1), t1 = r0.rearrange(PAIR_HI, r1);
            FloatVector t2 = r2.rearrange(PAIR_LO, r3), t3 = r2.rearrange(PAIR_HI, r3);
            t0.rearrange(QUAD_LO, t2).intoArray(ap, dst);
            t0.rearrange(QUAD_HI, t2).intoArray(ap, dst + L);
            t1.rearrange(QUAD_LO, t3).intoArray(ap, dst + 2 * L);
            t1.rearrange(QUAD_HI, t3).intoArray(ap, dst + 3 * L);
        }
        for (; p < kc; p++, dst += MR) {
            if (mask == null) {
                ap[dst] = alpha * src[s0 + p];
                ap[dst + 1] = alpha * src[s1 + p];
                ap[dst + 2] = alpha * src[s2 + p];
                ap[dst + 3] = alpha * src[s3 + p];
            } else {
                ap[dst] = alpha * src[s0 + p] * mask[m0 + p];
                ap[dst + 1] = alpha * src[s1 + p] * mask[m1 + p];
                ap[dst + 2] = alpha * src[s2 + p] * mask[m2 + p];
                ap[dst + 3] = alpha * src[s3 + p] * mask[m3 + p];
            }
        }
    }

    /** Permutations of {@link #packPanelsTransposed}: groups of 4 lanes of two vectors interleaved, then of 8. */
    private static final VectorShuffle<Float> QUADS_LO = twoTable(interleave(4, 0)),
            QUADS_HI = twoTable(interleave(4, L / 2)),
            OCTS_LO = twoTable(interleave(8, 0)),
            OCTS_HI = twoTable(interleave(8, L / 2));

    /**
     * Four panels of a transposed A (rows i..i+15 of op(A) = 16 consecutive values of each row of A, 512 bits only):
     * the rows p..p+3 of A as 4 vectors, whose lanes 4q..4q+3 belong to panel q, then a transpose of their 4 x 4
     * blocks of 4 lanes by two rounds of two-table permutations, so that panel q's 16 values of p..p+3 are one
     * contiguous store. The scalar loop it replaces moved 4 floats per p per panel (1.2 µs for a 50 x 50 input
     * gradient's A). Each value is alpha · a (· mask) as there; the last kc mod 4 values of p by that loop.
     */
    private static void packPanelsTransposed(float[] src, int s, float[] mask, int ms, int ld, float alpha, int kc,
                                             float[] ap, int dst) {
        int p = 0;
        for (; p <= kc - 4; p += 4, s += 4 * ld, ms += 4 * ld) {
            FloatVector v0 = FloatVector.fromArray(S, src, s).mul(alpha);
            FloatVector v1 = FloatVector.fromArray(S, src, s + ld).mul(alpha);
            FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * ld).mul(alpha);
            FloatVector v3 = FloatVector.fromArray(S, src, s + 3 * ld).mul(alpha);
            if (mask != null) {
                v0 = v0.mul(FloatVector.fromArray(S, mask, ms));
                v1 = v1.mul(FloatVector.fromArray(S, mask, ms + ld));
                v2 = v2.mul(FloatVector.fromArray(S, mask, ms + 2 * ld));
                v3 = v3.mul(FloatVector.fromArray(S, mask, ms + 3 * ld));
            }
            FloatVector t0 = v0.rearrange(QUADS_LO, v1), t1 = v0.rearrange(QUADS_HI, v1);
            FloatVector t2 = v2.rearrange(QUADS_LO, v3), t3 = v2.rearrange(QUADS_HI, v3);
            int d = dst + MR * p;
            t0.rearrange(OCTS_LO, t2).intoArray(ap, d);
            t0.rearrange(OCTS_HI, t2).intoArray(ap, d + MR * kc);
            t1.rearrange(OCTS_LO, t3).intoArray(ap, d + 2 * MR * kc);
            t1.rearrange(OCTS_HI, t3).intoArray(ap, d + 3 * MR * kc);
        }
        for (; p < kc; p++, s += ld, ms += ld) {
            for (int q = 0; q < L; q++) {
                float v = alpha * src[s + q];
                ap[dst + (q / MR) * MR * kc + MR * p + q % MR] = mask == null ? v : v * mask[ms + q];
            }
        }
    }

    /**
     * One full panel of {@link #packA}: rows i0..i0+MR-1 of alpha * op(A) (⊙ mask), written in storage order (p outer,
     * the MR rows inner) so the stores are contiguous; for a transposed A the MR values of one p are contiguous in A
     * too. Every element is the same product as in packA's general loop, alpha * a (* mask).
     */
    private static void packPanel(Operand a, float alpha, int i0, int pc, int kc, float[] ap, int dst) {
        float[] src = a.a(), mask = a.mask();
        int ld = a.ld();
        if (VECTOR_PACK && !a.trans()) {
            packPanelRows(src, a.off() + i0 * ld + pc, mask, a.maskOff() + i0 * ld + pc, ld, alpha, kc, ap, dst);
            return;
        }
        if (a.trans()) {
            int s = a.off() + pc * ld + i0, ms = a.maskOff() + pc * ld + i0;
            if (mask == null) {
                for (int p = 0; p < kc; p++, s += ld, dst += MR) {
                    ap[dst] = alpha * src[s];
                    ap[dst + 1] = alpha * src[s + 1];
                    ap[dst + 2] = alpha * src[s + 2];
                    ap[dst + 3] = alpha * src[s + 3];
                }
            } else {
                for (int p = 0; p < kc; p++, s += ld, ms += ld, dst += MR) {
                    ap[dst] = alpha * src[s] * mask[ms];
                    ap[dst + 1] = alpha * src[s + 1] * mask[ms + 1];
                    ap[dst + 2] = alpha * src[s + 2] * mask[ms + 2];
                    ap[dst + 3] = alpha * src[s + 3] * mask[ms + 3];
                }
            }
        } else {
            int s0 = a.off() + i0 * ld + pc, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
            if (mask == null) {
                for (int p = 0; p < kc; p++, dst += MR) {
                    ap[dst] = alpha * src[s0 + p];
                    ap[dst + 1] = alpha * src[s1 + p];
                    ap[dst + 2] = alpha * src[s2 + p];
                    ap[dst + 3] = alpha * src[s3 + p];
                }
            } else {
                int m0 = s0 - a.off() + a.maskOff(), m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld;
                for (int p = 0; p < kc; p++, dst += MR) {
                    ap[dst] = alpha * src[s0 + p] * mask[m0 + p];
                    ap[dst + 1] = alpha * src[s1 + p] * mask[m1 + p];
                    ap[dst + 2] = alpha * src[s2 + p] * mask[m2 + p];
                    ap[dst + 3] = alpha * src[s3 + p] * mask[m3 + p];
                }
            }
        }
    }

    /**
     * The register tile: tile[0:MR, 0:NR] = the product of a kc-deep pair of panels. It writes to a scratch tile
     * rather than to C so that this method stays small enough for C2 to inline every vector operation (a kernel
     * that also handled beta and edge masks exceeded C2's inlining budget and its vectors were boxed).
     */
    private static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector a0 = FloatVector.broadcast(S, ap[aIdx]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            aIdx += MR;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /** C[0:mr, 0:nr] = tile + beta * C (beta = 0 ignores C, even NaN); a last partial vector element by element. */
    private static void merge(float[] tile, float[] c, int cIdx, int ldc, int mr, int nr, float beta) {
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc;
            for (int j = 0; j < nr; j += L) {
                FloatVector t = FloatVector.fromArray(S, tile, r * NR + j);
                if (j + L <= nr) {
                    if (beta != 0f) t = FloatVector.fromArray(S, c, row + j).fma(FloatVector.broadcast(S, beta), t);
                    t.intoArray(c, row + j);
                } else {
                    // The last nr mod L columns one by one, with the vector branch's operations (c·beta + t in one
                    // rounding): a masked store near the end of C takes the Vector API's lane-by-lane bounds check.
                    for (int q = j; q < nr; q++) {
                        float tv = tile[r * NR + q];
                        c[row + q] = beta != 0f ? Math.fma(c[row + q], beta, tv) : tv;
                    }
                }
            }
        }
    }
}
