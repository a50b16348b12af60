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

    private static final ThreadLocal<float[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new float[][] {new float[KC * NC], new float[MC * KC], new float[MR * NR]});

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
            if (mr < MR) java.util.Arrays.fill(ap, dst, dst + kc * MR, 0f);
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
