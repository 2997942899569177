"""The rules of lists: shareable entries, versions' changes, age bands, proposed answers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.lists import (
    EntryResponse,
    Finding,
    ListHeader,
    ListPurpose,
    PartyList,
    SharedEntry,
    Verdict,
    birth_range_for_ages,
    changes_between,
    proposed_response,
    shared_entry,
)
from parley.domain.registry.events import Status
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    Sex,
)


def _entry(ref: str, surname: str, born: str = "2001-12-04") -> SharedEntry:
    return SharedEntry(ref, surname, "Ілля", "Анатолійович", PartialDate.parse(born), Sex.MALE)


def test_an_entry_built_from_a_person_carries_no_internal_field() -> None:
    person = Person(
        "RU",
        PersonCategory.MILITARY,
        Sex.MALE,
        [PersonName("Кузьмін", "Ілля", "Анатолійович")],
        PartialDate.parse("2001"),
        [Identifier(IdentifierKind.PASSPORT, "FE 123456")],
        unit="в/ч 37163",
        notes="wounded in the left leg; mother Olena, +380…",
        health="shrapnel",
    )
    payload = shared_entry("E1", person, "held").to_payload()
    assert "notes" not in payload and "health" not in payload and "relatives" not in payload
    assert payload["identifiers"] == [{"kind": "passport", "value": "FE123456"}]
    assert SharedEntry.from_payload(payload).to_payload() == payload


def test_the_same_person_keeps_the_key_under_another_reference() -> None:
    assert _entry("E1", "Кузьмін").key() == _entry("E9", "Кузьмін").key()
    assert _entry("E1", "Кузьмін").key() != _entry("E1", "Кузьмін", "2001").key()


def test_changes_between_versions_name_what_was_added_and_removed() -> None:
    first = [_entry("E1", "Кузьмін"), _entry("E2", "Данілов")]
    second = [_entry("E1", "Данілов"), _entry("E2", "Никитін")]
    changes = changes_between(first, second)
    assert changes.added == (_entry("x", "Никитін").key(),)
    assert changes.removed == (_entry("x", "Кузьмін").key(),)
    assert changes.summary == "1 added, 1 removed"


def test_a_list_refuses_a_repeated_reference_and_its_own_sender_as_recipient() -> None:
    header = ListHeader("Offer", 1, ListPurpose.OFFER, "", "UA", ("RU",), "2025-06-02T10:00:00Z")
    with pytest.raises(InvalidInput, match="twice"):
        PartyList(header, (_entry("E1", "Кузьмін"), _entry("E1", "Данілов")))
    with pytest.raises(InvalidInput, match="own sender"):
        ListHeader("Offer", 1, ListPurpose.OFFER, "", "UA", ("UA",), "2025-06-02T10:00:00Z")


def test_a_dispute_needs_a_reason() -> None:
    with pytest.raises(InvalidInput, match="reason"):
        EntryResponse("E1", Verdict.DISPUTE, " ")


def test_18_to_25_on_9_june_2025_means_born_10_june_1999_to_9_june_2007() -> None:
    assert birth_range_for_ages(18, 25, date(2025, 6, 9)) == (date(1999, 6, 10), date(2007, 6, 9))


def test_an_age_band_beyond_any_lifetime_is_refused_not_a_crash() -> None:
    # schemathesis sent ages [48394, 118368]: the year before 1 AD was a 500
    with pytest.raises(InvalidInput, match="older than"):
        birth_range_for_ages(48394, 118368, date(2018, 7, 18))


@given(st.dates(date(1950, 1, 1), date(2030, 12, 31)), st.integers(0, 60), st.integers(0, 20))
def test_every_birth_date_in_the_band_has_an_age_in_the_band(on: date, low: int, span: int) -> None:
    earliest, latest = birth_range_for_ages(low, low + span, on)
    for born in (earliest, latest):
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        assert low <= age <= low + span
    before = date.fromordinal(earliest.toordinal() - 1)
    assert on.year - before.year - ((on.month, on.day) < (before.month, before.day)) > low + span


def test_proposed_answers_follow_the_finding() -> None:
    held = proposed_response("E1", Finding.MISSING, Status.IN_CAPTIVITY, date(2025, 4, 17))
    assert held.verdict is Verdict.CONFIRM and "in captivity since 2025-04-17" in held.reason
    assert proposed_response("E2", Finding.DEAD, Status.DEAD).verdict is Verdict.DISPUTE
    duplicate = proposed_response("E3", Finding.DUPLICATE, duplicate_of="E1")
    assert duplicate.verdict is Verdict.DISPUTE and "E1" in duplicate.reason
    assert proposed_response("E4", Finding.UNKNOWN).verdict is Verdict.UNKNOWN
