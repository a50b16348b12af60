package org.jsbi.optim;

/**
 * The per-step constants of Adam's update in the form every backend computes it,
 * p −= (lr / c₁) · m / (√v · (1 / √c₂) + ε), with the bias corrections c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ. Algebraically
 * this is p −= lr · (m / c₁) / (√(v / c₂) + ε); written this way an element costs one square root and one division
 * instead of a square root and three divisions, which bound the update on CPUs (their divider is shared with the
 * square root). PyTorch's Adam likewise folds lr / c₁ into one step size and divides √v by √c₂ rather than v by c₂.
 */
public final class AdamMath {

    private AdamMath() {
    }

    /** lr / c₁ in float (the CUDA kernel computes the same quotient with {@code __fdiv_rn}). */
    public static float stepSize(float lr, float c1) {
        return lr / c1;
    }

    /** 1 / √c₂ in float: the float square root, then the float quotient ({@code __fsqrt_rn}, {@code __fdiv_rn}). */
    public static float inverseRootC2(float c2) {
        return 1f / (float) Math.sqrt(c2);
    }
}
