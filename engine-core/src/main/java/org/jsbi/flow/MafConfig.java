package org.jsbi.flow;

import org.jsbi.nn.Activation;

/**
 * The masked autoregressive flow's architecture. Defaults are sbi's {@code MAFConfig()}: 5 transforms, each a MADE
 * with 2 blocks of 50 tanh units (3 hidden layers), conditioned on x through a dense tanh layer added into the first
 * hidden layer.
 *
 * @param transforms     number of autoregressive transforms (each followed by a random permutation)
 * @param hiddenFeatures width of every hidden layer
 * @param blocks         hidden blocks per MADE (nflows' num_blocks); as in nflows the initial layer is a hidden layer
 *                       too, so a MADE has {@code blocks + 1} hidden {@code activation} layers of
 *                       {@code hiddenFeatures} units: sbi's default (num_blocks=2) has 3; delfi's
 *                       {@code n_hiddens=[100, 100, 100]} (the paper's pyloric-network flow) is hiddenFeatures 100,
 *                       blocks 2; {@code n_hiddens=[250, 250]} (the ion-channel flow) is 250, blocks 1
 * @param activation     hidden nonlinearity
 */
public record MafConfig(int transforms, int hiddenFeatures, int blocks, Activation activation) {

    /** The affine scale is softplus(s) + SCALE_FLOOR, as in nflows. */
    public static final float SCALE_FLOOR = 1e-3f;

    public MafConfig {
        if (transforms < 1) throw new IllegalArgumentException("a MAF needs at least 1 transform, got " + transforms);
        if (hiddenFeatures < 1) throw new IllegalArgumentException("hidden features must be >= 1, got " + hiddenFeatures);
        if (blocks < 0) throw new IllegalArgumentException("blocks must be >= 0, got " + blocks);
        if (activation == null) throw new IllegalArgumentException("activation must be given");
    }

    public static MafConfig defaults() {
        return new MafConfig(5, 50, 2, Activation.TANH);
    }

    public MafConfig withTransforms(int n) {
        return new MafConfig(n, hiddenFeatures, blocks, activation);
    }

    public MafConfig withHiddenFeatures(int n) {
        return new MafConfig(transforms, n, blocks, activation);
    }

    public MafConfig withBlocks(int n) {
        return new MafConfig(transforms, hiddenFeatures, n, activation);
    }

    public MafConfig withActivation(Activation a) {
        return new MafConfig(transforms, hiddenFeatures, blocks, a);
    }
}
