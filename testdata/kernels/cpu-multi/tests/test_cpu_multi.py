"""Checks the installed cpu_multi package: both kernels, one ops namespace.

internal/e2e and scripts/e2e-cpu.sh set KERNEL_OPS_NAME to the ops name they
generated with (_cpu_multi_e2e); by hand only the shape of the name is
checked.
"""

import os
import re

import pytest
import torch

import cpu_multi

# [kernel.scale] cxx-flags in build.toml pass -DSCALE_FACTOR=3.
SCALE_FACTOR = 3

DTYPES = [torch.float32, torch.float64]
SHAPES = [(0,), (1,), (7,), (3, 5), (2, 3, 4)]


@pytest.fixture(autouse=True)
def seeded():
    # Fixed inputs, so that a failure reproduces.
    torch.manual_seed(0)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_scale_uses_factor_from_cxx_flags(shape, dtype):
    x = torch.randn(shape, dtype=dtype)
    got = cpu_multi.scale(x)
    # Multiplying by a small integer is exact in both dtypes.
    torch.testing.assert_close(got, x * SCALE_FACTOR, rtol=0, atol=0)


def test_scale_non_contiguous_input_and_out():
    x = torch.randn(6, 4).t()
    out = torch.empty(6, 4).t()
    returned = cpu_multi.scale(x, out=out)
    assert returned is out
    torch.testing.assert_close(out, x * SCALE_FACTOR, rtol=0, atol=0)


def test_scale_rejects_integer_input():
    with pytest.raises(RuntimeError, match="scale"):
        cpu_multi.scale(torch.arange(4))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shape", [(5,), (3, 5), (2, 3, 5), (4, 0)], ids=str)
def test_add_bias_matches_broadcast_add(shape, dtype):
    x = torch.randn(shape, dtype=dtype)
    bias = torch.randn(shape[-1], dtype=dtype)
    torch.testing.assert_close(cpu_multi.add_bias(x, bias), x + bias, rtol=0, atol=0)


def test_add_bias_non_contiguous_input():
    x = torch.randn(5, 3).t()  # last dimension 5, strided
    bias = torch.randn(10)[::2]  # 5 elements, strided
    torch.testing.assert_close(cpu_multi.add_bias(x, bias), x + bias, rtol=0, atol=0)


def test_add_bias_rejects_wrong_bias_length():
    with pytest.raises(RuntimeError, match="bias must be 1-D with 4 elements"):
        cpu_multi.add_bias(torch.randn(2, 4), torch.randn(3))


def test_both_ops_in_one_namespace_named_after_python_package():
    ns = cpu_multi._ops.ops.name
    # The dash of "cpu-multi" must not reach Python: it is not valid in a
    # module name, so the ops name uses the Python package name.
    assert re.fullmatch(r"_cpu_multi_\w+", ns), ns
    if "KERNEL_OPS_NAME" in os.environ:
        assert ns == os.environ["KERNEL_OPS_NAME"]
    assert cpu_multi.__name__ == "cpu_multi"

    namespace = getattr(torch.ops, ns)
    assert namespace.scale.default._schema.name == f"{ns}::scale"
    assert namespace.add_bias.default._schema.name == f"{ns}::add_bias"
    x = torch.ones(3)
    torch.testing.assert_close(namespace.add_bias(x, x), 2 * x)
