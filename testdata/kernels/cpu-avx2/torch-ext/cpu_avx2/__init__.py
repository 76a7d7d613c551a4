"""a * x + y on CPU, backed by the compiled op torch.ops.<ops name>.axpy."""

import torch

from ._ops import ops

__all__ = ["axpy"]


def axpy(x: torch.Tensor, y: torch.Tensor, a: float) -> torch.Tensor:
    """Return a * x + y for float32 tensors of one shape."""
    out = torch.empty(x.shape, dtype=x.dtype)
    ops.axpy(out, x, y, a)
    return out
