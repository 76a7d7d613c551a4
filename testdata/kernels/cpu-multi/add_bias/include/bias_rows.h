#pragma once

// Lives in the kernel's own include directory ([kernel.add_bias] include),
// so that add_bias.cpp compiles only when that setting reaches CMake.

#include <cstdint>

// Adds bias[0..cols) to each of the `rows` consecutive rows of `in`.
template <typename T>
inline void add_bias_rows(T* out, const T* in, const T* bias, int64_t rows,
                          int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      out[r * cols + c] = in[r * cols + c] + bias[c];
    }
  }
}
