"""The data a kinship computation needs: markers, people, pedigrees, genotypes.

Everything is immutable and indexed by position (marker index, allele index) so that the
engine can build NumPy arrays without looking names up; names stay for reports and errors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

DEFAULT_MIN_ALLELE_FREQUENCY = 0.001
"""Frequency given to an allele seen in a profile but absent from the table (see `Marker`)."""


class Sex(IntEnum):
    """Coded as pedtools codes it, so the oracle files read without translation."""

    MALE = 1
    FEMALE = 2


MutationKind = Literal["equal", "proportional", "stepwise"]


@dataclass(frozen=True)
class MutationModel:
    """One sex's mutation model at one marker, with pedmut's parameters.

    `rate2` and `step_range` matter only to `stepwise` (pedmut's `rate2` and `range`).
    """

    kind: MutationKind
    rate: float
    rate2: float = 0.0
    step_range: float = 0.5


@dataclass(frozen=True)
class Marker:
    """An autosomal marker: allele labels, their frequencies, and mutation models per sex."""

    name: str
    alleles: tuple[str, ...]
    frequencies: FloatArray
    male_mutation: MutationModel | None = None
    female_mutation: MutationModel | None = None

    def __post_init__(self) -> None:
        if len(self.alleles) != len(self.frequencies):
            raise ValueError(f"marker {self.name}: {len(self.alleles)} alleles, other freqs")
        if len(set(self.alleles)) != len(self.alleles):
            raise ValueError(f"marker {self.name}: an allele is listed twice")

    @property
    def mutates(self) -> bool:
        return self.male_mutation is not None or self.female_mutation is not None

    def mutation_for(self, sex: Sex) -> MutationModel | None:
        return self.male_mutation if sex is Sex.MALE else self.female_mutation

    def without_mutation(self) -> Marker:
        return Marker(self.name, self.alleles, self.frequencies)

    def index(self, allele: str) -> int:
        return self.alleles.index(allele)

    def with_alleles(
        self, extra: Sequence[str], min_frequency: float = DEFAULT_MIN_ALLELE_FREQUENCY
    ) -> Marker:
        """Add alleles missing from the table at `min_frequency`, then renormalise.

        dvir refuses such data outright (pedtools wants every allele in the table); a
        registry meets rare alleles every day, so Parley gives them the minimum frequency,
        as Familias and the forensic guidelines (ISFG) do, and rescales so the table sums
        to one again. Tables that already hold every allele are left exactly as given.
        """
        new = [a for a in dict.fromkeys(extra) if a not in self.alleles]
        if not new:
            return self
        freqs = np.concatenate([self.frequencies, np.full(len(new), min_frequency)])
        return Marker(
            self.name,
            (*self.alleles, *new),
            freqs / freqs.sum(),
            self.male_mutation,
            self.female_mutation,
        )


Genotype = tuple[int, int]
"""Two allele indices into the marker's `alleles`, unordered (phase is unknown)."""

Profile = Mapping[int, Genotype]
"""Typed markers of one person: marker index → genotype; untyped markers are absent."""


@dataclass(frozen=True)
class Person:
    """A pedigree member; `father`/`mother` are ids in the same family, or None (founder)."""

    id: str
    sex: Sex
    father: str | None = None
    mother: str | None = None

    @property
    def is_founder(self) -> bool:
        return self.father is None


@dataclass(frozen=True)
class Family:
    """A reference family (an ante-mortem pedigree) with its typed members' profiles."""

    name: str
    members: tuple[Person, ...]
    profiles: Mapping[str, Profile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = [p.id for p in self.members]
        if len(set(ids)) != len(ids):
            raise ValueError(f"family {self.name}: a member id is used twice")
        known = set(ids)
        for person in self.members:
            if (person.father is None) != (person.mother is None):
                raise ValueError(f"family {self.name}: {person.id} has only one parent")
            for parent in (person.father, person.mother):
                if parent is not None and parent not in known:
                    raise ValueError(f"family {self.name}: parent {parent} is not a member")
        by_id = {p.id: p for p in self.members}
        for person in self.members:
            if person.father is not None and by_id[person.father].sex is not Sex.MALE:
                raise ValueError(f"family {self.name}: father of {person.id} is not male")
            if person.mother is not None and by_id[person.mother].sex is not Sex.FEMALE:
                raise ValueError(f"family {self.name}: mother of {person.id} is not female")

    def position(self, person_id: str) -> int:
        for i, p in enumerate(self.members):
            if p.id == person_id:
                return i
        raise KeyError(person_id)

    def person(self, person_id: str) -> Person:
        return self.members[self.position(person_id)]


@dataclass(frozen=True)
class Victim:
    """A post-mortem sample: one unidentified body (a singleton with a profile)."""

    id: str
    sex: Sex
    profile: Profile


@dataclass(frozen=True)
class DviCase:
    """A disaster-victim-identification problem: bodies, families, and who is missing."""

    markers: tuple[Marker, ...]
    victims: tuple[Victim, ...]
    families: tuple[Family, ...]
    missing: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(set(self.missing)) != len(self.missing):
            raise ValueError("a missing person is listed twice")
        if len({v.id for v in self.victims}) != len(self.victims):
            raise ValueError("a victim id is used twice")
        for person_id in self.missing:
            holders = [f.name for f in self.families if person_id in {p.id for p in f.members}]
            if len(holders) != 1:
                raise ValueError(f"missing person {person_id} is in {len(holders)} families")

    def family_of(self, missing_id: str) -> int:
        """Index of the family holding `missing_id` (unique, checked at construction)."""
        for i, family in enumerate(self.families):
            if any(p.id == missing_id for p in family.members):
                return i
        raise KeyError(missing_id)

    def missing_sex(self, missing_id: str) -> Sex:
        return self.families[self.family_of(missing_id)].person(missing_id).sex

    def missing_of(self, family_index: int) -> tuple[str, ...]:
        ids = {p.id for p in self.families[family_index].members}
        return tuple(m for m in self.missing if m in ids)
