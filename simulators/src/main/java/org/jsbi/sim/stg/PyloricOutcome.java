package org.jsbi.sim.stg;

/**
 * Why a network's gap, delay and phase features are or are not defined (feature 5, the PM→LP gap, is finite exactly
 * for {@link #TRIPHASIC}; the paper trains only on those). Checked in the order listed from the bottom up: a diverged
 * simulation is {@link #DIVERGED} whatever else holds.
 */
public enum PyloricOutcome {
    /** At least 90% of the periods between consecutive PM burst starts hold exactly one burst start of each neuron. */
    TRIPHASIC,
    /** Every neuron has kept bursts, but fewer than 90% of the periods are triphasic. */
    NOT_TRIPHASIC,
    /** PM has ≥ 2 kept bursts but LP or PY has none: no period can be triphasic. */
    LP_OR_PY_NO_BURSTS,
    /** PM (AB/PD) has fewer than 2 kept bursts, so there is no cycle period: every feature but LP's and PY's burst
     *  durations is NaN (PM's own duration and plateau are defined when it has one burst). */
    PM_NOT_BURSTING,
    /** Some neuron's trace was not finite: all 18 features are NaN. */
    DIVERGED;

    public boolean isTriphasic() {
        return this == TRIPHASIC;
    }
}
