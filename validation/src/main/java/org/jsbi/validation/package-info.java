/**
 * Validation against the benchmark: {@link org.jsbi.validation.ReferenceData} reads the sbibm observations and
 * reference posteriors in {@code ../shared/reference}, and {@link org.jsbi.validation.C2st} is sbibm's classifier
 * two-sample test, the metric that compares an algorithm's posterior samples with those references. Simulation-based
 * calibration and the end-to-end reproductions are to come. {@link org.jsbi.validation.ValidationHarness} runs NPE on
 * the benchmark tasks and scores it ({@code jsbi validate}).
 */
package org.jsbi.validation;
