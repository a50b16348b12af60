package org.jsbi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place that picks the Vector API species. {@code -Djsbi.simd.bits=128|256|512} overrides the hardware's
 * preferred width (tests run the conformance suite at every width); nothing else in jsbi touches
 * {@code SPECIES_PREFERRED}.
 */
public final class SimdConfig {

    static {
        // Before any kernel class that uses the species is compiled: see JitDirectives.
        JitDirectives.install();
    }

    /** The float species every SIMD kernel uses. */
    public static final VectorSpecies<Float> FLOAT = chooseSpecies();

    /** Floats per vector. */
    public static final int LANES = FLOAT.length();

    private SimdConfig() {
    }

    private static VectorSpecies<Float> chooseSpecies() {
        String bits = System.getProperty("jsbi.simd.bits");
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        return switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-Djsbi.simd.bits must be 128, 256 or 512, got '" + bits + "'");
        };
    }

    /** Bits of the hardware's preferred float vector. */
    public static int preferredBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }

    /** Bits of the species in use. */
    public static int bits() {
        return FLOAT.vectorBitSize();
    }
}
