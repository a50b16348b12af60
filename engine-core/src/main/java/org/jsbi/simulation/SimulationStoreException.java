package org.jsbi.simulation;

import java.io.IOException;

/**
 * A {@link SimulationStore} directory cannot be used as it is: it is not a store (a non-empty directory without a
 * manifest), its manifest is damaged or of another layout version, another run holds it, or a chunk changed on disk
 * after it was checked. The message names the directory or file and what to do.
 */
public class SimulationStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    public SimulationStoreException(String message) {
        super(message);
    }
}
