package org.jsbi.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.nn.Activation;
import org.jsbi.nn.Linear;
import org.jsbi.nn.MaskedLinear;
import org.jsbi.nn.Module;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * A conditional MADE that outputs, for each of D inputs, an unconstrained scale and a shift that depend only on the
 * inputs before it and on the context. The layer sequence is nflows' {@code MADE.forward} with
 * {@code use_residual_blocks=False}, the one sbi's MAF uses:
 * <pre>
 *   h = act(initial(x) + act(context(c)))
 *   h = act(block_b(h))            for each of the blocks
 *   out = output(h)
 * </pre>
 * so a MADE has {@code blocks + 1} hidden activation layers. Output rows 0..D-1 are the unconstrained scales and rows
 * D..2D-1 the shifts. (Model-file layout 1, before 2026-11-26, applied the activation before each block's linear layer
 * instead, left the context unactivated and had no activation before the output layer: one nonlinearity fewer than
 * the peers' flow; {@link MafFile} refuses those files.)
 *
 * <p>The hidden units are kept sorted by degree ({@link MadeMasks#hiddenOrder}), nflows' units relabelled, so that the
 * masked products can skip their all-zero blocks; {@link #toFileOrder} and {@link #fromFileOrder} convert a
 * parameter's values to and from nflows' order, in which model files hold them.
 */
public final class Made implements Module {

    private final int features;
    private final MaskedLinear initial;
    private final Linear context;
    private final List<MaskedLinear> blocks;
    private final MaskedLinear output;
    private final Activation activation;
    private final List<Parameter> parameters;
    /** Hidden unit i here is unit order[i] in nflows' order, the model file's ({@link MadeMasks#hiddenOrder}). */
    private final int[] order;
    /** unitsUpTo[i]: the hidden units of degree ≤ i, the first ones of each layer (they are sorted by degree). */
    private final int[] unitsUpTo;

    public Made(Backend be, String name, int features, int contextFeatures, int hidden, int nBlocks,
                Activation activation, Rng rng) {
        this.features = features;
        this.activation = activation;
        int[] inDeg = MadeMasks.inputDegrees(features);
        int[] hidDeg = MadeMasks.orderedHiddenDegrees(hidden, features);
        this.order = MadeMasks.hiddenOrder(hidden, features);
        this.unitsUpTo = new int[features];
        for (int i = 0; i < features; i++) {
            for (int d : hidDeg) if (d <= i) unitsUpTo[i]++;
        }
        this.initial = new MaskedLinear(be, name + ".initial",
                Tensor.of(be, hidden, features, MadeMasks.hiddenMask(hidDeg, inDeg)), rng);
        this.context = contextFeatures > 0 ? new Linear(be, name + ".context", contextFeatures, hidden, rng) : null;
        List<MaskedLinear> bs = new ArrayList<>();
        for (int b = 0; b < nBlocks; b++) {
            bs.add(new MaskedLinear(be, name + ".block" + b,
                    Tensor.of(be, hidden, hidden, MadeMasks.hiddenMask(hidDeg, hidDeg)), rng));
        }
        this.blocks = Collections.unmodifiableList(bs);
        int[] outDeg = new int[2 * features];
        for (int i = 0; i < features; i++) {
            outDeg[i] = inDeg[i];
            outDeg[features + i] = inDeg[i];
        }
        this.output = new MaskedLinear(be, name + ".output",
                Tensor.of(be, 2 * features, hidden, MadeMasks.outputMask(outDeg, hidDeg)), rng);
        List<Parameter> ps = new ArrayList<>(initial.parameters());
        if (context != null) ps.addAll(context.parameters());
        for (MaskedLinear b : blocks) ps.addAll(b.parameters());
        ps.addAll(output.parameters());
        this.parameters = Collections.unmodifiableList(ps);
    }

    /** 2D x n autoregressive parameters for inputs (D x n) and context (contextFeatures x n, or null). */
    public Var forward(Tape tape, Var inputs, Var ctx) {
        // Each layer one fused tape node (Tape.dense) where the activation allows.
        Var c = context == null ? null : context.forward(tape, ctx, null, activation);
        Var h = initial.forward(tape, inputs, c, activation);
        for (MaskedLinear b : blocks) h = b.forward(tape, h, null, activation);
        return output.forward(tape, h, null, Activation.IDENTITY);
    }

    /**
     * The context's term of every hidden unit, act(context(c)) (hidden x n; null without a context), which {@link
     * #coordinate} takes: the same for all D passes of sampling, so computed once.
     */
    public Tensor contextTerm(Tape tape, Var ctx) {
        return context == null ? null : context.forward(tape, ctx, null, activation).value();
    }

    /**
     * Rows i and D + i of {@link #forward} (input i's unconstrained scale and its shift; input i has degree i + 1),
     * {s, t}, 1 x n each, for inputs z (D x n) of which rows 0..i-1 are final: what sampling needs on its pass i.
     * Those outputs see only the hidden units of degree ≤ i, which are the first {@code unitsUpTo[i]} of each layer,
     * and those see only inputs 0..i-1, so only that block of each layer is computed: the terms left out are masked,
     * exact zeros, and the values are those of forward's rows. On a no-grad tape; ctxTerm from {@link #contextTerm}.
     */
    public Var[] coordinate(Tape tape, int i, Tensor z, Tensor ctxTerm) {
        if (i < 0 || i >= features) throw new IllegalArgumentException("input " + i + " of " + features);
        int h = unitsUpTo[i], n = z.cols();
        Backend be = tape.backend();
        int[] rows = {i, features + i};
        if (h == 0) {
            // No hidden unit reaches these outputs: the product's sum stays +0, and the output is +0 + bias.
            Tensor zero = Tensor.zeros(be, 2, n);
            Tensor b = Tensor.zeros(be, 2, 1);
            be.copy2d(1, 1, output.bias().value().storage(), i, 1, b.storage(), 0, 1);
            be.copy2d(1, 1, output.bias().value().storage(), features + i, 1, b.storage(), 1, 1);
            Var out = tape.broadcastColumn(org.jsbi.backend.BinaryOp.ADD, tape.constant(zero), tape.constant(b));
            return new Var[] {tape.sliceRows(out, 0, 1), tape.sliceRows(out, 1, 1)};
        }
        int[] prefix = new int[h];
        for (int r = 0; r < h; r++) prefix[r] = r;
        // Inputs 0..i-1 (at least one column: at i = 0 the first input, which every unit's mask hides).
        int k = Math.max(1, i);
        Var x = tape.constant(Tensor.wrap(be, z.storage(), k, n));
        Var c = ctxTerm == null ? null : tape.constant(Tensor.wrap(be, ctxTerm.storage(), h, n));
        Var hv = initial.forwardRows(tape, prefix, k, x, c, activation);
        for (MaskedLinear b : blocks) hv = b.forwardRows(tape, prefix, h, hv, null, activation);
        Var out = output.forwardRows(tape, rows, h, hv, null, Activation.IDENTITY);
        return new Var[] {tape.sliceRows(out, 0, 1), tape.sliceRows(out, 1, 1)};
    }

    /** The values of one of this MADE's parameters with the hidden units in nflows' order (the model file's). */
    public float[] toFileOrder(Parameter p) {
        int[][] maps = unitMaps(p);
        float[] v = p.value().toArray(), out = new float[v.length];
        int rows = p.value().rows(), cols = p.value().cols();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[map(maps[0], r) * cols + map(maps[1], c)] = v[r * cols + c];
        }
        return out;
    }

    /** Sets one of this MADE's parameters from values with the hidden units in nflows' order (a model file's). */
    public void fromFileOrder(Parameter p, float[] values) {
        int[][] maps = unitMaps(p);
        int rows = p.value().rows(), cols = p.value().cols();
        if (values.length != rows * cols) {
            throw new IllegalArgumentException(p.name() + " needs " + rows * cols + " values, got " + values.length);
        }
        float[] v = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) v[r * cols + c] = values[map(maps[0], r) * cols + map(maps[1], c)];
        }
        p.value().set(v);
    }

    private static int map(int[] m, int i) {
        return m == null ? i : m[i];
    }

    /** {row map, column map} of a parameter (null: identity): hidden units' rows and columns are relabelled. */
    private int[][] unitMaps(Parameter p) {
        if (p == output.weight()) return new int[][] {null, order};
        if (p == output.bias()) return new int[][] {null, null};
        if (p == initial.weight() || p == initial.bias()) return new int[][] {order, null};
        if (context != null && (p == context.weight() || p == context.bias())) return new int[][] {order, null};
        for (MaskedLinear b : blocks) {
            if (p == b.weight()) return new int[][] {order, order};
            if (p == b.bias()) return new int[][] {order, null};
        }
        throw new IllegalArgumentException(p.name() + " is not a parameter of this MADE");
    }

    public int features() {
        return features;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
