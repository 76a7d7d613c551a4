"""GPU tests for the cuda-minver case; scripts/gpu-e2e.sh runs them after
`pip install -e .` of the generated project (ops id gpu0001, see ../args)."""

import torch

import cuda_minver
from cuda_minver._ops import ops


def cuda_at_least(version: str) -> bool:
    have = tuple(int(p) for p in torch.version.cuda.split(".")[:2])
    want = tuple(int(p) for p in version.split(".")[:2])
    return have >= want


def test_gpu_present():
    assert torch.cuda.is_available(), "these tests need a CUDA GPU"


def test_kernel_at_its_minver_is_built():
    # cuda-minver = "12.0", below the toolkit: built and registered.
    assert cuda_at_least("12.0")
    x = torch.randn(1031, 5, device="cuda")
    torch.testing.assert_close(cuda_minver.negate(x), -x)


def test_self_registered_op_of_a_built_kernel_exists():
    x = torch.randn(300, device="cuda", dtype=torch.bfloat16)
    expected = -x
    torch.testing.assert_close(cuda_minver.negate_inplace(x), expected)


def test_kernel_above_the_toolkit_is_left_out():
    # cuda-minver = "14.0". torch.version.cuda is the CUDA torch was built
    # with, which matches the toolkit on the GPU machine (13.0).
    assert not cuda_at_least("14.0"), "test assumes a CUDA older than 14.0"
    assert not cuda_minver.has_future_kernel()
    assert not hasattr(ops, "future_negate")
