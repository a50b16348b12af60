package org.jsbi.simd;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendProvider;
import org.jsbi.backend.Probe;

/**
 * Provides the Vector API backend. This class names no Vector API type, so it loads on any JVM; the checks run in
 * order and the first that fails is the reason given.
 */
public final class SimdProvider implements BackendProvider {

    static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Probe probe() {
        // A mistyped setting is the user's error, not the machine's: say so rather than fall back to the scalar
        // backend (its message was lost in an ExceptionInInitializerError, and the run quietly many times slower).
        String bitsSetting = System.getProperty("jsbi.simd.bits");
        if (bitsSetting != null && !bitsSetting.isBlank() && !List.of("128", "256", "512").contains(bitsSetting.trim())) {
            throw new IllegalArgumentException("-Djsbi.simd.bits must be 128, 256 or 512, got '" + bitsSetting + "'");
        }
        try {
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                return Probe.no("module " + MODULE + " is not in the boot layer; run java with --add-modules "
                        + MODULE);
            }
            int feature = Runtime.version().feature();
            if (feature < 25) return Probe.no("needs JDK 25 or newer, this is " + Runtime.version());
            String vmInfo = System.getProperty("java.vm.info", "");
            if (vmInfo.contains("interpreted")) return Probe.no("the JVM runs interpreted (-Xint): no C2, no SIMD");
            List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (String a : args) {
                if (a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
                    return Probe.no("C2 is disabled (" + a + "), so Vector API code would not be compiled to SIMD");
                }
            }
            Class<?> cfg = Class.forName("org.jsbi.simd.SimdConfig");
            int bits = (int) cfg.getMethod("bits").invoke(null);
            int preferred = (int) cfg.getMethod("preferredBits").invoke(null);
            if (preferred < 128) {
                return Probe.no("the CPU's preferred vector is " + preferred + " bits; SIMD needs at least 128");
            }
            return Probe.ok("Vector API, " + bits + "-bit float vectors (" + bits / 32 + " lanes, hardware prefers "
                    + preferred + ")");
        } catch (Throwable t) {
            return Probe.no("probe failed: " + t);
        }
    }

    @Override
    public Backend create() {
        try {
            return (Backend) Class.forName("org.jsbi.simd.SimdBackend").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("SIMD backend failed to start after a usable probe", e);
        }
    }
}
