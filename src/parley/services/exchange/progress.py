"""All for all: every stage's record counted against the pools, per category."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.exchange.categories import STANDARD_CATEGORIES, CategoryRule, PersonFacts
from parley.domain.exchange.handover import Manifest, StageOutcome
from parley.domain.exchange.stages import (
    AsRecorded,
    PlannedPerson,
    StagePlan,
    StageRecord,
    StageRequest,
    agreed_categories,
)
from parley.domain.exchange.stages import progress as all_for_all
from parley.domain.lists import check_party
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory, PersonQuery
from parley.services.accounts import log
from parley.services.cache import VersionedCache
from parley.services.exchange.facts import registry_facts
from parley.services.exchange.planning import _summaries
from parley.services.exchange.rows import OutcomeRow, StageRow
from parley.services.exchange.stages import _latest_outcomes, _manifest_lines, _parity
from parley.services.exchange.views import ProgressLine, ProgressReport
from parley.services.uow import UnitOfWork


def progress(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    on: date,
    categories: Sequence[str] | None = None,
    known: Mapping[str, CategoryRule] | None = None,
) -> ProgressReport:
    """ "All for all" on day `on`, per category and side: eligible, planned, returned, remaining.

    The pools are everyone in custody now (persons we hold, our people held by the other side);
    persons already exchanged are counted through the stages that moved them. Categories are
    those given, else those the stages used (in order of first use), else all known ones.
    """
    actor.require(Permission.STATISTICS_READ)
    party = check_party(party)
    key = (party, on, tuple(categories or ()), tuple(sorted((known or {}).items(), key=str)))
    with uow:
        report = _reports.kept(uow, repr(key), lambda u: _compute(u, party, on, categories, known))
        log(
            uow,
            actor,
            "stage.progress",
            on=on.isoformat(),
            categories=report.categories,
            stages=report.stages,
        )
        uow.commit()
    return report


_reports: VersionedCache[ProgressReport] = VersionedCache(32)
"""All for all reads every stage and person in custody (about a second on a full instance):
kept until a write changes the records, and computed again in the background after it."""


def _compute(
    uow: UnitOfWork,
    party: str,
    on: date,
    categories: Sequence[str] | None,
    known: Mapping[str, CategoryRule] | None,
) -> ProgressReport:
    """Inside the caller's transaction; reads only (a recipe the warmer runs again)."""
    table = dict(known if known is not None else STANDARD_CATEGORIES)
    stored = [s for s in uow.exchange.stages() if s.stage_on <= on]
    used = list(dict.fromkeys(c for s in stored for c in s.plan.get("categories", s.categories)))
    for name in used:
        table.setdefault(name, AsRecorded(name))
    rules = agreed_categories(categories or used or list(table), table)
    held = _summaries(uow, PersonQuery(status=Status.HELD))
    ours = _summaries(uow, PersonQuery(status=Status.IN_CAPTIVITY, side=party))
    pools: dict[str, list[int]] = {party: [s.id for s in ours]}
    for summary in held:
        if summary.side != party:
            pools.setdefault(summary.side, []).append(summary.id)
    facts = registry_facts(uow, [i for ids in pools.values() for i in ids], on)
    outcomes: dict[int, list[OutcomeRow]] = {}
    for row in uow.exchange.outcomes():
        outcomes.setdefault(row.stage_id, []).append(row)
    records = [_record(s, rules, outcomes.get(s.id, [])) for s in stored]
    rows = all_for_all(
        {side: [facts[i] for i in ids] for side, ids in pools.items()}, records, rules, on
    )
    return ProgressReport(
        on=on,
        categories=list(rules),
        sides=list(dict.fromkeys(r.side for r in rows)),
        stages=len(stored),
        rows=[
            ProgressLine(
                category=r.category,
                side=r.side,
                eligible=r.eligible,
                planned=r.planned,
                returned=r.returned,
                remaining=r.remaining,
            )
            for r in rows
        ],
    )


def _record(
    stage: StageRow, rules: Mapping[str, CategoryRule], outcomes: Sequence[OutcomeRow]
) -> StageRecord:
    """A stored stage as the domain's record: planned only, or executed with who went."""
    lines = _manifest_lines(stage)
    named = list(dict.fromkeys(line.category for _m, line in lines)) or list(rules)
    request = StageRequest(
        on=stage.stage_on,
        categories={c: rules.get(c) or AsRecorded(c) for c in named},
        capacity=max(stage.capacity, len(lines)),
        parity=_parity(stage.parity),
        release_side=stage.release_side,
        return_side=stage.return_side,
    )

    def planned(manifest: Manifest) -> list[PlannedPerson]:
        return [
            PlannedPerson(
                PersonFacts(
                    key=line.key,
                    person_id=line.person_id,
                    name=line.name,
                    side=line.side,
                    category=PersonCategory(line.person_category),
                ),
                line.category,
                tuple(line.reasons),
            )
            for m, line in lines
            if m is manifest
        ]

    plan_ = StagePlan(request, planned(Manifest.RELEASE), planned(Manifest.EXPECT), [], {})
    if not outcomes:
        return StageRecord(plan_)
    keys = {line.person_id: line.key for _m, line in lines}
    latest = _latest_outcomes(outcomes)
    return StageRecord.executed(
        plan_,
        (
            keys[pid]
            for pid, row in latest.items()
            if row.outcome == StageOutcome.TRANSFERRED.value and pid in keys
        ),
    )
