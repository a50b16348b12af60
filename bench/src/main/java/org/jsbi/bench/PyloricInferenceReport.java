package org.jsbi.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jsbi.sim.channel.PaperDataException;
import org.jsbi.simulation.SimulationStoreException;
import org.jsbi.simulation.StoreListener;
import org.jsbi.validation.InsufficientSimulationsException;
import org.jsbi.validation.PyloricInference;
import org.jsbi.validation.PyloricSimulation;
import org.jsbi.validation.StopOnShutdown;

/**
 * The pyloric-network example end to end in one command: simulate a budget of N networks from the paper's prior into a
 * resumable store (Ctrl-C keeps the finished chunks; the same command resumes), then train NPE on the triphasic ones,
 * sample the posterior for the experimental x_o and run the paper's posterior predictive check, and print the summary
 * (also written to {@code OUT/summary.md}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.PyloricInferenceReport \
 *     N STORE_DIR [OUT_DIR [MIN_TRIPHASIC [MAX_EPOCHS]]]
 * </pre>
 * OUT_DIR defaults to STORE_DIR-posterior, MIN_TRIPHASIC to 1,000, MAX_EPOCHS to 1,000. Run it from the project
 * folder (x_o is read from ../shared/paper-data/stg, found from the working directory) or name the paper-data folder
 * with -Djsbi.paperdata.dir. Exit codes: 0 done, 130 interrupted (resumable), 2 too few triphasic networks (the
 * message says how many more to simulate) or missing data.
 */
public final class PyloricInferenceReport {

    private PyloricInferenceReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: PyloricInferenceReport N STORE_DIR [OUT_DIR [MIN_TRIPHASIC [MAX_EPOCHS]]]");
            System.exit(2);
        }
        long n = Long.parseLong(args[0].replace("_", "").replace(",", ""));
        Path store = Path.of(args[1]);
        Path out = args.length > 2 ? Path.of(args[2]) : store.resolveSibling(store.getFileName() + "-posterior");
        int minTriphasic = args.length > 3 ? Integer.parseInt(args[3]) : PyloricInference.DEFAULT_MIN_TRIPHASIC;
        int maxEpochs = args.length > 4 ? Integer.parseInt(args[4]) : 1_000;
        PrintWriter console = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        System.exit(run(n, store, out, minTriphasic, maxEpochs, console));
    }

    static int run(long n, Path store, Path out, int minTriphasic, int maxEpochs, PrintWriter console)
            throws IOException {
        long t0 = System.nanoTime();
        PyloricSimulation.Result sim;
        try (StopOnShutdown stop = StopOnShutdown.install(msg -> {
            console.println(msg);
            console.flush();
        })) {
            sim = PyloricSimulation.run(new PyloricSimulation.Settings(store, n, null, null), console, 30,
                    StoreListener.NONE);
            if (!sim.run().complete()) return 130;
        }
        double simSeconds = (System.nanoTime() - t0) * 1e-9;
        PyloricInference.Result r;
        try {
            r = PyloricInference.run(PyloricInference.Settings.defaults(List.of(store), out).withMinTriphasic(minTriphasic)
                    .withMaxEpochs(maxEpochs), console);
        } catch (InsufficientSimulationsException | PaperDataException | SimulationStoreException e) {
            console.println("PyloricInferenceReport: " + e.getMessage());
            console.flush();
            return 2;
        }
        console.println();
        console.print(r.summary());
        console.println(String.format(Locale.ROOT, "%nwall time: simulation (this run) %s, inference %s; written to %s",
                StoreListener.duration(simSeconds), StoreListener.duration((System.nanoTime() - t0) * 1e-9 - simSeconds),
                out.toAbsolutePath()));
        console.flush();
        return 0;
    }
}
