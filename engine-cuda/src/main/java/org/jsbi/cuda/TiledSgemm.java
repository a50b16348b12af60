package org.jsbi.cuda;

import static org.jsbi.cuda.KernelArgs.args;

import jcuda.driver.CUfunction;

/**
 * The hand-written SGEMM of jsbi_kernels.cu: 64 x 64 tiles of C, 256 threads per block, 4 x 4 outputs each. When C
 * has too few tiles to fill the card and k is long (weight gradients over a wide batch), k is split into chunks
 * computed by separate blocks into a workspace and summed in chunk order (deterministic).
 */
final class TiledSgemm implements GemmEngine {

    static final int TILE = 64;
    /** Shortest k-chunk worth a block of its own. */
    static final int MIN_CHUNK = 256;

    private final CudaKernels k;
    private final DevicePool pool;
    private final int multiprocessors;

    TiledSgemm(CudaKernels kernels, DevicePool pool, int multiprocessors) {
        this.k = kernels;
        this.pool = pool;
        this.multiprocessors = multiprocessors;
    }

    /** How many k-chunks: enough blocks for two per multiprocessor, chunks of at least MIN_CHUNK; 1 = no split. */
    static int splits(int m, int n, int kk, int multiprocessors) {
        long tiles = (long) ceil(m) * ceil(n);
        if (tiles >= multiprocessors || kk < 2 * MIN_CHUNK) return 1;
        long want = (2L * multiprocessors + tiles - 1) / tiles;
        return (int) Math.max(1, Math.min(Math.min(want, kk / MIN_CHUNK), 128));
    }

    @Override
    public String name() {
        return "tiled";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int kk, float alpha,
                     CudaStorage a, int aOff, int lda, CudaStorage b, int bOff, int ldb,
                     float beta, CudaStorage c, int cOff, int ldc) {
        int splits = splits(m, n, kk, multiprocessors);
        if (splits > 1) {
            int chunk = (kk + splits - 1) / splits;
            splits = (kk + chunk - 1) / chunk;
            long bytes = 4L * splits * m * n;
            DevicePointer ws = pool.take(bytes);
            try {
                CUfunction f = transA ? (transB ? k.splitkTT : k.splitkTN) : (transB ? k.splitkNT : k.splitkNN);
                args().i(m).i(n).i(kk).i(chunk).p(a).i(aOff).i(lda).p(b).i(bOff).i(ldb).p(ws)
                        .launch(f, ceil(n), ceil(m), splits, 16, 16);
                args().i(m).i(n).i(splits).p(ws).f(alpha).f(beta).p(c).i(cOff).i(ldc)
                        .launch1d(k.splitkReduce, (long) m * n);
            } finally {
                pool.give(ws, bytes);
            }
            return;
        }
        CUfunction f = transA ? (transB ? k.sgemmTT : k.sgemmTN) : (transB ? k.sgemmNT : k.sgemmNN);
        args().i(m).i(n).i(kk).f(alpha).p(a).i(aOff).i(lda).p(b).i(bOff).i(ldb).f(beta).p(c).i(cOff).i(ldc)
                .launch(f, ceil(n), ceil(m), 16, 16);
    }

    /** C = op(W ⊙ M) B + beta C, the masked product of MADE. */
    void maskedGemm(boolean transW, int m, int n, int kk, CudaStorage w, int wOff, CudaStorage mask, int maskOff,
                    int ldw, CudaStorage b, int bOff, int ldb, float beta, CudaStorage c, int cOff, int ldc) {
        args().i(m).i(n).i(kk).p(w).i(wOff).p(mask).i(maskOff).i(ldw).p(b).i(bOff).i(ldb).f(beta).p(c).i(cOff).i(ldc)
                .launch(transW ? k.sgemmMaskedT : k.sgemmMaskedN, ceil(n), ceil(m), 16, 16);
    }

    private static int ceil(int v) {
        return (v + TILE - 1) / TILE;
    }
}
