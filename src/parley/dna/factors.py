"""The factors of one marker's pedigree likelihood, with typed members reduced to a phase.

A member whose genotype is known in every hypothesis of a batch needs no allele variables:
given its unordered genotype {x, y}, only the *phase* is unknown (x from the father and y
from the mother, or the reverse) — a variable of two states instead of n² allele pairs.
Its factors are gathered from the dense tables at the known alleles (per batch row when
the genotype varies across the batch). Most members of a reference family are typed, so
this turns n³-sized transmission tables into tables of 2 × 2 or 2 × n. Members typed in
some rows only, untyped members, and the member whose genotype is asked for keep their
two allele variables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from parley.dna.elimination import Factor
from parley.dna.model import Family, FloatArray, Genotype


@dataclass(frozen=True)
class Phased:
    """A typed member: its allele indices under phase 0 and 1, per batch row (or one row)."""

    paternal: np.ndarray
    """(rows, 2) lumped allele index of the paternal allele under each phase."""
    maternal: np.ndarray
    weight: FloatArray
    """(rows, 2): 1, and 0 for the second phase of a homozygote (the same ordered genotype)."""

    @property
    def batched(self) -> bool:
        return bool(self.paternal.shape[0] > 1)


def phased(genotypes: Sequence[Genotype], index: Mapping[int, int]) -> Phased:
    first = np.array([index[g[0]] for g in genotypes], dtype=np.intp)
    second = np.array([index[g[1]] for g in genotypes], dtype=np.intp)
    weight = np.stack([np.ones(len(first)), (first != second).astype(np.float64)], axis=1)
    return Phased(np.stack([first, second], 1), np.stack([second, first], 1), weight)


Slot = tuple[int, str]
"""(member position, "p" or "m"): one allele of one member."""


def build_factors(
    family: Family,
    needed: Sequence[int],
    typed: Mapping[int, Phased],
    dense_evidence: Mapping[int, tuple[bool, FloatArray]],
    freqs: FloatArray,
    father_step: FloatArray,
    mother_step: FloatArray,
    batch: int,
) -> tuple[list[Factor], dict[int, int]]:
    """Factors and variable sizes; variable 2i/2i+1 = member i's alleles (2i = its phase
    when typed), variable 2·members = the batch. `dense_evidence[i]` = (batched, table)."""
    members = family.members
    position = {p.id: i for i, p in enumerate(members)}
    n = len(freqs)
    batch_var = 2 * len(members)
    sizes: dict[int, int] = {batch_var: batch}
    for i in needed:
        if i in typed:
            sizes[2 * i] = 2
        else:
            sizes[2 * i] = sizes[2 * i + 1] = n
    factors: list[Factor] = []

    def gather(table: FloatArray, slots: Sequence[Slot]) -> Factor:
        batched = batch > 1 and any(typed[i].batched for i, _ in slots if i in typed)
        out: list[int] = [batch_var] if batched else []
        for i, allele in slots:
            var = 2 * i if i in typed else 2 * i + (allele == "m")
            if var not in out:
                out.append(var)
        indices = []
        for i, allele in slots:
            shape = [1] * len(out)
            if i in typed:
                member = typed[i]
                rows = member.paternal if allele == "p" else member.maternal
                axis = out.index(2 * i)
                shape[axis] = 2
                if batched:
                    shape[0] = rows.shape[0]
                    indices.append(rows.reshape(shape))
                else:
                    indices.append(rows[0].reshape(shape))
            else:
                axis = out.index(2 * i + (allele == "m"))
                shape[axis] = n
                indices.append(np.arange(n).reshape(shape))
        return tuple(out), np.asarray(table[tuple(indices)], dtype=np.float64)

    def evidence_weight(i: int) -> Factor:
        member = typed[i]
        if batch > 1 and member.batched:
            return (batch_var, 2 * i), member.weight
        return (2 * i,), member.weight[0]

    father_table = _transmission(father_step)
    mother_table = _transmission(mother_step)
    for i in needed:
        person = members[i]
        if person.father is None or person.mother is None:
            factors.append(gather(freqs, [(i, "p")]))
            factors.append(gather(freqs, [(i, "m")]))
        else:
            f, m = position[person.father], position[person.mother]
            factors.append(gather(father_table, [(f, "p"), (f, "m"), (i, "p")]))
            factors.append(gather(mother_table, [(m, "p"), (m, "m"), (i, "m")]))
        if i in typed:
            factors.append(evidence_weight(i))
        elif i in dense_evidence:
            batched, table = dense_evidence[i]
            vars_ = (batch_var, 2 * i, 2 * i + 1) if batched else (2 * i, 2 * i + 1)
            factors.append((vars_, table))
    return factors, sizes


def _transmission(step: FloatArray) -> FloatArray:
    """T[a, b, x]: probability a parent carrying (a, b) passes on x (after mutation)."""
    return np.asarray(0.5 * (step[:, np.newaxis, :] + step[np.newaxis, :, :]), dtype=np.float64)
