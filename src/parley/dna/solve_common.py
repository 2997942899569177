"""What the pipeline's steps share: the shape of a conclusion row and the posterior rule."""

from __future__ import annotations

from typing import Any

import numpy as np

Row = dict[str, Any]
"""A conclusion: Family, Missing, Sample, LR, GLR, Conclusion, Comment (None = NA); for a
match Parley adds Posterior (at the stated prior) and Identified (Posterior ≥ 99.95 %)."""

POSTERIOR_RULE = 0.9995
"""The posterior probability identification guidelines ask of a match (ICMP, ISFG)."""

COLUMNS = ("Family", "Missing", "Sample", "LR", "GLR", "Conclusion", "Comment")


def row(**values: Any) -> Row:
    """A conclusion row with every column present (None where dvir prints NA)."""
    base: Row = dict.fromkeys(COLUMNS)
    base.update(values)
    return base


def with_posterior(entry: Row, prior: float) -> Row:
    """Add the posterior of the row's LR at `prior`, and whether it meets the 99.95 % rule."""
    posterior = posterior_from_lr(entry["LR"], prior)
    entry["Posterior"] = posterior
    entry["Identified"] = bool(posterior >= POSTERIOR_RULE)
    return entry


def posterior_from_lr(lr: float, prior: float) -> float:
    """P(match | data) from the LR and the prior probability of the match."""
    if lr is None or np.isnan(lr):
        return float("nan")
    if np.isinf(lr):
        return 1.0
    return float(lr * prior / (lr * prior + (1.0 - prior)))
