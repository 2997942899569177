"""Commitments: a target bound to a metric Parley computes from the tracks' own records.

Fulfilment is never stored: it is computed, as of any day, from the stages' recorded outcomes
and the registry's events (through `metrics_sources`, the one door to the other tracks). What
each party says it delivered is kept beside the computed figure, with the gap.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.agreements import (
    AT_RISK_WITHIN_DAYS,
    ClaimedFigure,
    CommitmentStatus,
    Figure,
    Metric,
    MetricKind,
    Target,
    at_risk,
    commitment_status,
    disputes,
    figure_of,
    parse_choice,
)
from parley.domain.errors import CommitmentNotFound, InvalidInput
from parley.domain.lists import check_party
from parley.domain.registry.events import Status
from parley.services.accounts import log
from parley.services.agreements import metrics_sources as sources
from parley.services.agreements.records import require_round
from parley.services.agreements.rows import (
    Agreements,
    CommitmentClaimRow,
    CommitmentRow,
    MetricRow,
)
from parley.services.agreements.views import (
    ClaimView,
    CommitmentView,
    FigurePoint,
    MetricView,
    TargetView,
)
from parley.services.cache import VersionedCache
from parley.services.uow import UnitOfWork


def metric_of(row: MetricRow) -> Metric:
    return Metric(
        kind=parse_choice(MetricKind, row.kind, "metric"),
        since=row.since,
        categories=tuple(row.categories),
        side=row.side,
        status=row.status,
        until=row.until,
    )


def target_of(row: CommitmentRow) -> Target:
    return Target.parse(row.target_kind, row.target_low, row.target_high)


class Measure:
    """Reads the other tracks once, then computes any metric on any day."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._exchange: sources.ExchangeRecords | None = None
        self._registry: sources.RegistryRecords | None = None

    @property
    def exchange(self) -> sources.ExchangeRecords:
        if self._exchange is None:
            self._exchange = sources.ExchangeRecords.read(self.uow)
        return self._exchange

    @property
    def registry(self) -> sources.RegistryRecords:
        if self._registry is None:
            self._registry = sources.RegistryRecords.read(self.uow)
        return self._registry

    def figure(self, metric: Metric, as_of: date) -> Figure:
        if metric.until is not None:
            as_of = min(as_of, metric.until)
        if metric.since is not None and as_of < metric.since:
            return figure_of(metric, {}, 0) if metric.available else Figure(None)
        match metric.kind:
            case MetricKind.PERSONS_RETURNED:
                sides = self.exchange.persons_returned(metric.since, as_of, metric.categories)
                return figure_of(metric, sides, None)
            case MetricKind.STAGES_HELD:
                return figure_of(metric, None, self.exchange.stages_held(metric.since, as_of))
            case MetricKind.REGISTRY_COUNT:
                counts = self.registry.count(
                    metric.status or "", metric.categories, metric.side, as_of
                )
                return figure_of(metric, counts, None)
            case MetricKind.BODIES_RECEIVED:
                return figure_of(
                    metric,
                    None,
                    sources.bodies_received(self.uow, metric.side, metric.since, as_of),
                )
            case MetricKind.CHILDREN_ANSWERS:
                value = sources.children_answers(self.uow, metric.since, as_of)
                return figure_of(metric, None, value)
        return Figure(None)  # pragma: no cover

    def stage_claims(self, metric: Metric, as_of: date) -> list[sources.StageClaimSum]:
        if metric.kind is not MetricKind.PERSONS_RETURNED:
            return []
        return self.exchange.stage_claims(metric.since, as_of, metric.categories, metric.until)

    def days(self, metric: Metric, start: date, as_of: date) -> list[date]:
        """The days the figure can change on, for the chart: each stage day in the window."""
        found = {start, as_of}
        if metric.kind in (MetricKind.PERSONS_RETURNED, MetricKind.STAGES_HELD):
            found |= {t.on for t in self.exchange.transfers if start <= t.on <= as_of}
        return sorted(found)


def record_commitment(uow: UnitOfWork, actor: Actor, draft: CommitmentRow) -> CommitmentView:
    """A promise made at a round, bound to a metric Parley computes (never a typed-in figure)."""
    actor.require(Permission.AGREEMENTS_RECORD)
    metric = metric_of(draft.metric)
    if metric.kind is MetricKind.REGISTRY_COUNT:
        parse_choice(Status, metric.status or "", "status")
    if metric.side not in (None, "each"):
        metric = replace(metric, side=check_party(metric.side))
    target = target_of(draft)
    if draft.tolerance < 0:
        raise InvalidInput("a tolerance cannot be negative", "tolerance")
    if not draft.text.strip() or not draft.label.strip():
        raise InvalidInput("a commitment has a label and its text", "text")
    clean = replace(
        draft,
        parties=tuple(check_party(p) for p in draft.parties),
        metric=MetricRow(
            metric.kind.value,
            metric.since,
            metric.categories,
            metric.side,
            metric.status,
            metric.until,
        ),
        target_kind=target.kind.value,
        target_low=target.low,
        target_high=target.high,
        label=draft.label.strip(),
        text=draft.text.strip(),
        source=draft.source.strip(),
    )
    with uow:
        if draft.round_number is not None:
            require_round(uow.agreements.everything(), draft.round_number)
        stored = uow.agreements.add_commitment(clean, actor.label)
        log(uow, actor, "agreement.commitment", "commitment", [stored.id], metric=metric.kind.value)
        uow.commit()
        return evaluate(uow.agreements.everything(), stored, Measure(uow), today())


def record_claim(uow: UnitOfWork, actor: Actor, draft: CommitmentClaimRow) -> CommitmentView:
    """What a party says it delivered on a commitment, said when and where."""
    actor.require(Permission.AGREEMENTS_RECORD)
    if draft.value < 0:
        raise InvalidInput("a claimed figure cannot be negative", "value")
    if not draft.source.strip():
        raise InvalidInput("a claim says where it was made (source)", "source")
    clean = replace(draft, party=check_party(draft.party), source=draft.source.strip())
    with uow:
        everything = uow.agreements.everything()
        commitment = _require(everything, draft.commitment_id)
        stored = uow.agreements.add_claim(clean, actor.label)
        log(
            uow,
            actor,
            "agreement.claim",
            "commitment",
            [commitment.id],
            party=clean.party,
            value=clean.value,
            claim_id=stored.id,
        )
        uow.commit()
        return evaluate(
            uow.agreements.everything(),
            commitment,
            Measure(uow),
            max(today(), draft.claimed_on),
        )


def today() -> date:
    """The default "as of": today in UTC, as every date Parley stores."""
    return datetime.now(UTC).date()


def _require(everything: Agreements, commitment_id: int) -> CommitmentRow:
    for row in everything.commitments:
        if row.id == commitment_id:
            return row
    raise CommitmentNotFound(f"commitment {commitment_id} is not recorded")


def evaluate(
    everything: Agreements,
    row: CommitmentRow,
    measure: Measure,
    as_of: date,
    series: bool = True,
) -> CommitmentView:
    """The commitment as of a day: computed figure, claims beside it with the gap, status."""
    metric = metric_of(row.metric)
    target = target_of(row)
    figure = measure.figure(metric, as_of)
    claims: list[ClaimView] = []
    compared: list[ClaimedFigure] = []
    for claim in everything.claims:
        if claim.commitment_id != row.id or claim.claimed_on > as_of:
            continue
        recorded = figure.for_party(claim.party)
        claims.append(
            ClaimView(
                id=claim.id,
                party=claim.party,
                value=claim.value,
                claimed_on=claim.claimed_on,
                source=claim.source,
                origin="commitment",
                recorded=recorded,
                gap=None if recorded is None else claim.value - recorded,
                signed_by=claim.signed_by,
            )
        )
        compared.append(ClaimedFigure(claim.party, claim.value, claim.claimed_on))
    own_claims = {c.party for c in compared}
    for summed in measure.stage_claims(metric, as_of):
        recorded = figure.for_party(summed.party)
        claims.append(
            ClaimView(
                id=None,
                party=summed.party,
                value=summed.value,
                claimed_on=summed.claimed_on,
                source=f"{summed.stages} stage claim(s): " + "; ".join(summed.sources),
                origin="stage_claims",
                recorded=recorded,
                gap=None if recorded is None else summed.value - recorded,
            )
        )
        if summed.party not in own_claims:  # a claim on the commitment itself speaks last
            compared.append(ClaimedFigure(summed.party, summed.value, summed.claimed_on))
    start = metric.since or (
        min(t.on for t in measure.exchange.transfers)
        if series and metric.available and measure.exchange.transfers
        else as_of
    )
    points: list[FigurePoint] = []
    if series and metric.available:
        for day in measure.days(metric, min(start, as_of), as_of):
            shown = measure.figure(metric, day)
            points.append(FigurePoint(on=day, value=shown.value or 0, by_side=dict(shown.by_side)))
    return CommitmentView(
        id=row.id,
        round_number=row.round_number,
        label=row.label,
        text=row.text,
        parties=list(row.parties),
        metric=MetricView(
            kind=metric.kind.value,
            since=metric.since,
            categories=list(metric.categories),
            side=metric.side,
            status=metric.status,
            description=metric.describe(),
            available=metric.available,
        ),
        target=TargetView(
            kind=target.kind.value, low=target.low, high=target.high, description=target.describe()
        ),
        deadline=row.deadline,
        tolerance=row.tolerance,
        source=row.source,
        as_of=as_of,
        value=figure.value,
        by_side=dict(figure.by_side),
        status=commitment_status(
            target, figure, row.deadline, as_of, compared, row.tolerance
        ).value,
        over_ceiling=figure.value is not None and target.over_ceiling(figure.value),
        claims=claims,
        disputes=[f"{a} / {b}" for a, b in disputes(figure, compared, row.tolerance)],
        series=points,
    )


def list_commitments(
    uow: UnitOfWork, actor: Actor, as_of: date | None = None, round_number: int | None = None
) -> list[CommitmentView]:
    """Every commitment with its figure computed as of the day (today by default)."""
    actor.require(Permission.AGREEMENTS_READ)
    day = as_of or today()
    return [
        c
        for c in evaluated(uow, day, series=True)
        if round_number is None or c.round_number == round_number
    ]


_evaluated: VersionedCache[list[CommitmentView]] = VersionedCache(16)
"""Every commitment's figures read every stage and list (seconds on a full instance): kept
per day until a write changes the records, and computed again in the background after it.
Always with their series, which cost little beside the figures: the dashboard's counts and
the public page then share the commitments page's computation."""


def evaluated(uow: UnitOfWork, day: date, series: bool) -> list[CommitmentView]:
    """Every commitment as of `day`, for use cases that have checked the actor already (or
    show counts only); copies, so a caller may not change what the next one reads. Without
    `series`, the same views with an empty series (`evaluate` differs in nothing else)."""

    def compute(uow: UnitOfWork) -> list[CommitmentView]:
        everything = uow.agreements.everything()
        measure = Measure(uow)
        return [evaluate(everything, r, measure, day) for r in everything.commitments]

    with uow:
        found = _evaluated.kept(uow, day, compute)
    if series:
        return [c.model_copy(deep=True) for c in found]
    return [c.model_copy(update={"series": []}, deep=True) for c in found]


def show_commitment(
    uow: UnitOfWork, actor: Actor, commitment_id: int, as_of: date | None = None
) -> CommitmentView:
    actor.require(Permission.AGREEMENTS_READ)
    for commitment in evaluated(uow, as_of or today(), series=True):
        if commitment.id == commitment_id:
            return commitment
    raise CommitmentNotFound(f"commitment {commitment_id} is not recorded")


def commitments_at_risk(
    uow: UnitOfWork, actor: Actor, as_of: date | None = None, within_days: int = AT_RISK_WITHIN_DAYS
) -> list[CommitmentView]:
    """Commitments overdue, disputed or close to a deadline still unmet, without their series
    (the dashboard needs the figure, not the chart)."""
    actor.require(Permission.AGREEMENTS_READ)
    day = as_of or today()
    found = evaluated(uow, day, series=False)
    return [c for c in found if at_risk(CommitmentStatus(c.status), c.deadline, day, within_days)]
