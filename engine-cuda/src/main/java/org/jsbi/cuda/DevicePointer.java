package org.jsbi.cuda;

import jcuda.driver.CUdeviceptr;

/** A device pointer whose address the host can read, for the pointer tables of the multi-tensor kernels. */
final class DevicePointer extends CUdeviceptr {

    /** The device address (0 before allocation). */
    long address() {
        return getNativePointer();
    }
}
