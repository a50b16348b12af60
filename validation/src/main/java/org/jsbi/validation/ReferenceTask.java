package org.jsbi.validation;

import java.util.Arrays;
import java.util.Locale;

/**
 * The seven sbibm benchmark tasks whose observations and reference posteriors are in {@code ../shared/reference}
 * (TASKS.md there defines each one). The dimensions are part of the contract: {@link ReferenceData} rejects a file
 * whose column count differs, because a wrong column count means the wrong file or a damaged one.
 */
public enum ReferenceTask {
    TWO_MOONS("two_moons", 2, 2),
    GAUSSIAN_LINEAR("gaussian_linear", 10, 10),
    GAUSSIAN_LINEAR_UNIFORM("gaussian_linear_uniform", 10, 10),
    SLCP("slcp", 5, 8),
    BERNOULLI_GLM("bernoulli_glm", 10, 10),
    SIR("sir", 2, 10),
    LOTKA_VOLTERRA("lotka_volterra", 4, 20);

    /** Observations per task, numbered 1 to this. */
    public static final int OBSERVATIONS = 10;

    private final String id;
    private final int thetaDim;
    private final int xDim;

    ReferenceTask(String id, int thetaDim, int xDim) {
        this.id = id;
        this.thetaDim = thetaDim;
        this.xDim = xDim;
    }

    /** sbibm's name of the task, which is also its folder name: {@code two_moons}. */
    public String id() {
        return id;
    }

    /** Parameter dimension: columns of {@code true_parameters.csv} and of the reference samples. */
    public int thetaDim() {
        return thetaDim;
    }

    /** Data dimension: columns of {@code observation.csv}. */
    public int xDim() {
        return xDim;
    }

    /** The task with sbibm's name {@code id} (case-insensitive), or an error listing the known names. */
    public static ReferenceTask byId(String id) {
        for (ReferenceTask t : values()) {
            if (t.id.equals(id.trim().toLowerCase(Locale.ROOT))) return t;
        }
        throw new IllegalArgumentException("no reference task named '" + id + "'; known: "
                + Arrays.toString(Arrays.stream(values()).map(ReferenceTask::id).toArray()));
    }

    @Override
    public String toString() {
        return id;
    }
}
