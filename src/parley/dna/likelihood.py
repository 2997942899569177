"""Pedigree likelihoods, one marker at a time, for a whole batch of hypotheses at once.

A batch is a list of "placements": for each hypothesis, which profile sits on which
untyped member (a victim placed on a missing person). Evidence tables of placed members
get a batch axis, so one elimination gives the likelihood of every hypothesis; this is
what makes the pairwise matrix, the joint search and the screen fast.

Alleles seen nowhere in the family or the batch are merged into one ("lumping"); under
no mutation, `equal` or `proportional` models this changes no likelihood.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from parley.dna.elimination import eliminate
from parley.dna.factors import Phased, build_factors, phased
from parley.dna.model import Family, FloatArray, Genotype, Marker, Profile, Victim
from parley.dna.mutation import is_lumpable, lump

Placement = Mapping[str, Profile]
"""One hypothesis: member id → the profile placed on that member."""


def genotype_probability(marker: Marker, genotype: Genotype) -> float:
    """Hardy–Weinberg probability of an unordered genotype (a singleton's likelihood)."""
    a, b = genotype
    p = marker.frequencies
    return float(p[a] * p[b] * (1 if a == b else 2))


def victim_loglik(victim: Victim, markers: Sequence[Marker]) -> float:
    """Log-likelihood of a body alone: its genotypes under Hardy–Weinberg, untyped = 1."""
    total = 0.0
    for index, genotype in victim.profile.items():
        probability = genotype_probability(markers[index], genotype)
        total += np.log(probability) if probability > 0 else -np.inf
    return total


def marker_likelihoods(
    family: Family,
    marker_index: int,
    marker: Marker,
    placements: Sequence[Placement],
    open_member: str | None = None,
    lump_alleles: bool = True,
) -> FloatArray:
    """Likelihood of the family at one marker under each placement: shape (batch,).

    With `open_member`, the result is instead P(data, that member's ordered genotype),
    shape (batch, n', n') over (paternal, maternal) lumped alleles: those observed, in
    index order, then "all others" when any is left (see `open_genotypes`).
    A placed profile does not erase a member's own typing where the placed one is untyped.
    """
    batch = len(placements)
    members = family.members
    position = {p.id: i for i, p in enumerate(members)}
    fixed: dict[int, Genotype] = {}
    for member_id, profile in family.profiles.items():
        if marker_index in profile:
            fixed[position[member_id]] = profile[marker_index]
    placed: dict[int, list[Genotype | None]] = {}
    for b, placement in enumerate(placements):
        for member_id, profile in placement.items():
            genotype = profile.get(marker_index)
            if genotype is not None:
                placed.setdefault(position[member_id], [None] * batch)[b] = genotype

    observed = {a for g in fixed.values() for a in g}
    observed |= {a for gs in placed.values() for g in gs if g is not None for a in g}
    if not lump_alleles:
        observed = set(range(len(marker.alleles)))
    freqs, father_matrix, mother_matrix, index = lump(marker, sorted(observed))
    n = len(freqs)

    open_position = position[open_member] if open_member is not None else None
    informative = set(fixed) | set(placed)
    if open_position is not None:
        informative.add(open_position)
    needed = _needed_members(family, informative)
    typed: dict[int, Phased] = {}
    dense: dict[int, tuple[bool, FloatArray]] = {}
    for i in needed:
        if i == open_position:
            continue
        if i in placed:
            own = fixed.get(i)
            rows = [g if g is not None else own for g in placed[i]]
            if all(g is not None for g in rows):
                typed[i] = phased([g for g in rows if g is not None], index)
            else:
                dense[i] = (True, _batched_evidence(rows, index, n))
        elif i in fixed:
            typed[i] = phased([fixed[i]], index)
    identity = np.eye(n)
    father_step = identity if father_matrix is None else father_matrix
    mother_step = identity if mother_matrix is None else mother_matrix
    factors, sizes = build_factors(
        family, needed, typed, dense, freqs, father_step, mother_step, batch
    )
    batch_var = 2 * len(members)
    keep = [batch_var]
    if open_position is not None:
        keep += [2 * open_position, 2 * open_position + 1]
        sizes[2 * open_position] = sizes[2 * open_position + 1] = n
    return eliminate(factors, keep, sizes)


def _needed_members(family: Family, informative: set[int]) -> list[int]:
    """Members that matter: the informative ones and all their ancestors.

    An untyped member with no informative descendant sums to one and is dropped (a
    "barren" node), which keeps big reference pedigrees cheap.
    """
    position = {p.id: i for i, p in enumerate(family.members)}
    needed: set[int] = set()
    stack = list(informative)
    while stack:
        i = stack.pop()
        if i in needed:
            continue
        needed.add(i)
        person = family.members[i]
        for parent in (person.father, person.mother):
            if parent is not None:
                stack.append(position[parent])
    return sorted(needed)


def _batched_evidence(
    rows: Sequence[Genotype | None], index: Mapping[int, int], n: int
) -> FloatArray:
    table = np.zeros((len(rows), n, n))
    for b, genotype in enumerate(rows):
        if genotype is None:
            table[b] = 1.0
        else:
            a, c = index[genotype[0]], index[genotype[1]]
            table[b, a, c] = table[b, c, a] = 1.0
    return table


def open_genotypes(
    family: Family,
    marker_index: int,
    marker: Marker,
    placements: Sequence[Placement],
    member: str,
) -> FloatArray:
    """P(data, ordered genotype of `member`) over every allele: shape (batch, n, n).

    Computed over the observed alleles plus "all others", then spread over the others in
    proportion to their frequencies. That spread is exact when nothing mutates and the
    member is not inbred (an unseen allele can then only enter through a founder, where
    it weighs its frequency); under the proportional model it stays close (mutations land
    in proportion to frequency). Under other models every allele is kept (exact, slower).
    """
    spread_ok = all(
        m is None or m.kind == "proportional"
        for m in (marker.male_mutation, marker.female_mutation)
    )
    if not spread_ok:  # mutation into an unseen allele ignores its frequency: no spreading
        return marker_likelihoods(
            family, marker_index, marker, placements, member, lump_alleles=False
        )
    lumped = marker_likelihoods(family, marker_index, marker, placements, member)
    n = len(marker.alleles)
    observed = _observed(family, marker_index, placements)
    if len(observed) == n or not is_lumpable(marker):
        return lumped  # nothing was merged: the table is over all alleles, in order
    size = lumped.shape[-1]
    others = np.array([a for a in range(n) if a not in observed])
    weight = np.zeros((n, size))
    weight[observed, np.arange(len(observed))] = 1.0
    p = marker.frequencies
    weight[others, -1] = p[others] / p[others].sum()
    return np.asarray(weight @ lumped @ weight.T, dtype=np.float64)


def _observed(family: Family, marker_index: int, placements: Sequence[Placement]) -> list[int]:
    alleles = {a for prof in family.profiles.values() for a in prof.get(marker_index, ())}
    for placement in placements:
        for prof in placement.values():
            alleles |= set(prof.get(marker_index, ()))
    return sorted(alleles)


def family_logliks(
    family: Family, markers: Sequence[Marker], placements: Sequence[Placement]
) -> FloatArray:
    """Total log-likelihood (sum over markers) of the family under each placement."""
    total = np.zeros(len(placements))
    with np.errstate(divide="ignore"):
        for marker_index, marker in enumerate(markers):
            total += np.log(marker_likelihoods(family, marker_index, marker, placements))
    return total


def family_loglik(family: Family, markers: Sequence[Marker]) -> float:
    """Log-likelihood of the family's own data (nobody placed)."""
    return float(family_logliks(family, markers, [{}])[0])
