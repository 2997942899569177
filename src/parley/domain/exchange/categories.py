"""Exchange categories as rules evaluated at a reference date, with a reason for every answer.

The parties agree categories ("aged 18–25", "seriously wounded or sick"); lists are then
argued over person by person. A rule therefore never answers a bare yes or no: it says why,
and when the records cannot settle it (a year-only date of birth, a pending examination) it
says UNCERTAIN rather than guessing — an uncertain person is checked, not silently swapped.

Eligibility for a category and fitness for a manifest are separate questions:
`domain/exchange/manifests.py` says what keeps a person off any manifest whatever the category;
`domain/exchange/category_config.py` reads rules written in configuration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, runtime_checkable

from parley.domain.dates import PartialDate, whole_years
from parley.domain.errors import InvalidInput
from parley.domain.exchange.commissions import Decision, MedicalStanding, add_months
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory, Sex


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class RuleResult:
    answer: Answer
    reason: str
    rule: str


class Consent(StrEnum):
    """The person's own wish: nobody is repatriated against their will (GC III art. 109)."""

    GIVEN = "given"
    REFUSED = "refused"
    UNKNOWN = "unknown"


class HoldKind(StrEnum):
    """Art. 115: only prosecution or a sentence may hold a prisoner back; discipline may not."""

    UNDER_PROSECUTION = "under_prosecution"
    SERVING_SENTENCE = "serving_sentence"


@dataclass(frozen=True)
class LegalHold:
    reason: str
    since: date
    kind: HoldKind = HoldKind.UNDER_PROSECUTION
    ends_on: date | None = None
    """The day a sentence ends, when known; from then on the hold no longer applies."""

    def applies_on(self, on: date) -> bool:
        return self.since <= on and (self.ends_on is None or on < self.ends_on)


@dataclass(frozen=True)
class PersonFacts:
    """Everything the rules need about one person, assembled by services from the registry.

    `key` is a stable reference for reports (a registry uid or a list entry reference).
    """

    key: str
    person_id: int | None
    name: str
    side: str
    category: PersonCategory
    sex: Sex = Sex.UNKNOWN
    birth_date: PartialDate | None = None
    captured_on: date | None = None
    status: Status | None = None
    medical: MedicalStanding | None = None
    consent: Consent = Consent.UNKNOWN
    legal_hold: LegalHold | None = None
    rank: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)
    consent_recorded_on: date | None = None
    """The day consent was given or refused, quoted in the reasons."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", MappingProxyType(dict(self.attributes)))


@runtime_checkable
class CategoryRule(Protocol):
    """A category rule: a name, a sentence saying what it asks, and a reasoned answer."""

    @property
    def name(self) -> str: ...

    def describe(self) -> str: ...

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult: ...


def evaluate(rule: CategoryRule, facts: PersonFacts, on: date) -> RuleResult:
    return rule.evaluate(facts, on)


def evaluate_all(
    categories: Mapping[str, CategoryRule], facts: PersonFacts, on: date
) -> dict[str, RuleResult]:
    return {name: rule.evaluate(facts, on) for name, rule in categories.items()}


def age_on(born: date, on: date) -> int:
    """Completed years on a day (`dates.whole_years`)."""
    return whole_years(born, on)


def _band(youngest: int, oldest: int) -> str:
    return f"{youngest}–{oldest}"


def _born(birth: PartialDate) -> str:
    precision = {"year": " (year only)", "month": " (month only)", "day": ""}
    return f"born {birth}{precision[birth.precision]}"


@dataclass(frozen=True)
class AgeBand:
    """Aged between `youngest` and `oldest` inclusive on the stage date.

    A partial date of birth is answered for every day it could stand for: YES only if every
    such day qualifies, NO only if none does, UNCERTAIN otherwise.
    """

    youngest: int
    oldest: int

    def __post_init__(self) -> None:
        if not 0 <= self.youngest <= self.oldest <= 150:
            raise InvalidInput(
                f"an age band runs from a youngest to an oldest age, 0–150; "
                f"got {self.youngest}–{self.oldest}",
                "age",
            )

    @property
    def name(self) -> str:
        return f"age_{self.youngest}_{self.oldest}"

    def describe(self) -> str:
        return f"aged {_band(self.youngest, self.oldest)} on the stage date"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        band = _band(self.youngest, self.oldest)
        birth = facts.birth_date
        if birth is None:
            return RuleResult(
                Answer.UNCERTAIN, f"date of birth unknown — uncertain for ages {band}", self.name
            )
        low, high = age_on(birth.latest(), on), age_on(birth.earliest(), on)
        aged = (
            f"aged {low}"
            if low == high
            else f"aged {low} {'or' if high == low + 1 else 'to'} {high}"
        )
        said = f"{_born(birth)}: {aged} on {on.isoformat()}"
        if self.youngest <= low and high <= self.oldest:
            return RuleResult(Answer.YES, f"{said}, within {band}", self.name)
        if high < self.youngest or low > self.oldest:
            return RuleResult(Answer.NO, f"{said}, outside {band}", self.name)
        return RuleResult(Answer.UNCERTAIN, f"{said} — uncertain for {band}", self.name)


@dataclass(frozen=True)
class SeriouslyWoundedOrSick:
    """A Mixed Medical Commission's decision to repatriate, or an art. 112 manifest case."""

    @property
    def name(self) -> str:
        return "seriously_wounded_or_sick"

    def describe(self) -> str:
        return (
            "seriously wounded or sick: a Mixed Medical Commission decided to repatriate, "
            "or the detaining power's doctors certified a manifest case (GC III arts. 110, 112)"
        )

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        def result(answer: Answer, reason: str) -> RuleResult:
            return RuleResult(answer, reason, self.name)

        med = facts.medical
        if med is None or (med.decision is None and not med.manifest_case):
            if med is not None:
                return result(Answer.UNCERTAIN, "examination by a medical commission pending")
            return result(Answer.NO, "no medical commission decision or manifest certification")
        # A reason is read by whoever plans or checks a list, not only the medical staff: it
        # says that doctors decided, never what they found (docs/accounts.md, "Need to know").
        if med.condition is not None and not med.condition.qualifies:
            return result(
                Answer.NO,
                "the condition on record predates the war and has not worsened: it does not "
                "qualify (GC III art. 110)",
            )
        commission_spoke_later = (
            med.decision is not None
            and med.decided_on is not None
            and med.certified_on is not None
            and med.decided_on > med.certified_on
        )
        if med.manifest_case and not commission_spoke_later:
            since = f" on {med.certified_on.isoformat()}" if med.certified_on else ""
            return result(
                Answer.YES,
                f"manifest case certified by the detaining power's doctors{since} "
                "(GC III art. 112)",
            )
        when = f" on {med.decided_on.isoformat()}" if med.decided_on else ""
        if med.decision is Decision.REPATRIATE:
            return result(Answer.YES, f"medical commission decided to repatriate{when}")
        if med.decision is Decision.REJECT:
            return result(Answer.NO, f"medical commission rejected repatriation{when}")
        return result(Answer.UNCERTAIN, f"medical commission will re-examine (decided{when})")


@dataclass(frozen=True)
class CivilianDetainee:
    @property
    def name(self) -> str:
        return "civilian_detainee"

    def describe(self) -> str:
        return "a civilian detainee (GC IV), not a prisoner of war"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        if facts.category is PersonCategory.CIVILIAN:
            return RuleResult(Answer.YES, "recorded as a civilian", self.name)
        return RuleResult(Answer.NO, f"recorded as {facts.category}, not a civilian", self.name)


@dataclass(frozen=True)
class HeldLongerThan:
    """More than `months` calendar months in captivity on the stage date."""

    months: int

    def __post_init__(self) -> None:
        if self.months < 0:
            raise InvalidInput(
                f"months held cannot be negative; got {self.months}", "held_longer_than_months"
            )

    @property
    def name(self) -> str:
        return f"held_longer_than_{self.months}_months"

    def describe(self) -> str:
        return f"held longer than {self.months} months on the stage date"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        if facts.captured_on is None:
            return RuleResult(Answer.UNCERTAIN, "date of capture unknown — uncertain", self.name)
        threshold = add_months(facts.captured_on, self.months)
        said = f"captured {facts.captured_on.isoformat()}"
        if on > threshold:
            return RuleResult(
                Answer.YES,
                f"{said}: more than {self.months} months by {on.isoformat()}",
                self.name,
            )
        return RuleResult(
            Answer.NO,
            f"{said}: {self.months} months are complete only after {threshold.isoformat()}",
            self.name,
        )


def _same(a: str, b: str) -> bool:
    """Attribute values are typed by people: `Yes` and ` yes` mean the same thing."""
    return a.strip().casefold() == b.strip().casefold()


@dataclass(frozen=True)
class AttributeEquals:
    attribute: str
    value: str

    @property
    def name(self) -> str:
        return f"{self.attribute}={self.value}"

    def describe(self) -> str:
        return f"{self.attribute} is '{self.value}'"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        actual = facts.attributes.get(self.attribute)
        if actual is None:
            return RuleResult(
                Answer.UNCERTAIN, f"{self.attribute} not recorded — uncertain", self.name
            )
        answer = Answer.YES if _same(actual, self.value) else Answer.NO
        verb = "is" if answer is Answer.YES else "is not"
        return RuleResult(answer, f"{self.attribute} '{actual}' {verb} '{self.value}'", self.name)


@dataclass(frozen=True)
class AttributeIn:
    attribute: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))
        if not self.values:
            raise InvalidInput(f"{self.attribute}: an empty list of values matches nobody", "in")

    @property
    def name(self) -> str:
        return f"{self.attribute} in ({', '.join(self.values)})"

    def describe(self) -> str:
        return f"{self.attribute} is one of {', '.join(repr(v) for v in self.values)}"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        actual = facts.attributes.get(self.attribute)
        if actual is None:
            return RuleResult(
                Answer.UNCERTAIN, f"{self.attribute} not recorded — uncertain", self.name
            )
        inside = any(_same(actual, v) for v in self.values)
        verb = "is" if inside else "is not"
        return RuleResult(
            Answer.YES if inside else Answer.NO,
            f"{self.attribute} '{actual}' {verb} one of {', '.join(self.values)}",
            self.name,
        )


def _reasons(results: Sequence[RuleResult]) -> str:
    return "; ".join(r.reason for r in results)


@dataclass(frozen=True)
class AllOf:
    """Kleene AND: one NO settles it; all YES is YES; anything else is UNCERTAIN."""

    rules: tuple[CategoryRule, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        if not self.rules:
            raise InvalidInput("'all' needs at least one rule", "all")

    @property
    def name(self) -> str:
        return f"all({', '.join(r.name for r in self.rules)})"

    def describe(self) -> str:
        return "all of: " + "; ".join(r.describe() for r in self.rules)

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        results = [r.evaluate(facts, on) for r in self.rules]
        for answer in (Answer.NO, Answer.UNCERTAIN):
            decisive = [r for r in results if r.answer is answer]
            if decisive:
                return RuleResult(answer, _reasons(decisive), self.name)
        return RuleResult(Answer.YES, _reasons(results), self.name)


@dataclass(frozen=True)
class AnyOf:
    """Kleene OR: one YES settles it; all NO is NO; anything else is UNCERTAIN."""

    rules: tuple[CategoryRule, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        if not self.rules:
            raise InvalidInput("'any' needs at least one rule", "any")

    @property
    def name(self) -> str:
        return f"any({', '.join(r.name for r in self.rules)})"

    def describe(self) -> str:
        return "any of: " + "; ".join(r.describe() for r in self.rules)

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        results = [r.evaluate(facts, on) for r in self.rules]
        for answer in (Answer.YES, Answer.UNCERTAIN):
            decisive = [r for r in results if r.answer is answer]
            if decisive:
                return RuleResult(answer, _reasons(decisive), self.name)
        return RuleResult(Answer.NO, _reasons(results), self.name)


_NEGATED = {Answer.YES: Answer.NO, Answer.NO: Answer.YES, Answer.UNCERTAIN: Answer.UNCERTAIN}


@dataclass(frozen=True)
class Not:
    rule: CategoryRule

    @property
    def name(self) -> str:
        return f"not({self.rule.name})"

    def describe(self) -> str:
        return f"not: {self.rule.describe()}"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        inner = self.rule.evaluate(facts, on)
        return RuleResult(_NEGATED[inner.answer], f"not: {inner.reason}", self.name)


@dataclass(frozen=True)
class NamedCategory:
    """An agreed category: a rule under the name the parties use for it in lists and reports."""

    category: str
    rule: CategoryRule
    description: str = ""

    @property
    def name(self) -> str:
        return self.category

    def describe(self) -> str:
        return self.description or self.rule.describe()

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        inner = self.rule.evaluate(facts, on)
        return RuleResult(inner.answer, inner.reason, self.category)


STANDARD_CATEGORIES: dict[str, CategoryRule] = {
    "aged_18_25": NamedCategory(
        "aged_18_25", AgeBand(18, 25), "young soldiers aged 18–25 on the stage date (Istanbul 2025)"
    ),
    "seriously_wounded_or_sick": NamedCategory(
        "seriously_wounded_or_sick", SeriouslyWoundedOrSick()
    ),
    "civilian_detainees": NamedCategory("civilian_detainees", CivilianDetainee()),
}
"""The categories agreed in Istanbul on 2 June 2025, plus civilians exchanged alongside."""
