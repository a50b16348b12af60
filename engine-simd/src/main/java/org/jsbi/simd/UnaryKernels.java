package org.jsbi.simd;

import static org.jsbi.simd.SimdBackend.load;
import static org.jsbi.simd.SimdBackend.store;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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
    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;

    /** y[yOff + i] = f(x[xOff + i]) for i in [from, to). */
    interface Loop {
        void run(float[] x, int xOff, float[] y, int yOff, int from, int to);
    }

    /** dx[dxOff + i] += f'(x, y) * dy[dyOff + i] for i in [from, to), y = f(x) the forward output. */
    interface BackwardLoop {
        void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int from, int to);
    }

    /**
     * dy[dyOff + i] = 0 + f'(y) * dy[dyOff + i] for i in [from, to), for the activations whose derivative is a
     * function of y: each element as its {@link BackwardLoop} computes it into a zero gradient (the same g, the same
     * FMA with a zero addend), in place.
     */
    interface InPlaceBackwardLoop {
        void run(float[] y, int yOff, float[] dy, int dyOff, int from, int to);
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

    /** The in-place activation gradient of op, or null where op's derivative is not a function of y alone. */
    static InPlaceBackwardLoop inPlaceBackward(UnaryOp op) {
        return switch (op) {
            case TANH -> TanhInPlace.INSTANCE;
            case SIGMOID -> SigmoidInPlace.INSTANCE;
            case RELU -> ReluInPlace.INSTANCE;
            default -> null;
        };
    }

    // ---- in-place activation gradients (Tape.dense): full vectors in the loop, the tail in scalar code with the same
    // float operations (a lane-wise FMA is Math.fma), since masked loads are not intrinsified on AVX2.

    private static final class TanhInPlace implements InPlaceBackwardLoop {
        static final TanhInPlace INSTANCE = new TanhInPlace();

        public void run(float[] y, int yOff, float[] dy, int dyOff, int from, int to) {
            FloatVector zero = FloatVector.zero(S);
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector g = yv.neg().add(1f).mul(yv.add(1f));   // (1 - y)(1 + y), as TanhBackward
                g.fma(FloatVector.fromArray(S, dy, dyOff + i), zero).intoArray(dy, dyOff + i);
            }
            for (; i < to; i++) {
                float yi = y[yOff + i];
                dy[dyOff + i] = Math.fma((-yi + 1f) * (yi + 1f), dy[dyOff + i], 0f);
            }
        }
    }

    private static final class SigmoidInPlace implements InPlaceBackwardLoop {
        static final SigmoidInPlace INSTANCE = new SigmoidInPlace();

        public void run(float[] y, int yOff, float[] dy, int dyOff, int from, int to) {
            FloatVector zero = FloatVector.zero(S);
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                yv.mul(yv.neg().add(1f)).fma(FloatVector.fromArray(S, dy, dyOff + i), zero).intoArray(dy, dyOff + i);
            }
            for (; i < to; i++) {
                float yi = y[yOff + i];
                dy[dyOff + i] = Math.fma(yi * (-yi + 1f), dy[dyOff + i], 0f);
            }
        }
    }

    private static final class ReluInPlace implements InPlaceBackwardLoop {
        static final ReluInPlace INSTANCE = new ReluInPlace();

        public void run(float[] y, int yOff, float[] dy, int dyOff, int from, int to) {
            FloatVector zero = FloatVector.zero(S);
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                // y > 0 exactly where x > 0 (y = max(x, 0)); the 0/1 factor as ReluBackward builds it.
                FloatVector g = zero.blend(1f, yv.compare(jdk.incubator.vector.VectorOperators.GT, 0f));
                g.fma(FloatVector.fromArray(S, dy, dyOff + i), zero).intoArray(dy, dyOff + i);
            }
            for (; i < to; i++) dy[dyOff + i] = Math.fma(y[yOff + i] > 0f ? 1f : 0f, dy[dyOff + i], 0f);
        }
    }

    // ---- backward: the functions of the training hot path get a loop of their own (as the forward loops, so that
    // C2 compiles each alone, its vectors unboxed); the others share one loop over SimdMath.derivative.

    // TanhBackward and ReluBackward: full vectors in the loop and the tail in scalar code with the same float operations
    // (a lane-wise FMA is Math.fma). Masked tail loads inside the loop are not intrinsified on AVX2 and, depending on
    // how C2 compiled the loop, boxed its vectors (SimdAllocationTest at n = 1,021 caught 8 KB per call).

    private static final class TanhBackward implements BackwardLoop {
        public void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                        int from, int to) {
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector g = yv.neg().add(1f).mul(yv.add(1f));   // (1 - y)(1 + y)
                g.fma(FloatVector.fromArray(S, dy, dyOff + i), FloatVector.fromArray(S, dx, dxOff + i))
                        .intoArray(dx, dxOff + i);
            }
            for (; i < to; i++) {
                float yi = y[yOff + i];
                dx[dxOff + i] = Math.fma((-yi + 1f) * (yi + 1f), dy[dyOff + i], dx[dxOff + i]);
            }
        }
    }

    private static final class ReluBackward implements BackwardLoop {
        public void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                        int from, int to) {
            FloatVector zero = FloatVector.zero(S);
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                FloatVector g = zero.blend(1f, xv.compare(jdk.incubator.vector.VectorOperators.GT, 0f));
                g.fma(FloatVector.fromArray(S, dy, dyOff + i), FloatVector.fromArray(S, dx, dxOff + i))
                        .intoArray(dx, dxOff + i);
            }
            for (; i < to; i++) dx[dxOff + i] = Math.fma(x[xOff + i] > 0f ? 1f : 0f, dy[dyOff + i], dx[dxOff + i]);
        }
    }

    private static final class SoftplusBackward implements BackwardLoop {
        public void run(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                        int from, int to) {
            int full = from + (to - from) / L * L;
            full(x, xOff, dy, dyOff, dx, dxOff, from, full);
            if (full == to) return;
            Tail t = Tail.get(to - full);
            t.in(t.a, x, xOff + full).in(t.b, dy, dyOff + full).in(t.c, dx, dxOff + full);
            full(t.a, 0, t.b, 0, t.c, 0, 0, L);
            t.out(t.c, dx, dxOff + full);
        }

        private static void full(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int from, int to) {
            for (int i = from; i < to; i += L) {
                FloatVector g = SimdMath.sigmoid(FloatVector.fromArray(S, x, xOff + i));
                g.fma(FloatVector.fromArray(S, dy, dyOff + i), FloatVector.fromArray(S, dx, dxOff + i))
                        .intoArray(dx, dxOff + i);
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
            int full = from + (to - from) / L * L;
            full(op, x, xOff, y, yOff, dy, dyOff, dx, dxOff, from, full);
            if (full == to) return;
            Tail t = Tail.get(to - full);
            t.in(t.a, x, xOff + full).in(t.b, y, yOff + full).in(t.c, dy, dyOff + full).in(t.d, dx, dxOff + full);
            full(op, t.a, 0, t.b, 0, t.c, 0, t.d, 0, 0, L);
            t.out(t.d, dx, dxOff + full);
        }

        /**
         * One loop per function, chosen outside the loops: a single loop over {@code SimdMath.derivative}'s switch
         * (which holds a sigmoid, so an exp) was too big to inline and its vectors were boxed (SimdAllocationTest).
         * Each g is the expression {@code derivative} gives for its function.
         */
        private static void full(UnaryOp op, float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff, int from, int to) {
            switch (op) {
                case NEG -> negBackward(dy, dyOff, dx, dxOff, from, to);
                case EXP -> byY(y, yOff, dy, dyOff, dx, dxOff, from, to);
                case LOG -> logBackward(x, xOff, dy, dyOff, dx, dxOff, from, to);
                case SIGMOID -> sigmoidBackward(y, yOff, dy, dyOff, dx, dxOff, from, to);
                case SQUARE -> squareBackward(x, xOff, dy, dyOff, dx, dxOff, from, to);
                case SQRT -> sqrtBackward(y, yOff, dy, dyOff, dx, dxOff, from, to);
                default -> {
                    for (int i = from; i < to; i += L) {
                        FloatVector g = SimdMath.derivative(op, FloatVector.fromArray(S, x, xOff + i),
                                FloatVector.fromArray(S, y, yOff + i));
                        g.fma(FloatVector.fromArray(S, dy, dyOff + i), FloatVector.fromArray(S, dx, dxOff + i))
                                .intoArray(dx, dxOff + i);
                    }
                }
            }
        }

        private static void negBackward(float[] dy, int dyOff, float[] dx, int dxOff, int from, int to) {
            FloatVector g = FloatVector.broadcast(S, -1f);
            for (int i = from; i < to; i += L) {
                g.fma(FloatVector.fromArray(S, dy, dyOff + i), FloatVector.fromArray(S, dx, dxOff + i))
                        .intoArray(dx, dxOff + i);
            }
        }

        /** g = y (exp). */
        private static void byY(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int from, int to) {
            for (int i = from; i < to; i += L) {
                FloatVector.fromArray(S, y, yOff + i).fma(FloatVector.fromArray(S, dy, dyOff + i),
                        FloatVector.fromArray(S, dx, dxOff + i)).intoArray(dx, dxOff + i);
            }
        }

        /** g = 1 / x. */
        private static void logBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int from,
                                        int to) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int i = from; i < to; i += L) {
                one.div(FloatVector.fromArray(S, x, xOff + i)).fma(FloatVector.fromArray(S, dy, dyOff + i),
                        FloatVector.fromArray(S, dx, dxOff + i)).intoArray(dx, dxOff + i);
            }
        }

        /** g = y (1 − y). */
        private static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                            int from, int to) {
            for (int i = from; i < to; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                yv.mul(yv.neg().add(1f)).fma(FloatVector.fromArray(S, dy, dyOff + i),
                        FloatVector.fromArray(S, dx, dxOff + i)).intoArray(dx, dxOff + i);
            }
        }

        /** g = x + x. */
        private static void squareBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                           int from, int to) {
            for (int i = from; i < to; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                xv.add(xv).fma(FloatVector.fromArray(S, dy, dyOff + i), FloatVector.fromArray(S, dx, dxOff + i))
                        .intoArray(dx, dxOff + i);
            }
        }

        /** g = 0.5 / y. */
        private static void sqrtBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int from,
                                         int to) {
            FloatVector half = FloatVector.broadcast(S, 0.5f);
            for (int i = from; i < to; i += L) {
                half.div(FloatVector.fromArray(S, y, yOff + i)).fma(FloatVector.fromArray(S, dy, dyOff + i),
                        FloatVector.fromArray(S, dx, dxOff + i)).intoArray(dx, dxOff + i);
            }
        }
    }

    private static final class Neg implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(load(x, xOff + i, to - i).neg(), y, yOff + i, to - i);
        }
    }

    private static final class Exp extends PaddedLoop {
        void full(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) SimdMath.exp(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
    }

    private static final class Log extends PaddedLoop {
        void full(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            SimdMath.log(x, xOff, y, yOff, from, to);
        }
    }

    /**
     * A loop whose function calls {@link SimdMath}: {@link #full} over whole vectors, the last (to − from) mod L
     * elements through {@link Tail}. Only arrays cross the (megamorphic) call to full, so nothing is boxed there.
     */
    private abstract static class PaddedLoop implements Loop {
        public final void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            int full = from + (to - from) / L * L;
            full(x, xOff, y, yOff, from, full);
            if (full == to) return;
            Tail t = Tail.get(to - full);
            t.in(t.a, x, xOff + full);
            full(t.a, 0, t.b, 0, 0, L);
            t.out(t.b, y, yOff + full);
        }

        /** y = f(x) over [from, to), a whole number of vectors. */
        abstract void full(float[] x, int xOff, float[] y, int yOff, int from, int to);
    }

    private static final class Tanh extends PaddedLoop {
        void full(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) SimdMath.tanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
    }

    private static final class Sigmoid extends PaddedLoop {
        void full(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) SimdMath.sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
    }

    private static final class Softplus extends PaddedLoop {
        void full(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) SimdMath.softplus(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
    }

    private static final class Relu implements Loop {
        public void run(float[] x, int xOff, float[] y, int yOff, int from, int to) {
            for (int i = from; i < to; i += L) store(SimdMath.relu(load(x, xOff + i, to - i)), y, yOff + i, to - i);
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

    /**
     * The last (to − from) mod L elements of a loop whose function calls {@link SimdMath}: copied into zero-padded
     * full vectors, run through the same full-vector loop, and copied back. The loops with a SimdMath function used to
     * take the tail through masked loads and stores inside the loop; masked memory access is not intrinsified on AVX2,
     * and together with the function's own size that left C2 over its inlining budget: the loops' vectors were boxed
     * (JFR: allocations in {@code SimdBackend.load}, {@code SimdMath.log}, {@code SimdMath.softplus} in the steady
     * state of an MDN training). Lane-wise functions give each lane the same value either way.
     */
    private static final class Tail {
        private static final ThreadLocal<Tail> LOCAL = ThreadLocal.withInitial(Tail::new);
        final float[] a = new float[L], b = new float[L], c = new float[L], d = new float[L];
        private int count;

        static Tail get(int count) {
            Tail t = LOCAL.get();
            t.count = count;
            return t;
        }

        /** pad[0, count) = src[off, off + count), the rest 0. */
        Tail in(float[] pad, float[] src, int off) {
            System.arraycopy(src, off, pad, 0, count);
            java.util.Arrays.fill(pad, count, L, 0f);
            return this;
        }

        void out(float[] pad, float[] dst, int off) {
            System.arraycopy(pad, 0, dst, off, count);
        }
    }
}
