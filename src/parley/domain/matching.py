"""Rules of matching that do not depend on how scores are computed.

A score sorts each list entry into matched, review or no match. People have the last word:
a confirmed pair is reused in every later run, a rejected pair never comes back.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from parley.domain.dates import PartialDate, whole_years
from parley.domain.errors import InvalidInput
from parley.domain.registry.persons import Identifier, Sex, fold


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

    accept: float = 0.95
    review: float = 0.5
    margin_bits: float = 10.0

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.accept < 1:
            raise InvalidInput("thresholds must satisfy 0 < review <= accept < 1")
        if not self.margin_bits > 0:
            raise InvalidInput("the margin must be a positive number of bits")


DEFAULT_THRESHOLDS = Thresholds()
"""Accept at 0.95, held against the exclusive probability (an entry is one person): measured
on the extended cross-script benchmark, 0.99 left a tenth of the entries without a birth
date in review for no gain in precision, while the date rules (`dates_bar_acceptance`), not
the threshold, keep namesakes out (docs/benchmarks.md)."""


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
    born: PartialDate | None = None
    """The person's date of birth, for `dates_bar_acceptance`."""
    documents_agree: bool = False
    """A service number, passport or tax number is the same on both sides."""


NEVER_ACCEPT_YEARS_APART = 3
"""A candidate born this many years or more from the entry (both dates full) is never matched
without a person's review, whatever the names, the model or the prior say."""


def _close(a: date, b: date) -> bool:
    """The same date, or the slips a clerk makes: day and month swapped, one digit wrong, or
    the day, the month or the year one off."""
    if a == b:
        return True
    if a.year == b.year and (a.month, a.day) == (b.day, b.month):
        return True
    text_a, text_b = a.isoformat(), b.isoformat()
    if sum(x != y for x, y in zip(text_a, text_b, strict=True)) == 1:
        return True
    if _one_transposition(text_a, text_b):
        return True
    parts = [(a.year, b.year), (a.month, b.month), (a.day, b.day)]
    off = [abs(x - y) for x, y in parts]
    return sorted(off) == [0, 0, 1]


def _one_transposition(a: str, b: str) -> bool:
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and (a[differ[0]], a[differ[1]]) == (b[differ[1]], b[differ[0]])
    )


def dates_bar_acceptance(entry_born: PartialDate | None, candidate: Candidate) -> str | None:
    """Why the birth dates alone keep this candidate from being matched without review.

    Namesakes are the mistake that hurts most: the same full name, born years apart. So two
    dates that are `NEVER_ACCEPT_YEARS_APART` or more years apart however they are read (a
    year alone is any day of that year) always go to a person, and two full dates that differ
    by more than a slip do too, unless a document number agrees. None when the dates allow a
    match.
    """
    person_born = candidate.born
    if entry_born is None or person_born is None:
        return None
    years = _years_apart(entry_born, person_born)
    if years >= NEVER_ACCEPT_YEARS_APART:
        return f"born at least {years} years apart"
    if not (entry_born.is_complete and person_born.is_complete):
        return None
    if not _close(entry_born.to_date(), person_born.to_date()) and not candidate.documents_agree:
        return "the birth dates differ by more than a slip"
    return None


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
    born: PartialDate | None = None,
) -> tuple[Outcome, int | None, list[Candidate]]:
    """Outcome, the matched person if any, and the candidates still in play, best first.

    Two candidates above the review threshold make an entry ambiguous, because one entry is
    one person: it goes to review unless the best is above the accept threshold and the
    evidence for it outweighs the evidence for the second by `thresholds.margin_bits`
    (a namesake born the same year, where the date tells the two apart).

    With exclusive probabilities, the best is accepted on its exclusive probability (which a
    close second lowers and the absence of any other candidate raises), renormalised over the
    candidates a reviewer has not rejected; the margin rule applies on top.

    `born`, the entry's date of birth: a best candidate whose full date of birth is far from
    it (`dates_bar_acceptance`) goes to review, never straight to matched.
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
    if dates_bar_acceptance(born, best) is not None:
        return Outcome.REVIEW, None, alive
    rivals = [
        c for c in alive[1:] if c.probability >= thresholds.review and not born_apart(born, c)
    ]
    if (best.probability if sure is None else sure) >= thresholds.accept and (
        not rivals or far_ahead(best, rivals[0], thresholds.margin_bits)
    ):
        return Outcome.MATCHED, best.person_id, alive
    return Outcome.REVIEW, None, alive


def born_apart(entry_born: PartialDate | None, candidate: Candidate) -> bool:
    """The candidate was born `NEVER_ACCEPT_YEARS_APART` or more years from the entry.

    Such a namesake can never be matched without a person, and when the best candidate's date
    fits the entry it is no rival either: the name alone does not make an entry ambiguous
    between a man born in 1964 and his namesake born in 1970. Its probability still counts in
    the best's exclusive probability.
    """
    return _years_apart(entry_born, candidate.born) >= NEVER_ACCEPT_YEARS_APART


def _years_apart(entry_born: PartialDate | None, person_born: PartialDate | None) -> int:
    """Whole years between the two dates read as close as they can be (0 if either is unknown)."""
    if entry_born is None or person_born is None:
        return 0
    if entry_born.earliest() > person_born.latest():
        return whole_years(person_born.latest(), entry_born.earliest())
    if person_born.earliest() > entry_born.latest():
        return whole_years(entry_born.latest(), person_born.earliest())
    return 0


def _exclusive(best: Candidate, candidates: list[Candidate], rejected: set[int]) -> float | None:
    """The best's exclusive probability given that the rejected candidates are not the entry's
    person: P(best) / (1 - P(one of the rejected))."""
    if best.exclusive is None:
        return None
    ruled_out = sum(c.exclusive or 0.0 for c in candidates if c.person_id in rejected)
    return best.exclusive / (1.0 - ruled_out) if ruled_out < 1.0 else best.exclusive
