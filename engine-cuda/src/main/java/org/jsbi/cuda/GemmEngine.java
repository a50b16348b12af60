package org.jsbi.cuda;

/**
 * Who computes {@code C = alpha op(A) op(B) + beta C} on the device: cuBLAS where its library loads, else jsbi's
 * hand-written tiled SGEMM. Row-major, offsets in floats, as {@link org.jsbi.backend.Backend#gemm}.
 */
interface GemmEngine {

    /** "cublas" or "tiled". */
    String name();

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              CudaStorage a, int aOff, int lda, CudaStorage b, int bOff, int ldb,
              float beta, CudaStorage c, int cOff, int ldc);
}
