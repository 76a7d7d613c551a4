"""GPU tests for the cuda-caps case; scripts/gpu-e2e.sh runs them after
`pip install -e .` of the generated project (ops id gpu0001, see ../args)."""

import pytest
import torch

import cuda_caps

DTYPES = [torch.float32, torch.float16, torch.bfloat16]


def test_gpu_present():
    assert torch.cuda.is_available(), "these tests need a CUDA GPU"


@pytest.mark.parametrize("dtype", DTYPES)
def test_scale_uses_the_kernel_cuda_flags(dtype):
    # build.toml passes -DSCALE_BY=2.0f to kernel scale only.
    x = torch.randn(1031, 17, device="cuda", dtype=dtype)
    torch.testing.assert_close(cuda_caps.scale(x), x * 2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_shift(dtype):
    x = torch.randn(1031, 17, device="cuda", dtype=dtype)
    torch.testing.assert_close(cuda_caps.shift(x), x + 1)


def test_scale_runs_code_for_its_capabilities():
    # cuda-capabilities = ["8.0", "9.0+PTX"]: an 8.x GPU runs the sm_80 SASS;
    # 9.0 runs sm_90; newer majors JIT the compute_90 PTX. Both give the
    # __CUDA_ARCH__ of the code that was compiled, not of the GPU.
    major, _ = torch.cuda.get_device_capability()
    if major < 8:
        pytest.skip("no code for capabilities below 8.0 by design")
    expected = 800 if major == 8 else 900
    assert cuda_caps.scale_arch() == expected
