package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every built-in model names as many parameters and features as it simulates; the neuron models their own. */
class BuiltInModelsTest {

    @Test
    void namesFitEveryModel() {
        for (String name : BuiltInModels.names()) {
            BuiltInModels.Model m = BuiltInModels.byName(name);   // the record refuses counts that do not fit
            assertEquals(m.simulator().parameterDim(), m.parameterNames().size(), name);
            assertEquals(m.simulator().dataDim(), m.dataNames().size(), name);
        }
        BuiltInModels.Model hh = BuiltInModels.byName("hodgkin_huxley");
        assertEquals("gbar_Na", hh.parameterNames().getFirst());
        assertEquals("spike_count", hh.dataNames().getFirst());
        assertEquals("x_2", BuiltInModels.byName("two_moons").dataNames().get(1));
        assertEquals(java.util.List.of("β", "γ"), BuiltInModels.byName("sir").parameterNames());
        assertEquals("theta_2", BuiltInModels.byName("two_moons").parameterNames().get(1));
    }
}
