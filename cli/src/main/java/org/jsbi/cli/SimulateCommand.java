package org.jsbi.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.Simulations;
import org.jsbi.simulation.StoreConfig;
import org.jsbi.simulation.StoreListener;
import org.jsbi.simulation.StoreManifest;
import org.jsbi.validation.StopOnShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jsbi simulate}: a built-in model simulated from its prior into a resumable store ({@link SimulationStore}),
 * for {@code jsbi train --store}, and optionally exported as {@code .npy} for other tools.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate a built-in model from its prior into a resumable store: chunks written as they"
                + " finish, so Ctrl-C loses at most the chunk in progress and the same command resumes. Then train"
                + " on it with jsbi train --store."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, completionCandidates = ModelNames.class, description = "The model:"
            + " ${COMPLETION-CANDIDATES}.")
    String model;

    /** The names --model takes, for its help. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BuiltInModels.names().iterator();
        }
    }

    @Option(names = "--simulations", description = "How many parameter sets to draw and simulate.")
    Long simulations;

    @Option(names = "--at", paramLabel = "T1,T2,...", description = "Instead of a store: simulate this one parameter"
            + " set and print its data x, as an observation for jsbi sample (e.g. a synthetic observation at a"
            + " model's ground truth).")
    String at;

    @Option(names = "--store", paramLabel = "DIR", description = "The store's folder: new or empty,"
            + " or a store begun by the same command, which is resumed.")
    Path store;

    @Option(names = "--seed", description = "Seed of the prior draws and the simulator's noise (default:"
            + " ${DEFAULT-VALUE}).")
    long seed = 1L;

    @Option(names = "--chunk", description = "Simulations per chunk, the unit written at once and lost to a kill"
            + " (default: ${DEFAULT-VALUE}).")
    int chunk = 1_024;

    @Option(names = "--export-theta", paramLabel = "FILE", description = "When complete, also write θ of every"
            + " simulation to this .npy file (float32, one row each); needs --export-x.")
    Path exportTheta;

    @Option(names = "--export-x", paramLabel = "FILE", description = "... and x to this one (NaN where a feature is"
            + " undefined).")
    Path exportX;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        BuiltInModels.Model m;
        try {
            m = BuiltInModels.byName(model);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--model: " + e.getMessage());
        }
        if (at != null) {
            if (simulations != null || store != null || exportTheta != null || exportX != null) {
                throw new ParameterException(cl, "--at simulates one parameter set and prints it: leave out"
                        + " --simulations, --store and the exports");
            }
            return simulateOne(cl, m);
        }
        if (simulations == null || store == null) {
            throw new ParameterException(cl, "give --simulations N and --store DIR (or --at T1,T2,... for one"
                    + " parameter set)");
        }
        if (simulations < 1) throw new ParameterException(cl, "--simulations must be at least 1, got " + simulations);
        if (chunk < 1 || chunk > StoreConfig.MAX_CHUNK_SIZE) {
            throw new ParameterException(cl, "--chunk must be in 1.." + StoreConfig.MAX_CHUNK_SIZE + ", got " + chunk);
        }
        if ((exportTheta == null) != (exportX == null)) {
            throw new ParameterException(cl, "--export-theta and --export-x go together: give both files or neither");
        }
        Path thetaOut = exportTheta == null ? null : exportFile(cl, "--export-theta", exportTheta, "theta.npy");
        Path xOut = exportX == null ? null : exportFile(cl, "--export-x", exportX, "x.npy");
        if (thetaOut != null && thetaOut.equals(xOut)) {
            throw new ParameterException(cl, "--export-theta and --export-x name the same file, " + thetaOut + "; give"
                    + " two files");
        }
        PrintStream o = System.out;
        SimulationStore s = SimulationStore.create(store, m.simulator(), m.prior(), simulations.longValue(),
                StoreConfig.defaults().withSeed(seed).withChunkSize(chunk));
        StoreManifest mf = s.manifest();
        o.printf(Locale.ROOT, "jsbi simulate: %s (θ %d-D, x %d-D) from %s into %s: %,d of %,d on disk%n", m.name(),
                mf.parameterDim(), mf.dataDim(), m.prior().describe(), store, s.completedRows(), mf.simulations());
        SimulationStore.RunResult r;
        try (StopOnShutdown stop = StopOnShutdown.install(System.err::println)) {
            r = s.run(m.simulator(), m.prior(), StoreListener.console(o, 10));
        }
        if (!r.complete()) {
            o.printf(Locale.ROOT, "%s: %,d of %,d on disk; the same command resumes%n", r.interrupted() ? "interrupted"
                    : "stopped", r.completedRows(), mf.simulations());
            return r.interrupted() ? NpeCommand.EXIT_INTERRUPTED : 1;
        }
        o.printf(Locale.ROOT, "complete: %,d simulations, %,d with every value finite%n", s.completedRows(),
                s.goodRows());
        if (thetaOut != null) {
            long rows = s.export(thetaOut, xOut);
            o.printf(Locale.ROOT, "exported %,d rows to %s and %s%n", rows, exportTheta, exportX);
        }
        o.println("next: jsbi train --store " + store + " --save-posterior " + m.name() + ".jsbi");
        return 0;
    }

    /**
     * An export's file, checked before the simulations rather than after them: writable (as {@link
     * NpeCommand#writableFile}) and named .npy, the format written, so that a CSV tool is not handed NumPy bytes.
     */
    private static Path exportFile(CommandLine cl, String option, Path file, String example) {
        Path p = NpeCommand.writableFile(cl, option, file.toString(), example);
        if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new ParameterException(cl, option + " " + file + ": the export is a NumPy .npy file (float32, read"
                    + " with np.load); give a name ending in .npy");
        }
        return p;
    }

    /** --at: one simulation (index 0 of --seed's noise) of the given θ, its x printed exactly (shortest round trip). */
    private Integer simulateOne(CommandLine cl, BuiltInModels.Model m) {
        int d = m.simulator().parameterDim();
        float[] theta = NumberList.floats(cl, "--at", at);
        if (theta.length != d) {
            throw new ParameterException(cl, "--at has " + theta.length + " value" + (theta.length == 1 ? "" : "s")
                    + " but " + m.name() + " has " + d + " parameters");
        }
        if (!m.prior().inSupport(theta)) {
            // On stderr: stdout is x alone, so that X=$(jsbi simulate --at ...) captures an observation.
            cl.getErr().println("note: this θ lies outside " + m.name() + "'s prior (" + m.prior().describe() + ")");
            cl.getErr().flush();
        }
        float[] x = Simulations.simulate(m.simulator(), new float[][] {theta}, seed)[0];
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.length; i++) sb.append(i == 0 ? "" : ",").append(x[i]);
        System.out.println(sb);
        return 0;
    }
}
