"""GPU tests for the cuda-cutlass case; scripts/gpu-e2e.sh runs them after
`pip install -e .` of the generated project, with CUTLASS_SRC_DIR pointing at
testdata/cutlass-mini (ops id gpu0001, see ../args)."""

import os

import torch

import cuda_cutlass


def test_gpu_present():
    assert torch.cuda.is_available(), "these tests need a CUDA GPU"


def test_kernel_compiled_against_cutlass_3_6_headers():
    info = cuda_cutlass.cutlass_info()
    assert info.version[:2] == (3, 6)
    assert info.status_ok


def test_headers_come_from_cutlass_src_dir():
    # The e2e script sets CUTLASS_SRC_DIR to the stand-in tree; a build that
    # ignored it could not have found any CUTLASS on the GPU machine.
    src = os.environ.get("CUTLASS_SRC_DIR", "")
    info = cuda_cutlass.cutlass_info()
    assert info.mini == src.rstrip("/").endswith("cutlass-mini")
