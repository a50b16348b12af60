package org.jsbi.sim.ode;

/**
 * The right-hand side dy/dt = f(t, y) of an ODE system. Implementations write {@code dydt} and must not keep or
 * modify {@code y}; they are called in the solver's inner loop, so they should not allocate.
 */
@FunctionalInterface
public interface OdeFunction {

    void derivative(double t, double[] y, double[] dydt);
}
