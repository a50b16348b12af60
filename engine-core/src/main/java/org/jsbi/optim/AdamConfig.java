package org.jsbi.optim;

/**
 * Adam's settings. The defaults are the peers' (sbi): learning rate 5e-4, betas (0.9, 0.999), eps 1e-8.
 */
public record AdamConfig(float learningRate, float beta1, float beta2, float eps) {

    public AdamConfig {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) throw new IllegalArgumentException("Adam eps must be > 0, got " + eps);
    }

    public static AdamConfig defaults() {
        return new AdamConfig(5e-4f, 0.9f, 0.999f, 1e-8f);
    }

    public AdamConfig withLearningRate(float lr) {
        return new AdamConfig(lr, beta1, beta2, eps);
    }
}
