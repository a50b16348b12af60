package org.jsbi.validation;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Turns Ctrl-C (SIGINT), SIGTERM or {@code System.exit} from another thread into a clean stop of a long run on the
 * current thread: a JVM shutdown hook interrupts the thread that made this object and then waits until that thread
 * {@link #close()}s it, so the run can finish the chunk in progress, write it and print how to resume before the JVM
 * exits. Use it as a try-with-resources around the run:
 *
 * <pre>{@code
 * try (StopOnShutdown stop = StopOnShutdown.install(msg -> System.err.println(msg))) {
 *     store.run(sim, prior, listener);     // returns early, interrupted, after Ctrl-C
 *     ... print the summary ...
 * }                                        // the JVM may exit from here on
 * }</pre>
 *
 * <p>The hook never calls {@code System.exit} and the closing thread must not either while the hook waits: a run that
 * has been interrupted simply returns, and the JVM halts once {@link #close()} releases the hook. A second Ctrl-C
 * cannot hurry it (the JVM ignores signals during shutdown); {@code kill -9} still ends it, losing at most the chunk in
 * progress.
 */
public final class StopOnShutdown implements AutoCloseable {

    private final Thread worker;
    private final Thread hook;
    private final Consumer<String> messages;
    private final String stopping;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean triggered;

    /** What the hook prints when it fires, for a run made of chunks (a store). */
    public static final String CHUNK_MESSAGE = "stopping: finishing the chunk in progress, then saving (kill -9 would lose that"
            + " chunk) ...";

    private StopOnShutdown(Thread worker, Consumer<String> messages, String stopping) {
        this.worker = worker;
        this.messages = messages == null ? m -> { } : messages;
        this.stopping = stopping;
        this.hook = new Thread(this::stop, "jsbi-stop-on-shutdown");
    }

    /** Installs the hook for the current thread; {@code messages} receives the line printed when it fires. */
    public static StopOnShutdown install(Consumer<String> messages) {
        return install(messages, CHUNK_MESSAGE);
    }

    /**
     * As {@link #install(Consumer)}, printing {@code stopping} when the hook fires: what the run does with the work in
     * progress (a run without chunks says so in its own words).
     */
    public static StopOnShutdown install(Consumer<String> messages, String stopping) {
        StopOnShutdown s = new StopOnShutdown(Thread.currentThread(), messages, stopping);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** An instance that is not registered with the JVM: {@link #stop()} is called by hand (for tests). */
    static StopOnShutdown detached(Thread worker, Consumer<String> messages) {
        return new StopOnShutdown(worker, messages, CHUNK_MESSAGE);
    }

    /** Whether a shutdown asked the run to stop. */
    public boolean triggered() {
        return triggered;
    }

    /** The hook's body: interrupt the worker, then wait until it is done with {@link #close()}. */
    void stop() {
        triggered = true;
        if (released.getCount() == 0) return;
        messages.accept(stopping);
        worker.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                released.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Releases a waiting hook and unregisters it (if the JVM is not already shutting down). */
    @Override
    public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run; it returns now that it is released
        }
    }
}
