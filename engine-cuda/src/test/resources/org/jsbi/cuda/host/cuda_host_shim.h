// Host stand-ins for the CUDA intrinsics jsbi_hh.cu uses, with the same IEEE semantics (round to nearest, no
// contraction: compile with -ffp-contract=off), so the kernel body can run on the CPU for a bit-level check.
#include <cstdint>
#include <cmath>
#include <cstring>
#include <algorithm>
#define __device__
#define __forceinline__ inline
#define __global__
#define __launch_bounds__(x)
struct Dim { unsigned x, y, z; };
static Dim blockIdx = {0, 0, 0}, threadIdx = {0, 0, 0}, blockDim = {1, 1, 1};
static inline float __fadd_rn(float a, float b) { return a + b; }
static inline float __fsub_rn(float a, float b) { return a - b; }
static inline float __fmul_rn(float a, float b) { return a * b; }
static inline float __fdiv_rn(float a, float b) { return a / b; }
static inline float __fsqrt_rn(float a) { return std::sqrt(a); }
static inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
static inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
static inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned) (((unsigned long long) a * b) >> 32); }
using std::min;
using std::max;
using std::isnan;
using std::isinf;
