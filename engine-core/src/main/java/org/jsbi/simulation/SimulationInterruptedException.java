package org.jsbi.simulation;

/**
 * A simulation run, or the training right after it, was interrupted; {@link #completed()} holds every simulation
 * finished before the interruption.
 */
public final class SimulationInterruptedException extends RuntimeException {

    private final transient SimulationSet completed;

    public SimulationInterruptedException(SimulationSet completed) {
        super("simulation interrupted after " + completed.simulated() + " simulations; the finished ones are kept");
        this.completed = completed;
    }

    /** Interrupted while {@code cause} (drawing the parameter sets, say) was under way. */
    public SimulationInterruptedException(SimulationSet completed, Throwable cause) {
        super("simulation interrupted after " + completed.simulated() + " simulations; the finished ones are kept ("
                + cause.getMessage() + ")", cause);
        this.completed = completed;
    }

    /** With the whole message given: the simulations all finished, and what came after them was interrupted. */
    public SimulationInterruptedException(String message, SimulationSet completed, Throwable cause) {
        super(message, cause);
        this.completed = completed;
    }

    public SimulationSet completed() {
        return completed;
    }
}
