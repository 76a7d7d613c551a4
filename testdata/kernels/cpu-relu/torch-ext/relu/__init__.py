"""ReLU on CPU tensors, backed by the compiled op torch.ops.<ops name>.relu."""

from typing import Optional

import torch

from ._ops import ops

__all__ = ["relu"]


def relu(x: torch.Tensor, out: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Return max(x, 0) elementwise.

    The result goes into ``out`` when it is given (same shape and dtype as
    ``x``), else into a new tensor laid out like ``x``.
    """
    if out is None:
        out = torch.empty_like(x)
    ops.relu(out, x)
    return out
