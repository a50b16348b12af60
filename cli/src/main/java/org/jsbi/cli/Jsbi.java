package org.jsbi.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jsbi} command: a thin layer over the library's public API. */
@Command(name = "jsbi", mixinStandardHelpOptions = true, versionProvider = JsbiVersion.class,
        description = "Simulation-based inference for mechanistic models.",
        subcommands = {InfoCommand.class, NpeCommand.class, SimulateCommand.class, TrainCommand.class,
                SampleCommand.class, CorrelationsCommand.class, ValidateCommand.class, BenchCommand.class,
                PyloricCommand.class,
                CommandLine.HelpCommand.class})
public final class Jsbi implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // Plots are drawn off screen: no window, and no connection to a display that a remote shell may name.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line as main runs it: failures the user can act on reported in one line ({@link ErrorReport}). */
    static CommandLine commandLine() {
        return new CommandLine(new Jsbi()).setExecutionExceptionHandler(new ErrorReport());
    }
}
