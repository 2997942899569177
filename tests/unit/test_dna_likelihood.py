"""Likelihoods and LRs on small pedigrees whose answers are known in closed form, and the
elimination engine against brute-force enumeration on random pedigrees (loops included)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.dna.likelihood import marker_likelihoods
from parley.dna.model import DviCase, Family, Marker, MutationModel, Person, Sex, Victim
from parley.dna.mutation import mutation_matrix
from parley.dna.pairwise import pairwise

P = np.array([0.1, 0.2, 0.3, 0.4])
A, B, C, D = 0, 1, 2, 3


def marker(
    freqs: np.ndarray = P, male: MutationModel | None = None, female: MutationModel | None = None
) -> Marker:
    return Marker("L1", tuple(str(i + 1) for i in range(len(freqs))), freqs, male, female)


def lr_of(family: Family, missing: str, genotype: tuple[int, int], m: Marker) -> float:
    sex = family.person(missing).sex
    case = DviCase((m,), (Victim("V1", sex, {0: genotype}),), (family,), (missing,))
    return float(pairwise(case).lr[0, 0])


def trio(father_genotype: tuple[int, int]) -> Family:
    """Typed father, untyped mother, missing child."""
    return Family(
        "F",
        (
            Person("FA", Sex.MALE),
            Person("MO", Sex.FEMALE),
            Person("MP", Sex.MALE, "FA", "MO"),
        ),
        {"FA": {0: father_genotype}},
    )


def test_parent_child_heterozygous() -> None:
    """Child (a,c) of a father (a,b): P = ½·p_c against 2·p_a·p_c, so LR = 1/(4·p_a)."""
    assert lr_of(trio((A, B)), "MP", (A, C), marker()) == pytest.approx(1 / (4 * P[A]))


def test_parent_child_homozygous() -> None:
    """Child (a,a) of a father (a,b): P = ½·p_a against p_a², so LR = 1/(2·p_a)."""
    assert lr_of(trio((A, B)), "MP", (A, A), marker()) == pytest.approx(1 / (2 * P[A]))


def test_parent_child_exclusion_without_mutation() -> None:
    case = DviCase((marker(),), (Victim("V1", Sex.MALE, {0: (C, D)}),), (trio((A, B)),), ("MP",))
    result = pairwise(case)
    assert result.lr[0, 0] == 0
    assert result.exclusions[0, 0] == 1


def test_full_siblings_sharing_a_heterozygous_genotype() -> None:
    """Textbook: LR = (1 + p_a + p_b + 2·p_a·p_b) / (8·p_a·p_b)."""
    family = Family(
        "F",
        (
            Person("FA", Sex.MALE),
            Person("MO", Sex.FEMALE),
            Person("S1", Sex.MALE, "FA", "MO"),
            Person("MP", Sex.MALE, "FA", "MO"),
        ),
        {"S1": {0: (A, B)}},
    )
    pa, pb = P[A], P[B]
    expected = (1 + pa + pb + 2 * pa * pb) / (8 * pa * pb)
    assert lr_of(family, "MP", (A, B), marker()) == pytest.approx(expected)


def test_equal_mutation_model() -> None:
    """Father (a,a), child (b,b): the father's b needs a mutation, rate/(n − 1).

    With the mother's model too, her b comes through p_b·(1 − rate) + (1 − p_b)·rate/(n − 1).
    """
    rate = 0.002
    step = rate / (len(P) - 1)
    fathers_only = marker(male=MutationModel("equal", rate))
    assert lr_of(trio((A, A)), "MP", (B, B), fathers_only) == pytest.approx(step / P[B])
    both = marker(male=MutationModel("equal", rate), female=MutationModel("equal", rate))
    mothers_b = P[B] * (1 - rate) + (1 - P[B]) * step
    assert lr_of(trio((A, A)), "MP", (B, B), both) == pytest.approx(step * mothers_b / P[B] ** 2)


def test_proportional_mutation_model() -> None:
    """Father (a,a), child (b,b): mutation a→b has probability α·p_b, α = rate/Σp(1−p).

    The mother's b keeps probability p_b: the proportional model is stationary.
    """
    rate = 0.002
    alpha = rate / float((P * (1 - P)).sum())
    m = marker(male=MutationModel("proportional", rate), female=MutationModel("proportional", rate))
    assert lr_of(trio((A, A)), "MP", (B, B), m) == pytest.approx(alpha)


def test_mutation_matrices_are_stochastic_and_keep_the_rate() -> None:
    alleles = ("9", "10", "11", "12", "12.2")
    freqs = np.array([0.1, 0.3, 0.3, 0.2, 0.1])
    for model in (
        MutationModel("equal", 0.01),
        MutationModel("proportional", 0.01),
        MutationModel("stepwise", 0.01, rate2=1e-4, step_range=0.1),
    ):
        matrix = mutation_matrix(model, alleles, freqs)
        np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
        assert (matrix >= 0).all()
    proportional = mutation_matrix(MutationModel("proportional", 0.01), alleles, freqs)
    assert float(freqs @ (1 - np.diag(proportional))) == pytest.approx(0.01)
    stepwise = mutation_matrix(MutationModel("stepwise", 0.01, 1e-4, 0.1), alleles, freqs)
    # One repeat away is ten times as likely as two (range 0.1), within the integer group.
    assert stepwise[1, 2] / stepwise[1, 3] == pytest.approx(10)


# ------------------------------------------------------------ brute force


def brute_force(family: Family, m: Marker) -> float:
    """Sum over every ordered genotype of every member of the pedigree's joint probability."""
    n = len(m.alleles)
    members = family.members
    index = {p.id: i for i, p in enumerate(members)}
    male = (
        np.eye(n)
        if m.male_mutation is None
        else mutation_matrix(m.male_mutation, m.alleles, m.frequencies)
    )
    female = (
        np.eye(n)
        if m.female_mutation is None
        else mutation_matrix(m.female_mutation, m.alleles, m.frequencies)
    )
    total = 0.0
    for genotypes in itertools.product(range(n), repeat=2 * len(members)):
        probability = 1.0
        for i, person in enumerate(members):
            pat, mat = genotypes[2 * i], genotypes[2 * i + 1]
            if person.father is None or person.mother is None:
                probability *= m.frequencies[pat] * m.frequencies[mat]
            else:
                f, mo = index[person.father], index[person.mother]
                probability *= 0.5 * (male[genotypes[2 * f], pat] + male[genotypes[2 * f + 1], pat])
                probability *= 0.5 * (
                    female[genotypes[2 * mo], mat] + female[genotypes[2 * mo + 1], mat]
                )
            typed = family.profiles.get(person.id, {}).get(0)
            if typed is not None and sorted((pat, mat)) != sorted(typed):
                probability = 0.0
            if probability == 0.0:
                break
        total += probability
    return total


@st.composite
def small_pedigrees(draw: st.DrawFn) -> tuple[Family, Marker]:
    """Up to five members; parents drawn among earlier members, so loops and inbreeding occur."""
    size = draw(st.integers(2, 5))
    n = draw(st.integers(2, 3))
    raw = draw(st.lists(st.floats(0.1, 1.0), min_size=n, max_size=n))
    freqs = np.array(raw) / sum(raw)
    rate = draw(st.sampled_from([None, 0.05]))
    kind = draw(st.sampled_from(["equal", "proportional"]))
    model = None if rate is None else MutationModel(kind, rate)  # type: ignore[arg-type]
    m = Marker("L1", tuple(str(i) for i in range(n)), freqs, model, model)
    people: list[Person] = []
    for i in range(size):
        men = [p.id for p in people if p.sex is Sex.MALE]
        women = [p.id for p in people if p.sex is Sex.FEMALE]
        sex = Sex.MALE if draw(st.booleans()) else Sex.FEMALE
        if men and women and draw(st.booleans()):
            people.append(
                Person(f"P{i}", sex, draw(st.sampled_from(men)), draw(st.sampled_from(women)))
            )
        else:
            people.append(Person(f"P{i}", sex))
    profiles = {}
    for person in people:
        if draw(st.booleans()):
            profiles[person.id] = {0: (draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1)))}
    return Family("F", tuple(people), profiles), m


@settings(max_examples=60, deadline=None)
@given(small_pedigrees())
def test_elimination_equals_brute_force(pedigree: tuple[Family, Marker]) -> None:
    family, m = pedigree
    computed = float(marker_likelihoods(family, 0, m, [{}])[0])
    assert computed == pytest.approx(brute_force(family, m), rel=1e-9, abs=1e-300)


@settings(max_examples=30, deadline=None)
@given(small_pedigrees())
def test_lumping_unseen_alleles_changes_nothing(pedigree: tuple[Family, Marker]) -> None:
    family, m = pedigree
    lumped = float(marker_likelihoods(family, 0, m, [{}])[0])
    full = float(marker_likelihoods(family, 0, m, [{}], lump_alleles=False)[0])
    assert lumped == pytest.approx(full, rel=1e-9, abs=1e-300)


def test_unseen_allele_gets_the_minimum_frequency() -> None:
    extended = marker().with_alleles(["7"], min_frequency=0.01)
    assert extended.alleles[-1] == "7"
    assert math.isclose(float(extended.frequencies.sum()), 1.0)
    assert extended.frequencies[-1] == pytest.approx(0.01 / 1.01)


def test_a_family_impossible_as_given_is_refused_by_name() -> None:
    family = Family(
        "F9",
        (Person("FA", Sex.MALE), Person("MO", Sex.FEMALE), Person("CH", Sex.MALE, "FA", "MO"),
         Person("MP", Sex.MALE, "FA", "MO")),
        {"FA": {0: (A, A)}, "CH": {0: (B, B)}},
    )  # fmt: skip
    case = DviCase((marker(),), (Victim("V1", Sex.MALE, {0: (A, B)}),), (family,), ("MP",))
    with pytest.raises(ValueError, match="F9"):
        pairwise(case)
    mutating = marker(male=MutationModel("equal", 0.01))
    explained = DviCase((mutating,), case.victims, (family,), ("MP",))
    assert pairwise(explained).lr[0, 0] > 0
