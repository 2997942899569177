"""Namesakes born years apart, through the real engine: never matched without a person.

The outside test that found this: a list entry with the full name of a registry person and a
full birth date five to fifteen years away, whose own record is not in the registry. The
sole namesake then looked like the only possible person. Here the same case is generated over
many names, gaps and registry sizes, down to a registry of one.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.domain.dates import PartialDate
from parley.domain.matching import Candidate, ListEntry, Outcome, Thresholds, classify
from parley.linkage import engine
from parley.scenarios.population import PersonDraft, Scale, generate_world
from parley.services.matching import entry_record, for_linkage, person_record


@pytest.fixture(scope="module")
def world() -> tuple[list[PersonDraft], dict[str, Any]]:
    drafts = generate_world(11, Scale.SMALL)
    own = [d for d in drafts.registry("UA") if d.person.side == "UA" and d.person.birth_date]
    for number, draft in enumerate(own, start=1):
        draft.person.id = number
    listed = [d for d in drafts.registry("RU") if d.person.side == "UA"]
    records = [person_record(for_linkage(d.person)) for d in own]
    training = [entry_record(_entry(row, d)) for row, d in enumerate(listed, start=2)]
    return own, engine.train(records, training, max_pairs=2e5)


def _entry(row: int, draft: PersonDraft, born: PartialDate | None = None) -> ListEntry:
    name = draft.person.primary_name
    return ListEntry(
        row=row,
        surname=name.surname,
        given=name.given,
        patronymic=name.patronymic,
        birth_date=born if born is not None else draft.person.birth_date,
        sex=draft.person.sex,
    )


def _moved(born: PartialDate, years: int, rng: random.Random) -> PartialDate:
    """A full date at least `years` whole years from `born` (negative: earlier)."""
    start = born.to_date()
    day = 28 if (start.month, start.day) == (2, 29) else start.day
    shifted = date(start.year + years, start.month, day)
    further = rng.randrange(365) * (1 if years > 0 else -1)
    return PartialDate.of(date.fromordinal(shifted.toordinal() + further))


@given(
    pick=st.integers(0, 10_000),
    years=st.integers(3, 20),
    earlier=st.booleans(),
    others=st.integers(0, 25),
    with_patronymic=st.booleans(),
    seed=st.integers(0, 1000),
)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_namesake_born_years_apart_is_never_matched(
    world: tuple[list[PersonDraft], dict[str, Any]],
    pick: int,
    years: int,
    earlier: bool,
    others: int,
    with_patronymic: bool,
    seed: int,
) -> None:
    own, trained = world
    rng = random.Random(seed)
    full = [d for d in own if d.person.birth_date and d.person.birth_date.is_complete]
    namesake = full[pick % len(full)]
    assert namesake.person.birth_date is not None and namesake.person.birth_date.is_complete
    registry = [namesake, *rng.sample([d for d in own if d is not namesake], others)]
    records = [person_record(for_linkage(d.person)) for d in registry]
    born = _moved(namesake.person.birth_date, -years if earlier else years, rng)
    entry = _entry(2, namesake, born)
    if not with_patronymic:
        entry = replace(entry, patronymic="")
    pairs = engine.predict(trained, [entry_record(entry)], records)
    candidates = [
        Candidate(
            int(p.person_id),
            p.match_probability,
            p.exclusive_probability,
            p.person_born,
            p.documents_agree,
        )
        for p in pairs
    ]
    outcome, person, _ = classify(candidates, Thresholds(), set(), set(), entry.birth_date)
    assert outcome is not Outcome.MATCHED, (entry, person)


def test_the_same_person_with_a_slipped_date_is_still_matched(
    world: tuple[list[PersonDraft], dict[str, Any]],
) -> None:
    """The rule costs no true match with a clerk's slip: day and month swapped."""
    own, trained = world
    draft = next(
        d
        for d in own
        if d.person.birth_date
        and d.person.birth_date.day
        and d.person.birth_date.day <= 12
        and d.person.birth_date.day != d.person.birth_date.month
    )
    born = draft.person.birth_date
    assert born is not None and born.month is not None and born.day is not None
    entry = _entry(2, draft, PartialDate(born.year, born.day, born.month))
    records = [person_record(for_linkage(d.person)) for d in own]
    pairs = engine.predict(trained, [entry_record(entry)], records)
    candidates = [
        Candidate(int(p.person_id), p.match_probability, p.exclusive_probability, p.person_born)
        for p in pairs
    ]
    outcome, person, _ = classify(candidates, Thresholds(), set(), set(), entry.birth_date)
    assert (outcome, person) == (Outcome.MATCHED, draft.person.id)
