/**
 * Validation against the benchmark: {@link org.jsbi.validation.ReferenceData} reads the sbibm observations and
 * reference posteriors in {@code ../shared/reference}, and {@link org.jsbi.validation.C2st} is sbibm's classifier
 * two-sample test, the metric that compares an algorithm's posterior samples with those references. Simulation-based
 * calibration and the other end-to-end reproductions are to come. {@link org.jsbi.validation.ValidationHarness} runs
 * NPE on the benchmark tasks and scores it ({@code jsbi validate}). The paper's pyloric-network example is
 * {@link org.jsbi.validation.PyloricSimulation} (a resumable store of prior simulations) and
 * {@link org.jsbi.validation.PyloricInference} (NPE on its triphasic networks, the posterior for the experimental x_o
 * and the predictive check; {@code jsbi pyloric}).
 */
package org.jsbi.validation;
