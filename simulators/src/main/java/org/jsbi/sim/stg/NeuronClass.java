package org.jsbi.sim.stg;

/**
 * What one neuron does in the window, as the paper's code classifies it (for counting and reports: no feature
 * depends on it). With rate = spikes · 1000 / {@link PyloricFeatureConfig#tMaxMs()}: silent if rate ≤ 1, else tonic
 * if rate ≥ 30, else bursting if it has ≥ 2 kept bursts and kept bursts / spikes ≥ 0.5, else non-bursting.
 */
public enum NeuronClass {
    SILENT,
    TONIC,
    BURSTING,
    NON_BURSTING,
    /** A filtered sample was not finite (the simulation diverged). */
    DIVERGED
}
