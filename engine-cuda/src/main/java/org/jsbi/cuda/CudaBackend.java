package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static org.jsbi.cuda.KernelArgs.args;
import static org.jsbi.cuda.KernelArgs.blocks;

import jcuda.Pointer;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.KernelChecks;
import org.jsbi.backend.ReduceOp;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.Storage;

/**
 * The CUDA backend: every kernel of {@link Backend} as a hand-written CUDA kernel (src/main/cuda/jsbi_kernels.cu),
 * with matrix products through cuBLAS where it loads ({@code -Djsbi.cuda.gemm=auto|cublas|tiled}). Storages live in
 * device memory ({@link CudaStorage}); kernels are queued on the default stream and only copies to the host, dot
 * products and single values wait for them.
 *
 * <p>The kernels take base pointers and float offsets. Index arrays of gathers and scatters are copied to the device
 * for each call. The backend is safe to call from several threads: launches go to one stream, in call order.
 */
public final class CudaBackend implements Backend {

    private static final int DOT_BLOCKS = 256;

    private final CudaDevice device;
    private final CudaKernels k;
    private final TiledSgemm tiled;
    private final GemmEngine gemm;
    private final String gemmReason;
    private final PointerTables tables;

    public CudaBackend(CudaDevice device) {
        this.device = device;
        device.makeCurrent();
        this.k = device.kernels();
        this.tiled = new TiledSgemm(k, device.pool(), device.multiprocessors());
        this.tables = new PointerTables(device.pool());
        String want = System.getProperty("jsbi.cuda.gemm", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        String[] why = {null};
        switch (want) {
            case "tiled" -> {
                gemm = tiled;
                gemmReason = "hand-written tiled SGEMM (-Djsbi.cuda.gemm=tiled)";
            }
            case "cublas" -> {
                CublasSgemm c = CublasSgemm.tryCreate(why);
                if (c == null) {
                    throw new IllegalStateException("-Djsbi.cuda.gemm=cublas but " + why[0]
                            + "; use -Djsbi.cuda.gemm=tiled or auto");
                }
                gemm = c;
                gemmReason = "cuBLAS SGEMM (-Djsbi.cuda.gemm=cublas)";
            }
            case "auto" -> {
                CublasSgemm c = CublasSgemm.tryCreate(why);
                gemm = c != null ? c : tiled;
                gemmReason = c != null ? "cuBLAS SGEMM (its library loaded)"
                        : "hand-written tiled SGEMM, since " + why[0];
            }
            default -> throw new IllegalArgumentException("-Djsbi.cuda.gemm=" + want
                    + " is not one of auto, cublas, tiled");
        }
    }

    /** The backend on the JVM's shared device. */
    public static CudaBackend onSharedDevice() {
        return new CudaBackend(CudaDevice.shared());
    }

    public CudaDevice device() {
        return device;
    }

    /** Which SGEMM serves {@link #gemm} and why. */
    public String gemmSelection() {
        return gemmReason;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String describe() {
        return "CUDA on " + device.describe() + "; matmul: " + gemmReason;
    }

    /** One stream does the work; splitting a batch over host threads would only contend for it. */
    @Override
    public boolean splitsWorkOverHostThreads() {
        return false;
    }

    static CudaStorage storage(Storage st) {
        if (st instanceof CudaStorage c) return c;
        throw new IllegalArgumentException("a " + st.getClass().getSimpleName() + " was passed to the CUDA backend;"
                + " tensors must be allocated by the backend that computes on them (Tensor.to(backend) moves one)");
    }

    @Override
    public Storage allocate(int length) {
        KernelChecks.allocate(length);
        device.makeCurrent();
        CudaStorage st = new CudaStorage(device.pool(), length);
        if (length > 0) cuMemsetD32(st.pointer(), 0, length);
        return st;
    }

    @Override
    public void upload(float[] src, int srcOff, Storage dst, int dstOff, int n) {
        KernelChecks.upload(src, srcOff, dst, dstOff, n);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyHtoD(storage(dst).pointer().withByteOffset(4L * dstOff), Pointer.to(src).withByteOffset(4L * srcOff),
                4L * n);
    }

    @Override
    public void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
        KernelChecks.download(src, srcOff, dst, dstOff, n);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyDtoH(Pointer.to(dst).withByteOffset(4L * dstOff), storage(src).pointer().withByteOffset(4L * srcOff),
                4L * n);
    }

    // ---- BLAS-like ---------------------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int kk, float alpha, Storage a, int aOff, int lda,
                     Storage b, int bOff, int ldb, float beta, Storage c, int cOff, int ldc) {
        KernelChecks.gemm(transA, transB, m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        device.makeCurrent();
        gemm.gemm(transA, transB, m, n, kk, alpha, storage(a), aOff, lda, storage(b), bOff, ldb, beta, storage(c), cOff, ldc);
    }

    @Override
    public void maskedGemm(boolean transW, int m, int n, int kk, Storage w, int wOff, Storage mask, int maskOff,
                           int ldw, Storage b, int bOff, int ldb, float beta, Storage c, int cOff, int ldc) {
        KernelChecks.maskedGemm(transW, m, n, kk, w, wOff, mask, maskOff, ldw, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        device.makeCurrent();
        tiled.maskedGemm(transW, m, n, kk, storage(w), wOff, storage(mask), maskOff, ldw, storage(b), bOff, ldb, beta, storage(c), cOff, ldc);
    }

    // ---- elementwise ---------------------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, int n, Storage x, int xOff, Storage y, int yOff) {
        KernelChecks.unary(n, x, xOff, y, yOff);
        if (n == 0) return;
        device.makeCurrent();
        args().i(unaryCode(op)).i(n).p(storage(x)).i(xOff).p(storage(y)).i(yOff).launch1d(k.unaryFwd, n);
    }

    @Override
    public void unaryBackward(UnaryOp op, int n, Storage x, int xOff, Storage y, int yOff, Storage dy, int dyOff,
                              Storage dx, int dxOff) {
        KernelChecks.unaryBackward(n, x, xOff, y, yOff, dy, dyOff, dx, dxOff);
        if (n == 0) return;
        device.makeCurrent();
        args().i(unaryCode(op)).i(n).p(storage(x)).i(xOff).p(storage(y)).i(yOff).p(storage(dy)).i(dyOff).p(storage(dx)).i(dxOff)
                .launch1d(k.unaryBwd, n);
    }

    @Override
    public void binary(BinaryOp op, int n, Storage a, int aOff, Storage b, int bOff, Storage c, int cOff) {
        KernelChecks.binary(n, a, aOff, b, bOff, c, cOff);
        if (n == 0) return;
        device.makeCurrent();
        args().i(binaryCode(op)).i(n).p(storage(a)).i(aOff).p(storage(b)).i(bOff).p(storage(c)).i(cOff).launch1d(k.binary, n);
    }

    @Override
    public void axpy(int n, float alpha, Storage x, int xOff, Storage y, int yOff) {
        KernelChecks.axpy(n, x, xOff, y, yOff);
        if (n == 0) return;
        device.makeCurrent();
        args().i(n).f(alpha).p(storage(x)).i(xOff).p(storage(y)).i(yOff).launch1d(k.axpy, n);
    }

    @Override
    public void affine(int n, float alpha, float beta, Storage x, int xOff, Storage y, int yOff) {
        KernelChecks.affine(n, x, xOff, y, yOff);
        if (n == 0) return;
        device.makeCurrent();
        args().i(n).f(alpha).f(beta).p(storage(x)).i(xOff).p(storage(y)).i(yOff).launch1d(k.affine, n);
    }

    @Override
    public void fill(int n, float value, Storage x, int xOff) {
        KernelChecks.fill(n, x, xOff);
        if (n == 0) return;
        device.makeCurrent();
        args().i(n).f(value).p(storage(x)).i(xOff).launch1d(k.fill, n);
    }

    @Override
    public double dot(int n, Storage x, int xOff, Storage y, int yOff) {
        KernelChecks.dot(n, x, xOff, y, yOff);
        if (n == 0) return 0.0;
        device.makeCurrent();
        int parts = Math.min(DOT_BLOCKS, blocks(n));
        DevicePointer partial = device.pool().take(8L * DOT_BLOCKS);
        try {
            args().i(n).p(storage(x)).i(xOff).p(storage(y)).i(yOff).p(partial).launch(k.dotPartial, parts, 1, 256, 1);
            args().i(parts).p(partial).launch(k.dotFinish, 1, 1, 256, 1);
            double[] out = new double[1];
            cuMemcpyDtoH(Pointer.to(out), partial, 8L);
            return out[0];
        } finally {
            device.pool().give(partial, 8L * DOT_BLOCKS);
        }
    }

    // ---- broadcasts ----------------------------------------------------------------------------------------------

    @Override
    public void broadcastColumn(BinaryOp op, int rows, int cols, Storage a, int aOff, int lda, Storage v, int vOff,
                                Storage c, int cOff, int ldc) {
        KernelChecks.broadcastColumn(rows, cols, a, aOff, lda, v, vOff, c, cOff, ldc);
        if (rows == 0 || cols == 0) return;
        device.makeCurrent();
        args().i(binaryCode(op)).i(rows).i(cols).p(storage(a)).i(aOff).i(lda).p(storage(v)).i(vOff).p(storage(c)).i(cOff).i(ldc)
                .launch(k.broadcastCol, gridX(rows, cols), gridY(rows), 256, 1);
    }

    @Override
    public void broadcastRow(BinaryOp op, int rows, int cols, Storage a, int aOff, int lda, Storage v, int vOff,
                             Storage c, int cOff, int ldc) {
        KernelChecks.broadcastRow(rows, cols, a, aOff, lda, v, vOff, c, cOff, ldc);
        if (rows == 0 || cols == 0) return;
        device.makeCurrent();
        args().i(binaryCode(op)).i(rows).i(cols).p(storage(a)).i(aOff).i(lda).p(storage(v)).i(vOff).p(storage(c)).i(cOff).i(ldc)
                .launch(k.broadcastRow, gridX(rows, cols), gridY(rows), 256, 1);
    }

    // ---- reductions ------------------------------------------------------------------------------------------------

    @Override
    public void reduceRows(ReduceOp op, int rows, int cols, Storage a, int aOff, int lda, Storage out, int outOff) {
        KernelChecks.reduceRows(rows, cols, a, aOff, lda, out, outOff);
        if (rows == 0) return;
        device.makeCurrent();
        args().i(reduceCode(op)).i(rows).i(cols).p(storage(a)).i(aOff).i(lda).p(storage(out)).i(outOff)
                .launch(k.reduceRows, Math.min(rows, 65535), 1, 256, 1);
    }

    @Override
    public void reduceColumns(ReduceOp op, int rows, int cols, Storage a, int aOff, int lda, Storage out,
                              int outOff) {
        KernelChecks.reduceColumns(rows, cols, a, aOff, lda, out, outOff);
        if (cols == 0) return;
        device.makeCurrent();
        args().i(reduceCode(op)).i(rows).i(cols).p(storage(a)).i(aOff).i(lda).p(storage(out)).i(outOff)
                .launch1d(k.reduceCols, cols);
    }

    @Override
    public void reduceAll(ReduceOp op, int n, Storage a, int aOff, Storage out, int outOff) {
        KernelChecks.reduceAll(n, a, aOff, out, outOff);
        device.makeCurrent();
        args().i(reduceCode(op)).i(n).p(storage(a)).i(aOff).p(storage(out)).i(outOff).launch(k.reduceAll, 1, 1, 256, 1);
    }

    @Override
    public void reduceRowsBackward(ReduceOp op, int rows, int cols, Storage x, int xOff, int ldx, Storage y, int yOff,
                                   Storage dy, int dyOff, Storage dx, int dxOff, int lddx) {
        KernelChecks.reduceRowsBackward(rows, cols, x, xOff, ldx, y, yOff, dy, dyOff, dx, dxOff, lddx);
        if (rows == 0 || cols == 0) return;
        device.makeCurrent();
        args().i(reduceCode(op)).i(rows).i(cols).p(storage(x)).i(xOff).i(ldx).p(storage(y)).i(yOff).p(storage(dy)).i(dyOff)
                .p(storage(dx)).i(dxOff).i(lddx).launch(k.reduceRowsBwd, gridX(rows, cols), gridY(rows), 256, 1);
    }

    @Override
    public void reduceColumnsBackward(ReduceOp op, int rows, int cols, Storage x, int xOff, int ldx, Storage y,
                                      int yOff, Storage dy, int dyOff, Storage dx, int dxOff, int lddx) {
        KernelChecks.reduceColumnsBackward(rows, cols, x, xOff, ldx, y, yOff, dy, dyOff, dx, dxOff, lddx);
        if (rows == 0 || cols == 0) return;
        device.makeCurrent();
        args().i(reduceCode(op)).i(rows).i(cols).p(storage(x)).i(xOff).i(ldx).p(storage(y)).i(yOff).p(storage(dy)).i(dyOff)
                .p(storage(dx)).i(dxOff).i(lddx).launch(k.reduceColsBwd, gridX(rows, cols), gridY(rows), 256, 1);
    }

    // ---- data movement ---------------------------------------------------------------------------------------------

    @Override
    public void copy2d(int rows, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd) {
        KernelChecks.copy2d(rows, cols, src, srcOff, lds, dst, dstOff, ldd);
        if (rows == 0 || cols == 0) return;
        device.makeCurrent();
        args().i(rows).i(cols).p(storage(src)).i(srcOff).i(lds).p(storage(dst)).i(dstOff).i(ldd)
                .launch(k.copy2d, gridX(rows, cols), gridY(rows), 256, 1);
    }

    @Override
    public void gatherRows(int[] idx, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd) {
        KernelChecks.gatherRows(idx, cols, src, srcOff, lds, dst, dstOff, ldd);
        if (idx.length == 0 || cols == 0) return;
        withIndex(idx, d -> args().i(idx.length).p(d).i(cols).p(storage(src)).i(srcOff).i(lds).p(storage(dst)).i(dstOff).i(ldd)
                .launch(k.gatherRows, gridX(idx.length, cols), gridY(idx.length), 256, 1));
    }

    @Override
    public void gatherColumns(int[] idx, int rows, Storage src, int srcOff, int lds, Storage dst, int dstOff,
                              int ldd) {
        KernelChecks.gatherColumns(idx, rows, src, srcOff, lds, dst, dstOff, ldd);
        if (idx.length == 0 || rows == 0) return;
        withIndex(idx, d -> args().i(idx.length).p(d).i(rows).p(storage(src)).i(srcOff).i(lds).p(storage(dst)).i(dstOff).i(ldd)
                .launch(k.gatherCols, gridX(rows, idx.length), gridY(rows), 256, 1));
    }

    @Override
    public void scatterAddRows(int[] idx, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff,
                               int ldd) {
        KernelChecks.scatterAddRows(idx, cols, src, srcOff, lds, dst, dstOff, ldd);
        if (idx.length == 0 || cols == 0) return;
        withIndex(idx, d -> args().i(idx.length).p(d).i(cols).p(storage(src)).i(srcOff).i(lds).p(storage(dst)).i(dstOff).i(ldd)
                .launch1d(k.scatterAddRows, cols));
    }

    @Override
    public void scatterAddColumns(int[] idx, int rows, Storage src, int srcOff, int lds, Storage dst, int dstOff,
                                  int ldd) {
        KernelChecks.scatterAddColumns(idx, rows, src, srcOff, lds, dst, dstOff, ldd);
        if (idx.length == 0 || rows == 0) return;
        boolean unique = distinct(idx);
        withIndex(idx, d -> {
            KernelArgs a = args().i(idx.length).p(d).i(rows).p(storage(src)).i(srcOff).i(lds).p(storage(dst)).i(dstOff).i(ldd);
            if (unique) {
                a.launch(k.scatterAddColsUnique, gridX(rows, idx.length), gridY(rows), 256, 1);
            } else {
                a.launch1d(k.scatterAddColsSerial, rows);
            }
        });
    }

    /** Whether no index repeats (then every column of the scatter is its own element and may run in parallel). */
    static boolean distinct(int[] idx) {
        int max = 0;
        for (int v : idx) max = Math.max(max, v);
        java.util.BitSet seen = new java.util.BitSet(max + 1);
        for (int v : idx) {
            if (v < 0 || seen.get(v)) return false;
            seen.set(v);
        }
        return true;
    }

    private void withIndex(int[] idx, java.util.function.Consumer<DevicePointer> body) {
        device.makeCurrent();
        long bytes = 4L * idx.length;
        DevicePointer d = device.pool().take(bytes);
        try {
            cuMemcpyHtoD(d, Pointer.to(idx), bytes);
            body.accept(d);
        } finally {
            device.pool().give(d, bytes);
        }
    }

    // ---- optimizer ---------------------------------------------------------------------------------------------------

    @Override
    public void adamStep(int n, float lr, float beta1, float beta2, float eps, float c1, float c2,
                         Storage param, int pOff, Storage grad, int gOff, Storage m, int mOff, Storage v, int vOff) {
        KernelChecks.adamStep(n, param, pOff, grad, gOff, m, mOff, v, vOff);
        if (n == 0) return;
        device.makeCurrent();
        args().i(n).f(lr).f(beta1).f(beta2).f(eps).f(c1).f(c2).p(storage(param)).i(pOff).p(storage(grad)).i(gOff)
                .p(storage(m)).i(mOff).p(storage(v)).i(vOff).launch1d(k.adamStep, n);
    }

    // ---- several tensors at once: one launch each, from a cached pointer table --------------------------------------

    @Override
    public boolean zeroesScratchInBatches() {
        return true;
    }

    /** Blocks per tensor of a multi-tensor launch: the largest tensor's blocks, at most 64. */
    private static int blocksPerTensor(int[] lengths) {
        int max = 0;
        for (int n : lengths) max = Math.max(max, n);
        return Math.max(1, Math.min((max + 255) / 256, 64));
    }

    @Override
    public double sumOfSquares(Storage[] xs, int[] lengths) {
        KernelChecks.sumOfSquares(xs, lengths);
        if (xs.length == 0) return 0.0;
        device.makeCurrent();
        PointerTables.Table t = tables.table(lengths, xs);
        int per = Math.min(blocksPerTensor(lengths), 8);
        int parts = per * xs.length;
        long bytes = 8L * parts;
        DevicePointer partial = device.pool().take(bytes);
        try {
            args().i(xs.length).p(t.buffer()).p(partial).launch(k.sumsqMany, per, Math.min(xs.length, 65535), 256, 1);
            args().i(parts).p(partial).launch(k.dotFinish, 1, 1, 256, 1);
            double[] out = new double[1];
            cuMemcpyDtoH(Pointer.to(out), partial, 8L);
            return out[0];
        } finally {
            device.pool().give(partial, bytes);
        }
    }

    @Override
    public void scaleMany(float alpha, Storage[] xs, int[] lengths) {
        KernelChecks.scaleMany(xs, lengths);
        if (xs.length == 0) return;
        device.makeCurrent();
        PointerTables.Table t = tables.table(lengths, xs);
        args().i(xs.length).f(alpha).p(t.buffer())
                .launch(k.scaleMany, blocksPerTensor(lengths), Math.min(xs.length, 65535), 256, 1);
    }

    @Override
    public void zeroMany(Storage[] xs, int[] lengths) {
        KernelChecks.zeroMany(xs, lengths);
        if (xs.length == 0) return;
        device.makeCurrent();
        PointerTables.Table t = tables.table(lengths, xs);
        args().i(xs.length).p(t.buffer())
                .launch(k.zeroMany, blocksPerTensor(lengths), Math.min(xs.length, 65535), 256, 1);
    }

    @Override
    public void adamStepMany(float lr, float beta1, float beta2, float eps, float c1, float c2, Storage[] params,
                             Storage[] grads, Storage[] m, Storage[] v, int[] lengths) {
        KernelChecks.adamStepMany(params, grads, m, v, lengths);
        if (params.length == 0) return;
        device.makeCurrent();
        PointerTables.Table t = tables.table(lengths, params, grads, m, v);
        args().i(params.length).f(lr).f(beta1).f(beta2).f(eps).f(c1).f(c2).p(t.buffer())
                .launch(k.adamMany, blocksPerTensor(lengths), Math.min(params.length, 65535), 256, 1);
    }

    // ---- overheads ----------------------------------------------------------------------------------------------------

    /**
     * Host-side costs that decide how small a GPU workload can be and still pay: microseconds per queued kernel, per
     * kernel plus a 4-byte copy back (a round trip that waits for the device), per dot product, and per upload of a
     * 200-index array (what a gather costs before its kernel). Medians of five repetitions; for {@code jsbi bench}.
     */
    public String overheadReport() {
        device.makeCurrent();
        Storage one = allocate(2500);
        float[] host = new float[1];
        boolean mode = KernelArgs.packed;
        KernelArgs.packed = !mode;
        double other = median(() -> {
            for (int i = 0; i < 2000; i++) fill(1, 1f, one, 0);
            device.synchronize();
        }, 2000);
        KernelArgs.packed = mode;
        double launch = median(() -> {
            for (int i = 0; i < 2000; i++) fill(1, 1f, one, 0);
            device.synchronize();
        }, 2000);
        double roundTrip = median(() -> {
            for (int i = 0; i < 200; i++) {
                fill(1, 1f, one, 0);
                download(one, 0, host, 0, 1);
            }
        }, 200);
        double dotUs = median(() -> {
            for (int i = 0; i < 200; i++) dot(2500, one, 0, one, 0);
        }, 200);
        int[] idx = new int[200];
        Storage dst = allocate(200);
        double gather = median(() -> {
            for (int i = 0; i < 200; i++) gatherColumns(idx, 1, one, 0, 2500, dst, 0, 200);
            device.synchronize();
        }, 200);
        return String.format(java.util.Locale.ROOT, "%.1f µs per kernel launch (%s arguments; %.1f µs %s), %.1f µs per"
                        + " launch + 4-byte copy back, %.1f µs per dot, %.1f µs per gather of 200 indices", launch,
                mode ? "packed" : "per-argument", other, mode ? "per-argument" : "packed", roundTrip, dotUs, gather);
    }

    private double median(Runnable batch, int per) {
        batch.run();
        double[] t = new double[5];
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            batch.run();
            t[r] = (System.nanoTime() - t0) / 1e3 / per;
        }
        java.util.Arrays.sort(t);
        return t[2];
    }

    // ---- launch shapes and op codes ----------------------------------------------------------------------------------

    /** Blocks across the columns of a rows x cols launch: about 8192 blocks in all, at least one per row. */
    private static int gridX(int rows, int cols) {
        int perRow = (cols + 255) / 256;
        int budget = Math.max(1, 8192 / Math.max(1, Math.min(rows, 65535)));
        return Math.max(1, Math.min(perRow, budget));
    }

    private static int gridY(int rows) {
        return Math.min(rows, 65535);
    }

    /** The codes of jsbi_kernels.cu (U_*), by name so that reordering the enum cannot silently change a kernel. */
    static int unaryCode(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case TANH -> 3;
            case SIGMOID -> 4;
            case SOFTPLUS -> 5;
            case RELU -> 6;
            case SQUARE -> 7;
            case SQRT -> 8;
        };
    }

    static int binaryCode(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
        };
    }

    static int reduceCode(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
            case LOGSUMEXP -> 2;
        };
    }
}
