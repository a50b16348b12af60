package org.jsbi.nn;

import java.util.List;
import org.jsbi.autodiff.Parameter;

/** Anything with trainable parameters. */
public interface Module {

    /** The trainable parameters, in a fixed order (the order of saving and of the optimizer's state). */
    List<Parameter> parameters();

    /** Clears every parameter's gradient. */
    default void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** Total number of trainable values. */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.size();
        return n;
    }
}
