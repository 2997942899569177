"""What keeps a person off any manifest, whatever the category: refused consent, a legal
hold, not in custody. Stable codes, shared with stage planning and the other side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from parley.domain.exchange.categories import Answer, Consent, HoldKind, PersonFacts, RuleResult
from parley.domain.registry.events import Status


class ExclusionCode(StrEnum):
    """Stable codes for why a person is left off a manifest; shared with stage planning."""

    CONSENT_REFUSED = "consent_refused"
    CONSENT_UNKNOWN = "consent_unknown"
    LEGAL_HOLD = "legal_hold"
    NOT_HELD = "not_held"
    INELIGIBLE = "ineligible"
    UNCERTAIN = "uncertain"
    NOT_CONFIRMED_BY_MATCHING = "not_confirmed_by_matching"
    OVER_CAPACITY = "over_capacity"
    PARITY = "parity"


@dataclass(frozen=True)
class Exclusion:
    key: str
    code: ExclusionCode
    reason: str


IN_CUSTODY = frozenset({Status.HELD, Status.IN_CAPTIVITY})
"""Held by us, or ours held by the other side: the only people a manifest can carry."""


_HOLD_WORDS = {
    HoldKind.UNDER_PROSECUTION: "under prosecution",
    HoldKind.SERVING_SENTENCE: "serving a sentence",
}


def check_manifest_person(facts: PersonFacts, on: date) -> list[Exclusion]:
    """Every reason this person may not be on a manifest dated `on`, whatever the category.

    All reasons are returned, not just the first, so one look at a report says everything
    that must change.
    """
    found: list[Exclusion] = []

    def exclude(code: ExclusionCode, reason: str) -> None:
        found.append(Exclusion(facts.key, code, reason))

    if facts.status is None:
        exclude(ExclusionCode.NOT_HELD, "no status recorded: not known to be in custody")
    elif facts.status not in IN_CUSTODY:
        exclude(ExclusionCode.NOT_HELD, f"status is {facts.status}, not in custody")
    if facts.consent is Consent.REFUSED:
        when = (
            f" on {facts.consent_recorded_on.isoformat()}"
            if facts.consent_recorded_on
            else " (date not recorded)"
        )
        exclude(
            ExclusionCode.CONSENT_REFUSED,
            f"refused repatriation{when}: nobody is repatriated against their will "
            "(GC III art. 109)",
        )
    elif facts.consent is Consent.UNKNOWN:
        exclude(ExclusionCode.CONSENT_UNKNOWN, "consent not recorded")
    hold = facts.legal_hold
    if hold is not None and hold.applies_on(on):
        exclude(
            ExclusionCode.LEGAL_HOLD,
            f"{_HOLD_WORDS[hold.kind]}: {hold.reason} since {hold.since.isoformat()} — "
            "the other side must be told (art. 115)",
        )
    return found


def category_exclusion(facts: PersonFacts, result: RuleResult) -> Exclusion | None:
    """A category answer as an exclusion: NO is ineligible, UNCERTAIN needs checking."""
    if result.answer is Answer.NO:
        return Exclusion(facts.key, ExclusionCode.INELIGIBLE, f"{result.rule}: {result.reason}")
    if result.answer is Answer.UNCERTAIN:
        return Exclusion(facts.key, ExclusionCode.UNCERTAIN, f"{result.rule}: {result.reason}")
    return None
