"""The screen: every body against every missing person in seconds, by table look-up.

For each missing person and marker, the family's references fix a distribution of the
missing person's genotype: P(genotype | family data). The pairwise LR of a body is, marker
by marker, that probability over the body's Hardy–Weinberg probability, so once the ratio
is tabulated for every possible genotype (done once, batched over families of the same
shape), comparing a body is one look-up per marker and a sum of logarithms.

The tables hold the same numbers the exact engine computes (`pairwise`), kept in float32
to halve memory: the screen ranks; the top candidates of each body then go back to the
exact engine. A pairing with more than `max_incompatible` markers impossible without
mutation is never a candidate, as in dvir's `findExcluded`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parley.dna.likelihood import Placement, marker_likelihoods, open_genotypes, victim_loglik
from parley.dna.model import Family, FloatArray, Marker, Person, Profile, Victim
from parley.dna.pairwise import DEFAULT_MAX_INCOMPATIBLE

FAMILY_CELLS = 40_000
"""Families of one shape are computed together, as many as keep batch × n² under this
(typed references are phase variables, so the open member's n² table dominates). Small
batches stay in cache: measured fastest near 40,000 on the screen benchmark."""
BODY_BLOCK = 256
"""Bodies scored together: a (block × missing persons) float32 table at a time."""


def genotype_count(alleles: int) -> int:
    return alleles * (alleles + 1) // 2


def genotype_code(a: int, b: int, alleles: int) -> int:
    """Index of the unordered genotype {a, b} among the n(n+1)/2 of n alleles."""
    i, j = (a, b) if a <= b else (b, a)
    return i * alleles - i * (i - 1) // 2 + (j - i)


def genotype_codes(victims: Sequence[Victim], markers: Sequence[Marker]) -> np.ndarray:
    """(bodies, markers) codes; an untyped marker gets code n(n+1)/2 (a row of zeros)."""
    codes = np.empty((len(victims), len(markers)), dtype=np.int32)
    for k, marker in enumerate(markers):
        n = len(marker.alleles)
        for i, victim in enumerate(victims):
            genotype = victim.profile.get(k)
            codes[i, k] = genotype_count(n) if genotype is None else genotype_code(*genotype, n)
    return codes


def _unordered(joint: FloatArray) -> FloatArray:
    """(batch, n, n) ordered-genotype table → (batch, n(n+1)/2) unordered, in code order."""
    n = joint.shape[-1]
    upper_i, upper_j = np.triu_indices(n)
    summed = joint + np.swapaxes(joint, -1, -2)
    out = summed[:, upper_i, upper_j]
    diagonal = upper_i == upper_j
    out[:, diagonal] = joint[:, upper_i[diagonal], upper_j[diagonal]]
    return out


def hardy_weinberg(marker: Marker) -> FloatArray:
    """P(genotype) of an unrelated person, in code order."""
    p = marker.frequencies
    upper_i, upper_j = np.triu_indices(len(p))
    return np.asarray(p[upper_i] * p[upper_j] * np.where(upper_i == upper_j, 1.0, 2.0))


@dataclass(frozen=True)
class ScreenIndex:
    """Per marker, log LR and incompatibility of every genotype against every target."""

    markers: tuple[Marker, ...]
    targets: tuple[tuple[str, str], ...]
    """(family name, missing person id), in column order."""
    log_lr: tuple[np.ndarray, ...]
    """Per marker: (genotypes + 1, targets) float32, natural log; last row (untyped) 0."""
    incompatible: tuple[np.ndarray, ...]
    """Per marker: (genotypes + 1, targets) uint8, 1 where impossible without mutation."""


def _shape_key(family: Family, missing_id: str) -> tuple[object, ...]:
    """Families with equal keys differ only in their references' genotypes."""
    position = {p.id: i for i, p in enumerate(family.members)}
    structure = tuple(
        (int(p.sex), position.get(p.father or "", -1), position.get(p.mother or "", -1))
        for p in family.members
    )
    typed = tuple(sorted(position[i] for i, prof in family.profiles.items() if prof))
    return structure, position[missing_id], typed


def build_index(
    families: Sequence[Family], targets: Sequence[tuple[int, str]], markers: Sequence[Marker]
) -> ScreenIndex:
    """Tabulate every target (family index, missing id); families of a shape are batched."""
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for column, (family_index, missing_id) in enumerate(targets):
        groups[_shape_key(families[family_index], missing_id)].append(column)
    log_lr = [
        np.zeros((genotype_count(len(m.alleles)) + 1, len(targets)), dtype=np.float32)
        for m in markers
    ]
    incompatible = [np.zeros(t.shape, dtype=np.uint8) for t in log_lr]
    for columns in groups.values():
        template_index, missing_id = targets[columns[0]]
        template = families[template_index]
        open_position = template.position(missing_id)
        shape = Family(template.name, _anonymous(template))
        every = [_by_position(families[targets[c][0]]) for c in columns]
        for k, marker in enumerate(markers):
            step = max(8, FAMILY_CELLS // len(marker.alleles) ** 2)
            for start in range(0, len(columns), step):
                chunk = columns[start : start + step]
                placements = every[start : start + step]
                table, impossible = _marker_tables(shape, k, marker, placements, open_position)
                log_lr[k][:-1, chunk] = table.T
                incompatible[k][:-1, chunk] = impossible.T
    names = tuple((families[f].name, m) for f, m in targets)
    return ScreenIndex(tuple(markers), names, tuple(log_lr), tuple(incompatible))


def _anonymous(family: Family) -> tuple[Person, ...]:
    """The family's members renamed by position, so one shape serves many families."""
    position = {p.id: str(i) for i, p in enumerate(family.members)}
    return tuple(
        Person(
            position[p.id],
            p.sex,
            position[p.father] if p.father else None,
            position[p.mother] if p.mother else None,
        )
        for p in family.members
    )


def _by_position(family: Family) -> dict[str, Profile]:
    position = {p.id: str(i) for i, p in enumerate(family.members)}
    return {position[i]: prof for i, prof in family.profiles.items() if prof}


def _marker_tables(
    shape: Family,
    marker_index: int,
    marker: Marker,
    placements: Sequence[Placement],
    open_position: int,
) -> tuple[FloatArray, np.ndarray]:
    """log(P(g | family) / P_HW(g)) per family and genotype, and where g is impossible."""
    member = str(open_position)
    joint = _unordered(open_genotypes(shape, marker_index, marker, placements, member))
    total = joint.sum(axis=1, keepdims=True)
    hw = hardy_weinberg(marker)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = np.log(joint / total) - np.log(hw)[np.newaxis, :]
    if marker.mutates:
        plain = marker.without_mutation()
        joint = _unordered(open_genotypes(shape, marker_index, plain, placements, member))
    return table, joint <= 0


@dataclass(frozen=True)
class ScreenResult:
    """Per body, its best `top` targets (column indices into `index.targets`)."""

    candidates: np.ndarray
    """(bodies, top) target columns, best first; −1 where fewer were left."""
    log10_lr: np.ndarray
    """(bodies, top) float32 log10 LR of each candidate (−inf where none)."""
    exclusions: np.ndarray
    """(bodies, top) markers incompatible without mutation."""


def screen(
    index: ScreenIndex,
    codes: np.ndarray,
    top: int = 10,
    max_incompatible: int = DEFAULT_MAX_INCOMPATIBLE,
    allowed: np.ndarray | None = None,
) -> ScreenResult:
    """Rank every target for every body (`codes` from `genotype_codes`).

    `allowed` (bodies × targets, boolean, optional) removes pairings beforehand (sex).
    Excluded pairings (> `max_incompatible` incompatible markers) are never candidates.
    """
    bodies = codes.shape[0]
    targets = len(index.targets)
    keep = min(top, targets)
    candidates = np.full((bodies, top), -1, dtype=np.int64)
    scores = np.full((bodies, top), -np.inf, dtype=np.float32)
    counts = np.zeros((bodies, top), dtype=np.int32)
    for start in range(0, bodies, BODY_BLOCK):
        block = slice(start, min(bodies, start + BODY_BLOCK))
        total = np.zeros((block.stop - block.start, targets), dtype=np.float32)
        excluded = np.zeros(total.shape, dtype=np.uint8)
        for k in range(len(index.markers)):
            rows = codes[block, k]
            total += index.log_lr[k][rows]
            excluded += index.incompatible[k][rows]
        total[excluded > max_incompatible] = -np.inf
        if allowed is not None:
            total[~allowed[block]] = -np.inf
        best = np.argpartition(-total, keep - 1, axis=1)[:, :keep]
        best_scores = np.take_along_axis(total, best, axis=1)
        order = np.argsort(-best_scores, axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        best_scores = np.take_along_axis(best_scores, order, axis=1)
        alive = best_scores > -np.inf
        candidates[block, :keep] = np.where(alive, best, -1)
        scores[block, :keep] = best_scores / np.float32(np.log(10))
        counts[block, :keep] = np.take_along_axis(excluded, best, axis=1)
    return ScreenResult(candidates, scores, counts)


def confirm(
    families: Sequence[Family],
    targets: Sequence[tuple[int, str]],
    victims: Sequence[Victim],
    markers: Sequence[Marker],
    pairs: Sequence[tuple[int, int]],
) -> FloatArray:
    """Exact log10 LR (float64, the exact engine) of (body, target column) pairs.

    The screen's candidates come back here: pairs are grouped by family shape, as the
    tables were, so each group is two batched eliminations per marker (with and without
    the body), whatever the number of families.
    """
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for k, (_, column) in enumerate(pairs):
        family_index, missing_id = targets[column]
        groups[_shape_key(families[family_index], missing_id)].append(k)
    out = np.empty(len(pairs))
    for members in groups.values():
        family_index, missing_id = targets[pairs[members[0]][1]]
        template = families[family_index]
        shape = Family(template.name, _anonymous(template))
        missing_slot = str(template.position(missing_id))
        refs = [_by_position(families[targets[pairs[k][1]][0]]) for k in members]
        bodies = [victims[pairs[k][0]] for k in members]
        placed = [{**r, missing_slot: b.profile} for r, b in zip(refs, bodies, strict=True)]
        total = np.zeros(len(members))
        with np.errstate(divide="ignore"):
            for index, marker in enumerate(markers):
                step = max(8, FAMILY_CELLS // len(marker.alleles) ** 2)
                for start in range(0, len(members), step):
                    rows = slice(start, start + step)
                    with_body = marker_likelihoods(shape, index, marker, placed[rows])
                    without = marker_likelihoods(shape, index, marker, refs[rows])
                    total[rows] += np.log(with_body) - np.log(without)
        total -= np.array([victim_loglik(b, markers) for b in bodies])
        out[members] = total / np.log(10)
    return out
