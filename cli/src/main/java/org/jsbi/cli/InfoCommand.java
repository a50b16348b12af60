package org.jsbi.cli;

import java.util.concurrent.Callable;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendSelection;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.SelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jsbi info}: which backends exist here, which was chosen and why, and a short kernel self-test. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the backends found, the one chosen and why, SIMD width, threads; run a kernel self-test.")
final class InfoCommand implements Callable<Integer> {

    @Option(names = "--no-self-test", description = "Skip the kernel self-test.")
    boolean noSelfTest;

    @Option(names = "--seed", description = "Seed of the self-test's random inputs (default: ${DEFAULT-VALUE}).")
    long seed = 1L;

    @Override
    public Integer call() {
        BackendSelection sel = Backends.selection();
        System.out.println("jsbi on Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        System.out.println("threads: " + Parallel.threads() + " (-Djsbi.threads)");
        System.out.println("backends found (best first):");
        for (BackendSelection.ProviderStatus s : sel.statuses()) {
            System.out.printf("  %-7s %-10s %s%n", s.name(), s.probe().usable() ? "usable" : "not usable",
                    s.probe().reason());
        }
        System.out.println("chosen: " + sel.reason());
        System.out.println("        " + sel.backend().describe());
        Backend narrow = Backends.forTrainingQuietly(200);
        if (narrow != sel.backend()) {
            System.out.println("training: batches narrower than " + Backends.minTrainingBatchOnDevice() + " run on "
                    + narrow.name() + ", where the host is faster (-Djsbi.cuda.minTrainingBatch=N moves this;"
                    + " -Djsbi.backend=" + sel.backend().name() + " trains on " + sel.backend().name()
                    + " at any batch)");
        }
        if (noSelfTest) return 0;
        System.out.println("kernel self-test against the scalar reference:");
        boolean ok = true;
        for (Backend be : new Backend[] {sel.backend()}) {
            SelfTest.Report report = SelfTest.run(be, seed);
            for (SelfTest.Check c : report.checks()) {
                System.out.printf("  %-6s %-34s %s (max rel. error %.2g)%n", be.name(), c.name(),
                        c.passed() ? "ok" : "FAILED: " + c.detail(), c.maxRelativeError());
            }
            System.out.printf("  %-6s matmul 256x256x256: %.1f GFLOP/s on %d thread(s)%n", be.name(),
                    report.gemmGflops(), Parallel.threads());
            ok &= report.passed();
        }
        System.out.println(ok ? "self-test passed" : "self-test FAILED: this backend computes wrong results here;"
                + " run with -Djsbi.backend=scalar and report the lines above");
        return ok ? 0 : 1;
    }
}
