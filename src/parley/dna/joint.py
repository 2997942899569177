"""Joint identification: which assignment of bodies to missing persons explains the data best.

An assignment maps each body to one missing person of the same sex, or to nobody ("*"),
using each missing person at most once (dvir's `dviJoint`). Its log-likelihood is the sum of
every family's log-likelihood with the bodies placed in it and every unplaced body's own.

dvir scores every assignment one by one; here the problem is decomposed instead:

1. per family, every way of placing bodies on its missing persons is scored in one batch
   and kept as a *gain* over "nobody placed" (a family's score does not depend on any
   other family);
2. families and bodies form a graph (body — family when the body may sit in it); each
   connected component is independent of the others, so its assignments are enumerated on
   their own, by joining family tables on "no body used twice" in NumPy;
3. the best assignments overall are the best sums across components, and the posterior
   pairing probabilities (dvir's `Bmarginal`, flat prior) are per-component marginals.

So a problem with 10¹³ assignments in total (dvir's `exclusionExample`) is a handful of
small components once the exclusions are applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from parley.dna.likelihood import Placement, victim_loglik
from parley.dna.model import DviCase, FloatArray, Marker, Profile
from parley.dna.pairwise import marker_logliks, refuse_impossible_families, sex_compatible

NOBODY = "*"
MutationPolicy = Literal["as_given", "off", "only_inconsistent"]
DEFAULT_TOP = 10
BATCH_CHUNK = 4096
"""Placements scored per elimination: bounds the memory of one batch."""
MAX_COMPONENT_ASSIGNMENTS = 20_000_000
TIE_TOLERANCE = 1e-9
"""Log-likelihoods this close (relatively) are ties, ordered by assignment as dvir orders."""

Assignment = tuple[str, ...]
"""One entry per body (in case order): a missing person's id or `NOBODY`."""


@dataclass(frozen=True)
class FamilyTable:
    """Every finite way of placing bodies in one family, with its gain in log-likelihood."""

    family_index: int
    pairs: list[tuple[tuple[int, int], ...]]
    """Per row: (body index, missing column) pairs placed; row 0 places nobody."""
    gains: FloatArray
    own_loglik: float
    """The family's log-likelihood with nobody placed."""


@dataclass(frozen=True)
class Component:
    """An independent sub-problem: some families and the bodies that may sit in them."""

    families: tuple[int, ...]
    victims: tuple[int, ...]
    gains: FloatArray
    """One per assignment of the component."""
    choices: np.ndarray
    """(assignments, families): the row of each family's table used."""
    used: np.ndarray
    """(assignments, victims): 1 where the component's body is placed."""


@dataclass(frozen=True)
class JointResult:
    assignments: list[Assignment]
    logliks: FloatArray
    lr_vs_best: FloatArray
    posterior: FloatArray
    """(victims, missing + 1): posterior pairing probabilities, last column = nobody."""
    finite_assignments: int
    """Assignments with positive likelihood (the space the posterior is over)."""
    components: tuple[Component, ...]
    loglik_nobody_placed: float


def family_markers(case: DviCase, policy: MutationPolicy) -> list[tuple[Marker, ...]]:
    """The markers each family is scored with, under dvir's three mutation policies."""
    plain = tuple(m.without_mutation() for m in case.markers)
    if policy == "as_given":
        return [case.markers] * len(case.families)
    if policy == "off":
        return [plain] * len(case.families)
    chosen = []
    for family in case.families:
        consistent = np.isfinite(marker_logliks(family, plain, [{}]).sum())
        chosen.append(plain if consistent else case.markers)
    return chosen


def joint(
    case: DviCase,
    candidates: np.ndarray | None = None,
    policy: MutationPolicy = "as_given",
    top: int | None = DEFAULT_TOP,
    min_rows: int | None = None,
) -> JointResult:
    """The `top` best assignments (None: every possible one) and the posterior pairings.

    Fewer possible assignments than `min_rows` (default `top`) are followed by impossible
    ones (log-likelihood −inf) in dvir's order, as dvir lists them.

    `candidates` (victims × missing, boolean) limits the pairings considered (default:
    same sex, as dvir); pass the non-excluded ones to search after exclusions.
    """
    allowed = sex_compatible(case) if candidates is None else candidates & sex_compatible(case)
    markers_of = family_markers(case, policy)
    victim_ll = np.array([victim_loglik(v, case.markers) for v in case.victims])
    tables = [
        family_table(case, f, markers_of[f], allowed, victim_ll) for f in range(len(case.families))
    ]
    refuse_impossible_families(case, np.array([table.own_loglik for table in tables]))
    base = float(victim_ll.sum()) + sum(table.own_loglik for table in tables)
    components = tuple(_components(case, tables))
    posterior = _posterior(case, components, tables)
    finite = 1
    for component in components:
        finite *= len(component.gains)
    best = _top_assignments(case, components, tables, top)
    assignments = [a for a, _ in best]
    logliks = np.array([base + g for _, g in best])
    wanted = (top or 0) if min_rows is None else min_rows
    if len(assignments) < wanted:
        filler = _impossible_assignments(case, allowed, set(assignments), wanted - len(assignments))
        assignments += filler
        logliks = np.append(logliks, np.full(len(filler), -np.inf))
    with np.errstate(invalid="ignore", over="ignore"):
        lr = np.exp(logliks[0] - logliks) if len(logliks) else logliks
    lr[np.isneginf(logliks)] = np.inf
    return JointResult(assignments, logliks, lr, posterior, finite, components, base)


def family_table(
    case: DviCase,
    family_index: int,
    markers: Sequence[Marker],
    allowed: np.ndarray,
    victim_ll: FloatArray,
) -> FamilyTable:
    """Score every injective placement of bodies on this family's missing persons.

    Placements are scored level by level (one body, two bodies, …), each level built
    only from possible placements of the level below.
    """
    columns = [case.missing.index(m) for m in case.missing_of(family_index)]
    gain: dict[tuple[tuple[int, int], ...], float] = {(): 0.0}
    level: list[tuple[tuple[int, int], ...]] = [
        ((v, c),) for c in columns for v in np.flatnonzero(allowed[:, c]).tolist()
    ]
    # Nobody placed rides along with the first level: one elimination for both.
    first = _score(case, family_index, markers, [(), *level])
    base = float(first[0])
    scores = first[1:] - base
    while level:
        survivors = []
        for combo, score in zip(level, scores, strict=True):
            if np.isfinite(score):
                gain[combo] = float(score - victim_ll[[v for v, _ in combo]].sum())
                survivors.append(combo)
        level = _extend(survivors, gain)
        if level:
            scores = _score(case, family_index, markers, level) - base
    combos = list(gain)
    return FamilyTable(family_index, combos, np.array([gain[c] for c in combos]), base)


def _extend(
    possible: Sequence[tuple[tuple[int, int], ...]],
    gain: dict[tuple[tuple[int, int], ...], float],
) -> list[tuple[tuple[int, int], ...]]:
    """Placements one body larger whose every one-smaller part is possible.

    A placement whose part is impossible is impossible (more evidence never raises a
    likelihood from zero), so it is never scored: this keeps big families cheap.
    Placements are kept as pairs sorted by missing column, so each is formed once.
    """
    singles = sorted(
        {pair for combo in possible for pair in combo} & {k[0] for k in gain if len(k) == 1}
    )
    out = []
    for combo in possible:
        used = {v for v, _ in combo}
        last = combo[-1][1]
        for v, c in singles:
            if c <= last or v in used:
                continue
            grown = (*combo, (v, c))
            if all(grown[:i] + grown[i + 1 :] in gain for i in range(len(grown) - 1)):
                out.append(grown)
    return out


def _score(
    case: DviCase,
    family_index: int,
    markers: Sequence[Marker],
    combos: Sequence[tuple[tuple[int, int], ...]],
) -> FloatArray:
    family = case.families[family_index]
    out = np.empty(len(combos))
    for start in range(0, len(combos), BATCH_CHUNK):
        chunk = combos[start : start + BATCH_CHUNK]
        placements: list[Placement] = []
        for combo in chunk:
            placement: dict[str, Profile] = {
                case.missing[c]: case.victims[v].profile for v, c in combo
            }
            placements.append(placement)
        out[start : start + len(chunk)] = marker_logliks(family, markers, placements).sum(axis=0)
    return out


def _components(case: DviCase, tables: Sequence[FamilyTable]) -> list[Component]:
    """Group families that share a possible body; enumerate each group's assignments."""
    parent = list(range(len(tables)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for table in tables:
        for combo in table.pairs:
            for v, _ in combo:
                if v in owner:
                    parent[root(table.family_index)] = root(owner[v])
                else:
                    owner[v] = table.family_index
    groups: dict[int, list[int]] = {}
    for table in tables:
        if len(table.pairs) > 1:
            groups.setdefault(root(table.family_index), []).append(table.family_index)
    return [_enumerate(case, tables, tuple(families)) for families in groups.values()]


def _enumerate(
    case: DviCase, tables: Sequence[FamilyTable], families: tuple[int, ...]
) -> Component:
    victims = tuple(sorted({v for f in families for combo in tables[f].pairs for v, _ in combo}))
    slot = {v: i for i, v in enumerate(victims)}
    gains = np.zeros(1)
    used = np.zeros((1, len(victims)), dtype=np.int32)
    choices = np.zeros((1, 0), dtype=np.int64)
    for f in families:
        table = tables[f]
        table_used = np.zeros((len(table.pairs), len(victims)), dtype=np.int32)
        for row, combo in enumerate(table.pairs):
            for v, _ in combo:
                table_used[row, slot[v]] = 1
        clash = used @ table_used.T
        left, right = np.nonzero(clash == 0)
        if len(left) > MAX_COMPONENT_ASSIGNMENTS:
            raise ValueError(
                f"a sub-problem has more than {MAX_COMPONENT_ASSIGNMENTS} assignments; "
                "apply exclusions or a likelihood limit first"
            )
        gains = gains[left] + table.gains[right]
        used = used[left] + table_used[right]
        choices = np.column_stack([choices[left], right])
    return Component(families, victims, gains, choices, used)


def _posterior(
    case: DviCase, components: Sequence[Component], tables: Sequence[FamilyTable]
) -> FloatArray:
    """Posterior pairing probabilities under a flat prior over all finite assignments."""
    posterior = np.zeros((len(case.victims), len(case.missing) + 1))
    for component in components:
        weights = np.exp(component.gains - component.gains.max())
        total = weights.sum()
        for k, f in enumerate(component.families):
            per_row = np.bincount(
                component.choices[:, k], weights=weights, minlength=len(tables[f].pairs)
            )
            for row, combo in enumerate(tables[f].pairs):
                for v, c in combo:
                    posterior[v, c] += per_row[row] / total
        # Summed directly, not as 1 − Σ: a tiny "nobody" probability keeps its digits.
        unplaced = weights @ (1 - component.used) / total
        posterior[list(component.victims), -1] = unplaced
    in_component = {v for component in components for v in component.victims}
    for v in range(len(case.victims)):
        if v not in in_component:
            posterior[v, -1] = 1.0
    return posterior


def _assignment(case: DviCase, pairs: Sequence[tuple[int, int]]) -> Assignment:
    row = [NOBODY] * len(case.victims)
    for v, c in pairs:
        row[v] = case.missing[c]
    return tuple(row)


def _top_assignments(
    case: DviCase,
    components: Sequence[Component],
    tables: Sequence[FamilyTable],
    top: int | None,
) -> list[tuple[Assignment, float]]:
    """The best `top` assignments (plus ties at the cut), best first, dvir's tie order."""
    merged: list[tuple[float, list[tuple[int, int]]]] = [(0.0, [])]
    for component in components:
        order = np.argsort(-component.gains, kind="stable")
        cut = _cut(component.gains[order], top)
        local = []
        for i in order[:cut]:
            pairs = [
                pair
                for k, f in enumerate(component.families)
                for pair in tables[f].pairs[int(component.choices[i, k])]
            ]
            local.append((float(component.gains[i]), pairs))
        sums = [(g1 + g2, p1 + p2) for g1, p1 in merged for g2, p2 in local]
        sums.sort(key=lambda item: -item[0])
        merged = sums[: _cut(np.array([s for s, _ in sums]), top)]
    ranked = [(_assignment(case, pairs), gain) for gain, pairs in merged]
    ordered = _dvir_order(ranked)
    return ordered if top is None else ordered[:top]


def _cut(sorted_desc: FloatArray, top: int | None) -> int:
    """How many to keep: `top`, and any tied with the last kept (None: all)."""
    if top is None or len(sorted_desc) <= top:
        return len(sorted_desc)
    last = sorted_desc[top - 1]
    tolerance = TIE_TOLERANCE * max(1.0, abs(float(last)))
    return int(np.sum(sorted_desc >= last - tolerance))


def sort_key(assignment: Assignment) -> tuple[tuple[int, str], ...]:
    """dvir's tie-break: by each body's missing person in C-locale order, nobody last."""
    return tuple((1, "") if a == NOBODY else (0, a) for a in assignment)


def _dvir_order(ranked: list[tuple[Assignment, float]]) -> list[tuple[Assignment, float]]:
    ranked = sorted(ranked, key=lambda item: -item[1])
    out: list[tuple[Assignment, float]] = []
    i = 0
    while i < len(ranked):
        first = ranked[i][1]
        tolerance = TIE_TOLERANCE * max(1.0, abs(first))
        j = i
        while j < len(ranked) and first - ranked[j][1] <= tolerance:
            j += 1
        out += sorted(ranked[i:j], key=lambda item: sort_key(item[0]))
        i = j
    return out


def _impossible_assignments(
    case: DviCase, allowed: np.ndarray, skip: set[Assignment], count: int
) -> list[Assignment]:
    """The first `count` zero-likelihood assignments in dvir's order (all tie at −inf)."""
    options = [
        [*sorted(case.missing[c] for c in np.flatnonzero(allowed[v])), NOBODY]
        for v in range(len(case.victims))
    ]
    found: list[Assignment] = []

    def walk(prefix: list[str]) -> bool:
        if len(prefix) == len(options):
            candidate = tuple(prefix)
            if candidate not in skip:
                found.append(candidate)
            return len(found) >= count
        for option in options[len(prefix)]:
            if option != NOBODY and option in prefix:
                continue
            if walk([*prefix, option]):
                return True
        return False

    walk([])
    return found


def grid_size(allowed: np.ndarray) -> int:
    """Number of assignments (possible or not) under the pairings `allowed` (dvir's nAssign).

    Counted over sets of used missing persons, not one by one, so 10¹³ is cheap.
    """
    counts: dict[int, int] = {0: 1}
    for row in allowed:
        options = [1 << int(c) for c in np.flatnonzero(row)]
        grown: dict[int, int] = {}
        for used, count in counts.items():
            grown[used] = grown.get(used, 0) + count
            for bit in options:
                if not used & bit:
                    grown[used | bit] = grown.get(used | bit, 0) + count
        counts = grown
    return sum(counts.values())
