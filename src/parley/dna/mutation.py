"""Mutation matrices as pedmut defines them, and allele lumping that keeps results exact.

Row i of a matrix is the distribution of the allele a parent transmits when it carries
allele i. The definitions follow pedmut 0.9 (Vigeland), re-derived from its documentation:

- equal: stay with 1 − rate, else any other allele with rate/(n − 1);
- proportional: (1 − a)·I + a·p with a = rate / Σ p(1 − p), so mutations land in
  proportion to the allele frequencies and the overall rate is `rate`;
- stepwise: within a "microvariant group" (same fractional part) a jump of k repeats
  has weight range^k, scaled to sum to `rate`; a jump to another group shares `rate2`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from parley.dna.model import FloatArray, Marker, MutationModel

LUMPABLE_KINDS = frozenset({"equal", "proportional"})
"""Models under which all alleles outside a set behave alike, so they can be merged."""


def mutation_matrix(model: MutationModel, alleles: Sequence[str], freqs: FloatArray) -> FloatArray:
    """The full n×n matrix of `model` over `alleles` (with their frequencies)."""
    return _cached_matrix(model, tuple(alleles), tuple(float(f) for f in freqs)).copy()


@lru_cache(maxsize=512)
def _cached_matrix(
    model: MutationModel, alleles: tuple[str, ...], freqs: tuple[float, ...]
) -> FloatArray:
    n = len(alleles)
    if n == 1:
        return np.ones((1, 1))
    if model.kind == "equal":
        matrix = np.full((n, n), model.rate / (n - 1))
        np.fill_diagonal(matrix, 1.0 - model.rate)
        return matrix
    if model.kind == "proportional":
        p = np.asarray(freqs, dtype=np.float64)
        ceiling = (1.0 - float((p**2).sum())) / (1.0 - float(p.min()))
        if model.rate > ceiling:
            raise ValueError(f"proportional model undefined: rate above {ceiling}")
        a = model.rate / float((p * (1.0 - p)).sum())
        return np.asarray((1.0 - a) * np.eye(n) + a * p[np.newaxis, :], dtype=np.float64)
    if model.kind == "stepwise":
        return _stepwise(model, alleles)
    raise ValueError(f"unknown mutation model {model.kind!r}")


def _stepwise(model: MutationModel, alleles: tuple[str, ...]) -> FloatArray:
    try:
        lengths = np.array([float(a) for a in alleles])
    except ValueError as exc:
        raise ValueError("the stepwise model needs numeric allele labels") from exc
    if model.rate + model.rate2 > 1:
        raise ValueError("stepwise: rate + rate2 must not exceed 1")
    n = len(alleles)
    group = np.round((lengths - np.round(lengths)) * 10)
    matrix = np.zeros((n, n))
    for i in range(n):
        same = group == group[i]
        for j in range(n):
            if i == j:
                if same.all():
                    matrix[i, j] = 1 - model.rate
                elif same.sum() == 1:
                    matrix[i, j] = 1 - model.rate2
                else:
                    matrix[i, j] = 1 - model.rate - model.rate2
            elif same[j]:
                matrix[i, j] = model.step_range ** abs(lengths[i] - lengths[j])
            else:
                matrix[i, j] = model.rate2 / (n - same.sum())
        same[i] = False
        if same.any():
            matrix[i, same] = matrix[i, same] / matrix[i, same].sum() * model.rate
    return matrix


def is_lumpable(marker: Marker) -> bool:
    """Whether unobserved alleles may be merged into one without changing any likelihood."""
    models = [m for m in (marker.male_mutation, marker.female_mutation) if m is not None]
    return all(m.kind in LUMPABLE_KINDS for m in models)


def lump(
    marker: Marker, observed: Sequence[int]
) -> tuple[FloatArray, FloatArray | None, FloatArray | None, dict[int, int]]:
    """Frequencies and (father, mother) matrices over `observed` alleles plus one "other".

    Returns the reduced frequencies, the two reduced mutation matrices (None when the sex
    does not mutate) and the map from original to reduced allele index. The "other" state
    is dropped when nothing is left outside `observed`. When the model is not lumpable,
    every allele is kept.
    """
    n = len(marker.alleles)
    kept = sorted(set(observed)) if is_lumpable(marker) else list(range(n))
    kept_set = set(kept)
    rest = [a for a in range(n) if a not in kept_set]
    index = {a: i for i, a in enumerate(kept)}
    freqs = marker.frequencies[kept]
    if rest:
        freqs = np.append(freqs, marker.frequencies[rest].sum())

    def reduce(model: MutationModel | None) -> FloatArray | None:
        if model is None:
            return None
        full = mutation_matrix(model, marker.alleles, marker.frequencies)
        if not rest:
            return full[np.ix_(kept, kept)]
        size = len(kept) + 1
        small = np.empty((size, size))
        small[: len(kept), : len(kept)] = full[np.ix_(kept, kept)]
        small[: len(kept), -1] = full[np.ix_(kept, rest)].sum(axis=1)
        representative = rest[0]
        small[-1, : len(kept)] = full[representative, kept]
        small[-1, -1] = full[representative, rest].sum()
        return small

    return freqs, reduce(marker.male_mutation), reduce(marker.female_mutation), index
