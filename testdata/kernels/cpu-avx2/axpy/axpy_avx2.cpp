// Compiled with -mavx2 -mfma ([kernel.axpy_avx2] cxx-flags).
#include "axpy_avx2.h"

#include <cmath>

namespace axpy_avx2 {

void axpy(float a, const float* x, const float* y, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    multiply_add8(a, x + i, y + i, out + i);
  }
  // The tail rounds once too, like the fused multiply-add above.
  for (; i < n; ++i) {
    out[i] = std::fma(a, x[i], y[i]);
  }
}

}  // namespace axpy_avx2
