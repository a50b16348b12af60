package org.jsbi.simd;

import static org.jsbi.simd.SimdBackend.load;
import static org.jsbi.simd.SimdBackend.store;

import jdk.incubator.vector.FloatVector;
import org.jsbi.backend.UnaryOp;

/**
 * One elementwise loop per unary function, each in its own class. The call from {@link SimdBackend} goes through an
 * interface with nine implementations, which C2 does not inline; so each loop is compiled on its own, with only its
 * own function inlined, and only arrays and ints cross the call. A single method holding every loop (a switch) was
 * too big for C2's inlining budget once several functions were in use: ReLU then ran at 3.3 ns per element instead of
 * 0.18, its vectors boxed.
 */
final class UnaryKernels {

    private static final int L = SimdConfig.LANES;

    /** y[yOff + i] = f(x[xOff + i]) for i in [from, to). */
    interface Loop {
        void run(float[] x, int xOff, float[] y, int yOff, int from, int to);
    }

    /** dx[dxOff + i] += f'(x, y) * dy[dyOff + i] for i in [from, to), y = f(x) the forward output. */
    interface BackwardLoop {
        void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int from, int to);
    }

    private static final Loop[] LOOPS = new Loop[UnaryOp.values().length];
    private static final BackwardLoop[] BACKWARD = new BackwardLoop[UnaryOp.values().length];

    static {
        LOOPS[UnaryOp.NEG.ordinal()] = new Neg();
        LOOPS[UnaryOp.EXP.ordinal()] = new Exp();
        LOOPS[UnaryOp.LOG.ordinal()] = new Log();
        LOOPS[UnaryOp.TANH.ordinal()] = new Tanh();
        LOOPS[UnaryOp.SIGMOID.ordinal()] = new Sigmoid();
        LOOPS[UnaryOp.SOFTPLUS.ordinal()] = new Softplus();
        LOOPS[UnaryOp.RELU.ordinal()] = new Relu();
        LOOPS[UnaryOp.SQUARE.ordinal()] = new Square();
        LOOPS[UnaryOp.SQRT.ordinal()] = new Sqrt();
        for (UnaryOp op : UnaryOp.values()) BACKWARD[op.ordinal()] = new GenericBackward(op);
        BACKWARD[UnaryOp.TANH.ordinal()] = new TanhBackward();
        BACKWARD[UnaryOp.RELU.ordinal()] = new ReluBackward();
        BACKWARD[UnaryOp.SOFTPLUS.ordinal()] = new SoftplusBackward();
    }

    private UnaryKernels() {
    }

    static Loop of(UnaryOp op) {
        return LOOPS[op.ordinal()];
    }

    static BackwardLoop backward(UnaryOp op) {
        return BACKWARD[op.ordinal()];
    }

    // ---- backward: the functions of the training hot path get a loop of their own (as the forward loops, so that
    // C2 compiles each alone, its vectors unboxed); the others share one loop over SimdMath.derivative.

    private static final class TanhBackward implements BackwardLoop {
        public void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                        int from, int to) {
            for (int i = from; i < to; i += L) {
                int m = to - i;
                FloatVector yv = load(y, yOff + i, m);
                FloatVector g = yv.neg().add(1f).mul(yv.add(1f));   // (1 - y)(1 + y)
                store(g.fma(load(dy, dyOff + i, m), load(dx, dxOff + i, m)), dx, dxOff + i, m);
            }
        }
    }

    private static final class ReluBackward implements BackwardLoop {
        public void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                        int from, int to) {
            for (int i = from; i < to; i += L) {
                int m = to - i;
                FloatVector xv = load(x, xOff + i, m);
                FloatVector g = xv.broadcast(0f).blend(1f, xv.compare(jdk.incubator.vector.VectorOperators.GT, 0f));
                store(g.fma(load(dy, dyOff + i, m), load(dx, dxOff + i, m)), dx, dxOff + i, m);
            }
        }
    }

    private static final class SoftplusBackward implements BackwardLoop {
        public void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                        int from, int to) {
            for (int i = from; i < to; i += L) {
                int m = to - i;
                FloatVector g = SimdMath.sigmoid(load(x, xOff + i, m));
                store(g.fma(load(dy, dyOff + i, m), load(dx, dxOff + i, m)), dx, dxOff + i, m);
            }
        }
    }

    private static final class GenericBackward implements BackwardLoop {
        private final UnaryOp op;

        GenericBackward(UnaryOp op) {
            this.op = op;
        }

        public void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                        int from, int to) {
            for (int i = from; i < to; i += L) {
                int m = to - i;
                FloatVector g = SimdMath.derivative(op, load(x, xOff + i, m), load(y, yOff + i, m));
                store(g.fma(load(dy, dyOff + i, m), load(dx, dxOff + i, m)), dx, dxOff + i, m);
            }
        }
    }

    private static final class Neg implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(load(x, xOff + i, to - i).neg(), y, yOff + i, to - i);
        }
    }

    private static final class Exp implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(SimdMath.exp(load(x, xOff + i, to - i)), y, yOff + i, to - i);
        }
    }

    private static final class Log implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(SimdMath.log(load(x, xOff + i, to - i)), y, yOff + i, to - i);
        }
    }

    private static final class Tanh implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(SimdMath.tanh(load(x, xOff + i, to - i)), y, yOff + i, to - i);
        }
    }

    private static final class Sigmoid implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(SimdMath.sigmoid(load(x, xOff + i, to - i)), y, yOff + i, to - i);
        }
    }

    private static final class Softplus implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(SimdMath.softplus(load(x, xOff + i, to - i)), y, yOff + i, to - i);
        }
    }

    private static final class Relu implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(load(x, xOff + i, to - i).max(0f), y, yOff + i, to - i);
        }
    }

    private static final class Square implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) {
                FloatVector v = load(x, xOff + i, to - i);
                store(v.mul(v), y, yOff + i, to - i);
            }
        }
    }

    private static final class Sqrt implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) {
                store(load(x, xOff + i, to - i).lanewise(jdk.incubator.vector.VectorOperators.SQRT), y, yOff + i, to - i);
            }
        }
    }
}
