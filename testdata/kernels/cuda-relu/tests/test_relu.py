"""GPU tests for the cuda-relu case; scripts/gpu-e2e.sh runs them after
`pip install -e .` of the generated project (ops id gpu0001, see ../args)."""

import signal
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

import cuda_relu
from cuda_relu import _ops

OPS_NAME = "_cuda_relu_gpu0001"


def test_gpu_present():
    assert torch.cuda.is_available(), "these tests need a CUDA GPU"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16])
def test_relu_matches_torch(dtype):
    # Odd sizes: exercises the grid-stride loop's tail.
    x = torch.randn(1031, 77, device="cuda", dtype=dtype)
    torch.testing.assert_close(cuda_relu.relu(x), F.relu(x), rtol=0, atol=0)


def test_relu_writes_into_out():
    x = torch.randn(4096, device="cuda")
    out = torch.full_like(x, 123.0)
    result = cuda_relu.relu(x, out=out)
    assert result.data_ptr() == out.data_ptr()
    torch.testing.assert_close(out, F.relu(x))


def test_relu_keeps_nan():
    x = torch.tensor([float("nan"), -1.0, 2.0], device="cuda")
    y = cuda_relu.relu(x)
    assert torch.isnan(y[0]) and y[1].item() == 0.0 and y[2].item() == 2.0


def test_op_namespace_is_the_ops_name():
    assert _ops.add_op_namespace_prefix("relu") == f"{OPS_NAME}::relu"
    assert hasattr(getattr(torch.ops, OPS_NAME), "relu")


def test_cpu_tensors_have_no_kernel():
    # Only a CUDA implementation is registered.
    with pytest.raises(NotImplementedError):
        cuda_relu.relu(torch.randn(8))


def test_shape_mismatch_is_rejected():
    # Run in a child process: on the GPU machine used for scripts/gpu-e2e.sh,
    # any C++ exception thrown inside an extension op (ours, or one built by
    # torch.utils.cpp_extension.load_inline) kills the interpreter with
    # SIGSEGV instead of raising. The child tells the two apart.
    code = (
        "import torch, cuda_relu\n"
        "x = torch.randn(8, device='cuda')\n"
        "try:\n"
        "    cuda_relu.relu(x, out=torch.empty(9, device='cuda'))\n"
        "except RuntimeError as e:\n"
        "    assert 'same shape' in str(e), e\n"
        "    raise SystemExit(0)\n"
        "raise SystemExit('no error raised')\n"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if child.returncode == -signal.SIGSEGV:
        pytest.xfail("C++ exceptions from extension ops crash this torch build (see docs/gpu.md)")
    assert child.returncode == 0, child.stderr
