package org.jsbi.autodiff;

import java.util.ArrayList;
import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.tensor.Tensor;

/**
 * Tensors that a training loop's tapes reuse from step to step instead of allocating: node values, gradients and
 * the backward rules' scratch. A training step records the same graph every time, so the i-th tensor a tape asks
 * for has the same shape every step; the arena hands out its i-th tensor again (a new one only where the shape
 * differs). Values are handed out as they are (every operation overwrites its whole output); gradients are zeroed
 * first, as a new tensor would be. The tapes' {@link Var}s come from the arena the same way. Only where memory comes
 * from changes: the arithmetic is the same.
 *
 * <p>A tape made with an arena ({@link Tape#recording(Backend, java.util.Map, TapeArena)}) rewinds it: every tensor
 * and every Var of the earlier tapes on the same arena may be overwritten, so read what you need (the loss) before
 * the next step. An arena belongs to one thread at a time.
 */
public final class TapeArena {

    private final Backend backend;
    private final List<Tensor> pool = new ArrayList<>();
    /** Per pooled tensor: handed out zeroed in the last pass (zeroKind), and zeroed already for this pass (zeroed). */
    private boolean[] zeroKind = new boolean[16], zeroed = new boolean[16];
    private int next;
    /**
     * The node list of the tape that rewound this arena last, cleared and handed to the next: a step records the same
     * ~150 nodes every time, and a fresh list grew to them through eight copies per step.
     */
    private final List<Var> nodes = new ArrayList<>();
    /**
     * The Vars of the tapes on this arena, handed out again in order every step, as the tensors are: a step made
     * some 150 nodes and their input arrays, about half of what a training allocated per step (session 36).
     */
    private final List<Var> vars = new ArrayList<>();
    private int nextVar;

    public TapeArena(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    /** Tensors held (for tests and logs). */
    public int size() {
        return pool.size();
    }

    /** The (cleared) node list for a tape that has just rewound this arena. */
    List<Var> nodes() {
        nodes.clear();
        return nodes;
    }

    void rewind() {
        next = 0;
        nextVar = 0;
        java.util.Arrays.fill(zeroed, false);
        if (!backend.zeroesScratchInBatches()) return;
        // The graph is usually the same every step: zero now, in one call, every tensor the last pass wanted zeroed.
        int count = 0;
        for (int i = 0; i < pool.size(); i++) if (zeroKind[i]) count++;
        if (count == 0) return;
        org.jsbi.tensor.Storage[] xs = new org.jsbi.tensor.Storage[count];
        int[] n = new int[count];
        for (int i = 0, c = 0; i < pool.size(); i++) {
            if (!zeroKind[i]) continue;
            xs[c] = pool.get(i).storage();
            n[c++] = pool.get(i).size();
            zeroed[i] = true;
        }
        backend.zeroMany(xs, n);
    }

    /**
     * What {@link Tape}'s backward pass found last on this arena's nodes (after which node each parameter gradient is
     * final), and the graph it was found for: every node, then each input and, for a parameter, its gradient tensor.
     */
    private Object[] doneGraph = new Object[0];
    private int doneGraphLength = -1;
    private List<List<Tensor>> done;

    /** The remembered answer where nodes 0..last are the graph it was found for (by identity), else null. */
    List<List<Tensor>> gradientsDone(List<Var> nodes, int last) {
        if (done == null) return null;
        int k = 0;
        for (int i = 0; i <= last; i++) {
            Var v = nodes.get(i);
            if (k >= doneGraphLength || doneGraph[k++] != v) return null;
            if (v.inputs == null) continue;
            for (Var in : v.inputs) {
                if (k + 1 >= doneGraphLength || doneGraph[k] != in || doneGraph[k + 1] != (in.parameter ? in.grad : null)) {
                    return null;
                }
                k += 2;
            }
        }
        return k == doneGraphLength ? done : null;
    }

    void rememberGradientsDone(List<Var> nodes, int last, List<List<Tensor>> answer) {
        int k = 0;
        for (int i = 0; i <= last; i++) {
            Var v = nodes.get(i);
            k += 1 + (v.inputs == null ? 0 : 2 * v.inputs.length);
        }
        if (doneGraph.length < k) doneGraph = new Object[k];
        k = 0;
        for (int i = 0; i <= last; i++) {
            Var v = nodes.get(i);
            doneGraph[k++] = v;
            if (v.inputs == null) continue;
            for (Var in : v.inputs) {
                doneGraph[k++] = in;
                doneGraph[k++] = in.parameter ? in.grad : null;
            }
        }
        doneGraphLength = k;
        done = answer;
    }

    /** The next Var, as {@link Var#reset} leaves it. */
    Var var(Tensor value, Op op, int arity, boolean requiresGrad) {
        Var v;
        if (nextVar < vars.size()) {
            v = vars.get(nextVar);
        } else {
            v = new Var(null, null, null, false);
            vars.add(v);
        }
        nextVar++;
        v.reset(value, op, arity, requiresGrad);
        return v;
    }

    /** The next tensor of this shape: contents undefined unless zero, then all zeros. */
    Tensor take(int rows, int cols, boolean zero) {
        if (next == zeroKind.length) {
            zeroKind = java.util.Arrays.copyOf(zeroKind, 2 * next);
            zeroed = java.util.Arrays.copyOf(zeroed, 2 * next);
        }
        int i = next++;
        zeroKind[i] = zero;
        if (i < pool.size()) {
            Tensor t = pool.get(i);
            if (t.rows() == rows && t.cols() == cols) {
                if (zero && !zeroed[i]) t.zero();
                return t;
            }
            if (t.storage().length() >= (long) rows * cols) {
                // Another shape that fits: the same memory under the new shape (evaluation loops whose passes
                // differ in size, MAF sampling's). Its earlier zeroing was of another extent, so zero it anew.
                t = Tensor.wrap(backend, t.storage(), rows, cols);
                if (zero) t.zero();
                pool.set(i, t);
                return t;
            }
            t = Tensor.zeros(backend, rows, cols);
            pool.set(i, t);
            return t;
        }
        Tensor t = Tensor.zeros(backend, rows, cols);
        pool.add(t);
        return t;
    }
}
