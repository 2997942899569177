"""What the pipeline's steps share: the shape of a conclusion row and the posterior rule."""

from __future__ import annotations

from typing import Any

import numpy as np

Row = dict[str, Any]
"""A conclusion: Family, Missing, Sample, LR, GLR, Conclusion, Comment (None = NA), and
Posterior where Parley adds it."""

COLUMNS = ("Family", "Missing", "Sample", "LR", "GLR", "Conclusion", "Comment")


def row(**values: Any) -> Row:
    """A conclusion row with every column present (None where dvir prints NA)."""
    base: Row = dict.fromkeys(COLUMNS)
    base.update(values)
    return base


def posterior_from_lr(lr: float, prior: float) -> float:
    """P(match | data) from the LR and the prior probability of the match."""
    if lr is None or np.isnan(lr):
        return float("nan")
    if np.isinf(lr):
        return 1.0
    return float(lr * prior / (lr * prior + (1.0 - prior)))
