"""The day of the stage: what happened to each person, and each party's public claims.

An outcome is recorded per person as an outcome *and* as an event in the person's history
(the rules are in `domain/exchange/handover.py`); each party's public figures are kept as
claims beside our records and never merged into them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput, UnknownCategory
from parley.domain.exchange.handover import (
    Manifest,
    StageOutcome,
    event_type,
    outcomes_to_record,
)
from parley.domain.lists import check_party
from parley.domain.registry.events import EventDraft, Source
from parley.services.accounts import log
from parley.services.exchange.rows import NewOutcome
from parley.services.exchange.stages import (
    TOTAL,
    _claim,
    _latest_outcomes,
    _manifest_lines,
    _require_stage,
)
from parley.services.exchange.views import ClaimLine, OutcomesRecorded
from parley.services.registry import AUDIT_CHUNK, append_events
from parley.services.uow import UnitOfWork


def record_outcomes(
    uow: UnitOfWork,
    actor: Actor,
    stage_id: int,
    outcomes: Mapping[int, tuple[StageOutcome | str, str]],
    on: date | None = None,
    *,
    everyone_else: StageOutcome | str | None = None,
) -> OutcomesRecorded:
    """Record what happened to each person at the handover, and append it to their history.

    `outcomes` maps a person id to (outcome, note); `everyone_else` gives one outcome to every
    person on the manifests not named there and not recorded before (the usual "all went,
    except…"). Each outcome is recorded once: the events it appends pass the same history rules
    as any other event (no date in the future, nothing after a recorded death), and one refusal
    rolls the whole call back: outcomes and events are written in one transaction.
    """
    actor.require(Permission.EXCHANGE_PLAN)
    with uow:
        stage = _require_stage(uow, stage_id)
        day = on or stage.stage_on
        lines = {line.person_id: (m, line) for m, line in _manifest_lines(stage)}
        done = set(_latest_outcomes(uow.exchange.outcomes(stage_id)))
        wanted = outcomes_to_record(
            stage_id,
            {p: m for p, (m, _line) in lines.items()},
            done,
            outcomes,
            everyone_else,
        )
        rows: list[NewOutcome] = []
        drafts: list[tuple[int, EventDraft]] = []
        for person_id in sorted(wanted):
            outcome, text = wanted[person_id]
            manifest, _line = lines[person_id]
            drafts.append(
                (
                    person_id,
                    EventDraft(
                        event_type(manifest, outcome),
                        day,
                        Source.OWN_INFORMATION,
                        text or f"stage {stage_id} '{stage.name}': {outcome.value}",
                        {
                            "stage_id": stage_id,
                            "manifest": manifest.value,
                            "outcome": outcome.value,
                        },
                    ),
                )
            )
            rows.append(
                {
                    "stage_id": stage_id,
                    "person_id": person_id,
                    "manifest": manifest.value,
                    "outcome": outcome.value,
                    "note": text,
                    "recorded_by": actor.label,
                }
            )
        append_events(uow, actor, drafts)
        uow.exchange.add_outcomes(rows)
        carried = _carry_out_decisions(
            uow,
            actor,
            [
                p
                for p in wanted
                if lines[p][0] is Manifest.RELEASE and wanted[p][0] is StageOutcome.TRANSFERRED
            ],
            day,
        )
        counts = dict(Counter(str(r["outcome"]) for r in rows))
        kinds = sorted({event_type(lines[p][0], wanted[p][0]).value for p in wanted})
        ids = sorted(wanted)
        for start in range(0, len(ids), AUDIT_CHUNK):  # as the registry logs its events
            log(
                uow,
                actor,
                "event.create",
                "person",
                ids[start : start + AUDIT_CHUNK],
                types=kinds,
                stage=stage_id,
            )
        log(
            uow,
            actor,
            "stage.outcomes",
            "stage",
            [stage_id],
            on=day.isoformat(),
            persons=len(wanted),
            commission_decisions_carried_out=carried,
            **counts,
        )
        uow.commit()
        return OutcomesRecorded(stage_id=stage_id, recorded=len(rows), counts=counts)


def _carry_out_decisions(
    uow: UnitOfWork, actor: Actor, person_ids: Sequence[int], day: date
) -> int:
    """A person we hand over carries out the commission's decision to repatriate them: record
    it (and, if it was never notified, that the handover notified it), or the commission's page
    would show overdue a repatriation that has happened."""
    carried = 0
    for exam in uow.exchange.examinations_of(person_ids):
        if exam.decision != "repatriate" or exam.carried_out_on is not None:
            continue
        if exam.visited_on > day:
            continue
        if exam.notified_on is None or exam.notified_on > day:
            if exam.notified_on is None:
                uow.exchange.add_examination_step(exam.id, "notified", day, actor.label)
            else:
                continue  # notified after the handover: the record says so, leave it
        uow.exchange.add_examination_step(exam.id, "carried_out", day, actor.label)
        carried += 1
    return carried


def record_claim(
    uow: UnitOfWork,
    actor: Actor,
    stage_id: int,
    party: str,
    category: str,
    count: int,
    claimed_on: date | None,
    source: str,
) -> ClaimLine:
    """What a party said publicly about a stage: how many of *its own* people came home.

    Kept beside our records and never merged with them; `reconcile_stage` shows the difference.
    `category` is one of the stage's categories or `total`; `claimed_on` defaults to the stage
    date.
    """
    actor.require(Permission.EXCHANGE_PLAN)
    who = check_party(party)
    if count < 0:
        raise InvalidInput(f"a claimed count cannot be negative ({count})", "count")
    if not source.strip():
        raise InvalidInput("a claim says where it was made (source)", "source")
    with uow:
        stage = _require_stage(uow, stage_id)
        allowed = [TOTAL, *stage.plan.get("categories", stage.categories)]
        if category not in allowed:
            raise UnknownCategory(
                f"stage {stage_id} has no category '{category}'; use one of {', '.join(allowed)}",
                "category",
            )
        uow.exchange.add_claim(
            {
                "stage_id": stage_id,
                "party": who,
                "category": category,
                "count": count,
                "claimed_on": claimed_on or stage.stage_on,
                "source": source.strip(),
                "recorded_by": actor.label,
            }
        )
        claim = uow.exchange.claims(stage_id)[-1]
        log(
            uow,
            actor,
            "stage.claim",
            "stage",
            [stage_id],
            party=who,
            category=category,
            count=count,
            claimed_on=(claimed_on or stage.stage_on).isoformat(),
        )
        uow.commit()
        return _claim(claim)
