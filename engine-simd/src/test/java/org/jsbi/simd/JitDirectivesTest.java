package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiler directive that keeps jsbi's vector functions inlined (see {@link JitDirectives}). */
class JitDirectivesTest {

    @Test
    void theDirectiveIsAcceptedOnHotSpot() throws InterruptedException {
        assertEquals(SimdConfig.LANES, SimdConfig.FLOAT.length());   // SimdConfig's initializer installs it
        String outcome = JitDirectives.await(30_000);
        String vm = System.getProperty("java.vm.name", "");
        if (vm.contains("HotSpot") || vm.contains("OpenJDK")) {
            assertEquals("added", outcome, "the JSON directive was refused or not installed");
        }
    }

    /** Every method that takes or returns a vector, mask or shuffle must be force-inlined, or its vectors are boxed. */
    @Test
    void everyFunctionOfVectorsIsForceInlined() throws Exception {
        List<String> missing = new ArrayList<>();
        List<Class<?>> classes = new ArrayList<>(List.of(SimdMath.class, SimdGemm.class, SimdBackend.class,
                UnaryKernels.class));
        classes.addAll(List.of(UnaryKernels.class.getDeclaredClasses()));
        for (Class<?> c : classes) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isSynthetic() || !takesOrReturnsVectors(m)) continue;
                String simple = c.getName().substring(c.getName().lastIndexOf('.') + 1);
                String pattern = "+org/jsbi/simd/" + simple;
                if (!JitDirectives.DIRECTIVE.contains(pattern + ".*") && !JitDirectives.DIRECTIVE.contains(
                        pattern + "." + m.getName() + "\"")) {
                    missing.add(c.getName() + "." + m.getName());
                }
            }
        }
        assertTrue(missing.isEmpty(), "add to JitDirectives.DIRECTIVE: " + missing);
    }

    private static boolean takesOrReturnsVectors(Method m) {
        if (isVector(m.getReturnType())) return true;
        for (Class<?> p : m.getParameterTypes()) {
            if (isVector(p)) return true;
        }
        return false;
    }

    private static boolean isVector(Class<?> t) {
        return t.getName().startsWith("jdk.incubator.vector.") && !t.getSimpleName().equals("VectorSpecies");
    }
}
