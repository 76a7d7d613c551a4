"""Checks the installed cpu_avx2 package against torch.

internal/e2e and scripts/e2e-cpu.sh run this after `pip install -e .` and
set KERNEL_OPS_NAME to the ops name they generated with (--ops-id e2e gives
_cpu_avx2_e2e).
"""

import os
import re

import pytest
import torch

import cpu_avx2

# Empty, shorter than one AVX2 vector, whole vectors and a tail, and several
# ranks.
SHAPES = [(0,), (1,), (7,), (8,), (9,), (3, 5), (2, 3, 17), (1000,)]


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_matches_torch(shape):
    x, y = torch.randn(shape), torch.randn(shape)
    got = cpu_avx2.axpy(x, y, 1.5)
    # The kernel rounds a * x + y once (fused), torch twice.
    torch.testing.assert_close(got, 1.5 * x + y)


def test_non_contiguous_inputs():
    x, y = torch.randn(9, 5).t(), torch.randn(9, 5).t()
    torch.testing.assert_close(cpu_avx2.axpy(x, y, -2.0), -2.0 * x + y)


def test_rejects_other_dtypes():
    with pytest.raises(RuntimeError, match="float32"):
        cpu_avx2.axpy(torch.ones(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64), 1.0)


def test_ops_namespace():
    ns = cpu_avx2._ops.ops.name
    assert re.fullmatch(r"_cpu_avx2_\w+", ns)
    if "KERNEL_OPS_NAME" in os.environ:
        assert ns == os.environ["KERNEL_OPS_NAME"]
    # Callable through torch.ops directly, not just through the wrapper.
    x, out = torch.ones(4), torch.empty(4)
    getattr(torch.ops, ns).axpy(out, x, x, 2.0)
    torch.testing.assert_close(out, 3 * x)
