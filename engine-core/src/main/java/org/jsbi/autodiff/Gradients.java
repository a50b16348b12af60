package org.jsbi.autodiff;

import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.ReduceOp;
import org.jsbi.tensor.Storage;
import org.jsbi.tensor.Tensor;

/** The gradient rule of every {@link Op}, in one place. Each rule adds its contribution to the inputs' gradients. */
final class Gradients {

    private Gradients() {
    }

    static void apply(Tape tape, Var v) {
        Backend be = tape.backend();
        Tensor dy = v.grad;
        Var[] in = v.inputs;
        switch (v.op) {
            case LEAF -> { }
            case MATMUL -> matmul(tape, be, v, dy);
            case MASKED_MATMUL -> maskedMatmul(tape, be, v, dy);
            case DENSE -> dense(tape, be, v, dy);
            case BINARY -> binary(tape, be, v, dy);
            case BROADCAST_COLUMN -> broadcast(tape, be, v, dy, true);
            case BROADCAST_ROW -> broadcast(tape, be, v, dy, false);
            case UNARY -> {
                if (in[0].requiresGrad) {
                    be.unaryBackward(v.unary, dy.size(), in[0].value.storage(), 0, v.value.storage(), 0,
                            dy.storage(), 0, tape.gradOf(in[0]).storage(), 0);
                }
            }
            case AFFINE -> {
                if (in[0].requiresGrad) be.axpy(dy.size(), v.alpha, dy.storage(), 0, tape.gradOf(in[0]).storage(), 0);
            }
            case REDUCE_ROWS -> {
                Var a = in[0];
                if (a.requiresGrad) {
                    be.reduceRowsBackward(v.reduce, a.rows(), a.cols(), a.value.storage(), 0, a.cols(),
                            v.value.storage(), 0, dy.storage(), 0, tape.gradOf(a).storage(), 0, a.cols());
                }
            }
            case REDUCE_COLUMNS -> {
                Var a = in[0];
                if (a.requiresGrad) {
                    be.reduceColumnsBackward(v.reduce, a.rows(), a.cols(), a.value.storage(), 0, a.cols(),
                            v.value.storage(), 0, dy.storage(), 0, tape.gradOf(a).storage(), 0, a.cols());
                }
            }
            case REDUCE_ALL -> {
                Var a = in[0];
                if (a.requiresGrad) {
                    int n = a.value.size();
                    be.reduceRowsBackward(v.reduce, 1, n, a.value.storage(), 0, n, v.value.storage(), 0,
                            dy.storage(), 0, tape.gradOf(a).storage(), 0, n);
                }
            }
            case SLICE_ROWS -> {
                Var a = in[0];
                if (a.requiresGrad) {
                    be.axpy(dy.size(), 1f, dy.storage(), 0, tape.gradOf(a).storage(), v.ints[0] * a.cols());
                }
            }
            case SLICE_COLUMNS -> {
                Var a = in[0];
                if (a.requiresGrad) addBlock(be, dy.rows(), dy.cols(), dy.storage(), 0, dy.cols(),
                        tape.gradOf(a).storage(), v.ints[0], a.cols());
            }
            case CONCAT_ROWS -> {
                int r = 0;
                for (Var p : in) {
                    if (p.requiresGrad) {
                        be.axpy(p.value.size(), 1f, dy.storage(), r * dy.cols(), tape.gradOf(p).storage(), 0);
                    }
                    r += p.rows();
                }
            }
            case CONCAT_COLUMNS -> {
                int c = 0;
                for (Var p : in) {
                    if (p.requiresGrad) addBlock(be, p.rows(), p.cols(), dy.storage(), c, dy.cols(),
                            tape.gradOf(p).storage(), 0, p.cols());
                    c += p.cols();
                }
            }
            case GATHER_ROWS -> {
                Var a = in[0];
                if (a.requiresGrad) {
                    be.scatterAddRows(v.ints, a.cols(), dy.storage(), 0, dy.cols(), tape.gradOf(a).storage(), 0,
                            a.cols());
                }
            }
            case AFFINE_FLOW -> affineFlow(tape, be, v, dy, v.auxGrad);
            case AFFINE_FLOW_LOG_DET -> {
                // The transform's node is older, and every node that reads its output is younger than this one, so its
                // gradient is complete: hand this one to its rule, or where its output got none (it is not used), run
                // the rule here with the log-determinant's alone. Then pass it on to the previous log-determinant as
                // add's rule would.
                Var flow = in[0];
                if (flow.grad != null) {
                    flow.auxGrad = dy;
                } else {
                    affineFlow(tape, be, flow, null, dy);
                }
                if (in.length > 1 && in[1].requiresGrad) {
                    be.axpy(dy.size(), 1f, dy.storage(), 0, tape.gradOf(in[1]).storage(), 0);
                }
            }
            case GAUSSIAN_MIXTURE -> gaussianMixture(tape, be, v, dy);
            case GATHER_COLUMNS -> {
                Var a = in[0];
                if (a.requiresGrad) {
                    be.scatterAddColumns(v.ints, a.rows(), dy.storage(), 0, dy.cols(), tape.gradOf(a).storage(), 0,
                            a.cols());
                }
            }
        }
    }

    /**
     * {@link Tape#affineFlow}'s transform: the gradients of its parameters and input from its output's (dy; null: the
     * output is not used, and as in the unfused graph u then gets nothing from it) and its log-determinant's (dLogDet;
     * null: not used).
     */
    private static void affineFlow(Tape tape, Backend be, Var v, Tensor dy, Tensor dLogDet) {
        Var params = v.inputs[0], u = v.inputs[1];
        Tensor dp = params.requiresGrad ? tape.gradOf(params) : null;
        Tensor du = u.requiresGrad && dy != null ? tape.gradOf(u) : null;
        if (dp == null && du == null) return;
        Tensor dOut = dy != null ? dy : tape.zeros(u.rows(), u.cols());
        be.affineFlowBackward(u.rows(), u.cols(), v.ints, params.value.storage(), 0, u.value.storage(), 0,
                v.aux.storage(), 0, dOut.storage(), 0, dLogDet == null ? null : dLogDet.storage(), 0,
                dp == null ? null : dp.storage(), 0, du == null ? null : du.storage(), 0);
    }

    /** {@link Tape#gaussianMixture}: the gradients of every input that wants one, in one backend call. */
    private static void gaussianMixture(Tape tape, Backend be, Var v, Tensor dy) {
        Var[] in = v.inputs;
        Var logits = in[0], means = in[1], diag = in[2], z = in[3], upper = in.length > 4 ? in[4] : null;
        be.gaussianMixtureBackward(logits.rows(), z.rows(), z.cols(), logits.value.storage(), means.value.storage(),
                diag.value.storage(), upper == null ? null : upper.value.storage(), z.value.storage(),
                v.aux.storage(), dy.storage(), gradStorage(tape, logits), gradStorage(tape, means),
                gradStorage(tape, diag), upper == null ? null : gradStorage(tape, upper), gradStorage(tape, z));
    }

    private static Storage gradStorage(Tape tape, Var v) {
        return v.requiresGrad ? tape.gradOf(v).storage() : null;
    }

    /** dst block += src block, row by row. */
    private static void addBlock(Backend be, int rows, int cols, Storage src, int srcOff, int lds,
                                 Storage dst, int dstOff, int ldd) {
        for (int i = 0; i < rows; i++) be.axpy(cols, 1f, src, srcOff + i * lds, dst, dstOff + i * ldd);
    }

    /**
     * C = op(A) op(B) with op(A) m x k and op(B) k x n. Writing A' = op(A), B' = op(B): dA' = dC B'ᵀ and
     * dB' = A'ᵀ dC; a stored-transposed operand takes the transpose of its gradient.
     */
    private static void matmul(Tape tape, Backend be, Var v, Tensor dc) {
        Var a = v.inputs[0], b = v.inputs[1];
        boolean ta = v.ints[0] == 1, tb = v.ints[1] == 1;
        int m = dc.rows(), n = dc.cols(), k = ta ? a.rows() : a.cols();
        if (a.requiresGrad) {
            Tensor ga = tape.gradOf(a);
            if (!ta) {
                be.gemm(false, !tb, m, k, n, 1f, dc.storage(), 0, n, b.value.storage(), 0, b.cols(),
                        1f, ga.storage(), 0, a.cols());
            } else {
                be.gemm(tb, true, k, m, n, 1f, b.value.storage(), 0, b.cols(), dc.storage(), 0, n,
                        1f, ga.storage(), 0, a.cols());
            }
        }
        if (b.requiresGrad) {
            Tensor gb = tape.gradOf(b);
            if (!tb) {
                be.gemm(!ta, false, k, n, m, 1f, a.value.storage(), 0, a.cols(), dc.storage(), 0, n,
                        1f, gb.storage(), 0, b.cols());
            } else {
                be.gemm(true, ta, n, k, m, 1f, dc.storage(), 0, n, a.value.storage(), 0, a.cols(),
                        1f, gb.storage(), 0, b.cols());
            }
        }
    }

    /** C = (W ⊙ M) X: dX = (W ⊙ M)ᵀ dC and dW = (dC Xᵀ) ⊙ M. */
    private static void maskedMatmul(Tape tape, Backend be, Var v, Tensor dc) {
        Var w = v.inputs[0], x = v.inputs[1];
        int m = w.rows(), k = w.cols(), n = x.cols();
        if (x.requiresGrad) {
            be.maskedGemm(true, k, n, m, w.value.storage(), 0, v.mask.storage(), 0, k, dc.storage(), 0, n,
                    1f, tape.gradOf(x).storage(), 0, n);
        }
        if (w.requiresGrad) {
            Tensor t = tape.values(m, k);
            be.gemm(false, true, m, k, n, 1f, dc.storage(), 0, n, x.value.storage(), 0, n, 0f, t.storage(), 0, k);
            be.binary(BinaryOp.MUL, m * k, t.storage(), 0, v.mask.storage(), 0, t.storage(), 0);
            be.axpy(m * k, 1f, t.storage(), 0, tape.gradOf(w).storage(), 0);
        }
    }

    /**
     * y = f((W ⊙ M) X + b + addend). dpre = f'(y) ⊙ dy is computed in dy's own storage (this node's gradient, read by
     * no other rule); then the same products and sums as the unfused layer's rules, in their order per target: the
     * addend's and the bias's gradients, dW = (dpre Xᵀ) ⊙ M, and dX = (W ⊙ M)ᵀ dpre, which writes X's gradient with
     * beta = 0 when it is X's first contribution (accumulators start at +0, so adding into zeros gives the same bits).
     */
    private static void dense(Tape tape, Backend be, Var v, Tensor dy) {
        Var w = v.inputs[0], x = v.inputs[1], b = v.inputs[2], addend = v.inputs.length > 3 ? v.inputs[3] : null;
        int m = w.rows(), k = w.cols(), n = x.cols(), size = m * n;
        Tensor dpre = dy;
        if (v.unary != null && !be.activationBackwardInPlace(v.unary, size, v.value.storage(), 0, dy.storage(), 0)) {
            // No in-place kernel: the unfused rule into zeros (for RELU, y > 0 exactly where x > 0).
            dpre = tape.zeros(m, n);
            be.unaryBackward(v.unary, size, v.value.storage(), 0, v.value.storage(), 0, dy.storage(), 0,
                    dpre.storage(), 0);
        }
        if (addend != null && addend.requiresGrad) {
            if (addend.grad == null && addend != x) {
                // The addend's gradient is dpre itself, shared rather than copied: nothing reads or writes it as this
                // node's gradient after this rule (the tape goes in reverse order), and this rule only reads it
                // (unless the addend is also x, whose gradient this rule adds to: then a copy).
                addend.grad = dpre;
            } else if (addend.grad == null) {
                be.copy2d(1, size, dpre.storage(), 0, size, tape.freshGrad(addend).storage(), 0, size);
            } else {
                be.axpy(size, 1f, dpre.storage(), 0, addend.grad.storage(), 0);
            }
        }
        // The weight and bias gradients in one call where both are wanted, so that a backend can sum the bias
        // gradient inside the weight gradient's product.
        Tensor r = b.requiresGrad ? tape.values(m, 1) : null;
        if (w.requiresGrad) {
            Storage rs = r == null ? null : r.storage();
            if (v.mask == null) {
                be.denseParameterGradients(m, k, n, dpre.storage(), 0, x.value.storage(), 0, 1f,
                        tape.gradOf(w).storage(), 0, rs, 0);
            } else {
                Tensor t = tape.values(m, k);
                be.maskedParameterGradients(m, k, n, dpre.storage(), 0, x.value.storage(), 0, v.mask.storage(), 0,
                        t.storage(), 0, tape.gradOf(w).storage(), 0, rs, 0);
            }
        } else if (r != null) {
            be.reduceRows(ReduceOp.SUM, m, n, dpre.storage(), 0, n, r.storage(), 0);
        }
        if (r != null) be.axpy(m, 1f, r.storage(), 0, tape.gradOf(b).storage(), 0);
        if (x.requiresGrad) {
            boolean first = x.grad == null;
            Tensor gx = first ? tape.freshGrad(x) : x.grad;
            float beta = first ? 0f : 1f;
            if (v.mask == null) {
                be.gemm(true, false, k, n, m, 1f, w.value.storage(), 0, k, dpre.storage(), 0, n, beta, gx.storage(), 0, n);
            } else {
                be.maskedGemm(true, k, n, m, w.value.storage(), 0, v.mask.storage(), 0, k, dpre.storage(), 0, n,
                        beta, gx.storage(), 0, n);
            }
        }
    }

    private static void binary(Tape tape, Backend be, Var v, Tensor dc) {
        Var a = v.inputs[0], b = v.inputs[1];
        int n = dc.size();
        switch (v.binary) {
            case ADD, SUB -> {
                if (a.requiresGrad) be.axpy(n, 1f, dc.storage(), 0, tape.gradOf(a).storage(), 0);
                if (b.requiresGrad) {
                    be.axpy(n, v.binary == BinaryOp.ADD ? 1f : -1f, dc.storage(), 0, tape.gradOf(b).storage(), 0);
                }
            }
            case MUL -> {
                Tensor t = tape.values(dc.rows(), dc.cols());
                if (a.requiresGrad) {
                    be.binary(BinaryOp.MUL, n, dc.storage(), 0, b.value.storage(), 0, t.storage(), 0);
                    be.axpy(n, 1f, t.storage(), 0, tape.gradOf(a).storage(), 0);
                }
                if (b.requiresGrad) {
                    be.binary(BinaryOp.MUL, n, dc.storage(), 0, a.value.storage(), 0, t.storage(), 0);
                    be.axpy(n, 1f, t.storage(), 0, tape.gradOf(b).storage(), 0);
                }
            }
            case DIV -> {
                // c = a / b: da = dc / b, db = -dc * c / b.
                Tensor t = tape.values(dc.rows(), dc.cols());
                be.binary(BinaryOp.DIV, n, dc.storage(), 0, b.value.storage(), 0, t.storage(), 0);
                if (a.requiresGrad) be.axpy(n, 1f, t.storage(), 0, tape.gradOf(a).storage(), 0);
                if (b.requiresGrad) {
                    be.binary(BinaryOp.MUL, n, t.storage(), 0, v.value.storage(), 0, t.storage(), 0);
                    be.axpy(n, -1f, t.storage(), 0, tape.gradOf(b).storage(), 0);
                }
            }
        }
    }

    /**
     * c = a op v broadcast along columns (v is rows x 1) or rows (v is 1 x cols). The vector's gradient is the
     * reduction of the per-element contributions along the broadcast axis.
     */
    private static void broadcast(Tape tape, Backend be, Var node, Tensor dc, boolean column) {
        Var a = node.inputs[0], vec = node.inputs[1];
        int rows = dc.rows(), cols = dc.cols(), n = dc.size();
        BinaryOp op = node.binary;
        if (a.requiresGrad) {
            Tensor ga = tape.gradOf(a);
            if (op == BinaryOp.ADD || op == BinaryOp.SUB) {
                be.axpy(n, 1f, dc.storage(), 0, ga.storage(), 0);
            } else {
                // MUL: da = dc * v; DIV: da = dc / v, broadcast the same way as the forward pass.
                Tensor t = tape.values(rows, cols);
                bcast(be, column, op, rows, cols, dc.storage(), vec.value.storage(), t.storage());
                be.axpy(n, 1f, t.storage(), 0, ga.storage(), 0);
            }
        }
        if (vec.requiresGrad) {
            Tensor gv = tape.gradOf(vec);
            Tensor contrib;
            float sign = 1f;
            switch (op) {
                case ADD -> contrib = dc;
                case SUB -> {
                    contrib = dc;
                    sign = -1f;
                }
                case MUL -> {
                    contrib = tape.values(rows, cols);
                    be.binary(BinaryOp.MUL, n, dc.storage(), 0, a.value.storage(), 0, contrib.storage(), 0);
                }
                default -> {
                    // DIV: dv = -sum(dc * c) / v.
                    contrib = tape.values(rows, cols);
                    be.binary(BinaryOp.MUL, n, dc.storage(), 0, node.value.storage(), 0, contrib.storage(), 0);
                    bcast(be, column, BinaryOp.DIV, rows, cols, contrib.storage(), vec.value.storage(),
                            contrib.storage());
                    sign = -1f;
                }
            }
            Tensor r = tape.values(gv.rows(), gv.cols());
            if (column) {
                be.reduceRows(ReduceOp.SUM, rows, cols, contrib.storage(), 0, cols, r.storage(), 0);
            } else {
                be.reduceColumns(ReduceOp.SUM, rows, cols, contrib.storage(), 0, cols, r.storage(), 0);
            }
            be.axpy(r.size(), sign, r.storage(), 0, gv.storage(), 0);
        }
    }

    private static void bcast(Backend be, boolean column, BinaryOp op, int rows, int cols, Storage a, Storage v,
                              Storage c) {
        if (column) {
            be.broadcastColumn(op, rows, cols, a, 0, cols, v, 0, c, 0, cols);
        } else {
            be.broadcastRow(op, rows, cols, a, 0, cols, v, 0, c, 0, cols);
        }
    }
}
