"""Checks the scale_clamp kernel against torch.clamp, and its layout facts."""

import os

import pytest
import torch

OPS_NAME = os.environ.get("KERNEL_OPS_NAME")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (3, 5), (64, 33)])
def test_matches_torch(kernel, dtype, shape):
    x = torch.randn(shape, dtype=dtype) * 3
    got = kernel.scale_clamp(x, 0.5, 1.0)
    torch.testing.assert_close(got, torch.clamp(x * 0.5, -1.0, 1.0))


def test_defaults_come_from_the_data_file(kernel):
    assert kernel.DEFAULTS == {"scale": 2.0, "limit": 1.5}
    x = torch.linspace(-2, 2, 9)
    torch.testing.assert_close(kernel.scale_clamp(x), torch.clamp(x * 2.0, -1.5, 1.5))


def test_non_contiguous_output(kernel):
    x = torch.randn(6, 4)
    out = torch.empty(4, 6).t()
    kernel.scale_clamp(x, 1.0, 0.5, out=out)
    torch.testing.assert_close(out, torch.clamp(x, -0.5, 0.5))


def test_negative_limit_is_rejected(kernel):
    with pytest.raises(RuntimeError, match="limit must not be negative"):
        kernel.scale_clamp(torch.ones(3), 1.0, -1.0)


def test_op_namespace(kernel):
    name = kernel.add_op_namespace_prefix("scale_clamp")
    if OPS_NAME:
        assert name == f"{OPS_NAME}::scale_clamp"
    assert name.startswith("_scale_clamp_cpu_")


def test_metadata(loaded):
    _, metadata = loaded
    if metadata is None:
        pytest.skip("installed with pip: no build variant metadata")
    assert metadata["name"] == "scale-clamp"
    assert metadata["backend"] == {"type": "cpu"}
    assert metadata["id"].startswith("_scale_clamp_cpu_")
    assert metadata["kernel-depends"] == []
