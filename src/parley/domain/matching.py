"""Rules of matching that do not depend on how scores are computed.

A score sorts each list entry into matched, review or no match. People have the last word:
a confirmed pair is reused in every later run, a rejected pair never comes back.
"""

from __future__ import annotations

import hashlib
import json
import math
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
    """Match probabilities: at or above `accept` a pair is taken without review.

    `margin_bits`: how far (log2 of the odds) the best candidate must lead the second for the
    entry to be matched although the second is above `review`; 10 bits is 1,000-fold odds.
    """

    accept: float = 0.99
    review: float = 0.5
    margin_bits: float = 10.0

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.accept < 1:
            raise InvalidInput("thresholds must satisfy 0 < review <= accept < 1")
        if not self.margin_bits > 0:
            raise InvalidInput("the margin must be a positive number of bits")


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
    written: str = ""
    """The name as the list wrote it (its full-name cell, or its name cells joined)."""

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
    """The pair's own match probability, as scored without the entry's other candidates."""
    exclusive: float | None = None
    """That the entry is this person, its other candidates weighed in (an entry is one person
    at most), when the engine gives it: what the accept threshold is then held against."""


def odds_bits(probability: float) -> float:
    """log2 of the odds: the match weight a probability came from (infinite at 0 and 1)."""
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return math.log2(probability / (1.0 - probability))


def far_ahead(best: Candidate, second: Candidate, margin_bits: float) -> bool:
    """The best's odds are at least 2**margin_bits times the second's.

    Both probabilities come from one model and one prior, so the difference of their log-odds
    is the difference of the evidence for each. Two scores rounded to 1.0 give no margin
    (infinity minus infinity), so such an entry stays in review.
    """
    ahead = odds_bits(best.probability) - odds_bits(second.probability)
    return ahead >= margin_bits  # False for NaN


def classify(
    candidates: list[Candidate],
    thresholds: Thresholds,
    confirmed: set[int],
    rejected: set[int],
) -> tuple[Outcome, int | None, list[Candidate]]:
    """Outcome, the matched person if any, and the candidates still in play, best first.

    Two candidates above the review threshold make an entry ambiguous, because one entry is
    one person: it goes to review unless the best is above the accept threshold and the
    evidence for it outweighs the evidence for the second by `thresholds.margin_bits`
    (a namesake born the same year, where the date tells the two apart).

    With exclusive probabilities, the best is accepted on its exclusive probability (which a
    close second lowers and the absence of any other candidate raises), renormalised over the
    candidates a reviewer has not rejected; the margin rule applies on top.
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
    if not alive:
        return Outcome.NO_MATCH, None, alive
    best = alive[0]
    sure = _exclusive(best, candidates, rejected)
    if best.probability < thresholds.review and (sure is None or sure < thresholds.review):
        return Outcome.NO_MATCH, None, alive
    contenders = [c for c in alive if c.probability >= thresholds.review]
    if (best.probability if sure is None else sure) >= thresholds.accept and (
        len(contenders) <= 1 or far_ahead(best, alive[1], thresholds.margin_bits)
    ):
        return Outcome.MATCHED, best.person_id, alive
    return Outcome.REVIEW, None, alive


def _exclusive(best: Candidate, candidates: list[Candidate], rejected: set[int]) -> float | None:
    """The best's exclusive probability given that the rejected candidates are not the entry's
    person: P(best) / (1 - P(one of the rejected))."""
    if best.exclusive is None:
        return None
    ruled_out = sum(c.exclusive or 0.0 for c in candidates if c.person_id in rejected)
    return best.exclusive / (1.0 - ruled_out) if ruled_out < 1.0 else best.exclusive
