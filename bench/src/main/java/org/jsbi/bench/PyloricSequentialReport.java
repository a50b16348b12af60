package org.jsbi.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The pyloric-network example with sequential rounds (truncated sequential NPE): round 0 simulates the paper's prior,
 * every later round simulates the prior truncated to the previous round's posterior for x_o, and every inference
 * trains on all rounds' triphasic networks pooled. Each round's store and posterior go to {@code DIR/round-k} and
 * {@code DIR/round-k-posterior}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.PyloricSequentialReport \
 *     DIR N0 N_ROUND ROUNDS [EXTRA_ROUND0_STORE ...]
 * </pre>
 * N0 networks from the prior in round 0 (EXTRA_ROUND0_STORE: further prior stores, made with other seeds, pooled into
 * round 0; N0 = 0 uses only those), then ROUNDS rounds of N_ROUND networks each. Interrupting (Ctrl-C) keeps every finished chunk and
 * posterior; the same command resumes: a finished posterior ({@code summary.md} and the proposal present) is reused,
 * never retrained, since the next round's store is tied to its estimator's checksum. Seeds: round k uses
 * 1000 + k. Exit codes as {@link PyloricInferenceReport}.
 */
public final class PyloricSequentialReport {

    private PyloricSequentialReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: PyloricSequentialReport DIR N0 N_ROUND ROUNDS [EXTRA_ROUND0_STORE ...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long n0 = parse(args[1]), nRound = parse(args[2]);
        int rounds = Integer.parseInt(args[3]);
        List<Path> extra = new ArrayList<>();
        for (int i = 4; i < args.length; i++) extra.add(Path.of(args[i]));
        PrintWriter console = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        System.exit(run(dir, n0, nRound, rounds, extra, console));
    }

    private static long parse(String s) {
        return Long.parseLong(s.replace("_", "").replace(",", ""));
    }

    /** Seed of round k's store. */
    static long seed(int round) {
        return 1000L + round;
    }

    static int run(Path dir, long n0, long nRound, int rounds, List<Path> extra, PrintWriter console)
            throws IOException {
        if (n0 < 0 || nRound < 1 || rounds < 0 || (n0 == 0 && extra.isEmpty())) {
            throw new IllegalArgumentException("N0 must be >= 1 (or 0 with extra round-0 stores), N_ROUND >= 1 and"
                    + " ROUNDS >= 0");
        }
        List<Path> stores = new ArrayList<>(extra);
        List<String> lines = new ArrayList<>();
        Path proposal = null;
        for (int k = 0; k <= rounds; k++) {
            Path store = dir.resolve("round-" + k), out = dir.resolve("round-" + k + "-posterior");
            long n = k == 0 ? n0 : nRound;
            console.println(String.format(Locale.ROOT, "%n=== round %d: %,d networks from %s", k, n,
                    proposal == null ? "the prior" : "the prior truncated to round " + (k - 1) + "'s posterior"));
            console.flush();
            long t0 = System.nanoTime();
            if (k == 0 && n == 0) {
                console.println("round 0 is the given stores: " + extra);
            } else {
                if (!simulate(store, n, seed(k), proposal, console)) return 130;
                stores.add(store);
            }
            double simSeconds = (System.nanoTime() - t0) * 1e-9;
            Path next = out.resolve(PyloricInference.PROPOSAL_FILE);
            String summary;
            if (Files.isRegularFile(out.resolve("summary.md")) && Files.isRegularFile(next)) {
                console.println("round " + k + "'s posterior is already in " + out + "; reusing it");
                summary = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
            } else {
                try {
                    summary = PyloricInference.run(PyloricInference.Settings.defaults(stores, out), console).summary();
                } catch (InsufficientSimulationsException | PaperDataException | SimulationStoreException e) {
                    console.println("PyloricSequentialReport: " + e.getMessage());
                    console.flush();
                    return 2;
                }
            }
            lines.add(String.format(Locale.ROOT, "round %d (simulated this run in %s): %s", k,
                    StoreListener.duration(simSeconds), ppcLine(summary)));
            proposal = next;
        }
        console.println();
        console.println("=== predictive checks by round (all 18 features defined, of 500; paper: 80% / 23%)");
        for (String l : lines) console.println(l);
        console.flush();
        return 0;
    }

    /** Fills (or resumes) one round's store; false when interrupted before it is complete. */
    private static boolean simulate(Path store, long n, long seed, Path proposal, PrintWriter console)
            throws IOException {
        try (StopOnShutdown stop = StopOnShutdown.install(msg -> {
            console.println(msg);
            console.flush();
        })) {
            return PyloricSimulation.run(new PyloricSimulation.Settings(store, n, seed, null, proposal), console, 30,
                    StoreListener.NONE).run().complete();
        }
    }

    /** The summary's two predictive-check rows, condensed. */
    static String ppcLine(String summary) {
        String post = "?", fact = "?", rows = "?";
        for (String l : summary.split("\n")) {
            if (l.startsWith("| **PPC: all 18 features defined, posterior**")) post = l.split("\\|")[2].strip();
            if (l.startsWith("| **PPC: all 18 features defined, factorised posterior**")) fact = l.split("\\|")[2].strip();
            if (l.startsWith("| training set")) rows = l.split("\\|")[2].strip();
        }
        return ("training rows " + rows + "; posterior " + post + ", factorised " + fact).replace("**", "");
    }
}
