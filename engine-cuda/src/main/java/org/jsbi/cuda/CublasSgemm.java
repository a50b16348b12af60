package org.jsbi.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * SGEMM through cuBLAS (JCublas2), used where its library loads. JCublas 12.x binds libcublas.so.12, so on machines
 * with CUDA 13 libraries only it does not load, and {@link #tryCreate} says why.
 *
 * <p>cuBLAS is column-major; a row-major C (m x n) is a column-major Cᵀ (n x m), so C = op(A) op(B) is computed as
 * Cᵀ = op(B)ᵀ op(A)ᵀ with the operands exchanged and the same transpose flags.
 */
final class CublasSgemm implements GemmEngine {

    private final cublasHandle handle;

    private CublasSgemm(cublasHandle handle) {
        this.handle = handle;
    }

    /** cuBLAS, or null with the reason in {@code why[0]}. */
    static CublasSgemm tryCreate(String[] why) {
        try {
            JCublas2.setExceptionsEnabled(true);
            cublasHandle h = new cublasHandle();
            JCublas2.cublasCreate(h);
            return new CublasSgemm(h);
        } catch (Throwable t) {
            why[0] = "cuBLAS did not load (" + CudaProvider.oneLine(t) + ")";
            return null;
        }
    }

    @Override
    public String name() {
        return "cublas";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     CudaStorage a, int aOff, int lda, CudaStorage b, int bOff, int ldb,
                     float beta, CudaStorage c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        // cuBLAS rejects a leading dimension below the column-major row count even when k = 0.
        JCublas2.cublasSgemm(handle, opB, opA, n, m, k, Pointer.to(new float[] {alpha}),
                b.pointer().withByteOffset(4L * bOff), Math.max(1, ldb),
                a.pointer().withByteOffset(4L * aOff), Math.max(1, lda), Pointer.to(new float[] {beta}),
                c.pointer().withByteOffset(4L * cOff), Math.max(1, ldc));
    }
}
