package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;

/**
 * The arguments of one kernel launch, in the order of the kernel's C signature, each with its C type: {@code i} for
 * int, {@code f} for float, {@code p} for a device pointer. Then {@link #launch} with a grid and a block.
 */
final class KernelArgs {

    private Pointer[] args = new Pointer[16];
    private int n;

    static KernelArgs args() {
        return new KernelArgs();
    }

    KernelArgs i(int v) {
        return add(Pointer.to(new int[] {v}));
    }

    KernelArgs l(long v) {
        return add(Pointer.to(new long[] {v}));
    }

    KernelArgs f(float v) {
        return add(Pointer.to(new float[] {v}));
    }

    KernelArgs p(CUdeviceptr v) {
        return add(Pointer.to(v));
    }

    KernelArgs p(CudaStorage s) {
        return p(s.pointer());
    }

    private KernelArgs add(Pointer p) {
        if (n == args.length) args = Arrays.copyOf(args, n * 2);
        args[n++] = p;
        return this;
    }

    /** Queues the kernel on the default stream; nothing is launched for an empty grid. */
    void launch(CUfunction f, int gridX, int gridY, int blockX, int blockY) {
        launch(f, gridX, gridY, 1, blockX, blockY);
    }

    void launch(CUfunction f, int gridX, int gridY, int gridZ, int blockX, int blockY) {
        if (gridX <= 0 || gridY <= 0 || gridZ <= 0) return;
        cuLaunchKernel(f, gridX, gridY, gridZ, blockX, blockY, 1, 0, null,
                Pointer.to(Arrays.copyOf(args, n)), null);
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
