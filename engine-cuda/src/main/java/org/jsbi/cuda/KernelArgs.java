package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.CU_LAUNCH_PARAM_BUFFER_POINTER;
import static jcuda.driver.JCudaDriver.CU_LAUNCH_PARAM_BUFFER_SIZE;
import static jcuda.driver.JCudaDriver.CU_LAUNCH_PARAM_END;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUfunction;

/**
 * The arguments of one kernel launch, in the order of the kernel's C signature, each with its C type: {@code i} for
 * int, {@code l} for long long, {@code f} for float, {@code p} for a device pointer. Then {@link #launch} with a grid
 * and a block.
 *
 * <p>Two ways to hand them to the driver ({@code -Djsbi.cuda.launch=packed|params}): packed (the default) writes all
 * arguments into one buffer laid out as the kernel's parameter block (each at its natural alignment, the block's size
 * exact) and passes it with {@code CU_LAUNCH_PARAM_BUFFER_POINTER}; params passes one pointer per argument, which JCuda
 * marshals one by one. On the H200 machine packed took a MAF epoch at batch 200 from 0.256 s to 0.152 s; both pass
 * every GPU test. {@link CudaBackend#overheadReport()} measures both.
 */
final class KernelArgs {

    private static final byte INT = 0, LONG = 1, FLOAT = 2, PTR = 3;
    static volatile boolean packed = !"params".equals(System.getProperty("jsbi.cuda.launch", "packed"));

    /** The driver copies the parameter block when the launch is queued, so each thread can reuse one buffer. */
    private static final ThreadLocal<ByteBuffer> BLOCK = ThreadLocal.withInitial(() ->
            ByteBuffer.allocateDirect(1024).order(ByteOrder.nativeOrder()));

    private long[] values = new long[16];
    private byte[] kinds = new byte[16];
    private int n;

    static KernelArgs args() {
        return new KernelArgs();
    }

    KernelArgs i(int v) {
        return add(INT, v);
    }

    KernelArgs l(long v) {
        return add(LONG, v);
    }

    KernelArgs f(float v) {
        return add(FLOAT, Float.floatToRawIntBits(v));
    }

    KernelArgs p(DevicePointer v) {
        return add(PTR, v.address());
    }

    KernelArgs p(CudaStorage s) {
        return p(s.pointer());
    }

    private KernelArgs add(byte kind, long v) {
        if (n == values.length) {
            values = Arrays.copyOf(values, n * 2);
            kinds = Arrays.copyOf(kinds, n * 2);
        }
        values[n] = v;
        kinds[n++] = kind;
        return this;
    }

    /** Queues the kernel on the default stream; nothing is launched for an empty grid. */
    void launch(CUfunction f, int gridX, int gridY, int blockX, int blockY) {
        launch(f, gridX, gridY, 1, blockX, blockY);
    }

    void launch(CUfunction f, int gridX, int gridY, int gridZ, int blockX, int blockY) {
        if (gridX <= 0 || gridY <= 0 || gridZ <= 0) return;
        if (packed) {
            ByteBuffer buf = BLOCK.get();
            if (8 * n + 8 > buf.capacity()) {
                throw new IllegalStateException("a kernel with " + n + " arguments does not fit the parameter block");
            }
            int off = 0;
            for (int k = 0; k < n; k++) {
                if (kinds[k] == LONG || kinds[k] == PTR) {
                    off = (off + 7) & ~7;
                    buf.putLong(off, values[k]);
                    off += 8;
                } else {
                    buf.putInt(off, (int) values[k]);
                    off += 4;
                }
            }
            long size = off;   // the parameter block's size exactly: the driver rejects a padded one
            Pointer extra = Pointer.to(CU_LAUNCH_PARAM_BUFFER_POINTER, Pointer.toBuffer(buf),
                    CU_LAUNCH_PARAM_BUFFER_SIZE, Pointer.to(new long[] {size}), CU_LAUNCH_PARAM_END);
            cuLaunchKernel(f, gridX, gridY, gridZ, blockX, blockY, 1, 0, null, null, extra);
        } else {
            Pointer[] ps = new Pointer[n];
            for (int k = 0; k < n; k++) {
                ps[k] = switch (kinds[k]) {
                    case INT -> Pointer.to(new int[] {(int) values[k]});
                    case FLOAT -> Pointer.to(new float[] {Float.intBitsToFloat((int) values[k])});
                    default -> Pointer.to(new long[] {values[k]});
                };
            }
            cuLaunchKernel(f, gridX, gridY, gridZ, blockX, blockY, 1, 0, null, Pointer.to(ps), null);
        }
    }

    /** A one-dimensional grid-stride launch over n elements with 256 threads per block. */
    void launch1d(CUfunction f, long n) {
        launch(f, blocks(n), 1, 256, 1);
    }

    /** Blocks for a grid-stride loop over n elements: enough to fill the card, never more than the work needs. */
    static int blocks(long n) {
        return (int) Math.min((n + 255) / 256, 8192);
    }
}
