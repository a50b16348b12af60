package org.jsbi.simulation;

/** Progress of a simulation run, called on the calling thread between chunks. */
@FunctionalInterface
public interface SimulationListener {

    /**
     * @param done      simulations finished so far
     * @param total     simulations requested
     * @param nonFinite finished simulations whose data had a NaN or infinite value
     * @param seconds   wall time since the run started
     */
    void progress(long done, long total, long nonFinite, double seconds);

    SimulationListener NONE = (d, t, n, s) -> { };
}
