#pragma once

// The AVX2 path of axpy. The helper is a plain function in an unnamed
// namespace, as in kernels-community's cpu_types headers: axpy.cpp, compiled
// without -mavx2, includes this header too, and only an optimised build
// drops the helper it never calls instead of rejecting its intrinsics.
#include <immintrin.h>

#include <cstdint>

namespace axpy_avx2 {
namespace {

// out[0..8) = a * x[0..8) + y[0..8), rounded once.
void multiply_add8(float a, const float* x, const float* y, float* out) {
  _mm256_storeu_ps(out, _mm256_fmadd_ps(_mm256_set1_ps(a), _mm256_loadu_ps(x), _mm256_loadu_ps(y)));
}

}  // namespace

// out[i] = a * x[i] + y[i] for n floats, eight at a time. Needs AVX2 and FMA.
void axpy(float a, const float* x, const float* y, float* out, int64_t n);

}  // namespace axpy_avx2
