package org.jsbi.simulation;

import java.util.List;

/**
 * A {@link SimulationStore} was created with other settings than the ones given now — another simulator, prior,
 * number of simulations, chunk size, seed or good-row filter — so its chunks cannot be continued with these. The
 * message lists every difference and what to do; {@link #differences()} holds them one per line.
 */
public class StoreMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> differences;

    public StoreMismatchException(String message, List<String> differences) {
        super(message);
        this.differences = List.copyOf(differences);
    }

    /** One line per difference, e.g. {@code seed: 42 in the store, 7 requested}. */
    public List<String> differences() {
        return differences;
    }
}
