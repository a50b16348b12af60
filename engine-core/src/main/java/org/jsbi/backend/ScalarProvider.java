package org.jsbi.backend;

/** Provides the scalar reference backend, which is always usable. */
public final class ScalarProvider implements BackendProvider {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Probe probe() {
        return Probe.ok("plain Java loops, always available");
    }

    @Override
    public Backend create() {
        return new ScalarBackend();
    }
}
