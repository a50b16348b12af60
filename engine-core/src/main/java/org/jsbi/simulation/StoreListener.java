package org.jsbi.simulation;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a {@link SimulationStore} run, called on the thread that runs the store: once when the run starts
 * (with what earlier runs left), then after each chunk is safely on disk. {@link #damagedChunk} reports a chunk
 * that failed its check and will be simulated again.
 */
@FunctionalInterface
public interface StoreListener {

    void progress(StoreProgress progress);

    /** A chunk on disk failed its check (missing file, checksum mismatch, unreadable marker); it is redone. */
    default void damagedChunk(int chunk, String reason) {
    }

    /** Ignores everything. */
    StoreListener NONE = p -> { };

    /** Prints a line to standard error at most every 5 seconds, at the start and on completion. */
    static StoreListener console() {
        return console(System.err, 5.0);
    }

    /**
     * Prints a line to {@code out} at most every {@code intervalSeconds}, at the start of a run and when the store is
     * complete (a run that stops early prints no closing line), e.g.
     * {@code store: 123904/1000000 (12.4%)  2817 sims/s  ETA 5h11m  good 93.1%}; damaged chunks are printed at once.
     */
    static StoreListener console(PrintStream out, double intervalSeconds) {
        return new StoreListener() {
            private double lastPrinted = Double.NEGATIVE_INFINITY;
            private boolean started;

            @Override
            public void progress(StoreProgress p) {
                boolean first = !started;
                started = true;
                if (first || p.complete() || p.seconds() - lastPrinted >= intervalSeconds) {
                    lastPrinted = p.seconds();
                    out.println(line(p));
                }
            }

            @Override
            public void damagedChunk(int chunk, String reason) {
                out.println("store: chunk " + chunk + " is damaged and will be simulated again: " + reason);
            }
        };
    }

    /** One progress line as the console listener prints it. */
    static String line(StoreProgress p) {
        StringBuilder s = new StringBuilder("store: ");
        s.append(p.done()).append('/').append(p.total())
                .append(String.format(Locale.ROOT, " (%.1f%%)", 100 * p.fraction()));
        if (p.doneThisRun() > 0) {
            s.append(String.format(Locale.ROOT, "  %.0f sims/s", p.rowsPerSecond()));
        }
        if (p.complete()) {
            s.append("  complete");
        } else if (Double.isFinite(p.etaSeconds())) {
            s.append("  ETA ").append(duration(p.etaSeconds()));
        }
        if (p.done() > 0) {
            s.append(String.format(Locale.ROOT, "  good %.1f%%", 100 * p.goodFraction()));
        }
        return s.toString();
    }

    /** 59s, 12m03s, 5h11m, 3d04h. */
    static String duration(double seconds) {
        long t = Math.round(seconds);
        if (t < 60) return t + "s";
        if (t < 3600) return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        if (t < 86400) return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
        return String.format(Locale.ROOT, "%dd%02dh", t / 86400, (t % 86400) / 3600);
    }
}
