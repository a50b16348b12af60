package org.jsbi.bench;

import java.util.concurrent.TimeUnit;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.flow.MadeMasks;
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
 * The three masked products of a MADE's hidden-to-hidden layer over a training batch of 200, one thread: the forward
 * product ({@code maskedGemm}), the input gradient ({@code maskedGemm} with W transposed) and the weight and bias
 * gradients ({@code maskedParameterGradients}), with the hidden units in nflows' cyclic order of degree ({@code
 * order=cyclic}) or sorted by degree as {@code Made} keeps them ({@code order=sorted}), where the SIMD products skip
 * the all-zero blocks of the staircase mask. Layers: 50 units at 10-D (gaussian_linear) and 100 units at 31-D (the
 * pyloric model's flow).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MaskedProductBench {

    private static final int BATCH = 200;

    @Param({"cyclic", "sorted"})
    public String order;

    /** units:dimension of θ. */
    @Param({"50:10", "100:31"})
    public String layer;

    private Backend be;
    private int h;
    private Tensor w, mask, x, y, dy, dx, dw, db, scratch;

    @Setup
    public void setup() {
        Parallel.setThreads(1);
        be = BenchBackends.create("simd");
        String[] p = layer.split(":");
        h = Integer.parseInt(p[0]);
        int d = Integer.parseInt(p[1]);
        int[] deg = order.equals("sorted") ? MadeMasks.orderedHiddenDegrees(h, d) : MadeMasks.hiddenDegrees(h, d);
        mask = Tensor.of(be, h, h, MadeMasks.hiddenMask(deg, deg));
        w = Tensor.of(be, h, h, Verify.uniform(h * h, -0.3f, 0.3f, 31));
        x = Tensor.of(be, h, BATCH, Verify.uniform(h * BATCH, -1f, 1f, 32));
        dy = Tensor.of(be, h, BATCH, Verify.uniform(h * BATCH, -1f, 1f, 33));
        y = Tensor.zeros(be, h, BATCH);
        dx = Tensor.zeros(be, h, BATCH);
        dw = Tensor.zeros(be, h, h);
        db = Tensor.zeros(be, h, 1);
        scratch = Tensor.zeros(be, h, h);
    }

    @Benchmark
    public Tensor forward() {
        be.maskedGemm(false, h, BATCH, h, w.storage(), 0, mask.storage(), 0, h, x.storage(), 0, BATCH, 0f,
                y.storage(), 0, BATCH);
        return y;
    }

    @Benchmark
    public Tensor inputGradient() {
        be.maskedGemm(true, h, BATCH, h, w.storage(), 0, mask.storage(), 0, h, dy.storage(), 0, BATCH, 0f,
                dx.storage(), 0, BATCH);
        return dx;
    }

    @Benchmark
    public Tensor weightGradient() {
        be.maskedParameterGradients(h, h, BATCH, dy.storage(), 0, x.storage(), 0, mask.storage(), 0,
                scratch.storage(), 0, dw.storage(), 0, db.storage(), 0);
        return dw;
    }
}
