"""Properties of the pairwise LR, the screen and the decomposed joint search, on random
small cases: invariances, the screen agreeing with the exact engine, exclusions never
screened in, and the decomposition giving what brute-force enumeration gives."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.dna.joint import NOBODY, joint
from parley.dna.likelihood import family_logliks, victim_loglik
from parley.dna.model import DviCase, Family, Marker, Person, Profile, Sex, Victim
from parley.dna.pairwise import pairwise, sex_compatible
from parley.dna.screen import build_index, confirm, genotype_codes, screen

ALLELES = 4
MARKERS = 3


def _profile(draw: st.DrawFn, typed_share: float = 0.85) -> Profile:
    profile = {}
    for k in range(MARKERS):
        if draw(st.floats(0, 1)) < typed_share:
            profile[k] = (draw(st.integers(0, ALLELES - 1)), draw(st.integers(0, ALLELES - 1)))
    return profile


def _family(draw: st.DrawFn, index: int) -> Family:
    shape = draw(st.sampled_from(["parent", "trio", "siblings"]))
    f = f"F{index}"
    father, mother = Person(f"{f}FA", Sex.MALE), Person(f"{f}MO", Sex.FEMALE)

    def child(name: str) -> Person:
        sex = Sex.MALE if draw(st.booleans()) else Sex.FEMALE
        return Person(f"{f}{name}", sex, father.id, mother.id)

    if shape == "parent":
        return Family(f, (father, mother, child("M1")), {father.id: _profile(draw)})
    if shape == "trio":
        members = (father, mother, child("M1"), child("M2"))
        return Family(f, members, {father.id: _profile(draw), mother.id: _profile(draw)})
    sib = child("S1")
    return Family(f, (father, mother, sib, child("M1")), {sib.id: _profile(draw)})


@st.composite
def cases(draw: st.DrawFn) -> DviCase:
    markers = []
    for k in range(MARKERS):
        raw = draw(st.lists(st.floats(0.05, 1.0), min_size=ALLELES, max_size=ALLELES))
        freqs = np.array(raw) / sum(raw)
        markers.append(Marker(f"L{k}", tuple(str(a) for a in range(ALLELES)), freqs))
    families = tuple(_family(draw, i) for i in range(draw(st.integers(1, 3))))
    missing = tuple(p.id for f in families for p in f.members if "M" in p.id[2:] and p.father)
    victims = tuple(
        Victim(f"V{i}", Sex.MALE if draw(st.booleans()) else Sex.FEMALE, _profile(draw))
        for i in range(draw(st.integers(1, 4)))
    )
    return DviCase(tuple(markers), victims, families, missing)


def _permuted(case: DviCase, order: list[int]) -> DviCase:
    def move(profile: Profile) -> Profile:
        return {order.index(k): g for k, g in profile.items()}

    return DviCase(
        tuple(case.markers[k] for k in order),
        tuple(replace(v, profile=move(v.profile)) for v in case.victims),
        tuple(
            replace(f, profiles={i: move(p) for i, p in f.profiles.items()}) for f in case.families
        ),
        case.missing,
    )


@settings(max_examples=40, deadline=None)
@given(cases(), st.permutations(list(range(MARKERS))))
def test_lr_does_not_depend_on_marker_order(case: DviCase, order: list[int]) -> None:
    before = pairwise(case)
    after = pairwise(_permuted(case, order))
    np.testing.assert_allclose(after.lr, before.lr, rtol=1e-9)
    np.testing.assert_array_equal(after.exclusions, before.exclusions)


def _screen_all(case: DviCase, max_incompatible: int) -> tuple[np.ndarray, np.ndarray]:
    targets = [(case.family_of(m), m) for m in case.missing]
    index = build_index(case.families, targets, case.markers)
    result = screen(
        index,
        genotype_codes(case.victims, case.markers),
        top=len(targets),
        max_incompatible=max_incompatible,
        allowed=sex_compatible(case),
    )
    scores = np.full((len(case.victims), len(targets)), -np.inf)
    for body, (columns, values) in enumerate(zip(result.candidates, result.log10_lr, strict=True)):
        for column, value in zip(columns, values, strict=True):
            if column >= 0:
                scores[body, column] = value
    return scores, result.candidates


@settings(max_examples=40, deadline=None)
@given(cases())
def test_screen_agrees_with_the_exact_engine(case: DviCase) -> None:
    scores, _ = _screen_all(case, max_incompatible=MARKERS)
    exact = pairwise(case).lr
    with np.errstate(divide="ignore"):
        expected = np.where(np.isnan(exact), -np.inf, np.log10(np.nan_to_num(exact)))
    finite = np.isfinite(expected)
    assert np.array_equal(np.isfinite(scores), finite)
    np.testing.assert_allclose(scores[finite], expected[finite], atol=1e-4)


@settings(max_examples=40, deadline=None)
@given(cases(), st.integers(0, 1))
def test_an_excluded_pairing_is_never_a_screen_candidate(case: DviCase, limit: int) -> None:
    _, candidates = _screen_all(case, max_incompatible=limit)
    exclusions = pairwise(case).exclusions
    for body, row in enumerate(candidates):
        for column in row[row >= 0]:
            assert exclusions[body, column] <= limit


def _brute_force(case: DviCase) -> dict[tuple[str, ...], float]:
    """Every assignment scored on its own, as dvir does."""
    allowed = sex_compatible(case)
    options = [
        [NOBODY, *(case.missing[c] for c in np.flatnonzero(allowed[v]))]
        for v in range(len(case.victims))
    ]
    scores = {}
    for assignment in itertools.product(*options):
        placed = [a for a in assignment if a != NOBODY]
        if len(placed) != len(set(placed)):
            continue
        total = sum(
            victim_loglik(v, case.markers)
            for v, a in zip(case.victims, assignment, strict=True)
            if a == NOBODY
        )
        for f, family in enumerate(case.families):
            placement = {
                a: v.profile
                for v, a in zip(case.victims, assignment, strict=True)
                if a != NOBODY and case.family_of(a) == f
            }
            total += float(family_logliks(family, case.markers, [placement])[0])
        scores[assignment] = total
    return scores


@settings(max_examples=30, deadline=None)
@given(cases())
def test_decomposed_joint_search_equals_brute_force(case: DviCase) -> None:
    scores = _brute_force(case)
    result = joint(case, top=None)
    finite = {a: s for a, s in scores.items() if np.isfinite(s)}
    assert result.finite_assignments == len(finite)
    assert dict(zip(result.assignments, result.logliks, strict=True)) == pytest.approx(finite)
    best = max(finite.values())
    weights = {a: np.exp(s - best) for a, s in finite.items()}
    total = sum(weights.values())
    columns = [*case.missing, NOBODY]
    expected = np.zeros((len(case.victims), len(columns)))
    for assignment, weight in weights.items():
        for v, a in enumerate(assignment):
            expected[v, columns.index(a)] += weight / total
    np.testing.assert_allclose(result.posterior, expected, rtol=1e-9, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(cases())
def test_confirming_screen_candidates_gives_the_exact_lr(case: DviCase) -> None:
    targets = [(case.family_of(m), m) for m in case.missing]
    exact = pairwise(case).lr
    pairs = [(b, c) for b, c in zip(*np.nonzero(exact > 0), strict=True)]
    if not pairs:
        return
    confirmed = confirm(case.families, targets, case.victims, case.markers, pairs)
    expected = [np.log10(exact[b, c]) for b, c in pairs]
    np.testing.assert_allclose(confirmed, expected, rtol=0, atol=1e-9)
