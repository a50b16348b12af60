package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jsbi.backend.BackendProvider;
import org.jsbi.backend.Backends;
import org.jsbi.cli.NpeCommandTest.Printed;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code jsbi bench train} and {@code bench simulate}: the warm-up in runs of whole epochs, and bad options. */
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

    /**
     * Every setup is checked before any training, and a bad one is named: 200x0 was a division by zero's stack trace
     * after the simulations, abcx200 only 'For input string: "abc"'. An unknown backend is an option error (exit 2).
     */
    @Test
    void badSetupsAndUnknownBackendsAreOptionErrorsNamedBeforeAnyWork() {
        String[][] cases = {
            {"--setups '200x0': pairs and batch must be at least 1", "--setups", "300x200,200x0"},
            {"--setups '0x200': pairs and batch must be at least 1", "--setups", "0x200"},
            {"--setups takes PAIRSxBATCH, two whole numbers, e.g. 10000x200; got 'abcx200'", "--setups", "abcx200"},
            {"got '200x'", "--setups", "200x"},
            {"got '2x2x2'", "--setups", "2x2x2"},
            {"--setups '100x200': 100 pairs do not fill one training batch of 200 after the validation hold-out;"
                    + " use 222 pairs or more, or a smaller batch", "--setups", "100x200"},
            {"--backends: no backend named 'bogus'; found: ", "--backends", "scalar,bogus", "--setups", "300x200"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 1];
            args[0] = "bench";
            args[1] = "train";
            System.arraycopy(c, 1, args, 2, c.length - 1);
            Printed p = NpeCommandTest.printed(args);
            assertEquals(2, p.run().code(), String.join(" ", args) + "\n" + p.run());
            assertTrue(p.run().err().contains(c[0]), "expected '" + c[0] + "':\n" + p.run());
            assertFalse(p.run().err().contains("\tat "), "no stack trace:\n" + p.run());
            assertFalse(p.out().contains("| pairs |"), "before the table:\n" + p.out());
        }
    }

    /** An unknown implementation is refused before any simulation is timed, not after the rows before it. */
    @Test
    void simulateChecksEveryImplementationBeforeTimingAny() {
        Printed p = NpeCommandTest.printed("bench", "simulate", "--implementations", "simd,bogus", "--cpu-count", "10");
        assertEquals(2, p.run().code(), p.run().toString());
        assertTrue(p.run().err().contains("--implementations are scalar, simd and cuda; got 'bogus'"), p.run().toString());
        assertFalse(p.out().contains("| simd |"), p.out());
    }

    /**
     * Where CUDA cannot run, bench simulate's default implementations (simd,cuda) end in one line before any row, as
     * bench train's --backends cuda does, not with the native library's stack trace after the simd row.
     */
    @Test
    void simulateWithoutAGpuSaysSoBeforeAnyWork() {
        BackendProvider cuda = Backends.providers().stream().filter(b -> b.name().equals("cuda")).findFirst()
                .orElse(null);
        assumeTrue(cuda == null || !cuda.probe().usable(), "a GPU is here: the cuda row runs");
        Printed p = NpeCommandTest.printed("bench", "simulate", "--count", "10", "--cpu-count", "10");
        assertEquals(1, p.run().code(), p.run().toString());
        assertTrue(p.run().err().contains("jsbi bench simulate: implementation 'cuda' is not usable here: "),
                p.run().toString());
        assertTrue(p.run().err().contains("; leave it out with --implementations simd"), p.run().toString());
        assertFalse(p.run().err().contains("\tat "), "no stack trace:\n" + p.run());
        assertFalse(p.out().contains("| simd |"), p.out());
        Printed train = NpeCommandTest.printed("bench", "train", "--backends", "simd,cuda", "--setups", "300x200");
        assertEquals(1, train.run().code(), train.run().toString());
        assertTrue(train.run().err().contains("backend 'cuda' is not usable here: ")
                && train.run().err().contains("; leave it out with --backends simd"), train.run().toString());
    }
}
