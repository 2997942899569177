"""The whole identification pipeline, step for step as dvir's `dviSolve` (3.4.2).

1. missing persons related to no reference are non-identifiable;
2. repeat: exclude pairings with more than `max_incompatible` inconsistent markers (and
   bodies or missing persons left with none); accept *undisputed* matches (LR ≥ 10⁴ and
   ahead of every competitor in its row and column by that factor), move the body's profile
   into its family as a new reference, drop pairings with LR 0; until nothing changes;
3. families with one missing person left: probable / disputed / inconclusive by LR (10³);
4. families with several: the joint search; a pairing is a "Match (GLR)" when the best
   assignment with it beats the best without it by 10⁴, and two near-equal top assignments
   that swap bodies between relatives are a "symmetric match";
5. bodies left over are reported by their best LR.

Beside dvir's figures Parley reports, for undisputed and GLR matches, the posterior
probability under a stated prior of 1/N (N = missing persons) and whether it reaches the
99.95 % that identification guidelines ask for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from parley.dna.joint import grid_size
from parley.dna.model import DviCase, Profile
from parley.dna.pairwise import DEFAULT_MAX_INCOMPATIBLE, PairCache, pairwise, sex_compatible
from parley.dna.relations import related
from parley.dna.solve_common import POSTERIOR_RULE, Row, posterior_from_lr, row, with_posterior
from parley.dna.solve_glr import complex_family

UNDISPUTED_LR = 1e4
MAX_ASSIGNMENTS = 100_000
_EPS = float(np.sqrt(np.finfo(float).eps))


@dataclass
class _State:
    case: DviCase
    pairings: dict[str, list[str]]
    """Body id → missing ids it may still be (in missing order)."""


@dataclass
class Solution:
    """One row per missing person (`am`) and per body (`pm`), as dvir's AM and PM tables."""

    am: list[Row]
    pm: list[Row]
    lr_matrix_first: np.ndarray
    exclusions_first: np.ndarray
    prior: float = field(default=0.0)


def _candidates(state: _State) -> np.ndarray:
    case = state.case
    return np.array(
        [[m in state.pairings[v.id] for m in case.missing] for v in case.victims], dtype=bool
    ).reshape(len(case.victims), len(case.missing))


def _subset(
    state: _State,
    victims: list[str] | None = None,
    missing: list[str] | None = None,
    families: list[str] | None = None,
    remove_unpaired: bool = True,
) -> tuple[_State, list[str]]:
    """dvir's `subsetDVI`; also returns the bodies dropped for want of any pairing."""
    case = state.case
    kept_families = list(case.families)
    kept_missing = list(case.missing)
    if families is not None:
        kept_families = [f for f in case.families if f.name in families]
        if missing is None:
            ids = {p.id for f in kept_families for p in f.members}
            kept_missing = [m for m in case.missing if m in ids]
    if missing is not None:
        kept_missing = [m for m in case.missing if m in missing]
        if families is None:
            holders = {case.families[case.family_of(m)].name for m in kept_missing}
            kept_families = [f for f in kept_families if f.name in holders]
    keep_victims = [v for v in case.victims if victims is None or v.id in victims]
    pairings = {v.id: [m for m in state.pairings[v.id] if m in kept_missing] for v in keep_victims}
    dropped: list[str] = []
    if remove_unpaired:
        dropped = [v for v, ms in pairings.items() if not ms]
        keep_victims = [v for v in keep_victims if v.id not in dropped]
        pairings = {v: ms for v, ms in pairings.items() if v not in dropped}
    new = DviCase(case.markers, tuple(keep_victims), tuple(kept_families), tuple(kept_missing))
    return _State(new, pairings), dropped


def _transfer(state: _State, placed: dict[str, Profile]) -> _State:
    """Put identified bodies' profiles on their missing persons (who become references)."""
    families = []
    for family in state.case.families:
        ids = {p.id for p in family.members}
        extra = {m: profile for m, profile in placed.items() if m in ids}
        families.append(replace(family, profiles={**family.profiles, **extra}) if extra else family)
    return _State(replace(state.case, families=tuple(families)), state.pairings)


def _same(a: _State, b: _State) -> bool:
    return (
        a.case.missing == b.case.missing
        and [v.id for v in a.case.victims] == [v.id for v in b.case.victims]
        and a.case.families == b.case.families
        and {k: set(v) for k, v in a.pairings.items()} == {k: set(v) for k, v in b.pairings.items()}
    )


def solve(
    case: DviCase,
    threshold: float = UNDISPUTED_LR,
    max_incompatible: int = DEFAULT_MAX_INCOMPATIBLE,
    max_assignments: int = MAX_ASSIGNMENTS,
) -> Solution:
    """Run the pipeline; see the module docstring for the steps."""
    threshold2 = max(1.0, threshold / 10)
    prior = 1.0 / max(1, len(case.missing))
    sexes = sex_compatible(case)
    state = _State(
        case,
        {
            v.id: [m for j, m in enumerate(case.missing) if sexes[i, j]]
            for i, v in enumerate(case.victims)
        },
    )
    am_rows: list[Row] = []
    pm_rows: list[Row] = []
    cache: PairCache = {}

    lonely = _nonidentifiable(case)
    for m in lonely:
        family = case.families[case.family_of(m)]
        has_refs = any(family.profiles.values())
        comment = "Unrelated to all references" if has_refs else "No references in family"
        am_rows.append(
            row(Family=family.name, Missing=m, Conclusion="Nonidentifiable", Comment=comment)
        )
    if lonely:
        state, _ = _subset(state, missing=[m for m in case.missing if m not in lonely])

    first_lr = first_excl = np.empty((0, 0))
    lr_now: tuple[list[str], list[str], np.ndarray] = ([], [], np.empty((0, 0)))
    iteration = 0
    while True:
        iteration += 1
        reduced, excl_matrix, am_ex, pm_ex = _exclusions(state, max_incompatible, cache)
        if iteration == 1:
            first_excl = excl_matrix
        if _same(reduced, state):
            if iteration > 1:
                break
        else:
            am_rows += am_ex
            pm_rows += pm_ex
            state = reduced
        reduced, rows, matrices = _undisputed(state, threshold, prior, cache)
        if iteration == 1:
            first_lr = matrices[0][2]
        lr_now = matrices[-1]
        if _same(reduced, state):
            break
        am_rows += rows
        pm_rows += rows
        state = reduced

    vic_names, miss_names, lr_values = lr_now

    def lr_of(v: str, m: str) -> float:
        if v in vic_names and m in miss_names:
            return float(lr_values[vic_names.index(v), miss_names.index(m)])
        return float("nan")

    def column_max(m: str) -> float | None:
        values = [lr_of(v, m) for v in vic_names]
        known = [x for x in values if not np.isnan(x)]
        return max(known) if known else None

    remaining = {f.name: state.case.missing_of(i) for i, f in enumerate(state.case.families)}
    for name, ms in remaining.items():
        if len(ms) == 1:
            am_rows.append(_simple_family(name, ms[0], vic_names, lr_of, threshold2))
    for name, ms in remaining.items():
        if len(ms) < 2:
            continue
        sub, _ = _subset(state, families=[name])
        if grid_size(_candidates(sub)) > max_assignments:
            continue  # dvir skips such a family ("SKIPPED"); its bodies go on below
        fam_am, fam_pm = complex_family(sub, _candidates(sub), lr_of, column_max, threshold, prior)
        am_rows += fam_am
        pm_rows += fam_pm
        found = {r["Sample"] for r in fam_pm}
        state, _ = _subset(
            state,
            victims=[v.id for v in state.case.victims if v.id not in found],
            families=[f.name for f in state.case.families if f.name != name],
            remove_unpaired=False,
        )
    for v in state.case.victims:
        pm_rows.append(_pm_driven(v.id, case, miss_names, partial(lr_of, v.id), threshold2))

    am = [
        _first(am_rows, "Missing", m)
        or row(Family=case.families[case.family_of(m)].name, Missing=m)
        for m in case.missing
    ]
    pm = [_first(pm_rows, "Sample", v.id) or row(Sample=v.id) for v in case.victims]
    return Solution(am, pm, first_lr, first_excl, prior)


def _first(rows: list[Row], key: str, value: str) -> Row | None:
    return next((r for r in rows if r[key] == value), None)


def _nonidentifiable(case: DviCase) -> list[str]:
    """Missing persons with no chain of kinship to a typed reference (dvir's rule)."""
    out: list[str] = []
    for index, family in enumerate(case.families):
        refs = [p for p, prof in family.profiles.items() if prof]
        candidates = list(case.missing_of(index))
        linked = refs
        while candidates and linked:
            linked = [m for m in candidates if any(related(family, m, r) for r in linked)]
            candidates = [m for m in candidates if m not in linked]
        out += candidates
    return [m for m in case.missing if m in out]


def _exclusions(
    state: _State, max_incompatible: int, cache: PairCache
) -> tuple[_State, np.ndarray, list[Row], list[Row]]:
    case = state.case
    result = pairwise(case, _candidates(state), cache) if case.victims else None
    counts = result.exclusions if result is not None else np.empty((0, len(case.missing)))

    def least(values: np.ndarray) -> float:
        return float(np.nanmin(values)) if np.any(~np.isnan(values)) else float("inf")

    def comment(value: float) -> str:
        return "No compatible pairings" if np.isinf(value) else f"{int(value)}+ inconsistencies"

    pm_rows, am_rows = [], []
    out_victims = []
    for i, v in enumerate(case.victims):
        low = least(counts[i])
        if low > max_incompatible:
            out_victims.append(v.id)
            pm_rows.append(row(Sample=v.id, Conclusion="Excluded", Comment=comment(low)))
    out_missing = []
    for j, m in enumerate(case.missing):
        low = least(counts[:, j])
        if low > max_incompatible:
            out_missing.append(m)
            family = case.families[case.family_of(m)].name
            am_rows.append(
                row(Family=family, Missing=m, Conclusion="Excluded", Comment=comment(low))
            )
    new = state
    if out_victims or out_missing:
        new, _ = _subset(
            state,
            victims=[v.id for v in case.victims if v.id not in out_victims],
            missing=[m for m in case.missing if m not in out_missing],
            remove_unpaired=False,
        )
    pairings = {}
    for i, v in enumerate(case.victims):
        if v.id in out_victims:
            continue
        pairings[v.id] = [
            m
            for j, m in enumerate(case.missing)
            if m not in out_missing
            and not np.isnan(counts[i, j])
            and counts[i, j] <= max_incompatible
        ]
    return _State(new.case, pairings), counts, am_rows, pm_rows


def _undisputed(
    state: _State, threshold: float, prior: float, cache: PairCache
) -> tuple[_State, list[Row], list[tuple[list[str], list[str], np.ndarray]]]:
    rows: list[Row] = []
    matrices: list[tuple[list[str], list[str], np.ndarray]] = []
    step = 0
    lr = np.empty((0, 0))
    while True:
        step += 1
        case = state.case
        if not case.victims or not case.missing:
            break
        lr = pairwise(case, _candidates(state), cache).lr
        victims = [v.id for v in case.victims]
        missing = list(case.missing)
        matrices.append((victims, missing, lr))
        hits = _undisputed_entries(lr, threshold)
        if not hits:
            break
        placed: dict[str, Profile] = {}
        for i, j in hits:
            family = case.families[case.family_of(missing[j])].name
            value = float(lr[i, j])
            rows.append(
                with_posterior(
                    row(
                        Family=family,
                        Missing=missing[j],
                        Sample=victims[i],
                        LR=value,
                        Conclusion="Undisputed",
                        Comment=f"Step {step}",
                    ),
                    prior,
                )
            )
            placed[missing[j]] = case.victims[i].profile
        found_v = {victims[i] for i, _ in hits}
        found_m = {missing[j] for _, j in hits}
        new_victims = [v for v in victims if v not in found_v]
        new_missing = [m for m in missing if m not in found_m]
        state, dropped = _subset(state, victims=new_victims, missing=new_missing)
        for v in dropped:
            rows.append(row(Sample=v, Conclusion="Excluded", Comment="No compatible pairings"))
        state = _transfer(state, placed)
        if not new_missing or not new_victims:
            break
    if matrices:
        victims, missing, lr = matrices[-1]
        keep = {
            v: [m for j, m in enumerate(missing) if lr[i, j] > 0] for i, v in enumerate(victims)
        }
        state = _State(
            state.case,
            {
                v: [m for m in keep.get(v, ms) if m in state.case.missing]
                for v, ms in state.pairings.items()
            },
        )
    if not matrices:
        matrices.append(([], [], np.empty((0, 0))))
    return state, rows, matrices


def _undisputed_entries(lr: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Entries ≥ threshold whose row and column rivals are all ≤ entry / threshold."""
    values = np.where(np.isnan(lr), -1.0, lr)
    hits = []
    for i, j in zip(*np.nonzero(values >= threshold - _EPS), strict=True):
        limit = values[i, j] / threshold
        rivals = np.concatenate([np.delete(values[i], j), np.delete(values[:, j], i)])
        if np.all(rivals <= limit):
            hits.append((int(i), int(j)))
    return sorted(hits, key=lambda ij: (ij[1], ij[0]))


def _simple_family(
    name: str, m: str, victims: list[str], lr_of: Callable[[str, str], float], threshold2: float
) -> Row:
    lrs = {v: lr_of(v, m) for v in victims}
    known = {v: x for v, x in lrs.items() if not np.isnan(x)}
    if not known:
        return row(Family=name, Missing=m)
    best = max(known, key=lambda v: known[v])  # first of ties, as which.max
    best_lr = known[best]
    high = {v: x for v, x in known.items() if x > threshold2}
    rivals = {v: x for v, x in known.items() if v != best}
    if len(high) > 1:
        also = ", ".join(f"{v} (LR={_g2(x)})" for v, x in high.items() if v != best)
        return row(
            Family=name,
            Missing=m,
            Sample=best,
            LR=best_lr,
            Conclusion="Disputed",
            Comment=f"Also: {also}",
        )
    if len(high) == 1:
        runner = max(rivals, key=lambda v: rivals[v]) if rivals else None
        text = f"{runner} (LR={_g2(rivals[runner])})" if runner else "-"
        return row(
            Family=name,
            Missing=m,
            Sample=best,
            LR=best_lr,
            Conclusion="Probable",
            Comment=f"Runner-up: {text}",
        )
    if best_lr >= 1:
        return row(
            Family=name,
            Missing=m,
            Sample=best,
            LR=best_lr,
            Conclusion="Inconclusive",
            Comment=f"Best: {best}",
        )
    return row(Family=name, Missing=m, Sample=best, LR=best_lr, Conclusion="No match")


def _g2(x: float) -> str:
    """R's sprintf('%.2g'): two significant digits, exponent with at least two digits."""
    return f"{x:.2g}"


def _pm_driven(
    v: str, case: DviCase, missing: list[str], lr_of: Callable[[str], float], threshold2: float
) -> Row:
    lrs = {m: lr_of(m) for m in missing}
    known = {m: x for m, x in lrs.items() if not np.isnan(x)}
    if not known:
        return row(
            Sample=v, Family="", Missing="", Conclusion="No match", Comment="No remaining pairings"
        )
    best = max(known, key=lambda m: known[m])
    best_lr = known[best]
    high = {m: x for m, x in known.items() if x >= threshold2 - np.finfo(float).eps}
    rivals = {m: x for m, x in known.items() if m != best}
    family = case.families[case.family_of(best)].name
    if len(high) > 1:
        also = ", ".join(f"{m} (LR={_g2(x)})" for m, x in high.items() if m != best)
        return row(
            Sample=v,
            Family=family,
            Missing=best,
            LR=best_lr,
            Conclusion="Disputed",
            Comment=f"Also: {also}",
        )
    if len(high) == 1:
        runner = max(rivals, key=lambda m: rivals[m]) if rivals else None
        text = f"{runner} (LR={_g2(rivals[runner])})" if runner else "-"
        return row(
            Sample=v,
            Family=family,
            Missing=best,
            LR=best_lr,
            Conclusion="Probable",
            Comment=f"Runner-up: {text}",
        )
    if best_lr >= 1:
        return row(
            Sample=v,
            Family="",
            Missing="",
            LR=best_lr,
            Conclusion="Inconclusive",
            Comment=f"Best: {best}",
        )
    return row(Sample=v, Family="", Missing="", LR=best_lr, Conclusion="No match")


__all__ = ["POSTERIOR_RULE", "Solution", "posterior_from_lr", "solve"]
