/**
 * Adaptive explicit Runge–Kutta integration of small ODE systems (a few states) with dense output at fixed save
 * times: {@link org.jsbi.sim.ode.Tsit5}, the solver the SBI benchmark's ODE tasks used. One solve is one
 * simulation; batching is over simulations, each with its own solver state reused from solve to solve.
 */
package org.jsbi.sim.ode;
