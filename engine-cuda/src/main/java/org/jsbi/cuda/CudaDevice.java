package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA device and its primary context, opened once per JVM: the device is chosen with
 * {@code -Djsbi.cuda.device=N} (default 0). Every thread that calls into the backend makes the context current first
 * ({@link #makeCurrent()}), since the driver API keeps the current context per thread. Everything the backend does goes
 * to the legacy default stream, so work is ordered across threads and a copy to the host waits for the kernels
 * before it.
 */
public final class CudaDevice {

    private static volatile CudaDevice shared;

    private final int ordinal;
    private final CUcontext context = new CUcontext();
    private final String name;
    private final long totalBytes;
    private final int ccMajor, ccMinor, multiprocessors, driverVersion;
    private final CudaKernels kernels;
    private final DevicePool pool;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    private CudaDevice(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] count = new int[1];
        cuDeviceGetCount(count);
        if (ordinal < 0 || ordinal >= count[0]) {
            throw new IllegalArgumentException("-Djsbi.cuda.device=" + ordinal + " but this machine has " + count[0]
                    + " CUDA device(s), numbered from 0");
        }
        this.ordinal = ordinal;
        CUdevice dev = new CUdevice();
        cuDeviceGet(dev, ordinal);
        byte[] buf = new byte[256];
        cuDeviceGetName(buf, buf.length, dev);
        int len = 0;
        while (len < buf.length && buf[len] != 0) len++;
        name = new String(buf, 0, len, java.nio.charset.StandardCharsets.US_ASCII);
        long[] mem = new long[1];
        cuDeviceTotalMem(mem, dev);
        totalBytes = mem[0];
        ccMajor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        multiprocessors = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        int[] v = new int[1];
        cuDriverGetVersion(v);
        driverVersion = v[0];
        cuDevicePrimaryCtxRetain(context, dev);
        makeCurrent();
        kernels = CudaKernels.load();
        pool = new DevicePool(this);
    }

    private static int attribute(CUdevice dev, int attr) {
        int[] out = new int[1];
        cuDeviceGetAttribute(out, attr, dev);
        return out[0];
    }

    /** The device of this JVM, opened on first use; throws with the driver's error when it cannot be opened. */
    public static CudaDevice shared() {
        CudaDevice d = shared;
        if (d == null) {
            synchronized (CudaDevice.class) {
                d = shared;
                if (d == null) {
                    String prop = System.getProperty("jsbi.cuda.device", "0").trim();
                    int ordinal;
                    try {
                        ordinal = Integer.parseInt(prop);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("-Djsbi.cuda.device=" + prop
                                + " is not a device number (0, 1, ...)");
                    }
                    d = new CudaDevice(ordinal);
                    shared = d;
                }
            }
        }
        return d;
    }

    /** Makes this device's context current on the calling thread (once per thread). */
    public void makeCurrent() {
        if (!current.get()) {
            cuCtxSetCurrent(context);
            current.set(true);
        }
    }

    /** Waits for all queued work: for timing, and before reading results by other means than a copy. */
    public void synchronize() {
        makeCurrent();
        cuCtxSynchronize();
    }

    public CudaKernels kernels() {
        return kernels;
    }

    public DevicePool pool() {
        return pool;
    }

    public int ordinal() {
        return ordinal;
    }

    public String name() {
        return name;
    }

    public long totalBytes() {
        return totalBytes;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    /** E.g. "NVIDIA H100 80GB HBM3 (device 0, sm_90, 132 SMs, 79.1 GiB, driver CUDA 13.0)". */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s (device %d, sm_%d%d, %d SMs, %.1f GiB, driver CUDA %d.%d)",
                name, ordinal, ccMajor, ccMinor, multiprocessors, totalBytes / (double) (1L << 30),
                driverVersion / 1000, driverVersion % 1000 / 10);
    }
}
