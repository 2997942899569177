"""`parley dvi` over a case in dvir's CSV layout: LR matrix, exclusions, candidates, joint.

Every figure comes from `parley.dna` unchanged; this module only shapes it for printing and
for JSON (NaN where dvir prints NA becomes null, an infinite LR the string "Inf").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parley.dna.joint import joint
from parley.dna.model import DviCase
from parley.dna.pairwise import DEFAULT_MAX_INCOMPATIBLE, pairwise
from parley.dna.reading import read_case
from parley.dna.solve import solve
from parley.dna.solve_common import POSTERIOR_RULE, posterior_from_lr


def number(value: float) -> float | str | None:
    """A figure as JSON can carry it."""
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    return float(value)


def _matrix(values: np.ndarray) -> list[list[float | str | None]]:
    return [[number(float(v)) for v in row] for row in values]


@dataclass(frozen=True)
class Candidate:
    missing: str
    lr: float
    exclusions: int
    posterior: float


def candidates(
    case: DviCase, *, top: int = 5, max_incompatible: int = DEFAULT_MAX_INCOMPATIBLE
) -> dict[str, list[Candidate]]:
    """Per body, the missing persons it may be, best LR first; an excluded pairing never is.

    The posterior is the LR's at the prior 1/N (N missing persons), the prior `dviSolve` uses.
    """
    result = pairwise(case)
    excluded = result.excluded(max_incompatible)
    prior = 1.0 / max(1, len(case.missing))
    out: dict[str, list[Candidate]] = {}
    for i, victim in enumerate(case.victims):
        found = [
            Candidate(
                missing,
                float(result.lr[i, j]),
                int(result.exclusions[i, j]),
                posterior_from_lr(float(result.lr[i, j]), prior),
            )
            for j, missing in enumerate(case.missing)
            if not excluded[i, j] and float(result.lr[i, j]) > 0
        ]
        found.sort(key=lambda c: (-c.lr, c.missing))
        out[victim.id] = found[:top]
    return out


def screen_case(folder: Path, *, top: int = 5) -> dict[str, Any]:
    """LR matrix (dvir's `pairwiseLR`), exclusion counts (`findExcluded`), candidates."""
    case = read_case(folder)
    result = pairwise(case)
    return {
        "victims": [v.id for v in case.victims],
        "missing": list(case.missing),
        "lr_matrix": _matrix(result.lr),
        "exclusion_matrix": _matrix(result.exclusions),
        "max_incompatible": DEFAULT_MAX_INCOMPATIBLE,
        "prior": 1.0 / max(1, len(case.missing)),
        "candidates": {
            body: [
                {
                    "missing": c.missing,
                    "lr": number(c.lr),
                    "exclusions": c.exclusions,
                    "posterior": number(c.posterior),
                }
                for c in found
            ]
            for body, found in candidates(case, top=top).items()
        },
    }


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: number(v) if isinstance(v, float) else v for k, v in entry.items()}


def solve_case(folder: Path, *, top: int = 10) -> dict[str, Any]:
    """Joint top assignments (`dviJoint`), posterior pairings (`Bmarginal`), `dviSolve` tables."""
    case = read_case(folder)
    result = joint(case, top=top)
    solution = solve(case)
    victims = [v.id for v in case.victims]
    return {
        "victims": victims,
        "missing": list(case.missing),
        "joint": [
            {
                "assignment": dict(zip(victims, assignment, strict=True)),
                "loglik": number(float(ll)),
                "lr_vs_best": number(float(lr)),
            }
            for assignment, ll, lr in zip(
                result.assignments, result.logliks, result.lr_vs_best, strict=True
            )
        ],
        "posterior_columns": [*case.missing, "*"],
        "posterior": _matrix(result.posterior),
        "prior": solution.prior,
        "posterior_rule": POSTERIOR_RULE,
        "am": [_row(r) for r in solution.am],
        "pm": [_row(r) for r in solution.pm],
    }
