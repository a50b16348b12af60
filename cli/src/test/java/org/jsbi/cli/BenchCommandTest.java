package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code jsbi bench train}: the warm-up in runs of whole epochs, and bad options. */
class BenchCommandTest {

    private static BenchCommand.Train parse(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "train";
        System.arraycopy(args, 0, all, 2, args.length);
        CommandLine.ParseResult pr = new CommandLine(new Jsbi()).parseArgs(all);
        return (BenchCommand.Train) pr.subcommand().subcommand().commandSpec().userObject();
    }

    @Test
    void warmupRunsAreAboutOneSecondOfWholeEpochs() {
        assertEquals(8.0, parse().warmupSeconds);
        assertEquals(2.5, parse("--warmup-seconds", "2.5").warmupSeconds);
        assertEquals(45, BenchCommand.Train.warmupRun(0.022));   // a MAF epoch on 10,000 pairs, two threads
        assertEquals(1, BenchCommand.Train.warmupRun(4.0));      // 200,000 pairs at batch 10,000 on a CPU
        assertEquals(1000, BenchCommand.Train.warmupRun(0));     // never unbounded
    }

    @Test
    void warmupGoesOnWhileTheJitCompilerIsBusy() {
        assertTrue(BenchCommand.Train.jitQuiet(20, 1.0));      // a stray compile in a warm second
        assertFalse(BenchCommand.Train.jitQuiet(900, 1.0));    // the compiler threads busy most of the run
        assertFalse(BenchCommand.Train.jitQuiet(50, 1.0));     // the bound itself counts as busy
        assertTrue(BenchCommand.Train.jitQuiet(0, 0.01));
    }

    @Test
    void negativeWarmupIsRefusedByName() {
        var err = new java.io.StringWriter();
        int code = Jsbi.commandLine().setErr(new java.io.PrintWriter(err, true))
                .execute("bench", "train", "--backends", "scalar", "--warmup-seconds", "-1");
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("--warmup-seconds"), err.toString());
    }
}
