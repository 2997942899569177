"""Pairwise comparison: each body against each missing person, everyone else unrelated.

As dvir's `pairwiseLR` and `findExcluded`: the LR of "body V is missing person M" against
"V is unrelated to every family", with each family's mutation models as given; the number
of markers at which the pairing is impossible without mutation (Mendelian exclusions); and
NaN where the pairing is impossible by sex.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parley.dna.likelihood import Placement, marker_likelihoods, victim_loglik
from parley.dna.model import DviCase, Family, FloatArray, Marker

DEFAULT_MAX_INCOMPATIBLE = 2
"""dvir's `maxIncomp`: a pairing is excluded when more markers than this are incompatible."""


def marker_logliks(
    family: Family, markers: Sequence[Marker], placements: Sequence[Placement]
) -> FloatArray:
    """Per-marker log-likelihoods, shape (markers, batch); −inf where impossible."""
    table = np.empty((len(markers), len(placements)))
    with np.errstate(divide="ignore"):
        for i, marker in enumerate(markers):
            table[i] = np.log(marker_likelihoods(family, i, marker, placements))
    return table


@dataclass(frozen=True)
class PairwiseResult:
    """Rows follow `case.victims`, columns `case.missing`."""

    lr: FloatArray
    """LR of each pairing; NaN where the sexes differ."""
    exclusions: FloatArray
    """Markers incompatible without mutation; NaN where the sexes differ."""
    victim_logliks: FloatArray
    family_logliks: FloatArray

    def excluded(self, max_incompatible: int = DEFAULT_MAX_INCOMPATIBLE) -> np.ndarray:
        """Boolean matrix: pairing excluded (or impossible by sex)."""
        with np.errstate(invalid="ignore"):
            return np.asarray(np.isnan(self.exclusions) | (self.exclusions > max_incompatible))


def sex_compatible(case: DviCase) -> np.ndarray:
    """Boolean matrix (victims × missing): same sex, as dvir's `generatePairings`."""
    missing_sex = [case.missing_sex(m) for m in case.missing]
    return np.array([[v.sex is s for s in missing_sex] for v in case.victims], dtype=bool)


PairCache = dict[tuple[int, str, str], tuple[Family, float, float]]
"""(id of family, missing id, victim id) → (family, log-likelihood placed, exclusions).

The pipeline asks for the same pairings again and again as it narrows the problem; a
family object changes (is replaced) only when an identified body is moved into it, so
its identity is a safe key (the family is kept in the value to pin it).
"""


def pairwise(
    case: DviCase, candidates: np.ndarray | None = None, cache: PairCache | None = None
) -> PairwiseResult:
    """LR and exclusion count of every allowed pairing (default: every same-sex pairing)."""
    allowed = sex_compatible(case) if candidates is None else candidates
    markers = case.markers
    plain = tuple(m.without_mutation() for m in markers)
    victim_ll = np.array([victim_loglik(v, markers) for v in case.victims])
    family_ll = np.array([_own_loglik(f, markers, cache) for f in case.families])
    refuse_impossible_families(case, family_ll)
    lr = np.full(allowed.shape, np.nan)
    exclusions = np.full(allowed.shape, np.nan)
    memo: PairCache = {} if cache is None else cache
    for column, missing_id in enumerate(case.missing):
        family_index = case.family_of(missing_id)
        family = case.families[family_index]
        rows = np.flatnonzero(allowed[:, column])
        todo = [r for r in rows if (id(family), missing_id, case.victims[r].id) not in memo]
        if todo:
            placements = [{missing_id: case.victims[r].profile} for r in todo]
            with_mutation = marker_logliks(family, markers, placements)
            if any(m.mutates for m in markers):
                without = marker_logliks(family, plain, placements)
            else:
                without = with_mutation
            counts = np.isneginf(without).sum(axis=0)
            for r, total, count in zip(todo, with_mutation.sum(axis=0), counts, strict=True):
                key = (id(family), missing_id, case.victims[r].id)
                memo[key] = (family, float(total), float(count))
        for r in rows:
            _, total, count = memo[(id(family), missing_id, case.victims[r].id)]
            lr[r, column] = np.exp(total - family_ll[family_index] - victim_ll[r])
            exclusions[r, column] = count
    return PairwiseResult(lr, exclusions, victim_ll, family_ll)


def refuse_impossible_families(case: DviCase, logliks: FloatArray) -> None:
    """A family whose own references are impossible (even with its mutation models) has no
    LR to give; dvir stops there too ("Impossible initial data")."""
    for family, value in zip(case.families, logliks, strict=True):
        if not np.isfinite(value):
            raise ValueError(
                f"family {family.name}: its references' genotypes are impossible as given "
                "(Mendelian inconsistency no mutation model explains)"
            )


def _own_loglik(family: Family, markers: Sequence[Marker], cache: PairCache | None) -> float:
    key = (id(family), "", "")
    if cache is not None and key in cache:
        return cache[key][1]
    value = float(marker_logliks(family, markers, [{}]).sum())
    if cache is not None:
        cache[key] = (family, value, 0.0)
    return value
