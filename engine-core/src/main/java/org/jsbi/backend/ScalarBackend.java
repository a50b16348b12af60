package org.jsbi.backend;

import static org.jsbi.tensor.HostStorage.array;

import org.jsbi.optim.AdamMath;
import org.jsbi.tensor.HostStorage;
import org.jsbi.tensor.Storage;

/**
 * The reference backend: plain loops over Java arrays, one thread, always usable. Other backends are tested against
 * it, so clarity wins over speed here. Reductions accumulate in double; products accumulate in float, as a plain
 * float32 implementation would.
 */
public class ScalarBackend implements Backend {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String describe() {
        return "scalar reference loops, 1 thread, float32";
    }

    @Override
    public boolean fusesGaussianMixture() {
        return true;
    }

    @Override
    public void gaussianMixtureForward(int k, int d, int n, Storage logits, Storage means, Storage diag, Storage upper,
                                       Storage z, Storage out, Storage work) {
        KernelChecks.gaussianMixtureForward(k, d, n, logits, means, diag, upper, z, out, work);
        GaussianMixtureReference.forward(k, d, n, array(logits), array(means), array(diag), orNull(upper), array(z),
                array(out), array(work));
    }

    @Override
    public void gaussianMixtureBackward(int k, int d, int n, Storage logits, Storage means, Storage diag,
                                        Storage upper, Storage z, Storage work, Storage dOut, Storage dLogits,
                                        Storage dMeans, Storage dDiag, Storage dUpper, Storage dz) {
        KernelChecks.gaussianMixtureBackward(k, d, n, logits, means, diag, upper, z, work, dOut, dLogits, dMeans,
                dDiag, dUpper, dz);
        GaussianMixtureReference.backward(k, d, n, array(logits), array(means), array(diag), orNull(upper), array(z),
                array(dOut), orNull(dLogits), orNull(dMeans), orNull(dDiag), orNull(dUpper), orNull(dz));
    }

    /** The host array of a storage, or null for none (an optional output). */
    protected static float[] orNull(Storage s) {
        return s == null ? null : array(s);
    }

    @Override
    public Storage allocate(int length) {
        KernelChecks.allocate(length);
        return HostStorage.allocate(length);
    }

    @Override
    public void upload(float[] src, int srcOff, Storage dst, int dstOff, int n) {
        KernelChecks.upload(src, srcOff, dst, dstOff, n);
        System.arraycopy(src, srcOff, array(dst), dstOff, n);
    }

    @Override
    public void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
        KernelChecks.download(src, srcOff, dst, dstOff, n);
        System.arraycopy(array(src), srcOff, dst, dstOff, n);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage as, int aOff, int lda, Storage bs, int bOff, int ldb,
                     float beta, Storage cs, int cOff, int ldc) {
        KernelChecks.gemm(transA, transB, m, n, k, as, aOff, lda, bs, bOff, ldb, cs, cOff, ldc);
        float[] a = array(as), b = array(bs), c = array(cs);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }

    @Override
    public void maskedGemm(boolean transW, int m, int n, int k, Storage ws, int wOff, Storage ms, int maskOff, int ldw,
                           Storage bs, int bOff, int ldb, float beta, Storage cs, int cOff, int ldc) {
        KernelChecks.maskedGemm(transW, m, n, k, ws, wOff, ms, maskOff, ldw, bs, bOff, ldb, cs, cOff, ldc);
        float[] w = array(ws), mask = array(ms), b = array(bs), c = array(cs);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    int wi = transW ? wOff + p * ldw + i : wOff + i * ldw + p;
                    int mi = wi - wOff + maskOff;
                    s += w[wi] * mask[mi] * b[bOff + p * ldb + j];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? s : s + beta * c[ci];
            }
        }
    }

    @Override
    public void unary(UnaryOp op, int n, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.unary(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        for (int i = 0; i < n; i++) y[yOff + i] = (float) op.apply(x[xOff + i]);
    }

    @Override
    public void unaryBackward(UnaryOp op, int n, Storage xs, int xOff, Storage ys, int yOff,
                              Storage dys, int dyOff, Storage dxs, int dxOff) {
        KernelChecks.unaryBackward(n, xs, xOff, ys, yOff, dys, dyOff, dxs, dxOff);
        float[] x = array(xs), y = array(ys), dy = array(dys), dx = array(dxs);
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] += (float) (op.derivative(x[xOff + i], y[yOff + i]) * dy[dyOff + i]);
        }
    }

    @Override
    public boolean activationBackwardInPlace(UnaryOp op, int n, Storage ys, int yOff, Storage dys, int dyOff) {
        KernelChecks.activationBackwardInPlace(n, ys, yOff, dys, dyOff);
        if (op != UnaryOp.TANH && op != UnaryOp.SIGMOID && op != UnaryOp.RELU) return false;
        float[] y = array(ys), dy = array(dys);
        for (int i = 0; i < n; i++) {
            float yi = y[yOff + i];
            // As unaryBackward into a zero: 0 + the same float product; RELU's x > 0 is y > 0 for y = max(x, 0).
            dy[dyOff + i] = 0f + (float) (op.derivative(yi, yi) * dy[dyOff + i]);
        }
        return true;
    }

    @Override
    public void binary(BinaryOp op, int n, Storage as, int aOff, Storage bs, int bOff, Storage cs, int cOff) {
        KernelChecks.binary(n, as, aOff, bs, bOff, cs, cOff);
        float[] a = array(as), b = array(bs), c = array(cs);
        for (int i = 0; i < n; i++) c[cOff + i] = op.apply(a[aOff + i], b[bOff + i]);
    }

    @Override
    public void axpy(int n, float alpha, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.axpy(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public void affine(int n, float alpha, float beta, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.affine(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        for (int i = 0; i < n; i++) y[yOff + i] = alpha * x[xOff + i] + beta;
    }

    @Override
    public void fill(int n, float value, Storage xs, int xOff) {
        KernelChecks.fill(n, xs, xOff);
        java.util.Arrays.fill(array(xs), xOff, xOff + n, value);
    }

    @Override
    public double dot(int n, Storage xs, int xOff, Storage ys, int yOff) {
        KernelChecks.dot(n, xs, xOff, ys, yOff);
        float[] x = array(xs), y = array(ys);
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[xOff + i] * y[yOff + i];
        return s;
    }

    @Override
    public void broadcastColumn(BinaryOp op, int rows, int cols, Storage as, int aOff, int lda,
                                Storage vs, int vOff, Storage cs, int cOff, int ldc) {
        KernelChecks.broadcastColumn(rows, cols, as, aOff, lda, vs, vOff, cs, cOff, ldc);
        float[] a = array(as), v = array(vs), c = array(cs);
        for (int i = 0; i < rows; i++) {
            float vi = v[vOff + i];
            for (int j = 0; j < cols; j++) c[cOff + i * ldc + j] = op.apply(a[aOff + i * lda + j], vi);
        }
    }

    @Override
    public void broadcastRow(BinaryOp op, int rows, int cols, Storage as, int aOff, int lda,
                             Storage vs, int vOff, Storage cs, int cOff, int ldc) {
        KernelChecks.broadcastRow(rows, cols, as, aOff, lda, vs, vOff, cs, cOff, ldc);
        float[] a = array(as), v = array(vs), c = array(cs);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) c[cOff + i * ldc + j] = op.apply(a[aOff + i * lda + j], v[vOff + j]);
        }
    }

    @Override
    public void reduceRows(ReduceOp op, int rows, int cols, Storage as, int aOff, int lda, Storage outs, int outOff) {
        KernelChecks.reduceRows(rows, cols, as, aOff, lda, outs, outOff);
        float[] a = array(as), out = array(outs);
        for (int i = 0; i < rows; i++) out[outOff + i] = reduceStrided(op, cols, a, aOff + i * lda, 1);
    }

    @Override
    public void reduceColumns(ReduceOp op, int rows, int cols, Storage as, int aOff, int lda, Storage outs, int outOff) {
        KernelChecks.reduceColumns(rows, cols, as, aOff, lda, outs, outOff);
        float[] a = array(as), out = array(outs);
        for (int j = 0; j < cols; j++) out[outOff + j] = reduceStrided(op, rows, a, aOff + j, lda);
    }

    @Override
    public void reduceAll(ReduceOp op, int n, Storage as, int aOff, Storage outs, int outOff) {
        KernelChecks.reduceAll(n, as, aOff, outs, outOff);
        array(outs)[outOff] = reduceStrided(op, n, array(as), aOff, 1);
    }

    /** The reference reduction of n values a[off], a[off+stride], ...; logsumexp is max-shifted. */
    static float reduceStrided(ReduceOp op, int n, float[] a, int off, int stride) {
        switch (op) {
            case SUM -> {
                double s = 0;
                for (int i = 0; i < n; i++) s += a[off + i * stride];
                return (float) s;
            }
            case MAX -> {
                float mx = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float v = a[off + i * stride];
                    if (v > mx || Float.isNaN(v)) mx = v;
                    if (Float.isNaN(mx)) return mx;
                }
                return mx;
            }
            default -> {
                float mx = reduceStrided(ReduceOp.MAX, n, a, off, stride);
                if (mx == Float.NEGATIVE_INFINITY || Float.isNaN(mx) || mx == Float.POSITIVE_INFINITY) return mx;
                double s = 0;
                for (int i = 0; i < n; i++) s += Math.exp(a[off + i * stride] - mx);
                return (float) (mx + Math.log(s));
            }
        }
    }

    @Override
    public void reduceRowsBackward(ReduceOp op, int rows, int cols, Storage xs, int xOff, int ldx, Storage ys, int yOff,
                                   Storage dys, int dyOff, Storage dxs, int dxOff, int lddx) {
        KernelChecks.reduceRowsBackward(rows, cols, xs, xOff, ldx, ys, yOff, dys, dyOff, dxs, dxOff, lddx);
        float[] x = array(xs), y = array(ys), dy = array(dys), dx = array(dxs);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dx[dxOff + i * lddx + j] += reduceGrad(op, x[xOff + i * ldx + j], y[yOff + i], dy[dyOff + i]);
            }
        }
    }

    @Override
    public void reduceColumnsBackward(ReduceOp op, int rows, int cols, Storage xs, int xOff, int ldx, Storage ys,
                                      int yOff, Storage dys, int dyOff, Storage dxs, int dxOff, int lddx) {
        KernelChecks.reduceColumnsBackward(rows, cols, xs, xOff, ldx, ys, yOff, dys, dyOff, dxs, dxOff, lddx);
        float[] x = array(xs), y = array(ys), dy = array(dys), dx = array(dxs);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dx[dxOff + i * lddx + j] += reduceGrad(op, x[xOff + i * ldx + j], y[yOff + j], dy[dyOff + j]);
            }
        }
    }

    static float reduceGrad(ReduceOp op, float x, float y, float dy) {
        return switch (op) {
            case SUM -> dy;
            case MAX -> x == y ? dy : 0f;
            case LOGSUMEXP -> dy * (float) Math.exp(x - y);
        };
    }

    @Override
    public void copy2d(int rows, int cols, Storage srcs, int srcOff, int lds, Storage dsts, int dstOff, int ldd) {
        KernelChecks.copy2d(rows, cols, srcs, srcOff, lds, dsts, dstOff, ldd);
        float[] src = array(srcs), dst = array(dsts);
        for (int i = 0; i < rows; i++) System.arraycopy(src, srcOff + i * lds, dst, dstOff + i * ldd, cols);
    }

    @Override
    public void gatherRows(int[] idx, int cols, Storage srcs, int srcOff, int lds, Storage dsts, int dstOff, int ldd) {
        KernelChecks.gatherRows(idx, cols, srcs, srcOff, lds, dsts, dstOff, ldd);
        float[] src = array(srcs), dst = array(dsts);
        for (int r = 0; r < idx.length; r++) System.arraycopy(src, srcOff + idx[r] * lds, dst, dstOff + r * ldd, cols);
    }

    @Override
    public void gatherColumns(int[] idx, int rows, Storage srcs, int srcOff, int lds, Storage dsts, int dstOff, int ldd) {
        KernelChecks.gatherColumns(idx, rows, srcs, srcOff, lds, dsts, dstOff, ldd);
        float[] src = array(srcs), dst = array(dsts);
        for (int i = 0; i < rows; i++) {
            int s = srcOff + i * lds, d = dstOff + i * ldd;
            for (int c = 0; c < idx.length; c++) dst[d + c] = src[s + idx[c]];
        }
    }

    @Override
    public void scatterAddRows(int[] idx, int cols, Storage srcs, int srcOff, int lds, Storage dsts, int dstOff, int ldd) {
        KernelChecks.scatterAddRows(idx, cols, srcs, srcOff, lds, dsts, dstOff, ldd);
        float[] src = array(srcs), dst = array(dsts);
        for (int r = 0; r < idx.length; r++) {
            int s = srcOff + r * lds, d = dstOff + idx[r] * ldd;
            for (int j = 0; j < cols; j++) dst[d + j] += src[s + j];
        }
    }

    @Override
    public void scatterAddColumns(int[] idx, int rows, Storage srcs, int srcOff, int lds, Storage dsts, int dstOff,
                                  int ldd) {
        KernelChecks.scatterAddColumns(idx, rows, srcs, srcOff, lds, dsts, dstOff, ldd);
        float[] src = array(srcs), dst = array(dsts);
        for (int i = 0; i < rows; i++) {
            int s = srcOff + i * lds, d = dstOff + i * ldd;
            for (int c = 0; c < idx.length; c++) dst[d + idx[c]] += src[s + c];
        }
    }

    @Override
    public void adamStep(int n, float lr, float beta1, float beta2, float eps, float c1, float c2,
                         Storage ps, int pOff, Storage gs, int gOff, Storage ms, int mOff, Storage vs, int vOff) {
        KernelChecks.adamStep(n, ps, pOff, gs, gOff, ms, mOff, vs, vOff);
        float[] p = array(ps), g = array(gs), m = array(ms), v = array(vs);
        float stepSize = AdamMath.stepSize(lr, c1), invRootC2 = AdamMath.inverseRootC2(c2);
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = beta1 * m[mOff + i] + (1f - beta1) * gi;
            float vi = beta2 * v[vOff + i] + (1f - beta2) * gi * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            p[pOff + i] -= mi * stepSize / Math.fma((float) Math.sqrt(vi), invRootC2, eps);
        }
    }
}
