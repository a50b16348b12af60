package org.jsbi.validation;

/**
 * The simulations on disk hold too few usable rows to train on (for the pyloric network: too few triphasic networks).
 * The message says how many there are, how many are needed and how to get them.
 */
public final class InsufficientSimulationsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long usable;
    private final long needed;

    public InsufficientSimulationsException(String message, long usable, long needed) {
        super(message);
        this.usable = usable;
        this.needed = needed;
    }

    /** Usable rows found. */
    public long usable() {
        return usable;
    }

    /** Usable rows required. */
    public long needed() {
        return needed;
    }
}
