package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static org.jsbi.cuda.KernelArgs.args;

import java.util.concurrent.atomic.LongAdder;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/**
 * The Hodgkin–Huxley simulator of {@link HodgkinHuxley} on the GPU (src/main/cuda/jsbi_hh.cu): one thread per
 * simulation, state and feature sums in registers, the same Philox noise. It repeats the scalar reference operation
 * for operation, so its features equal the CPU simulators' bit for bit. The model's options (features, noise) and
 * its input checks are those of the {@link HodgkinHuxley} it is made from.
 *
 * <p>A batch runs in launches of at most {@link #CHUNK} simulations (bounded device memory; each launch is well under
 * a second, and {@code Simulations.run} looks for an interrupt between its waves).
 */
public final class CudaHodgkinHuxley implements Simulator {

    /** Simulations per launch at most. */
    static final int CHUNK = 1 << 18;

    private final HodgkinHuxley model;
    private final CudaDevice device;
    private final CUfunction kernel;
    private final LongAdder diverged = new LongAdder();

    public CudaHodgkinHuxley(HodgkinHuxley model, CudaDevice device) {
        this.model = model;
        this.device = device;
        device.makeCurrent();
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, CudaKernels.ptxImage("jsbi_hh.ptx"));
        kernel = new CUfunction();
        cuModuleGetFunction(kernel, module, "hh_simulate");
    }

    /** The paper's model (7 features, noise on) on the JVM's shared device. */
    public static CudaHodgkinHuxley withDefaults() {
        return new CudaHodgkinHuxley(HodgkinHuxley.withDefaults(), CudaDevice.shared());
    }

    public HodgkinHuxley model() {
        return model;
    }

    /** Simulations whose features came back NaN since this instance was made. */
    public long divergedCount() {
        return diverged.sum();
    }

    @Override
    public String name() {
        return model.name();
    }

    /** The CPU model's: the kernel gives its bits ({@code CudaHodgkinHuxleyTest}). */
    @Override
    public String revision() {
        return model.revision();
    }

    @Override
    public int parameterDim() {
        return model.parameterDim();
    }

    @Override
    public int dataDim() {
        return model.dataDim();
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        model.checkInputs(batch, out);
        int count = batch.count(), nf = dataDim();
        float[] theta = batch.values();
        device.makeCurrent();
        int chunk = Math.min(count, CHUNK);
        long thetaBytes = 32L * chunk, outBytes = 28L * chunk;
        DevicePointer dTheta = device.pool().take(thetaBytes), dOut = device.pool().take(outBytes);
        float[] out7 = new float[7 * chunk];
        try {
            for (int from = 0; from < count; from += chunk) {
                int m = Math.min(chunk, count - from);
                cuMemcpyHtoD(dTheta, Pointer.to(theta).withByteOffset(32L * from), 32L * m);
                args().i(m).p(dTheta).l(batch.firstIndex() + from).l(seed).i(model.noise() ? 1 : 0).p(dOut)
                        .launch(kernel, (m + 127) / 128, 1, 128, 1);
                cuMemcpyDtoH(Pointer.to(out7), dOut, 28L * m);
                int bad = 0;
                for (int i = 0; i < m; i++) {
                    if (Float.isNaN(out7[i * 7])) bad++;
                    System.arraycopy(out7, i * 7, out, (from + i) * nf, nf);
                }
                diverged.add(bad);
            }
        } finally {
            device.pool().give(dTheta, thetaBytes);
            device.pool().give(dOut, outBytes);
        }
    }
}
