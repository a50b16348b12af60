package org.jsbi.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jsbi.simulation.SimulationStore;
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

    @Option(names = "--simulations", required = true, description = "How many parameter sets to draw and simulate.")
    long simulations;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store's folder: new or empty,"
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
        if (simulations < 1) throw new ParameterException(cl, "--simulations must be at least 1, got " + simulations);
        if (chunk < 1 || chunk > StoreConfig.MAX_CHUNK_SIZE) {
            throw new ParameterException(cl, "--chunk must be in 1.." + StoreConfig.MAX_CHUNK_SIZE + ", got " + chunk);
        }
        if ((exportTheta == null) != (exportX == null)) {
            throw new ParameterException(cl, "--export-theta and --export-x go together: give both files or neither");
        }
        BuiltInModels.Model m;
        try {
            m = BuiltInModels.byName(model);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--model: " + e.getMessage());
        }
        PrintStream o = System.out;
        SimulationStore s = SimulationStore.create(store, m.simulator(), m.prior(), simulations,
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
        if (exportTheta != null) {
            for (Path p : new Path[] {exportTheta, exportX}) {
                Path dir = p.toAbsolutePath().getParent();
                if (dir != null) Files.createDirectories(dir);
            }
            long rows = s.export(exportTheta, exportX);
            o.printf(Locale.ROOT, "exported %,d rows to %s and %s%n", rows, exportTheta, exportX);
        }
        o.println("next: jsbi train --store " + store + " --save-posterior " + m.name() + ".jsbi");
        return 0;
    }
}
