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


def pairwise(case: DviCase, candidates: np.ndarray | None = None) -> PairwiseResult:
    """LR and exclusion count of every allowed pairing (default: every same-sex pairing)."""
    allowed = sex_compatible(case) if candidates is None else candidates
    markers = case.markers
    plain = tuple(m.without_mutation() for m in markers)
    victim_ll = np.array([victim_loglik(v, markers) for v in case.victims])
    family_ll = np.array([float(marker_logliks(f, markers, [{}]).sum()) for f in case.families])
    lr = np.full(allowed.shape, np.nan)
    exclusions = np.full(allowed.shape, np.nan)
    for column, missing_id in enumerate(case.missing):
        rows = np.flatnonzero(allowed[:, column])
        if rows.size == 0:
            continue
        family_index = case.family_of(missing_id)
        family = case.families[family_index]
        placements = [{missing_id: case.victims[r].profile} for r in rows]
        with_mutation = marker_logliks(family, markers, placements)
        total = with_mutation.sum(axis=0)
        lr[rows, column] = np.exp(total - family_ll[family_index] - victim_ll[rows])
        if any(m.mutates for m in markers):
            without = marker_logliks(family, plain, placements)
        else:
            without = with_mutation
        exclusions[rows, column] = np.isneginf(without).sum(axis=0)
    return PairwiseResult(lr, exclusions, victim_ll, family_ll)
