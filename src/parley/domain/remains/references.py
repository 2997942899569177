"""Reference families: who a donor is to the missing person, and whether their consent holds.

A relative gives a reference sample only with consent, and may withdraw it: a withdrawn
consent (the latest decision counts) means the profile is not used, and a donor with no
consent recorded is not used either. Pure rules, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from parley.domain.errors import InvalidInput


class Consent(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ConsentDecision:
    family: str
    member: str
    state: Consent
    given_by: str
    on: date


def consent_in_force(decisions: Iterable[ConsentDecision]) -> dict[tuple[str, str], Consent]:
    """The latest decision per (family, member), in recorded order."""
    latest: dict[tuple[str, str], Consent] = {}
    for decision in decisions:
        latest[(decision.family, decision.member)] = decision.state
    return latest


def check_consent(decision: ConsentDecision, today: date) -> None:
    if not decision.given_by.strip():
        raise InvalidInput("say who gave or withdrew the consent", "given_by")
    if decision.on > today:
        raise InvalidInput(f"a consent decision cannot be dated {decision.on}, after today", "on")


@dataclass(frozen=True)
class Member:
    """A member of a reference family as stored (parents by member id, "" for a founder)."""

    id: str
    sex: int
    father: str = ""
    mother: str = ""


_WORDS = {
    "parent": ("father", "mother"),
    "child": ("son", "daughter"),
    "sibling": ("brother", "sister"),
    "half": ("half-brother", "half-sister"),
    "grandparent": ("grandfather", "grandmother"),
    "grandchild": ("grandson", "granddaughter"),
    "uncle": ("uncle", "aunt"),
    "nephew": ("nephew", "niece"),
}


RELATIONSHIPS = (
    *(word for pair in _WORDS.values() for word in pair),
    "husband",
    "wife",
    "relative",
)
"""Every word `relationship` gives."""


def relationship(members: Mapping[str, Member], donor: str, missing: str) -> str:
    """What the donor is to the missing person, in words ("mother", "half-brother", "wife"…)."""
    d, m = members[donor], members[missing]
    word = 0 if d.sex == 1 else 1

    def parents(x: Member) -> set[str]:
        return {p for p in (x.father, x.mother) if p}

    if donor in parents(m):
        return _WORDS["parent"][word]
    if missing in parents(d):
        return _WORDS["child"][word]
    shared = parents(d) & parents(m)
    if len(shared) == 2:
        return _WORDS["sibling"][word]
    if len(shared) == 1:
        return _WORDS["half"][word]
    grandparents = {g for p in parents(m) for g in parents(members[p])}
    if donor in grandparents:
        return _WORDS["grandparent"][word]
    if missing in {g for p in parents(d) for g in parents(members[p])}:
        return _WORDS["grandchild"][word]
    if any(len(parents(d) & parents(members[p])) == 2 for p in parents(m)):
        return _WORDS["uncle"][word]
    if any(len(parents(m) & parents(members[p])) == 2 for p in parents(d)):
        return _WORDS["nephew"][word]
    children = [x for x in members.values() if parents(x) == {donor, missing}]
    if children:
        return "husband" if d.sex == 1 else "wife"
    return "relative"
