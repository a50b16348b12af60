package org.jsbi.cuda;

import java.lang.reflect.Method;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendProvider;
import org.jsbi.backend.Probe;

/**
 * The CUDA backend's provider. This module is the skeleton of the CUDA issue: the probe is real (JCuda on the
 * class path, its natives load, {@code cuInit}, a device exists), but the kernels are not written yet, so a machine
 * with a GPU is reported as found and still not usable, with that reason. Everything is reached by reflection so that
 * a missing or broken JCuda is a logged reason, never a crash.
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

    @Override
    public Probe probe() {
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
            return Probe.no(count[0] + " CUDA device(s) found, but the CUDA kernels are not built yet (CUDA issue)");
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
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(libcuda[^:\\s]*): cannot open shared object file")
                .matcher(msg);
        if (m.find()) return m.group(1) + " not found (no NVIDIA driver on this machine)";
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl).trim();
    }

    @Override
    public Backend create() {
        throw new UnsupportedOperationException("the CUDA backend has no kernels yet; its probe never reports usable");
    }
}
