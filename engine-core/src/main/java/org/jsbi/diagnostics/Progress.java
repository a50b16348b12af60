package org.jsbi.diagnostics;

/** Reports how many units of a diagnostic's work are done, after each batch. */
@FunctionalInterface
public interface Progress {

    void update(long done, long total);

    Progress NONE = (done, total) -> { };
}
