package org.jsbi.cuda;

import java.lang.reflect.Method;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendProvider;
import org.jsbi.backend.Probe;

/**
 * The CUDA backend's provider. Its probe is a chain of checks, each failure a one-line reason and never a crash:
 * JCuda on the class path, its natives load, {@code cuInit} succeeds, a device exists, and the device opens with
 * jsbi's kernels loaded (the driver accepts the committed PTX). The first checks go through reflection, so this class
 * loads even where JCuda's classes or natives are missing.
 */
public final class CudaProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 30;
    }

    /** The first probe's answer: a failed native load cannot be retried in the same JVM, and its reason is the one
     * worth reporting (later attempts only see "Could not initialize class"). */
    private static volatile Probe cached;

    @Override
    public Probe probe() {
        Probe p = cached;
        if (p == null) {
            synchronized (CudaProvider.class) {
                if (cached == null) cached = firstProbe();
                p = cached;
            }
        }
        return p;
    }

    private static Probe firstProbe() {
        try {
            Class<?> driver;
            try {
                driver = Class.forName("jcuda.driver.JCudaDriver");
            } catch (ClassNotFoundException e) {
                return Probe.no("JCuda is not on the class path");
            }
            try {
                driver.getMethod("setExceptionsEnabled", boolean.class).invoke(null, false);
                Method init = driver.getMethod("cuInit", int.class);
                int rc = (int) init.invoke(null, 0);
                if (rc != 0) return Probe.no("cuInit failed with CUDA error " + rc + " (no driver or no GPU)");
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable c = e.getCause();
                return Probe.no("JCuda natives did not load: " + oneLine(c == null ? e : c));
            } catch (LinkageError e) {
                return Probe.no("JCuda natives did not load: " + oneLine(e));
            }
            int[] count = new int[1];
            int rc = (int) driver.getMethod("cuDeviceGetCount", int[].class).invoke(null, (Object) count);
            if (rc != 0 || count[0] == 0) return Probe.no("no CUDA device (cuDeviceGetCount: " + count[0] + ")");
            try {
                CudaDevice device = CudaDevice.shared();
                return Probe.ok(device.describe());
            } catch (Throwable t) {
                return Probe.no(count[0] + " CUDA device(s) found, but the device did not open: " + oneLine(t));
            }
        } catch (LinkageError e) {
            return Probe.no("JCuda natives did not load: " + oneLine(e));
        } catch (Throwable t) {
            return Probe.no("probe failed: " + t);
        }
    }

    /**
     * JCuda's load errors carry whole stack traces in their message; a probe reason is one line. The usual root cause,
     * a missing driver library, is named when it is there.
     */
    static String oneLine(Throwable t) {
        String msg = String.valueOf(t.getMessage());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(lib[\\w.+-]+): cannot open shared object file")
                .matcher(msg);
        if (m.find()) {
            String lib = m.group(1);
            return lib + " not found" + (lib.startsWith("libcuda.") ? " (no NVIDIA driver on this machine)"
                    : " (a CUDA library of the version JCuda was built for)");
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl).trim();
    }

    @Override
    public Backend create() {
        return CudaBackend.onSharedDevice();
    }
}
