"""Reference families' pure rules: a relative's relationship in words, consent in force."""

from __future__ import annotations

from datetime import date

import pytest

from parley.domain.errors import InvalidInput
from parley.domain.remains.references import (
    Consent,
    ConsentDecision,
    Member,
    check_consent,
    consent_in_force,
    relationship,
)

FAMILY = {
    m.id: m
    for m in (
        Member("GF", 1),
        Member("GM", 2),
        Member("F", 1, "GF", "GM"),
        Member("U", 1, "GF", "GM"),
        Member("M", 2),
        Member("M2", 2),
        Member("MP", 1, "F", "M"),
        Member("S", 2, "F", "M"),
        Member("H", 1, "F", "M2"),
        Member("W", 2),
        Member("C", 2, "MP", "W"),
    )
}


@pytest.mark.parametrize(
    ("donor", "word"),
    [
        ("F", "father"),
        ("M", "mother"),
        ("S", "sister"),
        ("H", "half-brother"),
        ("GF", "grandfather"),
        ("GM", "grandmother"),
        ("U", "uncle"),
        ("C", "daughter"),
        ("W", "wife"),
        ("M2", "relative"),
    ],
)
def test_a_relatives_relationship_to_the_missing_person_in_words(donor: str, word: str) -> None:
    assert relationship(FAMILY, donor, "MP") == word


def test_the_latest_consent_decision_is_in_force() -> None:
    on = date(2025, 6, 20)
    decisions = [
        ConsentDecision("F1", "R1", Consent.GIVEN, "R1", on),
        ConsentDecision("F1", "R2", Consent.GIVEN, "R2", on),
        ConsentDecision("F1", "R1", Consent.WITHDRAWN, "R1", on),
    ]
    assert consent_in_force(decisions) == {
        ("F1", "R1"): Consent.WITHDRAWN,
        ("F1", "R2"): Consent.GIVEN,
    }


def test_a_consent_decision_names_who_and_is_not_in_the_future() -> None:
    with pytest.raises(InvalidInput):
        check_consent(
            ConsentDecision("F", "R", Consent.GIVEN, " ", date(2025, 1, 1)), date(2025, 6, 1)
        )
    with pytest.raises(InvalidInput):
        check_consent(
            ConsentDecision("F", "R", Consent.GIVEN, "R", date(2025, 7, 1)), date(2025, 6, 1)
        )
