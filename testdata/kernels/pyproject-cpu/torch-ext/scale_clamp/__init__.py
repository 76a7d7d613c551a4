"""clamp(x * scale, -limit, limit), backed by torch.ops.<ops name>.scale_clamp.

The defaults come from defaults.json, a data file of the package (pyext),
so a layout that leaves it behind fails on import.
"""

import json
from pathlib import Path
from typing import Optional

import torch

from ._ops import add_op_namespace_prefix, ops

__all__ = ["DEFAULTS", "add_op_namespace_prefix", "ops", "scale_clamp"]

DEFAULTS = json.loads((Path(__file__).parent / "defaults.json").read_text())


def scale_clamp(
    x: torch.Tensor,
    scale: Optional[float] = None,
    limit: Optional[float] = None,
    out: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """Return clamp(x * scale, -limit, limit), defaults from defaults.json."""
    if out is None:
        out = torch.empty_like(x)
    ops.scale_clamp(
        out,
        x,
        DEFAULTS["scale"] if scale is None else scale,
        DEFAULTS["limit"] if limit is None else limit,
    )
    return out
