from typing import Optional

import torch

from ._ops import ops


def scale(x: torch.Tensor, out: Optional[torch.Tensor] = None) -> torch.Tensor:
    """x times the SCALE_BY constant the scale kernel was compiled with."""
    if out is None:
        out = torch.empty_like(x)
    ops.scale(out, x)
    return out


def shift(x: torch.Tensor, out: Optional[torch.Tensor] = None) -> torch.Tensor:
    """x + 1."""
    if out is None:
        out = torch.empty_like(x)
    ops.shift(out, x)
    return out


def scale_arch(device: Optional[torch.device] = None) -> int:
    """__CUDA_ARCH__ of the scale kernel's code that runs on `device`."""
    out = torch.zeros(1, dtype=torch.int32, device=device or "cuda")
    ops.scale_arch(out)
    return int(out.item())


__all__ = ["scale", "scale_arch", "shift"]
