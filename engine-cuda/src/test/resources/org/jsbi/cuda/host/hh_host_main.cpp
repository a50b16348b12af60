// Runs the hh_simulate kernel of jsbi_hh.cu on the CPU, one "thread" after another (CudaHhHostEmulationTest).
// stdin: count firstIndex seed noise, then count*8 theta floats as hex bits; stdout: count*7 feature bits in hex.
#include "cuda_host_shim.h"
#include "jsbi_hh.cu"
#include <cstdio>
#include <vector>

int main() {
    int count, noise;
    long long first;
    unsigned long long seed;
    if (scanf("%d %lld %llu %d", &count, &first, &seed, &noise) != 4) return 1;
    std::vector<float> theta(count * 8), out(count * 7);
    for (int i = 0; i < count * 8; i++) {
        unsigned b;
        if (scanf("%x", &b) != 1) return 1;
        std::memcpy(&theta[i], &b, 4);
    }
    for (int i = 0; i < count; i++) {
        threadIdx.x = i;
        hh_simulate(count, theta.data(), first, seed, noise, out.data());
    }
    for (int i = 0; i < count * 7; i++) {
        unsigned b;
        std::memcpy(&b, &out[i], 4);
        printf("%08x\n", b);
    }
    return 0;
}
