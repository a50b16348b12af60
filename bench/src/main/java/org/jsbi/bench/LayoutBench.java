package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.simd.SimdBackend;
import org.jsbi.tensor.HostStorage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The layout decision of DESIGN.md: the three matmuls of a Linear layer's training step (forward Y, weight gradient
 * dW, input gradient dX) on the SIMD backend, one thread, in both layouts over the same data.
 *
 * <ul>
 *   <li>batch-major (batch contiguous): Y[out x batch] = W · X, dW = dY · Xᵀ, dX = Wᵀ · dY;</li>
 *   <li>row-major (features contiguous): Y[batch x out] = X · Wᵀ, dW = dYᵀ · X, dX = dY · W.</li>
 * </ul>
 *
 * W is [out x in] in both. A step costs the sum of a layout's three methods. dW is written with beta = 0 although
 * training accumulates into it: the cost is the same, and the result stays checkable.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LayoutBench {

    @Param({"out=50:in=10:batch=200", "out=50:in=60:batch=200", "out=100:in=10:batch=200", "out=100:in=60:batch=200",
            "out=50:in=10:batch=10000", "out=50:in=60:batch=10000", "out=100:in=10:batch=10000",
            "out=100:in=60:batch=10000"})
    public String shape;

    private final Backend be = new SimdBackend();
    private int out, in, batch;
    private HostStorage w, dw;
    // Batch-major operands ([features x batch]) and their row-major transposes ([batch x features]).
    private HostStorage xB, yB, dyB, dxB;
    private HostStorage xR, yR, dyR, dxR;

    @Setup
    public void setup() {
        Parallel.setThreads(1);
        int[] f = GemmShape.fields(shape, "out", "in", "batch");
        out = f[0];
        in = f[1];
        batch = f[2];
        float[] wv = Verify.uniform(out * in, -1f, 1f, 1);
        float[] xv = Verify.uniform(in * batch, -1f, 1f, 2);
        float[] dyv = Verify.uniform(out * batch, -1f, 1f, 3);
        w = new HostStorage(wv);
        dw = new HostStorage(new float[out * in]);
        xB = new HostStorage(xv);
        dyB = new HostStorage(dyv);
        yB = new HostStorage(new float[out * batch]);
        dxB = new HostStorage(new float[in * batch]);
        xR = new HostStorage(Verify.transpose(xv, in, batch));
        dyR = new HostStorage(Verify.transpose(dyv, out, batch));
        yR = new HostStorage(new float[batch * out]);
        dxR = new HostStorage(new float[batch * in]);
        verify(wv, xv, dyv);
    }

    /** Runs each product once and holds both layouts to the same float64 results. */
    private void verify(float[] wv, float[] xv, float[] dyv) {
        double[] y = Verify.gemm(false, false, out, batch, in, wv, in, xv, batch);
        double[] dW = Verify.gemm(false, true, out, in, batch, dyv, batch, xv, batch);
        double[] dX = Verify.gemm(true, false, in, batch, out, wv, in, dyv, batch);
        String tag = "LayoutBench[" + shape + "] ";
        batchMajorForward();
        Verify.matrixClose(tag + "batch-major Y", yB.data(), y);
        batchMajorWeightGrad();
        Verify.matrixClose(tag + "batch-major dW", dw.data(), dW);
        batchMajorInputGrad();
        Verify.matrixClose(tag + "batch-major dX", dxB.data(), dX);
        rowMajorForward();
        Verify.matrixClose(tag + "row-major Y", yR.data(), Verify.transpose(y, out, batch));
        rowMajorWeightGrad();
        Verify.matrixClose(tag + "row-major dW", dw.data(), dW);
        rowMajorInputGrad();
        Verify.matrixClose(tag + "row-major dX", dxR.data(), Verify.transpose(dX, in, batch));
    }

    @Benchmark
    public void batchMajorForward() {
        be.gemm(false, false, out, batch, in, 1f, w, 0, in, xB, 0, batch, 0f, yB, 0, batch);
    }

    @Benchmark
    public void batchMajorWeightGrad() {
        be.gemm(false, true, out, in, batch, 1f, dyB, 0, batch, xB, 0, batch, 0f, dw, 0, in);
    }

    @Benchmark
    public void batchMajorInputGrad() {
        be.gemm(true, false, in, batch, out, 1f, w, 0, in, dyB, 0, batch, 0f, dxB, 0, batch);
    }

    @Benchmark
    public void rowMajorForward() {
        be.gemm(false, true, batch, out, in, 1f, xR, 0, in, w, 0, in, 0f, yR, 0, out);
    }

    @Benchmark
    public void rowMajorWeightGrad() {
        be.gemm(true, false, out, in, batch, 1f, dyR, 0, out, xR, 0, in, 0f, dw, 0, in);
    }

    @Benchmark
    public void rowMajorInputGrad() {
        be.gemm(false, false, batch, in, out, 1f, dyR, 0, out, w, 0, in, 0f, dxR, 0, in);
    }
}
