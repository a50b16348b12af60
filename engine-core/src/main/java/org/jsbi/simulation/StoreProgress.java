package org.jsbi.simulation;

/**
 * Where a {@link SimulationStore} run stands, reported after each chunk is safely on disk.
 *
 * @param done          simulations on disk (this run's and earlier runs'), in completed chunks
 * @param total         simulations the store holds when complete (N)
 * @param chunksDone    completed chunks
 * @param chunks        all chunks
 * @param good          simulations on disk that pass the store's good-row filter
 * @param doneThisRun   simulations this run has written
 * @param seconds       wall time since this run started simulating
 * @param rowsPerSecond this run's rate so far (0 before its first chunk)
 * @param etaSeconds    estimated seconds to completion at that rate ({@code NaN} while unknown, 0 when complete)
 */
public record StoreProgress(long done, long total, int chunksDone, int chunks, long good, long doneThisRun,
                            double seconds, double rowsPerSecond, double etaSeconds) {

    /** The share of the simulations done, in [0, 1]. */
    public double fraction() {
        return total == 0 ? 1 : (double) done / total;
    }

    /** The share of the simulations done that are good ({@code NaN} before any is done). */
    public double goodFraction() {
        return done == 0 ? Double.NaN : (double) good / done;
    }

    public boolean complete() {
        return done == total;
    }
}
