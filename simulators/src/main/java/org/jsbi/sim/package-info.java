/**
 * Batched simulators (benchmark tasks, Hodgkin–Huxley, ion channels, LN/GLM, Gabor, the STG pyloric network) and
 * their summary features. The simulators arrive with the neuron-simulator, NPE and STG issues; this module exists
 * now so that the build, its dependencies and the CLI are laid out as DESIGN.md lays them out.
 */
package org.jsbi.sim;
