package org.jsbi.train;

/**
 * Training stopped before its first epoch finished, so there are no weights to keep: interrupted
 * ({@link TrainingHistory.StopReason#INTERRUPTED}, the thread's interrupt still set) or diverged in the first epoch.
 * Callers that hold work worth keeping (the simulations, earlier sequential rounds) catch it to hand that back.
 */
public final class NoEpochFinishedException extends IllegalStateException {

    private final TrainingHistory.StopReason reason;

    NoEpochFinishedException(TrainingHistory.StopReason reason) {
        super("training stopped before the first epoch finished (" + reason + "); no weights to keep");
        this.reason = reason;
    }

    /** Why training stopped. */
    public TrainingHistory.StopReason reason() {
        return reason;
    }

    /** Whether an interrupt of the thread stopped it. */
    public boolean interrupted() {
        return reason == TrainingHistory.StopReason.INTERRUPTED;
    }
}
