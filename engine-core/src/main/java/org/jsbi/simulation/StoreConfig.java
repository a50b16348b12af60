package org.jsbi.simulation;

/**
 * Settings of a {@link SimulationStore}: how many simulations go in one chunk (the unit of work that is written,
 * checksummed and redone after a crash), the seed, and which rows count as good in the progress report.
 *
 * <p>The data of a store depend only on the seed and the chunk size (and the simulator and prior), never on threads,
 * interruptions or resumes: the same settings give the same bytes.
 *
 * @param chunkSize simulations per chunk; larger chunks amortise the per-chunk fsync of fast simulators, smaller ones
 *                  lose less work on a crash and report progress more often (default 1024)
 * @param seed      the seed of the prior draws and of the simulator's noise
 * @param goodRow   the rows counted as good in progress reports (default: all values finite)
 */
public record StoreConfig(int chunkSize, long seed, RowFilter goodRow) {

    /** The largest chunk: a chunk's arrays must fit in one Java array with room to spare. */
    public static final int MAX_CHUNK_SIZE = 1 << 24;

    public StoreConfig {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be in 1.." + MAX_CHUNK_SIZE + ", got " + chunkSize);
        }
        if (goodRow == null) throw new IllegalArgumentException("the good-row filter must be given (RowFilter.all() to"
                + " count every row)");
    }

    /** Chunks of 1024, seed 0, good rows = all values finite. */
    public static StoreConfig defaults() {
        return new StoreConfig(1024, 0L, RowFilter.allFinite());
    }

    public StoreConfig withChunkSize(int v) {
        return new StoreConfig(v, seed, goodRow);
    }

    public StoreConfig withSeed(long v) {
        return new StoreConfig(chunkSize, v, goodRow);
    }

    public StoreConfig withGoodRow(RowFilter v) {
        return new StoreConfig(chunkSize, seed, v);
    }
}
