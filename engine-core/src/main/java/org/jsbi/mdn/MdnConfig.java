package org.jsbi.mdn;

import org.jsbi.nn.Activation;

/**
 * The architecture of a {@link Mdn}. Defaults are sbi's {@code MDNConfig} / {@code build_mdn} (PEERS.md §1.2):
 * 2 hidden layers of 50 units, each Linear followed by ReLU, 10 full-covariance components, and ε = 1e-4 added to the
 * diagonal of each component's upper-triangular precision factor.
 *
 * @param hiddenFeatures width of each hidden layer (≥ 1)
 * @param hiddenLayers   number of Linear + activation layers between z-scored x and the heads (≥ 0; 0 feeds x
 *                       straight into the heads)
 * @param components     number of mixture components K (≥ 1)
 * @param activation     the hidden nonlinearity
 * @param epsilon        added to softplus(raw) on the diagonal of each precision factor A (finite, ≥ 0); keeps
 *                       the precision AᵀA positive definite when softplus underflows
 */
public record MdnConfig(int hiddenFeatures, int hiddenLayers, int components, Activation activation, float epsilon) {

    public static final int DEFAULT_HIDDEN_FEATURES = 50;
    public static final int DEFAULT_HIDDEN_LAYERS = 2;
    public static final int DEFAULT_COMPONENTS = 10;
    public static final float DEFAULT_EPSILON = 1e-4f;

    public MdnConfig {
        if (hiddenFeatures < 1) {
            throw new IllegalArgumentException("MDN hiddenFeatures must be >= 1, got " + hiddenFeatures);
        }
        if (hiddenLayers < 0) {
            throw new IllegalArgumentException("MDN hiddenLayers must be >= 0, got " + hiddenLayers);
        }
        if (components < 1) {
            throw new IllegalArgumentException("MDN components must be >= 1, got " + components);
        }
        if (activation == null) {
            throw new IllegalArgumentException("MDN activation must not be null (sbi uses RELU)");
        }
        if (!(epsilon >= 0) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("MDN epsilon must be a finite number >= 0, got " + epsilon);
        }
    }

    /** sbi's defaults: 50 hidden units, 2 hidden layers, 10 components, ReLU, ε = 1e-4. */
    public static MdnConfig defaults() {
        return new MdnConfig(DEFAULT_HIDDEN_FEATURES, DEFAULT_HIDDEN_LAYERS, DEFAULT_COMPONENTS, Activation.RELU,
                DEFAULT_EPSILON);
    }

    public MdnConfig withHiddenFeatures(int hiddenFeatures) {
        return new MdnConfig(hiddenFeatures, hiddenLayers, components, activation, epsilon);
    }

    public MdnConfig withHiddenLayers(int hiddenLayers) {
        return new MdnConfig(hiddenFeatures, hiddenLayers, components, activation, epsilon);
    }

    public MdnConfig withComponents(int components) {
        return new MdnConfig(hiddenFeatures, hiddenLayers, components, activation, epsilon);
    }

    public MdnConfig withActivation(Activation activation) {
        return new MdnConfig(hiddenFeatures, hiddenLayers, components, activation, epsilon);
    }

    public MdnConfig withEpsilon(float epsilon) {
        return new MdnConfig(hiddenFeatures, hiddenLayers, components, activation, epsilon);
    }
}
