"""Rules of matching that do not depend on how scores are computed.

A score sorts each list entry into matched, review or no match. People have the last word:
a confirmed pair is reused in every later run, a rejected pair never comes back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.persons import Identifier, Sex, fold


class Outcome(StrEnum):
    MATCHED = "matched"
    REVIEW = "review"
    NO_MATCH = "no_match"


class Decision(StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities: at or above `accept` a pair is taken without review."""

    accept: float = 0.99
    review: float = 0.5

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.accept < 1:
            raise InvalidInput("thresholds must satisfy 0 < review <= accept < 1")


@dataclass(frozen=True)
class ListEntry:
    """One entry of a list to match, as it was written."""

    row: int
    surname: str
    given: str
    patronymic: str = ""
    birth_date: PartialDate | None = None
    sex: Sex = Sex.UNKNOWN
    identifiers: tuple[Identifier, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given, self.patronymic) if p)

    def key(self) -> str:
        """The same entry on a later list gets the same key, so decisions follow it."""
        identity = {
            "name": [fold(self.surname), fold(self.given), fold(self.patronymic)],
            "born": str(self.birth_date) if self.birth_date else "",
            "ids": sorted(f"{i.kind}:{i.value}" for i in self.identifiers),
        }
        canonical = json.dumps(identity, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Candidate:
    person_id: int
    probability: float


def classify(
    candidates: list[Candidate],
    thresholds: Thresholds,
    confirmed: set[int],
    rejected: set[int],
) -> tuple[Outcome, int | None, list[Candidate]]:
    """Outcome, the matched person if any, and the candidates still in play, best first.

    Two candidates above the review threshold make an entry ambiguous: it goes to review even
    if the best is above the accept threshold, because one entry is one person.
    """
    alive = sorted(
        (c for c in candidates if c.person_id not in rejected),
        key=lambda c: c.probability,
        reverse=True,
    )
    agreed = [c.person_id for c in alive if c.person_id in confirmed]
    if agreed:
        return Outcome.MATCHED, agreed[0], alive
    if confirmed - rejected:
        return Outcome.MATCHED, min(confirmed - rejected), alive
    if not alive or alive[0].probability < thresholds.review:
        return Outcome.NO_MATCH, None, alive
    contenders = [c for c in alive if c.probability >= thresholds.review]
    if alive[0].probability >= thresholds.accept and len(contenders) == 1:
        return Outcome.MATCHED, alive[0].person_id, alive
    return Outcome.REVIEW, None, alive
