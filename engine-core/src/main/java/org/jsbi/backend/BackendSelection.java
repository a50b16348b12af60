package org.jsbi.backend;

import java.util.List;

/**
 * The outcome of choosing a backend: the one chosen, why, and what every provider's probe said.
 *
 * @param backend  the backend in use
 * @param reason   one line: which backend was chosen and why each preferred one was not
 * @param statuses every provider found, in preference order, with its probe
 * @param byDefault whether no preference was given ({@code -Djsbi.backend} unset), so the best usable was taken
 */
public record BackendSelection(Backend backend, String reason, List<ProviderStatus> statuses, boolean byDefault) {

    /** A provider as found at selection time. */
    public record ProviderStatus(String name, int priority, Probe probe) {
    }
}
