package org.jsbi.simd;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Asks HotSpot's C2 always to inline {@link SimdMath}'s vector functions into jsbi's kernels, through a compiler
 * directive (JEP 165) added at run time with the {@code Compiler.directives_add} diagnostic command.
 *
 * <p>Why: a Vector API value stays in registers only while every method it passes through is inlined; across a call
 * that C2 did not inline it is boxed on the heap, and the kernel runs 3–30× slower. C2 refuses to inline a callee that
 * it has already compiled on its own into more than InlineSmallCode / 4 bytes of code when the call site is not hot
 * ("already compiled into a medium method"). {@code SimdMath.exp} compiles to about 1,400 bytes with 512-bit vectors
 * (AVX-512), so whether a kernel's exp was inlined depended on which compilations happened first: on an AVX-512
 * machine about one run in four of {@code SimdAllocationTest} found the exp kernel boxed (12 KB per call of 1,021
 * floats) for good. The JDK's own vector classes avoid this with {@code @ForceInline}, which only the JDK may use;
 * a directive is the supported way for other code. It matches only compilations of jsbi's own methods and forces
 * only the inlining of jsbi's functions of vectors (SimdMath's, each a few dozen vector operations, and three small
 * helpers), so nothing else in the JVM changes.
 *
 * <p>The same directive keeps C1 off {@link SimdGemm}'s methods, so that they go from the interpreter straight to C2.
 * C1 does not compile the Vector API to vector instructions, and on the unrolled tiles it can fail: its OSR compile of
 * {@code half8MaskedAdd} (8 accumulators, masked loads) stopped with "out of virtual registers in LIR generator", and
 * the method then stayed in its tier-2 code, with every vector boxed, for the rest of the run. That took a
 * gaussian_linear training (the input gradient of each 10-D MADE, 10 x 200 x 50 added into a gradient) from about
 * 37 to 41 ms an epoch, and a 50 x 200 x 50 masked product with beta = 1 from 8 to 91 µs alone.
 *
 * <p>The same inlining list also keeps C2 from inlining the unary kernels' loop bodies ({@code UnaryKernels}'
 * {@code full} methods) into their callers: where the padded loop's call of {@code full} had seen one or two kernels
 * when it was compiled, C2 inlined them there, deep enough that the vector operations of the tanh inside were not
 * intrinsified, and tanh ran boxed for the rest of the run (MAF sampling at 10-D on two threads: 58–65 ms in 3 of 7
 * runs, 28–41 in the others; every run fast with the rule). Compiled on its own, a loop body inlines its function
 * as a root compilation; the call costs one call per kernel call. {@code DenseEpilogue}'s methods (a dense layer's
 * bias, addend and tanh in one pass) are kept out of their callers for the same reason, and so is
 * {@code SimdBackend.denseEpilogue}, which calls them.
 *
 * <p>Where the platform has no such command (another JVM, or management disabled) nothing happens and the kernels
 * are as before: right, and fast whenever C2 inlines them anyway. {@code -Djsbi.jit.directives=false} turns it off.
 */
final class JitDirectives {

    /** Every method that takes or returns a vector (all of SimdMath, and eight helpers elsewhere); a new one goes here. */
    private static final String INLINE = "inline: [\"+org/jsbi/simd/SimdMath.*\", "
            + "\"+org/jsbi/simd/SimdGemm.pair\", \"+org/jsbi/simd/SimdGemm.twoTable\", \"+org/jsbi/simd/SimdGemm.shortStore\", "
            + "\"+org/jsbi/simd/SimdGemm.tailLoad\", "
            + "\"+org/jsbi/simd/SimdBackend.load\", \"+org/jsbi/simd/SimdBackend.store\", "
            + "\"+org/jsbi/simd/SimdBackend.maxGrad\", \"+org/jsbi/simd/SimdBackend.lseGrad\", \"-org/jsbi/simd/UnaryKernels*.full\", \"-org/jsbi/simd/DenseEpilogue.*\", "
            + "\"-org/jsbi/simd/SimdBackend.denseEpilogue\"]";

    /**
     * The directive: compilations of any org.jsbi method inline {@link #INLINE}'s methods, and SimdGemm's methods are
     * not compiled by C1 (the first block that matches a method applies, so SimdGemm's block repeats the inlining).
     */
    static final String DIRECTIVE = "[{ match: [\"org/jsbi/simd/SimdGemm.*\"], c1: { Exclude: true }, " + INLINE
            + " }, { match: [\"org/jsbi/*.*\"], " + INLINE + " }]";

    /** What the diagnostic command answers when it has added {@link #DIRECTIVE}'s blocks. */
    private static final String ADDED = "2 compiler directives added";

    private static volatile String outcome = "not tried";
    private static Thread installer;

    private JitDirectives() {
    }

    /** What {@link #install} did: "added", "off", "installing", or why not. */
    static String outcome() {
        return outcome;
    }

    /**
     * Starts adding the directive, once, on a daemon thread: the platform MBean server that carries the command takes
     * about 0.3 s to start, which a short command should not wait for, and kernels reach C2 only after thousands of
     * calls, by when it is in place. (Whether a method is inlined never changes a result, only its speed.) Safe to
     * call from a static initializer (never throws).
     */
    static synchronized void install() {
        if (!outcome.equals("not tried")) return;
        if ("false".equalsIgnoreCase(System.getProperty("jsbi.jit.directives", "true").trim())) {
            outcome = "off";
            return;
        }
        outcome = "installing";
        installer = new Thread(JitDirectives::add, "jsbi-jit-directives");
        installer.setDaemon(true);
        installer.start();
    }

    private static volatile boolean settled;

    /**
     * Called by SimdGemm's entry points: the first call waits (at most {@link #FIRST_USE_WAIT_MS}) for
     * {@link #install} to finish, so that no SimdGemm method runs, and none is compiled by C1, before the directive
     * keeps C1 off them; a method C1 compiled before it arrived kept that code (a run whose first products started
     * within the 0.2 s the install takes ran them 80 times slower). Jobs reach their first product later than that
     * (data, simulations), so they rarely wait; after the first call this is one volatile read.
     */
    static void beforeFirstProduct() {
        if (settled) return;
        try {
            await(FIRST_USE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // the caller's interrupt stays set; the product runs anyway
        }
        settled = true;
    }

    /** The longest {@link #beforeFirstProduct} waits; the install takes about 0.2 s here. */
    static final long FIRST_USE_WAIT_MS = 5_000;

    /** Waits up to {@code millis} for {@link #install}'s thread; returns {@link #outcome}. */
    static String await(long millis) throws InterruptedException {
        Thread t;
        synchronized (JitDirectives.class) {
            t = installer;
        }
        if (t != null) t.join(millis);
        return outcome;
    }

    private static void add() {
        Path file = null;
        try {
            file = Files.createTempFile("jsbi-jit", ".json");
            // This thread is a daemon: a JVM that exits while it runs (a short command, a test fork) skips the
            // finally below, and each such run left a file in the temporary directory. The exit hook covers that.
            file.toFile().deleteOnExit();
            Files.writeString(file, DIRECTIVE);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object reply = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}},
                    new String[] {String[].class.getName()});
            String text = String.valueOf(reply).trim();
            outcome = text.contains(ADDED) ? "added" : "refused: " + text;
        } catch (Throwable t) {
            // No diagnostic command on this platform: the kernels work without it.
            outcome = "unavailable: " + t;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception ignored) {
                    // deleteOnExit removes it at the latest when the JVM exits
                }
            }
        }
    }
}
