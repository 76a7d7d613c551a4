#pragma once

#include <ATen/core/Tensor.h>

// Writes, from a CUDA kernel compiled against CUTLASS's headers:
// out[0] = CUTLASS version as major*10000 + minor*100 + patch,
// out[1] = 1 when cutlass::Status::kSuccess compares equal to itself,
// out[2] = 1 when the headers are testdata/cutlass-mini's (CUTLASS_MINI).
void cutlass_probe(at::Tensor &out);
