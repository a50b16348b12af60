package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The kernels of src/main/cuda/jsbi_kernels.cu, loaded from the committed PTX resource; the driver compiles the PTX
 * for the card at load time. Field names follow the kernels' names in the .cu file.
 */
public final class CudaKernels {

    /** The PTX resource, relative to this class. */
    static final String PTX = "jsbi_kernels.ptx";

    final CUfunction sgemmNN, sgemmNT, sgemmTN, sgemmTT, sgemmMaskedN, sgemmMaskedT;
    final CUfunction splitkNN, splitkNT, splitkTN, splitkTT, splitkReduce;
    final CUfunction unaryFwd, unaryBwd, binary, axpy, affine, fill;
    final CUfunction broadcastCol, broadcastRow;
    final CUfunction reduceRows, reduceCols, reduceAll, reduceRowsBwd, reduceColsBwd, dotPartial, dotFinish;
    final CUfunction copy2d, gatherRows, gatherCols, scatterAddRows, scatterAddColsUnique, scatterAddColsSerial;
    final CUfunction adamStep, zeroMany, scaleMany, adamMany, sumsqMany;

    private final CUmodule module;

    private CudaKernels(CUmodule module) {
        this.module = module;
        sgemmNN = fn("sgemm_nn");
        sgemmNT = fn("sgemm_nt");
        sgemmTN = fn("sgemm_tn");
        sgemmTT = fn("sgemm_tt");
        splitkNN = fn("sgemm_nn_splitk");
        splitkNT = fn("sgemm_nt_splitk");
        splitkTN = fn("sgemm_tn_splitk");
        splitkTT = fn("sgemm_tt_splitk");
        splitkReduce = fn("splitk_reduce");
        sgemmMaskedN = fn("sgemm_masked_n");
        sgemmMaskedT = fn("sgemm_masked_t");
        unaryFwd = fn("unary_fwd");
        unaryBwd = fn("unary_bwd");
        binary = fn("binary_ew");
        axpy = fn("axpy_ew");
        affine = fn("affine_ew");
        fill = fn("fill_ew");
        broadcastCol = fn("broadcast_col");
        broadcastRow = fn("broadcast_row");
        reduceRows = fn("reduce_rows");
        reduceCols = fn("reduce_cols");
        reduceAll = fn("reduce_all");
        reduceRowsBwd = fn("reduce_rows_bwd");
        reduceColsBwd = fn("reduce_cols_bwd");
        dotPartial = fn("dot_partial");
        dotFinish = fn("dot_finish");
        copy2d = fn("copy_2d");
        gatherRows = fn("gather_rows");
        gatherCols = fn("gather_cols");
        scatterAddRows = fn("scatter_add_rows");
        scatterAddColsUnique = fn("scatter_add_cols_unique");
        scatterAddColsSerial = fn("scatter_add_cols_serial");
        adamStep = fn("adam_step");
        zeroMany = fn("zero_many");
        scaleMany = fn("scale_many");
        adamMany = fn("adam_many");
        sumsqMany = fn("sumsq_many");
    }

    /** Loads the module into the current context. */
    static CudaKernels load() {
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, ptxImage(PTX));
        return new CudaKernels(module);
    }

    /** A PTX resource of this package as a NUL-terminated image, as cuModuleLoadData wants it. */
    static byte[] ptxImage(String resource) {
        try (InputStream in = CudaKernels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource org/jsbi/cuda/" + resource + " is missing from the"
                        + " engine-cuda jar; rebuild engine-cuda (mvn -pl engine-cuda -Pptx package)");
            }
            byte[] ptx = in.readAllBytes();
            byte[] image = java.util.Arrays.copyOf(ptx, ptx.length + 1);
            image[ptx.length] = 0;
            return image;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read PTX resource " + resource + ": " + e.getMessage(), e);
        }
    }

    private CUfunction fn(String name) {
        CUfunction f = new CUfunction();
        cuModuleGetFunction(f, module, name);
        return f;
    }
}
