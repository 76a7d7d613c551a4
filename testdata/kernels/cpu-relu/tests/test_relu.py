"""Checks the installed relu package against torch.relu.

internal/e2e and scripts/e2e-cpu.sh run this after `pip install -e .` and
set KERNEL_OPS_NAME to the ops name they generated with (--ops-id e2e gives
_relu_e2e). Run by hand after a build with another ops id, it checks only the
shape of the name.
"""

import math
import os
import re

import pytest
import torch

import relu

DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16]

# Empty, single element, odd lengths and several ranks, so that no loop
# bound or stride assumption in the kernel goes unexercised.
SHAPES = [(0,), (1,), (7,), (3, 5), (2, 3, 4), (64, 33), (1024,)]


def expected_relu(x: torch.Tensor) -> torch.Tensor:
    # torch 1.13 has no CPU relu for float16; relu is exact in every float
    # type, so computing in float64 and casting back loses nothing.
    return torch.relu(x.double()).to(x.dtype)


@pytest.fixture(autouse=True)
def seeded():
    # Fixed inputs, so that a failure reproduces.
    torch.manual_seed(0)


def random_tensor(shape, dtype) -> torch.Tensor:
    # Normal samples: about half are negative, so both branches of the
    # kernel run.
    return torch.randn(shape).to(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_matches_torch_relu(shape, dtype):
    x = random_tensor(shape, dtype)
    got = relu.relu(x)
    assert got.dtype == dtype
    assert got.shape == x.shape
    torch.testing.assert_close(got, expected_relu(x), rtol=0, atol=0)


@pytest.mark.parametrize(
    "make_input",
    [
        lambda: torch.randn(8, 6).t(),  # transposed
        lambda: torch.randn(5, 12)[:, ::3],  # strided slice
        lambda: torch.randn(1, 9).expand(4, 9),  # stride 0
    ],
    ids=["transposed", "sliced", "expanded"],
)
def test_non_contiguous_input(make_input):
    x = make_input()
    assert not x.is_contiguous()
    torch.testing.assert_close(relu.relu(x), expected_relu(x), rtol=0, atol=0)


def test_writes_into_given_out_even_when_not_contiguous():
    x = torch.randn(6, 8)
    out = torch.full((8, 6), 42.0).t()
    assert not out.is_contiguous()
    returned = relu.relu(x, out=out)
    assert returned is out
    torch.testing.assert_close(out, expected_relu(x), rtol=0, atol=0)


def test_nan_stays_nan_like_torch_relu():
    x = torch.tensor([math.nan, -1.0, 0.0, 2.5])
    torch.testing.assert_close(relu.relu(x), torch.relu(x), equal_nan=True)


def test_rejects_mismatched_out():
    with pytest.raises(RuntimeError, match="shape"):
        relu.relu(torch.randn(4), out=torch.empty(5))
    with pytest.raises(RuntimeError, match="dtype"):
        relu.relu(torch.randn(4), out=torch.empty(4, dtype=torch.float64))


def test_rejects_integer_input():
    with pytest.raises(RuntimeError, match="relu_cpu"):
        relu.relu(torch.arange(-3, 3))


def test_op_registered_under_ops_namespace():
    ns = relu._ops.ops.name
    assert re.fullmatch(r"_relu_\w+", ns), ns
    if "KERNEL_OPS_NAME" in os.environ:
        assert ns == os.environ["KERNEL_OPS_NAME"]
    assert relu._ops.add_op_namespace_prefix("relu") == f"{ns}::relu"

    op = getattr(torch.ops, ns).relu
    # Compared field by field: how torch prints an unnamed `Tensor!` varies
    # between versions.
    schema = op.default._schema
    assert schema.name == f"{ns}::relu"
    assert [a.name for a in schema.arguments] == ["out", "input"]
    assert schema.arguments[0].alias_info.is_write
    assert schema.arguments[1].alias_info is None
    assert list(schema.returns) == []
    # Callable through torch.ops directly, not just through the wrapper: this
    # is how other packages and torch.compile reach the kernel.
    x = torch.randn(10)
    out = torch.empty(10)
    op(out, x)
    torch.testing.assert_close(out, expected_relu(x), rtol=0, atol=0)
