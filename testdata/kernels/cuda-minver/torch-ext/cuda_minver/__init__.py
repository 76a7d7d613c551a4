from typing import Optional

import torch

from ._ops import ops


def negate(x: torch.Tensor, out: Optional[torch.Tensor] = None) -> torch.Tensor:
    """-x (kernel present)."""
    if out is None:
        out = torch.empty_like(x)
    ops.negate(out, x)
    return out


def negate_inplace(x: torch.Tensor) -> torch.Tensor:
    """x = -x in place (kernel present, self-registered op)."""
    ops.negate_inplace(x)
    return x


def has_future_kernel() -> bool:
    """Whether kernel future (cuda-minver 14.0) was built."""
    return hasattr(ops, "future_negate")


__all__ = ["has_future_kernel", "negate", "negate_inplace"]
