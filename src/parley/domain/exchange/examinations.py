"""A commission's decision after the visit: its steps, when lateness is moot, and the
text forms members, conditions and votes are written in (GC III arts. 112-113, Annex II).

The CLI and the console read the same forms; the API takes them as structured fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from parley.domain.errors import InvalidExamination, InvalidInput
from parley.domain.exchange.commissions import (
    AnnexCategory,
    Condition,
    Decision,
    Examination,
    Member,
    MemberRole,
    OverdueWhat,
    Proposer,
    Specialty,
)
from parley.domain.registry.events import Status


class Step(StrEnum):
    """What happens to a decision after the visit, in this order (Annex II)."""

    NOTIFIED = "notified"
    CARRIED_OUT = "carried_out"


STILL_HELD = (Status.HELD, Status.IN_CAPTIVITY)
"""Who can still be examined: the queue drops anyone released, returned or dead."""


@dataclass(frozen=True)
class ExaminationDraft:
    """One visit as the commission reports it; the decision is derived from the votes."""

    person_id: int
    commission: str
    visited_on: date
    findings: str
    condition: Condition | None
    votes: Mapping[str, Decision]
    proposed_by: Proposer = Proposer.OTHER


MEMBER_SYNTAX = "NAME|PARTY|ROLE[|chair][|surgeon or physician]"


_ROLES = {
    "neutral": MemberRole.NEUTRAL,
    "detaining": MemberRole.DETAINING_POWER,
    "detaining_power": MemberRole.DETAINING_POWER,
    "detaining-power": MemberRole.DETAINING_POWER,
}


def parse_member(text: str, field: str = "members") -> Member:
    """`Dr Anna Keller|CH|neutral|chair|surgeon`: one line per member for the CLI and console.

    Names contain spaces and commas, so the fields are separated by `|`; the flags after the
    role may come in any order.
    """
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 3:
        raise InvalidInput(f"'{text}': a member is written {MEMBER_SYNTAX}", field)
    name, party, role_text, *flags = parts
    role = _ROLES.get(role_text.lower())
    if role is None:
        raise InvalidInput(
            f"'{text}': role is 'neutral' or 'detaining_power', not '{role_text}'", field
        )
    if not re.fullmatch(r"[A-Za-z]{2,3}", party):
        raise InvalidInput(f"'{text}': party '{party}' is not a country code such as CH", field)
    chair, specialty = False, Specialty.NONE
    for flag in (f.lower() for f in flags if f):
        if flag == "chair":
            chair = True
        elif flag in (Specialty.SURGEON, Specialty.PHYSICIAN):
            specialty = Specialty(flag)
        else:
            raise InvalidInput(
                f"'{text}': '{flag}' is not 'chair', 'surgeon' or 'physician'", field
            )
    return Member(name, party.upper(), role, chair, specialty)


def parse_condition(
    text: str, unquestionable: bool = False, predates_war_not_worsened: bool = False
) -> Condition:
    """`A2: splinter in the lungs`: the Annex I family, then the item in words."""
    category, sep, item = text.partition(":")
    try:
        annex = AnnexCategory(category.strip().upper())
    except ValueError:
        annex = None
    if not sep or annex is None:
        raise InvalidExamination(
            f"'{text}': a condition is written A1, A2 or A3, a colon, then the item "
            "(e.g. 'A2: splinter in the lungs')",
            "condition",
        )
    return Condition(annex, item.strip(), unquestionable, predates_war_not_worsened)


def parse_vote(text: str) -> tuple[str, Decision]:
    """`Dr Anna Keller=repatriate`: a member's name, then their vote."""
    name, sep, vote = text.rpartition("=")
    if not sep or not name.strip():
        raise InvalidExamination(f"'{text}': a vote is written NAME=DECISION", "votes")
    return name.strip(), decision_of(vote, name.strip())


def decision_of(text: str, whose: str = "") -> Decision:
    try:
        return Decision(text.strip().lower())
    except ValueError:
        who = f"{whose}: " if whose else ""
        choices = ", ".join(d.value for d in Decision)
        raise InvalidExamination(
            f"{who}a vote is one of {choices}, not '{text.strip()}'", "votes"
        ) from None


def proposer_of(text: str) -> Proposer:
    try:
        return Proposer(text.strip().lower())
    except ValueError:
        choices = ", ".join(p.value for p in Proposer)
        raise InvalidInput(
            f"proposed by is one of {choices}, not '{text.strip()}'", "proposed_by"
        ) from None


def proposer_or_other(value: str) -> Proposer:
    try:
        return Proposer(value)
    except ValueError:
        return Proposer.OTHER


GONE = {"released", "returned", "dead", "remains_received", "identified"}


def moot(what: OverdueWhat, status: str) -> bool:
    """A repatriation cannot be late for someone no longer held: they are home or dead."""
    return what is OverdueWhat.REPATRIATION and status in GONE


def next_step(exam: Examination) -> str | None:
    if exam.notified_on is None:
        return Step.NOTIFIED.value
    if exam.decision is Decision.REPATRIATE and exam.carried_out_on is None:
        return Step.CARRIED_OUT.value
    return None
