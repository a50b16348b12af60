package org.jsbi.validation;

import java.io.PrintWriter;
import java.util.Locale;
import org.jsbi.diagnostics.Progress;
import org.jsbi.simulation.StoreListener;

/** Progress of a long diagnostic as a terminal line at most every 10 s: done/total, rate and ETA. */
public final class ProgressLines {

    private static final long EVERY_NANOS = 10_000_000_000L;

    private ProgressLines() {
    }

    /** Prints "  done/total unit (p%), r per second, ETA t" to out; the clock starts now. */
    public static Progress every10Seconds(PrintWriter out, String unit) {
        long t0 = System.nanoTime();
        long[] last = {t0};
        return (done, total) -> {
            long now = System.nanoTime();
            if (now - last[0] <= EVERY_NANOS || done >= total) return;
            last[0] = now;
            double rate = done / ((now - t0) * 1e-9);
            out.printf(Locale.ROOT, "  %,d/%,d %s (%.1f%%), %.1f per second, ETA %s%n", done, total, unit,
                    100.0 * done / total, rate, StoreListener.duration((total - done) / rate));
            out.flush();
        };
    }
}
