package org.jsbi.backend;

/** Reductions along an axis or over a whole run. The empty reduction gives the identity: 0, -inf, -inf. */
public enum ReduceOp {
    SUM, MAX, LOGSUMEXP;

    public float identity() {
        return this == SUM ? 0f : Float.NEGATIVE_INFINITY;
    }
}
