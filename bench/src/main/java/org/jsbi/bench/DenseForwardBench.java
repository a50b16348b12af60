package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.Tensor;
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
 * A MADE's first layer, tanh(W θ + b + context term), 50 units over a training batch, one thread:
 * {@code Backend.denseForward} against the unfused sequence it replaces (product, bias, addend, tanh: four passes over
 * the 50 x batch output). At 2 and 4 inputs (a 2-D MADE) on 512 bits the layer is one pass ({@code
 * SimdGemm.shortKDense}); at 10 (a 10-D MADE) and 50 (a hidden layer's width, here with an addend) the product and
 * then one pass for bias, addend and tanh ({@code DenseEpilogue}). Setup checks that both give the same output, bit
 * for bit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseForwardBench {

    private static final int UNITS = 50;

    @Param({"fused", "unfused"})
    public String layer;

    @Param({"2", "4", "10", "50"})
    public int inputs;

    @Param({"200", "112"})
    public int batch;

    private Backend be;
    private Tensor w, x, b, addend, y;

    @Setup
    public void setup() {
        Parallel.setThreads(1);
        be = BenchBackends.create("simd");
        w = Tensor.of(be, UNITS, inputs, Verify.uniform(UNITS * inputs, -1f, 1f, 21));
        x = Tensor.of(be, inputs, batch, Verify.uniform(inputs * batch, -2f, 2f, 22));
        b = Tensor.of(be, UNITS, 1, Verify.uniform(UNITS, -1f, 1f, 23));
        addend = Tensor.of(be, UNITS, batch, Verify.uniform(UNITS * batch, -1f, 1f, 24));
        y = Tensor.zeros(be, UNITS, batch);
        fused();
        float[] one = y.toArray();
        unfused();
        float[] other = y.toArray();
        if (!java.util.Arrays.equals(one, other)) {
            throw new IllegalStateException("DenseForwardBench: the fused and unfused layers differ");
        }
    }

    @Benchmark
    public Tensor forward() {
        if (layer.equals("fused")) fused(); else unfused();
        return y;
    }

    private void fused() {
        be.denseForward(UNITS, batch, inputs, w.storage(), 0, null, 0, x.storage(), 0, b.storage(), 0,
                addend.storage(), 0, UnaryOp.TANH, y.storage(), 0);
    }

    private void unfused() {
        be.gemm(false, false, UNITS, batch, inputs, 1f, w.storage(), 0, inputs, x.storage(), 0, batch, 0f,
                y.storage(), 0, batch);
        be.broadcastColumn(BinaryOp.ADD, UNITS, batch, y.storage(), 0, batch, b.storage(), 0, y.storage(), 0, batch);
        be.binary(BinaryOp.ADD, UNITS * batch, y.storage(), 0, addend.storage(), 0, y.storage(), 0);
        be.unary(UnaryOp.TANH, UNITS * batch, y.storage(), 0, y.storage(), 0);
    }
}
