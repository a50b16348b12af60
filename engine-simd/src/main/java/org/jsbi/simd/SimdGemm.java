package org.jsbi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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

    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 20;

    /** The dot-product path of C = A·Bᵀ needs C small (it rereads A and B once per tile) and k not too long. */
    private static final int DOT_MAX_C = 1 << 16;
    private static final int DOT_MAX_K = 4096;

    private static final ThreadLocal<float[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new float[][] {new float[KC * NC], new float[MC * KC], new float[MR * NR],
                    new float[2 * MR * L + 2 * MR]});

    private SimdGemm() {
    }

    /** Where op(A)'s elements come from; mask may be null. */
    record Operand(float[] a, int off, int ld, boolean trans, float[] mask, int maskOff) {
    }

    static void gemm(int m, int n, int k, float alpha, Operand a, float[] b, int bOff, int ldb, boolean transB,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        long fmas = (long) m * n * k;
        if (fmas < PARALLEL_MIN_FMAS || Parallel.threads() == 1) {
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
        }
        int tilesN = (n + NR - 1) / NR, tilesM = (m + MR - 1) / MR;
        if (fmas < PARALLEL_MIN_FMAS || Parallel.threads() == 1) {
            block(0, m, 0, n, k, alpha, a, b, bOff, ldb, transB, beta, c, cOff, ldc);
        } else if (tilesN >= tilesM) {
            Parallel.forRange(tilesN, 1, 1, (t0, t1) -> block(0, m, t0 * NR, Math.min(n, t1 * NR), k, alpha, a,
                    b, bOff, ldb, transB, beta, c, cOff, ldc));
        } else {
            Parallel.forRange(tilesM, 1, 1, (t0, t1) -> block(t0 * MR, Math.min(m, t1 * MR), 0, n, k, alpha, a,
                    b, bOff, ldb, transB, beta, c, cOff, ldc));
        }
    }

    // ---- small products: B read in place ---------------------------------------------------------------------------

    /**
     * C = alpha op(A) B + beta C for k ≤ KC and m ≤ MC, B not transposed: the shapes of a layer's forward pass and
     * input gradient at training batch sizes (W of 50 x 50, B of 50 x 200). op(A) is packed once (it is small: the
     * transpose, alpha and the MADE mask are applied there); B is read in place, row p of a tile being 2 vectors of
     * contiguous columns, so B needs no packing; full tiles are written straight to C when beta is 0 or 1. The last
     * n mod NR columns go through the packed path.
     */
    private static void direct(int m, int n, int k, float alpha, Operand a, float[] b, int bOff, int ldb, float beta,
                               float[] c, int cOff, int ldc) {
        float[][] bufs = BUFFERS.get();
        float[] ap = bufs[1], tile = bufs[2];
        packA(a, alpha, 0, m, 0, k, ap);
        int nFull = n - n % NR;
        // Column strips outer, row panels inner: a strip of B (k x NR, 3.2 KB at k = 50) then stays in L1 for every
        // panel of packed A (also L1-sized here), where rows outer streamed all of B (40 KB at n = 200) from L2 once
        // per panel. Each tile's arithmetic is the same either way.
        for (int j = 0; j < nFull; j += NR) {
            for (int ir = 0; ir < m; ir += MR) {
                int mr = Math.min(MR, m - ir);
                int cIdx = cOff + ir * ldc + j;
                if (mr == MR && beta == 0f) {
                    kernelStore(k, ap, ir * k, b, bOff + j, ldb, c, cIdx, ldc);
                } else if (mr == MR && beta == 1f) {
                    kernelAdd(k, ap, ir * k, b, bOff + j, ldb, c, cIdx, ldc);
                } else {
                    kernelStore(k, ap, ir * k, b, bOff + j, ldb, tile, 0, NR);   // edge rows, general beta: via the tile
                    merge(tile, c, cIdx, ldc, mr, NR, beta);
                }
            }
        }
        // A last strip one vector wide (n = 200: columns 192..199) in place too, rather than padded to NR in the
        // packed path; the same sums in the same order per element.
        int nHalf = nFull;
        if (n - nFull >= L) {
            for (int ir = 0; ir < m; ir += MR) {
                int mr = Math.min(MR, m - ir);
                int cIdx = cOff + ir * ldc + nFull;
                if (mr == MR && beta == 0f) {
                    halfStore(k, ap, ir * k, b, bOff + nFull, ldb, c, cIdx, ldc);
                } else {
                    // One strip in n/NR: the tile's round trip costs little here (merge's c + t is kernelAdd's sum).
                    halfStore(k, ap, ir * k, b, bOff + nFull, ldb, tile, 0, NR);   // rows of the tile: stride NR
                    merge(tile, c, cIdx, ldc, mr, L, beta);
                }
            }
            nHalf = nFull + L;
        }
        if (nHalf < n) block(0, m, nHalf, n, k, alpha, a, b, bOff, ldb, false, beta, c, cOff, ldc);
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
     * transposing anything. A 4 x 2 block of dot products runs in 8 vector accumulators over k; each accumulator's
     * lanes are then summed in lane order (deterministic, as {@link SimdMath#laneSum}), the k mod L tail in scalar
     * code after them.
     */
    private static void dotProducts(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                                    int ldb, float beta, float[] c, int cOff, int ldc) {
        float[] acc = BUFFERS.get()[3];
        int kv = k - k % L;
        for (int i = 0; i < m; i += MR) {
            int mr = Math.min(MR, m - i);
            for (int j = 0; j < n; j += 2) {
                int nr = Math.min(2, n - j);
                // Rows past the edge repeat the last row; their sums are computed and dropped.
                int a0 = aOff + i * lda, a1 = aOff + (i + Math.min(1, mr - 1)) * lda;
                int a2 = aOff + (i + Math.min(2, mr - 1)) * lda, a3 = aOff + (i + mr - 1) * lda;
                int b0 = bOff + j * ldb, b1 = bOff + (j + nr - 1) * ldb;
                dotTile(kv, a, a0, a1, a2, a3, b, b0, b1, acc);
                laneSums(acc);
                for (int r = 0; r < mr; r++) {
                    int ar = aOff + (i + r) * lda;
                    for (int q = 0; q < nr; q++) {
                        int br = bOff + (j + q) * ldb;
                        float s = acc[2 * MR * L + r * 2 + q];
                        for (int p = kv; p < k; p++) s = Math.fma(a[ar + p], b[br + p], s);
                        int ci = cOff + (i + r) * ldc + j + q;
                        c[ci] = beta == 0f ? alpha * s : Math.fma(beta, c[ci], alpha * s);
                    }
                }
            }
        }
    }

    /**
     * acc[8L + t] = ((0 + acc[tL]) + acc[tL + 1]) + ... + acc[tL + L − 1] for the 8 accumulators of a tile: each sum in
     * lane order, as before, but the 8 chains interleaved. One sum at a time was a chain of dependent adds (L adds at
     * the add latency each) and took as long as the tile's FMA loop at k = 200 (profile of the weight gradients).
     */
    private static void laneSums(float[] acc) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        for (int l = 0; l < L; l++) {
            s0 += acc[l];
            s1 += acc[L + l];
            s2 += acc[2 * L + l];
            s3 += acc[3 * L + l];
            s4 += acc[4 * L + l];
            s5 += acc[5 * L + l];
            s6 += acc[6 * L + l];
            s7 += acc[7 * L + l];
        }
        acc[8 * L + 0] = s0;
        acc[8 * L + 1] = s1;
        acc[8 * L + 2] = s2;
        acc[8 * L + 3] = s3;
        acc[8 * L + 4] = s4;
        acc[8 * L + 5] = s5;
        acc[8 * L + 6] = s6;
        acc[8 * L + 7] = s7;
    }

    /** acc[(r*2 + q)*L + l] = lane l of Σ over vectors of the first kv elements of rows a_r and b_q. */
    private static void dotTile(int kv, float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1,
                                float[] acc) {
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
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, 2 * L);
        c11.intoArray(acc, 3 * L);
        c20.intoArray(acc, 4 * L);
        c21.intoArray(acc, 5 * L);
        c30.intoArray(acc, 6 * L);
        c31.intoArray(acc, 7 * L);
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
     * One full panel of {@link #packA}: rows i0..i0+MR-1 of alpha * op(A) (⊙ mask), written in storage order (p outer,
     * the MR rows inner) so the stores are contiguous; for a transposed A the MR values of one p are contiguous in A
     * too. Every element is the same product as in packA's general loop, alpha * a (* mask).
     */
    private static void packPanel(Operand a, float alpha, int i0, int pc, int kc, float[] ap, int dst) {
        float[] src = a.a(), mask = a.mask();
        int ld = a.ld();
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

    /** C[0:mr, 0:nr] = tile + beta * C (beta = 0 ignores C, even NaN), masked at the right edge. */
    private static void merge(float[] tile, float[] c, int cIdx, int ldc, int mr, int nr, float beta) {
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc;
            for (int j = 0; j < nr; j += L) {
                FloatVector t = FloatVector.fromArray(S, tile, r * NR + j);
                if (j + L <= nr) {
                    if (beta != 0f) t = FloatVector.fromArray(S, c, row + j).fma(FloatVector.broadcast(S, beta), t);
                    t.intoArray(c, row + j);
                } else {
                    VectorMask<Float> m = S.indexInRange(j, nr);
                    if (beta != 0f) {
                        t = FloatVector.fromArray(S, c, row + j, m).fma(FloatVector.broadcast(S, beta), t);
                    }
                    t.intoArray(c, row + j, m);
                }
            }
        }
    }
}
