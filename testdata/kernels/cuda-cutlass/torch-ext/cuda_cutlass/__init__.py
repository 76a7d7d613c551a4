from typing import NamedTuple

import torch

from ._ops import ops


class CutlassInfo(NamedTuple):
    version: tuple
    status_ok: bool
    mini: bool


def cutlass_info() -> CutlassInfo:
    """What the CUTLASS headers the kernel was compiled with say."""
    out = torch.zeros(3, dtype=torch.int32, device="cuda")
    ops.cutlass_probe(out)
    encoded, status_ok, mini = (int(v) for v in out.tolist())
    version = (encoded // 10000, encoded // 100 % 100, encoded % 100)
    return CutlassInfo(version, bool(status_ok), bool(mini))


__all__ = ["CutlassInfo", "cutlass_info"]
