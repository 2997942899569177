"""Agreements: what was promised at the table, and the rules that hold it beside what happened.

A memorandum's points are coded by topic (after the PA-X peace agreement categories) and by a
*position* with a *stance*: two parties' points on the same position with opposite stances
exclude each other, the same stance is common ground. A commitment binds a *metric* Parley
computes from its own records to a *target*; its status is derived from the computed figure,
the deadline and the parties' claims, never typed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from parley.domain.errors import InvalidInput


class Topic(StrEnum):
    CEASEFIRE = "ceasefire"
    PRISONERS = "prisoners"
    MISSING_PERSONS = "missing_persons"
    CHILDREN = "children"
    REMAINS = "remains"
    CIVILIANS = "civilians"
    TERRITORY = "territory"
    ALLIANCES_NEUTRALITY = "alliances_neutrality"
    ARMED_FORCES = "armed_forces"
    FOREIGN_TROOPS = "foreign_troops"
    SECURITY_GUARANTEES = "security_guarantees"
    SANCTIONS = "sanctions"
    ELECTIONS = "elections"
    LANGUAGE_RELIGION = "language_religion"
    LEADERS_MEETING = "leaders_meeting"
    SEQUENCING = "sequencing"
    OTHER = "other"


class Stance(StrEnum):
    """What a point says about its position."""

    SUPPORTS = "supports"
    OPPOSES = "opposes"
    CONDITIONAL = "conditional"


class Overlap(StrEnum):
    """How two parties' points on one position relate."""

    COMMON = "common"
    """Both support it, or both oppose it."""
    EXCLUSIVE = "exclusive"
    """One supports what the other opposes."""
    PARTIAL = "partial"
    """At least one side makes it conditional."""
    ONE_SIDED = "one_sided"
    """Only one party speaks to it."""


def parse_topic(value: str) -> Topic:
    try:
        return Topic(value.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError as exc:
        choices = ", ".join(t.value for t in Topic)
        raise InvalidInput(f"topic '{value}' is not one of {choices}", "topics") from exc


def parse_stance(value: str) -> Stance:
    try:
        return Stance(value.strip().lower())
    except ValueError as exc:
        choices = ", ".join(s.value for s in Stance)
        raise InvalidInput(f"stance '{value}' is not one of {choices}", "stance") from exc


def relate(stances: Mapping[str, Sequence[Stance]]) -> Overlap:
    """How the parties' stances on one position relate (party → the stances of its points)."""
    speaking = {p: set(s) for p, s in stances.items() if s}
    if len(speaking) < 2:
        return Overlap.ONE_SIDED
    every = set().union(*speaking.values())
    if Stance.SUPPORTS in every and Stance.OPPOSES in every:
        supporters = {p for p, s in speaking.items() if Stance.SUPPORTS in s}
        opponents = {p for p, s in speaking.items() if Stance.OPPOSES in s}
        if supporters != opponents:
            return Overlap.EXCLUSIVE
    if Stance.CONDITIONAL in every:
        return Overlap.PARTIAL
    return Overlap.COMMON


# ---------------------------------------------------------------- proposals


class ProposalKind(StrEnum):
    CEASEFIRE = "ceasefire"
    MEETING = "meeting"
    SEQUENCE = "sequence"
    OTHER = "other"


class Domain(StrEnum):
    LAND = "land"
    AIR = "air"
    SEA = "sea"


class Geography(StrEnum):
    FULL_FRONT = "full_front"
    LOCAL = "local"


class ResponseKind(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COUNTER_PROPOSAL = "counter_proposal"
    PENDING = "pending"


E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], value: str, field_name: str) -> E:
    try:
        return kind(value.strip().lower())
    except ValueError as exc:
        choices = ", ".join(str(k.value) for k in kind)
        raise InvalidInput(f"'{value}' is not one of {choices}", field_name) from exc


def fate(responses: Sequence[ResponseKind]) -> ResponseKind:
    """A proposal's fate is its latest response; with none it is pending."""
    return responses[-1] if responses else ResponseKind.PENDING


# ---------------------------------------------------------------- commitments


class TargetKind(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EXACTLY = "exactly"
    BETWEEN = "between"


@dataclass(frozen=True)
class Target:
    """A quantified promise. `between` is a floor with a ceiling ("at least 1,000, up to 1,200"):
    it is met at the floor; going past the ceiling is shown, not hidden."""

    kind: TargetKind
    low: int | None = None
    high: int | None = None

    def __post_init__(self) -> None:
        need_low = self.kind in (TargetKind.AT_LEAST, TargetKind.EXACTLY, TargetKind.BETWEEN)
        need_high = self.kind in (TargetKind.AT_MOST, TargetKind.BETWEEN)
        if need_low and self.low is None:
            raise InvalidInput(f"a target '{self.kind}' needs a lower figure", "target")
        if need_high and self.high is None:
            raise InvalidInput(f"a target '{self.kind}' needs an upper figure", "target")
        for value in (self.low, self.high):
            if value is not None and value < 0:
                raise InvalidInput("a target cannot be negative", "target")
        if self.kind is TargetKind.BETWEEN and (self.low or 0) > (self.high or 0):
            raise InvalidInput("'between' needs the lower figure first", "target")

    @classmethod
    def parse(cls, kind: str, low: int | None = None, high: int | None = None) -> Target:
        chosen = parse_choice(TargetKind, kind, "target")
        if chosen is TargetKind.AT_MOST and high is None:
            low, high = None, low
        return cls(chosen, low, high)

    def satisfied(self, value: int) -> bool:
        match self.kind:
            case TargetKind.AT_LEAST | TargetKind.BETWEEN:
                return value >= (self.low or 0)
            case TargetKind.AT_MOST:
                return value <= (self.high or 0)
            case TargetKind.EXACTLY:
                return value == self.low
        return False  # pragma: no cover

    def over_ceiling(self, value: int) -> bool:
        return self.high is not None and value > self.high

    @property
    def goal(self) -> int:
        """The figure a chart draws as the line to reach."""
        return self.low if self.low is not None else (self.high or 0)

    def describe(self) -> str:
        match self.kind:
            case TargetKind.AT_LEAST:
                return f"at least {self.low:,}"
            case TargetKind.AT_MOST:
                return f"at most {self.high:,}"
            case TargetKind.EXACTLY:
                return f"exactly {self.low:,}"
            case TargetKind.BETWEEN:
                return f"at least {self.low:,}, up to {self.high:,}"
        return ""  # pragma: no cover


class MetricKind(StrEnum):
    PERSONS_RETURNED = "persons_returned"
    """Persons transferred by recorded stages from `since`, in the given categories, per side."""
    STAGES_HELD = "stages_held"
    """Stages with at least one transfer recorded, from `since`."""
    REGISTRY_COUNT = "registry_count"
    """Persons in the registry with a status (and person category), as of the day."""
    BODIES_RECEIVED = "bodies_received"
    """Remains received: declared now, computed once the remains track lands."""
    CHILDREN_ANSWERS = "children_answers"
    """Answers to a children's list: declared now, computed once the children track lands."""


AVAILABLE_METRICS = frozenset(MetricKind)
"""Every metric is computed from the tracks' records (remains and children included)."""
EACH_SIDE = "each"
"""A per-side metric whose target every side must reach ("1,000 for 1,000")."""


@dataclass(frozen=True)
class Metric:
    kind: MetricKind
    since: date | None = None
    categories: tuple[str, ...] = ()
    side: str | None = None
    """A party code, `each` (every side must reach the target), or None (all sides together)."""
    status: str | None = None
    """For `registry_count`."""
    until: date | None = None
    """Nothing after this day counts (an exchange that was one campaign, say)."""

    def __post_init__(self) -> None:
        if self.kind is MetricKind.REGISTRY_COUNT and not self.status:
            raise InvalidInput("a registry count names the status it counts", "metric")

    @property
    def available(self) -> bool:
        return self.kind in AVAILABLE_METRICS

    def describe(self) -> str:
        parts = [self.kind.value.replace("_", " ")]
        if self.categories:
            parts.append("in " + ", ".join(c.replace("_", " ") for c in self.categories))
        if self.status:
            parts.append(f"with status {self.status}")
        if self.side == EACH_SIDE:
            parts.append("per side")
        elif self.side:
            parts.append(f"of {self.side}")
        if self.since:
            parts.append(f"from {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        return " ".join(parts)


class CommitmentStatus(StrEnum):
    ON_TRACK = "on_track"
    MET = "met"
    OVERDUE = "overdue"
    DISPUTED = "disputed"
    NOT_AVAILABLE = "not_available"
    """The metric's track is not built yet: nothing to compute from."""


@dataclass(frozen=True)
class Figure:
    """A computed figure: per side where the metric has sides, and the one value the target
    is checked against (the smallest side for `each`, the named side, or the total)."""

    value: int | None
    by_side: Mapping[str, int] = field(default_factory=dict)

    def for_party(self, party: str) -> int | None:
        """What a party's claim is compared with: its own side where there are sides."""
        if party in self.by_side:
            return self.by_side[party]
        return self.value


def figure_of(metric: Metric, by_side: Mapping[str, int] | None, total: int | None) -> Figure:
    if total is None and by_side is None:
        return Figure(None)
    sides = dict(by_side or {})
    if metric.side == EACH_SIDE:
        value = min(sides.values()) if sides else 0
    elif metric.side:
        value = sides.get(metric.side, 0)
    else:
        value = total if total is not None else sum(sides.values())
    return Figure(value, sides)


@dataclass(frozen=True)
class ClaimedFigure:
    party: str
    value: int
    claimed_on: date


def disputes(
    figure: Figure, claims: Sequence[ClaimedFigure], tolerance: int
) -> list[tuple[str, str]]:
    """Who disagrees with whom by more than `tolerance`: each party's latest claim against
    every other party's and against the records (for its own side where there are sides)."""
    latest: dict[str, ClaimedFigure] = {}
    for claim in sorted(claims, key=lambda c: c.claimed_on):
        latest[claim.party] = claim
    found: list[tuple[str, str]] = []
    parties = sorted(latest)
    for i, one in enumerate(parties):
        for other in parties[i + 1 :]:
            if abs(latest[one].value - latest[other].value) > tolerance:
                found.append((one, other))
    for party in parties:
        recorded = figure.for_party(party)
        if recorded is not None and abs(latest[party].value - recorded) > tolerance:
            found.append((party, "records"))
    return found


def commitment_status(
    target: Target,
    figure: Figure,
    deadline: date | None,
    as_of: date,
    claims: Sequence[ClaimedFigure] = (),
    tolerance: int = 0,
) -> CommitmentStatus:
    """Disputed first (the figures cannot be trusted to say more), then met, overdue, on track.

    A ceiling alone (`at_most`) can only be kept until the deadline: it is met once the
    deadline has passed without going over, and overdue once it has been gone over.
    """
    if figure.value is None:
        return CommitmentStatus.NOT_AVAILABLE
    if disputes(figure, claims, tolerance):
        return CommitmentStatus.DISPUTED
    passed = deadline is not None and as_of > deadline
    if target.kind is TargetKind.AT_MOST:
        if not target.satisfied(figure.value):
            return CommitmentStatus.OVERDUE
        return CommitmentStatus.MET if passed else CommitmentStatus.ON_TRACK
    if target.satisfied(figure.value):
        return CommitmentStatus.MET
    return CommitmentStatus.OVERDUE if passed else CommitmentStatus.ON_TRACK


AT_RISK_WITHIN_DAYS = 14
"""A commitment still short of its target this close to its deadline needs attention now."""


def at_risk(
    status: CommitmentStatus,
    deadline: date | None,
    as_of: date,
    within_days: int = AT_RISK_WITHIN_DAYS,
) -> bool:
    """Overdue, disputed, or on track but with its deadline at most `within_days` away."""
    if status in (CommitmentStatus.OVERDUE, CommitmentStatus.DISPUTED):
        return True
    return (
        status is CommitmentStatus.ON_TRACK
        and deadline is not None
        and (deadline - as_of).days <= within_days
    )
