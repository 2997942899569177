"""Families with several missing persons: GLR matches and symmetric matches (dvir 3.4.2).

The joint table of the family (every assignment, best first) gives, for each body and
missing person, the *generalised* LR: the best assignment with the pairing against the
best without it. A GLR of at least the threshold is a "Match (GLR)". What remains may be a
symmetric match: the two best assignments differ only by a swap between relatives (two
brothers, say), so the body is found but not which brother it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from parley.dna.joint import NOBODY, joint
from parley.dna.relations import describe
from parley.dna.solve_common import row, with_posterior

if TYPE_CHECKING:
    from parley.dna.solve import _State

_EPS = float(np.sqrt(np.finfo(float).eps))
Row = dict[str, Any]


def complex_family(
    sub: _State,
    candidates: np.ndarray,
    lr_of: Callable[[str, str], float],
    lr_column_max: Callable[[str], float | None],
    threshold: float,
    prior: float,
) -> tuple[list[Row], list[Row]]:
    """AM rows (every missing person of the family) and PM rows (bodies concluded)."""
    case = sub.case
    family = case.families[0]
    victims = [v.id for v in case.victims]
    missing = list(case.missing)
    table = joint(case, candidates, top=None, min_rows=3)
    rows = table.assignments
    ll = table.logliks
    glr = np.full((len(victims), len(missing)), np.nan)
    with np.errstate(invalid="ignore", over="ignore"):
        for i in range(len(victims)):
            column = [r[i] for r in rows]
            if len(set(column)) < 2:
                continue
            for j, m in enumerate(missing):
                if m not in column:
                    continue
                numerator = column.index(m)
                denominator = 0
                if numerator == 0:
                    denominator = next(k for k, a in enumerate(column) if a != column[0])
                glr[i, j] = np.exp(ll[numerator] - ll[denominator])
    am: list[Row] = []
    pm: list[Row] = []
    joint_label = "Joint: {" + ",".join(missing) + "}"
    found: list[tuple[int, int]] = sorted(
        ((int(i), int(j)) for i, j in zip(*np.nonzero(glr >= threshold - _EPS), strict=True)),
        key=lambda ij: (ij[1], ij[0]),
    )
    for i, j in found:
        lr = lr_of(victims[i], missing[j])
        entry = with_posterior(
            row(
                Family=family.name,
                Missing=missing[j],
                Sample=victims[i],
                LR=lr,
                GLR=float(glr[i, j]),
                Conclusion="Match (GLR)",
                Comment=joint_label,
            ),
            prior,
        )
        am.append(entry)
        pm.append(entry)
    left_v = [i for i in range(len(victims)) if i not in {a for a, _ in found}]
    left_m = [j for j in range(len(missing)) if j not in {b for _, b in found}]
    sym_am, sym_pm = _symmetric(
        family, victims, missing, left_v, left_m, rows, ll, lr_of, threshold
    )
    am += sym_am
    pm += sym_pm
    out_am = []
    for j, m in enumerate(missing):
        given = next((r for r in am if r["Missing"] == m), None)
        if given is None or given["GLR"] is None:
            ratios = glr[:, j]
            best = float(np.nanmax(ratios)) if np.any(~np.isnan(ratios)) else None
            given = row(
                Family=family.name,
                Missing=m,
                LR=lr_column_max(m),
                GLR=best,
                Conclusion="Inconclusive",
            )
        out_am.append(given)
    return out_am, pm


def _symmetric(
    family: Any,
    victims: list[str],
    missing: list[str],
    left_v: list[int],
    left_m: list[int],
    rows: list[tuple[str, ...]],
    ll: np.ndarray,
    lr_of: Callable[[str, str], float],
    threshold: float,
) -> tuple[list[Row], list[Row]]:
    if len(left_v) * len(left_m) <= 1 or len(rows) < 3:
        return [], []
    names = [missing[j] for j in left_m]
    first, second = rows[0], rows[1]
    diffs = [i for i in left_v if first[i] != second[i]]
    if len(diffs) > 2 or any(NOBODY in (first[i], second[i]) for i in diffs):
        return [], []
    if len(diffs) == 1:
        (i,) = diffs
        vic = victims[i]
        pair = [m for m in names if m in (first[i], second[i])]
        end = next((k for k, r in enumerate(rows) if r[i] not in pair), None)
        if end is None or len(pair) != 2:
            return [], []
        glr = float(np.exp(ll[0] - ll[end]))
        if np.isnan(glr) or glr < threshold:
            return [], []
        lrs = [lr_of(vic, m) for m in pair]
        rel = describe(family, pair[0], pair[1])
        am = [
            row(
                Family=family.name,
                Missing=m,
                Sample=vic,
                LR=lrs[k],
                GLR=glr,
                Conclusion="Symmetric match",
                Comment=f"{vic} also matches {pair[1 - k]} ({rel})",
            )
            for k, m in enumerate(pair)
        ]
        pm = [
            row(
                Sample=vic,
                Family=family.name,
                Missing="/".join(pair),
                LR=lrs[0] if _equal(lrs) else None,
                GLR=glr,
                Conclusion="Symmetric match",
                Comment=f"{pair[0]} and {pair[1]} are {rel}",
            )
        ]
        return am, pm
    if len(diffs) == 2 and {first[i] for i in diffs} == {second[i] for i in diffs}:
        vics = [victims[i] for i in diffs]
        pair = [m for m in names if m in {first[i] for i in diffs}]
        end = next(
            (k for k, r in enumerate(rows) if not (r[diffs[0]] in pair and r[diffs[1]] in pair)),
            None,
        )
        if end is None:
            return [], []
        glr = float(np.exp(ll[0] - ll[end]))
        if np.isnan(glr) or glr < threshold:
            return [], []
        rel = describe(family, pair[0], pair[1])
        rel = rel[:1].upper() + rel[1:]
        am = []
        for m in pair:
            lrs = [lr_of(v, m) for v in vics]
            am.append(
                row(
                    Family=family.name,
                    Missing=m,
                    Sample="/".join(vics),
                    LR=lrs[0] if _equal(lrs) else None,
                    GLR=glr,
                    Conclusion="Symmetric match",
                    Comment=f"{rel}: {{{', '.join(pair)}}} = {{{', '.join(vics)}}}",
                )
            )
        pm = []
        for v in vics:
            lrs = [lr_of(v, m) for m in pair]
            pm.append(
                row(
                    Sample=v,
                    Family=family.name,
                    Missing="/".join(pair),
                    LR=lrs[0] if _equal(lrs) else None,
                    GLR=glr,
                    Conclusion="Symmetric match",
                    Comment=f"{rel}: {{{', '.join(vics)}}} = {{{', '.join(pair)}}}",
                )
            )
        return am, pm
    return [], []


def _equal(values: list[float]) -> bool:
    """dvir's `equalNums(tol = 1e-3)`: the spread is below 0.001 (absolute)."""
    return bool(max(values) - min(values) < 1e-3)
