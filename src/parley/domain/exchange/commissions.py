"""Mixed Medical Commissions (GC III Annex II) and who is examined first (art. 113).

A commission decides whether a sick or wounded prisoner goes home. Its composition is the
guarantee of its independence, so a commission that is not two neutral members (one in the
chair) and one named by the detaining power cannot be built at all. Its decisions run on
deadlines — notified within one month of the visit, carried out within three months of the
notification — and Parley shows which are late.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from parley.domain.errors import InvalidCommission, InvalidExamination

NOTIFY_WITHIN_MONTHS = 1
"""Annex II: decisions are communicated within one month of the visit."""
CARRY_OUT_WITHIN_MONTHS = 3
"""Annex II: decisions to repatriate are carried out within three months of notification."""


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic: 31 January + 1 month is the last day of February.

    Treaty deadlines are counted in months, not in 30-day blocks; when the target month is
    shorter, the deadline falls on its last day rather than spilling into the next month.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


class MemberRole(StrEnum):
    NEUTRAL = "neutral"
    DETAINING_POWER = "detaining_power"


class Specialty(StrEnum):
    SURGEON = "surgeon"
    PHYSICIAN = "physician"
    NONE = ""


@dataclass(frozen=True)
class Member:
    """One doctor on a commission; `party` is the country they belong to."""

    name: str
    party: str
    role: MemberRole
    chair: bool = False
    specialty: Specialty = Specialty.NONE

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidCommission("a commission member needs a name", "members")

    def describe(self) -> str:
        role = "neutral" if self.role is MemberRole.NEUTRAL else "named by the detaining power"
        extras = [role]
        if self.specialty is not Specialty.NONE:
            extras.append(str(self.specialty))
        if self.chair:
            extras.append("chair")
        return f"{self.name} ({self.party}), {', '.join(extras)}"


_WORDS = {0: "no", 1: "one", 2: "two", 3: "three"}


def _count(n: int, singular: str, plural: str) -> str:
    return f"{_WORDS.get(n, str(n))} {singular if n == 1 else plural}"


@dataclass(frozen=True)
class Commission:
    """Annex II composition, checked on construction so an unlawful panel never decides."""

    name: str
    members: tuple[Member, ...]
    deputies: tuple[Member, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "deputies", tuple(self.deputies))
        neutral = [m for m in self.members if m.role is MemberRole.NEUTRAL]
        detaining = [m for m in self.members if m.role is MemberRole.DETAINING_POWER]
        if len(neutral) != 2 or len(detaining) != 1:
            raise InvalidCommission(
                "a commission has two neutral members and one named by the detaining power; "
                f"this one has {_count(len(neutral), 'neutral member', 'neutral members')} and "
                f"{_count(len(detaining), 'member', 'members')} from the detaining power",
                "members",
            )
        names = [m.name for m in (*self.members, *self.deputies)]
        if len(set(names)) != len(names):
            raise InvalidCommission("each member and deputy must have a distinct name", "members")
        chairs = [m for m in self.members if m.chair]
        if len(chairs) != 1 or chairs[0].role is not MemberRole.NEUTRAL:
            raise InvalidCommission(
                "one of the two neutral members chairs the commission, and only one", "members"
            )
        if any(m.party == detaining[0].party for m in neutral):
            raise InvalidCommission(
                f"a neutral member cannot belong to {detaining[0].party}, "
                "the detaining power's own country",
                "members",
            )
        if any(d.chair for d in self.deputies):
            raise InvalidCommission("a deputy does not chair the commission", "deputies")

    @property
    def chair(self) -> Member:
        return next(m for m in self.members if m.chair)

    @property
    def member_names(self) -> frozenset[str]:
        return frozenset(m.name for m in self.members)

    def advisories(self) -> list[str]:
        """What Annex II recommends but does not require: reported, never refused."""
        notes: list[str] = []
        specialties = {m.specialty for m in self.members}
        if Specialty.SURGEON not in specialties:
            notes.append("no surgeon on the commission (Annex II recommends one)")
        if Specialty.PHYSICIAN not in specialties:
            notes.append("no physician on the commission (Annex II recommends one)")
        if not self.deputies:
            notes.append("no deputies named (Annex II asks for them)")
        return notes


class AnnexCategory(StrEnum):
    """GC III Annex I, direct repatriation: the three families of qualifying conditions."""

    A1 = "A1"
    A2 = "A2"
    A3 = "A3"

    @property
    def description(self) -> str:
        return _ANNEX_DESCRIPTIONS[self]


_ANNEX_DESCRIPTIONS = {
    AnnexCategory.A1: "disability from trauma at least equal to losing a hand or a foot",
    AnnexCategory.A2: "chronic wounds not expected to recover within a year",
    AnnexCategory.A3: "chronic illness not expected to recover within a year of onset",
}


@dataclass(frozen=True)
class Condition:
    """The Annex I condition an examination names; without one nobody is repatriated."""

    category: AnnexCategory
    item: str
    unquestionable: bool = False
    """Amputation, total blindness or deafness, open tuberculosis, mental disorder,
    malignancy: such cases go quickly on the camp doctors' word."""
    predates_war_not_worsened: bool = False
    """Art. 110 / Annex I: a condition older than the war that has not worsened does not
    qualify."""

    def __post_init__(self) -> None:
        if not self.item.strip():
            raise InvalidExamination("a condition names its Annex I item", "condition")

    @property
    def qualifies(self) -> bool:
        return not self.predates_war_not_worsened

    @property
    def severity(self) -> int:
        return severity_rank(self)

    def __str__(self) -> str:
        return f"{self.category}: {self.item}"


NO_CONDITION_SEVERITY = 9
"""The rank of someone with no named condition: after every named one."""


def severity_rank(condition: Condition | None) -> int:
    """Lower is more severe: unquestionable cases first, then A1, A2, A3, then nothing named."""
    if condition is None:
        return NO_CONDITION_SEVERITY
    if condition.unquestionable:
        return 0
    return {AnnexCategory.A1: 1, AnnexCategory.A2: 2, AnnexCategory.A3: 3}[condition.category]


class Decision(StrEnum):
    """A member's vote and the commission's decision take the same three values."""

    REPATRIATE = "repatriate"
    REJECT = "reject"
    REEXAMINE = "reexamine"


Vote = Decision


@dataclass(frozen=True)
class Examination:
    """One prisoner seen by one commission on one visit, with each member's vote.

    `notified_on` and `carried_out_on` are filled in as the decision moves on; they are what
    the deadlines are checked against.
    """

    person_key: str
    commission: Commission
    visited_on: date
    findings: str
    condition: Condition | None
    votes: Mapping[str, Vote] = field(hash=False)
    notified_on: date | None = None
    carried_out_on: date | None = None

    def __post_init__(self) -> None:
        votes = MappingProxyType({name: Decision(v) for name, v in self.votes.items()})
        object.__setattr__(self, "votes", votes)
        strangers = sorted(set(votes) - self.commission.member_names)
        if strangers:
            raise InvalidExamination(
                f"{', '.join(strangers)} not a member of {self.commission.name}", "votes"
            )
        missing = sorted(self.commission.member_names - set(votes))
        if missing:
            raise InvalidExamination(
                f"all three members vote; no vote from {', '.join(missing)}", "votes"
            )
        if self.decision is Decision.REPATRIATE:
            if self.condition is None:
                raise InvalidExamination(
                    "a decision to repatriate must name the Annex I condition that qualifies",
                    "condition",
                )
            if not self.condition.qualifies:
                raise InvalidExamination(
                    f"{self.condition} predates the war and has not worsened: "
                    "it does not qualify for repatriation (GC III art. 110, Annex I)",
                    "condition",
                )
        if self.notified_on is not None and self.notified_on < self.visited_on:
            raise InvalidExamination("a decision is notified after the visit", "notified_on")
        if self.carried_out_on is not None:
            if self.decision is not Decision.REPATRIATE:
                raise InvalidExamination(
                    f"only a decision to repatriate is carried out; this one is {self.decision}",
                    "carried_out_on",
                )
            if self.notified_on is None or self.carried_out_on < self.notified_on:
                raise InvalidExamination(
                    "a repatriation is carried out after its notification", "carried_out_on"
                )

    @property
    def decision(self) -> Decision:
        """Majority of three; a three-way split means nobody decided, so look again later."""
        (top, count), *_ = Counter(self.votes.values()).most_common(1)
        return top if count >= 2 else Decision.REEXAMINE

    @property
    def decision_reason(self) -> str:
        tally = Counter(self.votes.values())
        if max(tally.values()) < 2:
            return "no majority: one vote each for repatriate, reject and re-examine"
        return f"{tally[self.decision]} of 3 votes for {self.decision}"

    @property
    def notify_by(self) -> date:
        return add_months(self.visited_on, NOTIFY_WITHIN_MONTHS)

    @property
    def carry_out_by(self) -> date | None:
        """Three months from notification; if not yet notified, from the day it was due.

        Counting from the notification deadline when notification is late keeps a missed
        notification from also stopping the repatriation clock.
        """
        if self.decision is not Decision.REPATRIATE:
            return None
        start = self.notified_on if self.notified_on is not None else self.notify_by
        return add_months(start, CARRY_OUT_WITHIN_MONTHS)


class OverdueWhat(StrEnum):
    NOTIFICATION = "notification"
    REPATRIATION = "repatriation"


@dataclass(frozen=True)
class Overdue:
    person_key: str
    what: OverdueWhat
    due: date
    days_late: int


def overdue(examinations: Iterable[Examination], today: date) -> list[Overdue]:
    """What is still outstanding past its Annex II deadline, the latest first.

    Only what has not happened yet is listed: a notification made late is history, not a
    task.
    """
    late: list[Overdue] = []
    for exam in examinations:
        if exam.notified_on is None and today > exam.notify_by:
            late.append(
                Overdue(
                    exam.person_key,
                    OverdueWhat.NOTIFICATION,
                    exam.notify_by,
                    (today - exam.notify_by).days,
                )
            )
        due = exam.carry_out_by
        if due is not None and exam.carried_out_on is None and today > due:
            late.append(Overdue(exam.person_key, OverdueWhat.REPATRIATION, due, (today - due).days))
    return sorted(late, key=lambda o: (-o.days_late, o.person_key, o.what))


@dataclass(frozen=True)
class MedicalStanding:
    """Where a person stands medically, as the category rules need it.

    Either the latest Mixed Medical Commission decision (None while an examination is
    pending), or a manifest case certified by the detaining power's doctors under art. 112,
    or both; when both are dated, the later one speaks.
    """

    decision: Decision | None = None
    decided_on: date | None = None
    manifest_case: bool = False
    certified_on: date | None = None
    condition: Condition | None = None

    @property
    def severity(self) -> int:
        return severity_rank(self.condition)

    @classmethod
    def of(cls, examination: Examination) -> MedicalStanding:
        return cls(examination.decision, examination.visited_on, condition=examination.condition)


def latest_standing(examinations: Iterable[Examination]) -> MedicalStanding | None:
    """The standing given by the most recent visit: a later look replaces an earlier one."""
    ordered = sorted(examinations, key=lambda e: e.visited_on)
    return MedicalStanding.of(ordered[-1]) if ordered else None


ARTICLES = ("GC III art. 109", "GC III art. 110", "GC III art. 112", "GC III Annex II")


@dataclass(frozen=True)
class Certificate:
    """What a prisoner to be repatriated is given (Annex II): pure data, rendered elsewhere."""

    title: str
    person_key: str
    person_name: str
    commission: str
    members: tuple[str, ...]
    examined_on: date
    findings: str
    condition: str
    condition_description: str
    decision: Decision
    decision_reason: str
    notify_by: date
    articles: tuple[str, ...]
    issued_on: date

    def as_text(self) -> str:
        lines = [
            self.title,
            "",
            f"Person: {self.person_name} ({self.person_key})",
            f"Examined on: {self.examined_on.isoformat()} by {self.commission}",
            "Members:",
            *(f"  - {m}" for m in self.members),
            f"Findings: {self.findings}",
            f"Condition: {self.condition} — {self.condition_description}",
            f"Decision: {self.decision} ({self.decision_reason})",
            f"To be notified by: {self.notify_by.isoformat()}",
            f"Under: {', '.join(self.articles)}",
            f"Issued on: {self.issued_on.isoformat()}",
        ]
        return "\n".join(lines) + "\n"


def certificate_text(examination: Examination, person_name: str, issued_on: date) -> Certificate:
    """The repatriation certificate; only a decision to repatriate earns one."""
    if examination.decision is not Decision.REPATRIATE or examination.condition is None:
        raise InvalidExamination(
            f"a certificate is issued only for a decision to repatriate; "
            f"this one is {examination.decision}",
            "decision",
        )
    if issued_on < examination.visited_on:
        raise InvalidExamination("a certificate is issued after the examination", "issued_on")
    condition = examination.condition
    return Certificate(
        title="Certificate of the Mixed Medical Commission: repatriation",
        person_key=examination.person_key,
        person_name=person_name,
        commission=examination.commission.name,
        members=tuple(m.describe() for m in examination.commission.members),
        examined_on=examination.visited_on,
        findings=examination.findings,
        condition=str(condition),
        condition_description=condition.category.description,
        decision=examination.decision,
        decision_reason=examination.decision_reason,
        notify_by=examination.notify_by,
        articles=ARTICLES,
        issued_on=issued_on,
    )


class Proposer(StrEnum):
    """Who asked for the examination; art. 113 entitles all but OTHER to go first."""

    DETAINING_POWER_DOCTORS = "detaining_power_doctors"
    CAMP_DOCTOR_OWN_NATIONALITY = "camp_doctor_own_nationality"
    PRISONERS_REPRESENTATIVE = "prisoners_representative"
    OWN_POWER_OR_RELIEF_SOCIETY = "own_power_or_relief_society"
    OTHER = "other"

    @property
    def entitled(self) -> bool:
        return self is not Proposer.OTHER


@dataclass(frozen=True)
class ExaminationCandidate:
    person_key: str
    proposed_by: Proposer
    condition: Condition | None = None
    captured_on: date | None = None


def examination_order(candidates: Iterable[ExaminationCandidate]) -> list[ExaminationCandidate]:
    """Art. 113 first, then the rest; within each, the gravest, then the longest held.

    An unknown capture date sorts after the known ones: we cannot claim a long captivity
    nobody recorded.
    """

    def order(c: ExaminationCandidate) -> tuple[bool, int, bool, date, str]:
        return (
            not c.proposed_by.entitled,
            severity_rank(c.condition),
            c.captured_on is None,
            c.captured_on or date.max,
            c.person_key,
        )

    return sorted(candidates, key=order)
