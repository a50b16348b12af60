// jsbi's CUDA kernels: one per kernel of org.jsbi.backend.Backend, held to the scalar reference
// (org.jsbi.backend.ScalarBackend) by CudaKernelConformanceTest.
//
// Conventions, as on the CPU: matrices are row-major with a leading dimension; offsets are in floats and are applied
// here, so the host passes base pointers. Outputs come last. Transcendental functions and reductions are evaluated in
// double, as the reference does, so that results agree to a rounding or two rather than to the few ulps of the fast
// float intrinsics; the code is memory-bound at jsbi's sizes, so the double arithmetic costs little.
//
// This file is compiled with --fmad=false so that a * b + c rounds twice, as Java does; the matrix product asks for
// fused multiply-adds explicitly. Reductions are deterministic: no atomics on floats, partial sums combined in a fixed
// order, so the same inputs give the same bits on every run.
//
// Regenerate the committed PTX with `mvn -pl engine-cuda -Pptx generate-resources` (see engine-cuda/pom.xml).

#include <math.h>

// UnaryOp codes: CudaBackend maps org.jsbi.backend.UnaryOp to these by name, never by ordinal.
#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_TANH 3
#define U_SIGMOID 4
#define U_SOFTPLUS 5
#define U_RELU 6
#define U_SQUARE 7
#define U_SQRT 8

// BinaryOp codes.
#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3

// ReduceOp codes.
#define R_SUM 0
#define R_MAX 1
#define R_LSE 2

#define THREADS 256

#define GRID_STRIDE(i, n) for (long i = (long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
                               i += (long) blockDim.x * gridDim.x)

__device__ __forceinline__ double sigmoid_d(double x) {
    return x >= 0.0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}

__device__ __forceinline__ double unary_d(int op, double x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoid_d(x);
        case U_SOFTPLUS: return fmax(x, 0.0) + log1p(exp(-fabs(x)));
        case U_RELU: return isnan(x) ? x : fmax(x, 0.0);
        case U_SQUARE: return x * x;
        default: return sqrt(x);
    }
}

__device__ __forceinline__ double derivative_d(int op, double x, double y) {
    switch (op) {
        case U_NEG: return -1.0;
        case U_EXP: return y;
        case U_LOG: return 1.0 / x;
        case U_TANH: return 1.0 - y * y;
        case U_SIGMOID: return y * (1.0 - y);
        case U_SOFTPLUS: return sigmoid_d(x);
        case U_RELU: return x > 0.0 ? 1.0 : 0.0;
        case U_SQUARE: return 2.0 * x;
        default: return 0.5 / y;
    }
}

__device__ __forceinline__ float binary_f(int op, float a, float b) {
    switch (op) {
        case B_ADD: return __fadd_rn(a, b);
        case B_SUB: return __fsub_rn(a, b);
        case B_MUL: return __fmul_rn(a, b);
        default: return __fdiv_rn(a, b);
    }
}

// NaN-propagating maximum, as the reference: any NaN makes the result NaN.
__device__ __forceinline__ float max_nan(float m, float v) {
    return (v > m || isnan(v) || isnan(m)) ? (isnan(m) ? m : v) : m;
}

// ---- matrix products ---------------------------------------------------------------------------------------------

// A 64 x 64 tile of C per block of 16 x 16 threads, each thread 4 x 4 outputs; k in steps of 16 through shared memory.
// TA: A stored k x m; TB: B stored n x k; MASK: A is W ⊙ M (MADE), with M laid out as W.
#define TILE 64
#define TK 16

template <bool TA, bool TB, bool MASK>
__device__ __forceinline__ void gemm_tile(int m, int n, int kBegin, int k, float alpha,
                                          const float* __restrict__ a, int lda, const float* __restrict__ mk,
                                          const float* __restrict__ b, int ldb, float beta,
                                          float* __restrict__ c, int ldc) {
    __shared__ float As[TK][TILE + 1];
    __shared__ float Bs[TK][TILE + 1];
    const int tx = threadIdx.x, ty = threadIdx.y;   // tx: columns of C, ty: rows of C
    const int tid = ty * 16 + tx;
    const int row0 = blockIdx.y * TILE, col0 = blockIdx.x * TILE;
    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.0f;

    for (int p0 = kBegin; p0 < k; p0 += TK) {
        // 64 x 16 values of op(A) and 16 x 64 of op(B), four each per thread.
#pragma unroll
        for (int l = 0; l < 4; l++) {
            int e = tid + l * 256;
            // op(A)(i, p): i = row0 + ai, p = p0 + ap. Choose the index order that reads memory contiguously.
            int ai, ap;
            if (TA) { ai = e % TILE; ap = e / TILE; } else { ap = e % TK; ai = e / TK; }
            int gi = row0 + ai, gp = p0 + ap;
            float av = 0.0f;
            if (gi < m && gp < k) {
                long idx = TA ? (long) gp * lda + gi : (long) gi * lda + gp;
                av = a[idx];
                if (MASK) av = __fmul_rn(av, mk[idx]);
            }
            As[ap][ai] = av;
            int bj, bp;
            if (TB) { bp = e % TK; bj = e / TK; } else { bj = e % TILE; bp = e / TILE; }
            int gj = col0 + bj, gq = p0 + bp;
            float bv = 0.0f;
            if (gj < n && gq < k) bv = TB ? b[(long) gj * ldb + gq] : b[(long) gq * ldb + gj];
            Bs[bp][bj] = bv;
        }
        __syncthreads();
#pragma unroll
        for (int p = 0; p < TK; p++) {
            float ar[4], br[4];
#pragma unroll
            for (int i = 0; i < 4; i++) ar[i] = As[p][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) br[j] = Bs[p][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = __fmaf_rn(ar[i], br[j], acc[i][j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++) {
        int gi = row0 + ty + 16 * i;
        if (gi >= m) continue;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int gj = col0 + tx + 16 * j;
            if (gj >= n) continue;
            long ci = (long) gi * ldc + gj;
            float v = __fmul_rn(alpha, acc[i][j]);
            c[ci] = beta == 0.0f ? v : __fadd_rn(v, __fmul_rn(beta, c[ci]));
        }
    }
}

#define GEMM_KERNEL(NAME, TA, TB)                                                                                   \
    extern "C" __global__ void __launch_bounds__(256) NAME(int m, int n, int k, float alpha,                         \
            const float* a, int aOff, int lda, const float* b, int bOff, int ldb, float beta,                        \
            float* c, int cOff, int ldc) {                                                                           \
        gemm_tile<TA, TB, false>(m, n, 0, k, alpha, a + aOff, lda, nullptr, b + bOff, ldb, beta, c + cOff, ldc);     \
    }                                                                                                                \
    extern "C" __global__ void __launch_bounds__(256) NAME##_splitk(int m, int n, int k, int chunk,                  \
            const float* a, int aOff, int lda, const float* b, int bOff, int ldb, float* ws) {                       \
        int k0 = blockIdx.z * chunk;                                                                                 \
        gemm_tile<TA, TB, false>(m, n, k0, min(k, k0 + chunk), 1.0f, a + aOff, lda, nullptr, b + bOff, ldb, 0.0f,    \
                                 ws + (long) blockIdx.z * m * n, n);                                                 \
    }

GEMM_KERNEL(sgemm_nn, false, false)
GEMM_KERNEL(sgemm_nt, false, true)
GEMM_KERNEL(sgemm_tn, true, false)
GEMM_KERNEL(sgemm_tt, true, true)

extern "C" __global__ void __launch_bounds__(256) sgemm_masked_n(int m, int n, int k,
        const float* w, int wOff, const float* mk, int mOff, int ldw, const float* b, int bOff, int ldb, float beta,
        float* c, int cOff, int ldc) {
    gemm_tile<false, false, true>(m, n, 0, k, 1.0f, w + wOff, ldw, mk + mOff, b + bOff, ldb, beta, c + cOff, ldc);
}

extern "C" __global__ void __launch_bounds__(256) sgemm_masked_t(int m, int n, int k,
        const float* w, int wOff, const float* mk, int mOff, int ldw, const float* b, int bOff, int ldb, float beta,
        float* c, int cOff, int ldc) {
    gemm_tile<true, false, true>(m, n, 0, k, 1.0f, w + wOff, ldw, mk + mOff, b + bOff, ldb, beta, c + cOff, ldc);
}

// Split-k: when C has few tiles and k is long (the weight gradients of a wide batch: 50 x 50 outputs summed over 10,000
// samples) the *_splitk kernels write the partial products of k-chunks to a workspace, one m x n slab per chunk
// (blockIdx.z), and this kernel adds the slabs in chunk order, so the result is the same on every run.
extern "C" __global__ void splitk_reduce(int m, int n, int splits, const float* ws, float alpha, float beta,
                                         float* c, int cOff, int ldc) {
    long mn = (long) m * n;
    GRID_STRIDE(e, mn) {
        float s = 0.0f;
        for (int z = 0; z < splits; z++) s = __fadd_rn(s, ws[z * mn + e]);
        long ci = cOff + (e / n) * ldc + e % n;
        float v = __fmul_rn(alpha, s);
        c[ci] = beta == 0.0f ? v : __fadd_rn(v, __fmul_rn(beta, c[ci]));
    }
}

// ---- elementwise -------------------------------------------------------------------------------------------------


extern "C" __global__ void unary_fwd(int op, int n, const float* x, int xOff, float* y, int yOff) {
    GRID_STRIDE(i, n) y[yOff + i] = (float) unary_d(op, (double) x[xOff + i]);
}

extern "C" __global__ void unary_bwd(int op, int n, const float* x, int xOff, const float* y, int yOff,
                                     const float* dy, int dyOff, float* dx, int dxOff) {
    GRID_STRIDE(i, n) {
        float g = (float) (derivative_d(op, (double) x[xOff + i], (double) y[yOff + i]) * (double) dy[dyOff + i]);
        dx[dxOff + i] = __fadd_rn(dx[dxOff + i], g);
    }
}

extern "C" __global__ void binary_ew(int op, int n, const float* a, int aOff, const float* b, int bOff,
                                     float* c, int cOff) {
    GRID_STRIDE(i, n) c[cOff + i] = binary_f(op, a[aOff + i], b[bOff + i]);
}

extern "C" __global__ void axpy_ew(int n, float alpha, const float* x, int xOff, float* y, int yOff) {
    GRID_STRIDE(i, n) y[yOff + i] = __fadd_rn(y[yOff + i], __fmul_rn(alpha, x[xOff + i]));
}

extern "C" __global__ void affine_ew(int n, float alpha, float beta, const float* x, int xOff, float* y, int yOff) {
    GRID_STRIDE(i, n) y[yOff + i] = __fadd_rn(__fmul_rn(alpha, x[xOff + i]), beta);
}

extern "C" __global__ void fill_ew(int n, float value, float* x, int xOff) {
    GRID_STRIDE(i, n) x[xOff + i] = value;
}

// ---- broadcasts --------------------------------------------------------------------------------------------------

// One block row per matrix row (grid.y), threads across the columns (grid.x).
extern "C" __global__ void broadcast_col(int op, int rows, int cols, const float* a, int aOff, int lda,
                                         const float* v, int vOff, float* c, int cOff, int ldc) {
    for (int i = blockIdx.y; i < rows; i += gridDim.y) {
        float vi = v[vOff + i];
        for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += blockDim.x * gridDim.x) {
            c[cOff + (long) i * ldc + j] = binary_f(op, a[aOff + (long) i * lda + j], vi);
        }
    }
}

extern "C" __global__ void broadcast_row(int op, int rows, int cols, const float* a, int aOff, int lda,
                                         const float* v, int vOff, float* c, int cOff, int ldc) {
    for (int i = blockIdx.y; i < rows; i += gridDim.y) {
        for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += blockDim.x * gridDim.x) {
            c[cOff + (long) i * ldc + j] = binary_f(op, a[aOff + (long) i * lda + j], v[vOff + j]);
        }
    }
}

// ---- reductions --------------------------------------------------------------------------------------------------

// Block-wide reductions over THREADS threads in a fixed tree order (deterministic).
__device__ double block_sum(double v, double* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
        __syncthreads();
    }
    double r = sh[0];
    __syncthreads();
    return r;
}

__device__ float block_max(float v, float* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sh[threadIdx.x] = max_nan(sh[threadIdx.x], sh[threadIdx.x + s]);
        __syncthreads();
    }
    float r = sh[0];
    __syncthreads();
    return r;
}

// The reduction of n values a[0], a[stride], ... by one block; the result is valid in every thread.
__device__ float block_reduce(int op, int n, const float* a, long stride) {
    __shared__ double shd[THREADS];
    __shared__ float shf[THREADS];
    if (op == R_SUM) {
        double s = 0.0;
        for (int i = threadIdx.x; i < n; i += blockDim.x) s += (double) a[i * stride];
        return (float) block_sum(s, shd);
    }
    float mx = -INFINITY;
    for (int i = threadIdx.x; i < n; i += blockDim.x) mx = max_nan(mx, a[i * stride]);
    mx = block_max(mx, shf);
    if (op == R_MAX || isinf(mx) || isnan(mx)) return mx;
    double s = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) s += exp((double) a[i * stride] - (double) mx);
    s = block_sum(s, shd);
    return (float) ((double) mx + log(s));
}

// One block per row: rows are few and long in jsbi (features x batch).
extern "C" __global__ void __launch_bounds__(THREADS) reduce_rows(int op, int rows, int cols, const float* a,
                                                                  int aOff, int lda, float* out, int outOff) {
    for (int i = blockIdx.x; i < rows; i += gridDim.x) {
        float r = block_reduce(op, cols, a + aOff + (long) i * lda, 1);
        if (threadIdx.x == 0) out[outOff + i] = r;
    }
}

// One thread per column, walking down the rows: columns are contiguous, so a warp reads one coalesced row at a time.
extern "C" __global__ void reduce_cols(int op, int rows, int cols, const float* a, int aOff, int lda,
                                       float* out, int outOff) {
    GRID_STRIDE(j, cols) {
        const float* col = a + aOff + j;
        float r;
        if (op == R_SUM) {
            double s = 0.0;
            for (int i = 0; i < rows; i++) s += (double) col[(long) i * lda];
            r = (float) s;
        } else {
            float mx = -INFINITY;
            for (int i = 0; i < rows; i++) mx = max_nan(mx, col[(long) i * lda]);
            if (op == R_MAX || isinf(mx) || isnan(mx)) {
                r = mx;
            } else {
                double s = 0.0;
                for (int i = 0; i < rows; i++) s += exp((double) col[(long) i * lda] - (double) mx);
                r = (float) ((double) mx + log(s));
            }
        }
        out[outOff + j] = r;
    }
}

extern "C" __global__ void __launch_bounds__(THREADS) reduce_all(int op, int n, const float* a, int aOff,
                                                                 float* out, int outOff) {
    float r = block_reduce(op, n, a + aOff, 1);
    if (threadIdx.x == 0) out[outOff] = r;
}

__device__ __forceinline__ float reduce_grad(int op, float x, float y, float dy) {
    if (op == R_SUM) return dy;
    if (op == R_MAX) return x == y ? dy : 0.0f;
    return __fmul_rn(dy, (float) exp((double) x - (double) y));
}

extern "C" __global__ void reduce_rows_bwd(int op, int rows, int cols, const float* x, int xOff, int ldx,
                                           const float* y, int yOff, const float* dy, int dyOff,
                                           float* dx, int dxOff, int lddx) {
    for (int i = blockIdx.y; i < rows; i += gridDim.y) {
        float yi = y[yOff + i], dyi = dy[dyOff + i];
        for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += blockDim.x * gridDim.x) {
            long d = dxOff + (long) i * lddx + j;
            dx[d] = __fadd_rn(dx[d], reduce_grad(op, x[xOff + (long) i * ldx + j], yi, dyi));
        }
    }
}

extern "C" __global__ void reduce_cols_bwd(int op, int rows, int cols, const float* x, int xOff, int ldx,
                                           const float* y, int yOff, const float* dy, int dyOff,
                                           float* dx, int dxOff, int lddx) {
    for (int i = blockIdx.y; i < rows; i += gridDim.y) {
        for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += blockDim.x * gridDim.x) {
            long d = dxOff + (long) i * lddx + j;
            dx[d] = __fadd_rn(dx[d], reduce_grad(op, x[xOff + (long) i * ldx + j], y[yOff + j], dy[dyOff + j]));
        }
    }
}

// Dot product in double: each block writes its partial sum, then dot_finish adds the partials in block order.
extern "C" __global__ void __launch_bounds__(THREADS) dot_partial(int n, const float* x, int xOff, const float* y,
                                                                  int yOff, double* partial) {
    __shared__ double sh[THREADS];
    double s = 0.0;
    GRID_STRIDE(i, n) s += (double) x[xOff + i] * (double) y[yOff + i];
    s = block_sum(s, sh);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

extern "C" __global__ void __launch_bounds__(THREADS) dot_finish(int parts, double* partial) {
    __shared__ double sh[THREADS];
    double s = 0.0;
    for (int i = threadIdx.x; i < parts; i += blockDim.x) s += partial[i];
    s = block_sum(s, sh);
    if (threadIdx.x == 0) partial[0] = s;
}

// ---- data movement -----------------------------------------------------------------------------------------------

extern "C" __global__ void copy_2d(int rows, int cols, const float* src, int srcOff, int lds,
                                   float* dst, int dstOff, int ldd) {
    for (int i = blockIdx.y; i < rows; i += gridDim.y) {
        for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += blockDim.x * gridDim.x) {
            dst[dstOff + (long) i * ldd + j] = src[srcOff + (long) i * lds + j];
        }
    }
}

// dst row r = src row idx[r]: grid.y over the rows of dst.
extern "C" __global__ void gather_rows(int count, const int* idx, int cols, const float* src, int srcOff, int lds,
                                       float* dst, int dstOff, int ldd) {
    for (int r = blockIdx.y; r < count; r += gridDim.y) {
        long s = srcOff + (long) idx[r] * lds, d = dstOff + (long) r * ldd;
        for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += blockDim.x * gridDim.x) dst[d + j] = src[s + j];
    }
}

// dst[:, c] = src[:, idx[c]]: grid.y over rows, threads over c.
extern "C" __global__ void gather_cols(int count, const int* idx, int rows, const float* src, int srcOff, int lds,
                                       float* dst, int dstOff, int ldd) {
    for (int i = blockIdx.y; i < rows; i += gridDim.y) {
        long s = srcOff + (long) i * lds, d = dstOff + (long) i * ldd;
        for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < count; c += blockDim.x * gridDim.x) {
            dst[d + c] = src[s + idx[c]];
        }
    }
}

// dst row idx[r] += src row r. One thread per column walks r in order, so repeated indices add up in the reference's
// order and no two threads write the same element.
extern "C" __global__ void scatter_add_rows(int count, const int* idx, int cols, const float* src, int srcOff,
                                            int lds, float* dst, int dstOff, int ldd) {
    GRID_STRIDE(j, cols) {
        for (int r = 0; r < count; r++) {
            long d = dstOff + (long) idx[r] * ldd + j;
            dst[d] = __fadd_rn(dst[d], src[srcOff + (long) r * lds + j]);
        }
    }
}

// dst[:, idx[c]] += src[:, c] where idx has no repeats: every (i, c) is its own element.
extern "C" __global__ void scatter_add_cols_unique(int count, const int* idx, int rows, const float* src, int srcOff,
                                                   int lds, float* dst, int dstOff, int ldd) {
    for (int i = blockIdx.y; i < rows; i += gridDim.y) {
        for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < count; c += blockDim.x * gridDim.x) {
            long d = dstOff + (long) i * ldd + idx[c];
            dst[d] = __fadd_rn(dst[d], src[srcOff + (long) i * lds + c]);
        }
    }
}

// The same with repeats allowed: one thread per row walks c in order (rows are the few feature dimensions).
extern "C" __global__ void scatter_add_cols_serial(int count, const int* idx, int rows, const float* src, int srcOff,
                                                   int lds, float* dst, int dstOff, int ldd) {
    GRID_STRIDE(i, rows) {
        for (int c = 0; c < count; c++) {
            long d = dstOff + (long) i * ldd + idx[c];
            dst[d] = __fadd_rn(dst[d], src[srcOff + (long) i * lds + c]);
        }
    }
}

// ---- optimizer ---------------------------------------------------------------------------------------------------

__device__ __forceinline__ void adam_one(float lr, float beta1, float beta2, float eps, float c1, float c2,
                                         float* p, const float* g, float* m, float* v) {
    float gi = *g;
    float mi = __fadd_rn(__fmul_rn(beta1, *m), __fmul_rn(__fsub_rn(1.0f, beta1), gi));
    float vi = __fadd_rn(__fmul_rn(beta2, *v), __fmul_rn(__fmul_rn(__fsub_rn(1.0f, beta2), gi), gi));
    *m = mi;
    *v = vi;
    // org.jsbi.optim.AdamMath: one division and one square root per element, as on the CPU backends.
    float stepSize = __fdiv_rn(lr, c1), invRootC2 = __fdiv_rn(1.0f, __fsqrt_rn(c2));
    float step = __fdiv_rn(__fmul_rn(mi, stepSize), __fmaf_rn(__fsqrt_rn(vi), invRootC2, eps));
    *p = __fsub_rn(*p, step);
}

extern "C" __global__ void adam_step(int n, float lr, float beta1, float beta2, float eps, float c1, float c2,
                                     float* p, int pOff, const float* g, int gOff, float* m, int mOff,
                                     float* v, int vOff) {
    GRID_STRIDE(i, n) adam_one(lr, beta1, beta2, eps, c1, c2, p + pOff + i, g + gOff + i, m + mOff + i, v + vOff + i);
}

// ---- several tensors at once -------------------------------------------------------------------------------------
// A table (PointerTables.java) holds, for count tensors, `groups` arrays of count device addresses and then count
// int lengths. grid.y runs over the tensors, grid.x and the threads over each tensor's elements.

__device__ __forceinline__ float* tab_ptr(const unsigned long long* tab, int group, int count, int t) {
    return (float*) tab[(long) group * count + t];
}

__device__ __forceinline__ int tab_len(const unsigned long long* tab, int groups, int count, int t) {
    return ((const int*) (tab + (long) groups * count))[t];
}

#define TENSOR_LOOP(t, count) for (int t = blockIdx.y; t < (count); t += gridDim.y)
#define ELEMENT_LOOP(i, n) for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

extern "C" __global__ void zero_many(int count, const unsigned long long* tab) {
    TENSOR_LOOP(t, count) {
        float* x = tab_ptr(tab, 0, count, t);
        int n = tab_len(tab, 1, count, t);
        ELEMENT_LOOP(i, n) x[i] = 0.0f;
    }
}

// As affine_ew with beta = 0 (adding +0 turns -0 into +0, as the reference does).
extern "C" __global__ void scale_many(int count, float alpha, const unsigned long long* tab) {
    TENSOR_LOOP(t, count) {
        float* x = tab_ptr(tab, 0, count, t);
        int n = tab_len(tab, 1, count, t);
        ELEMENT_LOOP(i, n) x[i] = __fadd_rn(__fmul_rn(alpha, x[i]), 0.0f);
    }
}

// Groups: parameters, gradients, first moments, second moments.
extern "C" __global__ void adam_many(int count, float lr, float beta1, float beta2, float eps, float c1, float c2,
                                     const unsigned long long* tab) {
    TENSOR_LOOP(t, count) {
        float* p = tab_ptr(tab, 0, count, t);
        const float* g = tab_ptr(tab, 1, count, t);
        float* m = tab_ptr(tab, 2, count, t);
        float* v = tab_ptr(tab, 3, count, t);
        int n = tab_len(tab, 4, count, t);
        ELEMENT_LOOP(i, n) adam_one(lr, beta1, beta2, eps, c1, c2, p + i, g + i, m + i, v + i);
    }
}

// Partial sums of squares in double, one per (tensor, block): partial[t * gridDim.x + blockIdx.x]; dot_finish then
// adds them all in that order.
extern "C" __global__ void __launch_bounds__(THREADS) sumsq_many(int count, const unsigned long long* tab,
                                                                 double* partial) {
    __shared__ double sh[THREADS];
    for (int t = blockIdx.y; t < count; t += gridDim.y) {
        const float* x = tab_ptr(tab, 0, count, t);
        int n = tab_len(tab, 1, count, t);
        double s = 0.0;
        ELEMENT_LOOP(i, n) s += (double) x[i] * (double) x[i];
        s = block_sum(s, sh);
        if (threadIdx.x == 0) partial[(long) t * gridDim.x + blockIdx.x] = s;
    }
}
