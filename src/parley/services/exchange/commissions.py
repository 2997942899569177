"""Mixed Medical Commissions and their examinations (GC III arts. 112-113, Annex II).

The domain says what a lawful commission and a valid decision are; this module keeps them:
a commission is stored once under a unique name, an examination records each member's vote
and the majority decision, and two later steps — the decision notified, the repatriation
carried out — are appended as they happen, never edited. Deadlines and lateness are derived
from those dates on every read, so nothing has to be marked "overdue" by hand.

Carrying out a repatriation here records only the step: the person's status changes when the
exchange stage that hands them over is executed, in one place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import (
    CommissionNotFound,
    DuplicateCommission,
    ExaminationAlreadyRecorded,
    ExaminationNotFound,
    InvalidExamination,
    InvalidInput,
    StepAlreadyRecorded,
)
from parley.domain.exchange.categories import PersonFacts
from parley.domain.exchange.commissions import (
    Commission,
    Decision,
    Examination,
    ExaminationCandidate,
    Member,
    certificate_text,
    examination_order,
    overdue,
)
from parley.domain.exchange.examinations import (
    STILL_HELD,
    ExaminationDraft,
    Step,
    moot,
    next_step,
    proposer_or_other,
)
from parley.interchange.certificate_pdf import render_certificate
from parley.interchange.certificate_pdf_words import CERTIFICATE_LANGUAGES, CERTIFICATE_WORDS
from parley.services.accounts import log, redact_all
from parley.services.cache import VersionedCache
from parley.services.exchange.facts import (
    commission_of,
    condition_json,
    examination_of,
    member_json,
    registry_facts,
)
from parley.services.exchange.rows import CommissionRow, ExaminationRow
from parley.services.exchange.views import (
    CommissionView,
    ConditionView,
    ExaminationList,
    ExaminationView,
    OverdueView,
    QueueEntryView,
)
from parley.services.registry import today
from parley.services.uow import UnitOfWork


def add_commission(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    members: Sequence[Member],
    deputies: Sequence[Member] = (),
) -> CommissionView:
    """Store a commission Annex II allows; an unlawful one is refused before anything is kept."""
    actor.require(Permission.MEDICAL_RECORD)
    name = name.strip()
    if not name:
        raise InvalidInput("a commission needs a name", "name")
    commission = Commission(name, tuple(members), tuple(deputies))
    with uow:
        if uow.exchange.commission_by_name(name) is not None:
            raise DuplicateCommission(f"a commission named '{name}' already exists")
        row = uow.exchange.add_commission(
            {
                "name": name,
                "members": [member_json(m) for m in commission.members],
                "deputies": [member_json(m) for m in commission.deputies],
                "created_by": actor.label,
            }
        )
        log(
            uow,
            actor,
            "commission.create",
            "commission",
            [row.id],
            name=name,
            members=[m.name for m in commission.members],
            deputies=[m.name for m in commission.deputies],
        )
        uow.commit()
        return CommissionView.of(row, commission)


def list_commissions(uow: UnitOfWork, actor: Actor) -> list[CommissionView]:
    actor.require(Permission.REGISTRY_READ)
    with uow:
        return [CommissionView.of(row, commission_of(row)) for row in uow.exchange.commissions()]


def record_examination(uow: UnitOfWork, actor: Actor, draft: ExaminationDraft) -> ExaminationView:
    """Keep one visit's votes; the domain refuses a repatriation with no qualifying condition."""
    actor.require(Permission.MEDICAL_RECORD)
    if not draft.findings.strip():
        raise InvalidExamination("an examination records the commission's findings", "findings")
    if draft.visited_on > today():
        raise InvalidExamination(
            f"the visit of {draft.visited_on.isoformat()} has not happened yet", "visited_on"
        )
    with uow:
        row = uow.exchange.commission_by_name(draft.commission.strip())
        if row is None:
            raise CommissionNotFound(f"no commission named '{draft.commission}'")
        uow.persons.get(draft.person_id)
        exam = Examination(
            str(draft.person_id),
            commission_of(row),
            draft.visited_on,
            draft.findings.strip(),
            draft.condition,
            dict(draft.votes),
        )
        for earlier in uow.exchange.examinations_of([draft.person_id]):
            if earlier.commission_id == row.id and earlier.visited_on == draft.visited_on:
                raise ExaminationAlreadyRecorded(
                    f"{row.name} already recorded its examination of person {draft.person_id} "
                    f"on {draft.visited_on.isoformat()} (examination {earlier.id})"
                )
        stored = uow.exchange.add_examination(
            {
                "person_id": draft.person_id,
                "commission_id": row.id,
                "visited_on": exam.visited_on,
                "findings": exam.findings,
                "condition": condition_json(exam.condition),
                "votes": {name: vote.value for name, vote in exam.votes.items()},
                "decision": exam.decision.value,
                "proposed_by": draft.proposed_by.value,
                "recorded_by": actor.label,
            }
        )
        log(
            uow,
            actor,
            "examination.create",
            "person",
            [draft.person_id],
            examination=stored.id,
            commission=row.name,
            decision=exam.decision.value,
            proposed_by=draft.proposed_by.value,
        )
        view = _views(uow, [stored], {row.id: row}, today(), actor)[0]
        uow.commit()
        return view


def record_step(
    uow: UnitOfWork, actor: Actor, examination_id: int, step: Step | str, done_on: date
) -> ExaminationView:
    """Append a notification or a carrying out, once each, in an order the domain accepts."""
    actor.require(Permission.MEDICAL_RECORD)
    try:
        step = Step(step)
    except ValueError:
        raise InvalidInput(
            f"a step is {' or '.join(s.value for s in Step)}, not '{step}'", "step"
        ) from None
    if done_on > today():
        raise InvalidExamination(f"{done_on.isoformat()} has not happened yet", "done_on")
    with uow:
        row = _require_examination(uow, examination_id)
        done = row.notified_on if step is Step.NOTIFIED else row.carried_out_on
        if done is not None:
            raise StepAlreadyRecorded(
                f"examination {examination_id} was already {_step_words(step)} on "
                f"{done.isoformat()}; a recorded step is kept as it is"
            )
        commission = uow.exchange.commission(row.commission_id)
        assert commission is not None  # a foreign key guarantees it
        exam = examination_of(row, commission_of(commission))
        # Rebuilt with the new date, the domain checks the order and the decision.
        if step is Step.NOTIFIED:
            dataclasses.replace(exam, notified_on=done_on)
        else:
            dataclasses.replace(exam, carried_out_on=done_on)
        uow.exchange.add_examination_step(examination_id, step.value, done_on, actor.label)
        log(
            uow,
            actor,
            f"examination.{step.value}",
            "person",
            [row.person_id],
            examination=examination_id,
            done_on=done_on.isoformat(),
        )
        updated = _require_examination(uow, examination_id)
        view = _views(uow, [updated], {commission.id: commission}, today(), actor)[0]
        uow.commit()
        return view


def _step_words(step: Step) -> str:
    return "notified" if step is Step.NOTIFIED else "carried out"


def list_examinations(
    uow: UnitOfWork,
    actor: Actor,
    as_of: date | None = None,
    overdue_only: bool = False,
    person_id: int | None = None,
) -> ExaminationList:
    """Every examination as it stood on `as_of` (default today), with its deadlines.

    Visits after that day are left out and steps dated after it count as not done, so a past
    day shows what was late then.
    """
    actor.require(Permission.REGISTRY_READ)
    on = as_of or today()
    with uow:
        rows = (
            uow.exchange.examinations_of([person_id])
            if person_id is not None
            else uow.exchange.examinations()
        )
        rows = [_as_of(r, on) for r in rows if r.visited_on <= on]
        commissions = {c.id: c for c in uow.exchange.commissions()}
        views = _views(uow, rows, commissions, on, actor)
        if overdue_only:
            views = [v for v in views if v.overdue]
        log(
            uow,
            actor,
            "examination.list",
            "person",
            sorted({v.person_id for v in views}),
            as_of=on.isoformat(),
            overdue_only=overdue_only,
            examinations=len(views),
        )
        uow.commit()
    return ExaminationList(as_of=on, items=views, overdue=sum(1 for v in views if v.overdue))


def get_examination(uow: UnitOfWork, actor: Actor, examination_id: int) -> ExaminationView:
    actor.require(Permission.REGISTRY_READ)
    with uow:
        row = _require_examination(uow, examination_id)
        commission = uow.exchange.commission(row.commission_id)
        assert commission is not None
        view = _views(uow, [row], {commission.id: commission}, today(), actor)[0]
        log(uow, actor, "examination.read", "person", [row.person_id], examination=row.id)
        uow.commit()
        return view


def examination_queue(
    uow: UnitOfWork, actor: Actor, as_of: date | None = None
) -> list[QueueEntryView]:
    """Who awaits another visit, in art. 113 order.

    Deliberately modest: the queue holds persons still in captivity whose latest examination
    ended in "re-examine later" (a split vote included), ordered with the proposer, condition
    and capture date of that examination — entitled proposers first, then the gravest, then
    the longest held. Persons never examined are not guessed at: nobody has proposed them here.
    """
    actor.require(Permission.REGISTRY_READ)
    on = as_of or today()
    with uow:
        ordered = _queues.kept(uow, on, lambda u: _queue(u, on))
        queue = redact_all([q.model_copy() for q in ordered], actor)
        log(
            uow,
            actor,
            "examination.queue",
            "person",
            [q.person_id for q in queue],
            as_of=on.isoformat(),
        )
        uow.commit()
    return queue


_queues: VersionedCache[list[QueueEntryView]] = VersionedCache(8)
"""The queue per day, until a write changes the records: it folds every examination and reads
the registry facts of everyone waiting (redacted and logged per request)."""


def _queue(uow: UnitOfWork, on: date) -> list[QueueEntryView]:
    """Inside the caller's transaction: the queue as everyone with full access sees it."""
    latest: dict[int, ExaminationRow] = {}
    for row in uow.exchange.examinations():
        if row.visited_on > on:
            continue
        held = latest.get(row.person_id)
        if held is None or (row.visited_on, row.id) > (held.visited_on, held.id):
            latest[row.person_id] = row
    commissions = {c.id: commission_of(c) for c in uow.exchange.commissions()}
    waiting = {
        pid: row
        for pid, row in latest.items()
        if examination_of(row, commissions[row.commission_id]).decision is Decision.REEXAMINE
    }
    facts = registry_facts(uow, sorted(waiting), on)
    candidates = [
        ExaminationCandidate(
            str(pid),
            proposer_or_other(row.proposed_by),
            examination_of(row, commissions[row.commission_id]).condition,
            facts[pid].captured_on,
        )
        for pid, row in waiting.items()
        if facts[pid].status in STILL_HELD
    ]
    return [
        _queue_entry(position, int(c.person_key), c, waiting, facts)
        for position, c in enumerate(examination_order(candidates), start=1)
    ]


def _queue_entry(
    position: int,
    person_id: int,
    candidate: ExaminationCandidate,
    waiting: Mapping[int, ExaminationRow],
    facts: Mapping[int, PersonFacts],
) -> QueueEntryView:
    row, person = waiting[person_id], facts[person_id]
    return QueueEntryView(
        position=position,
        person_id=person_id,
        person_name=person.name,
        status=person.status.value if person.status else "",
        proposed_by=candidate.proposed_by.value,
        entitled=candidate.proposed_by.entitled,
        condition=ConditionView.of(candidate.condition) if candidate.condition else None,
        captured_on=candidate.captured_on,
        last_examination_id=row.id,
        last_visited_on=row.visited_on,
    )


@dataclass(frozen=True)
class CertificateDocument:
    content: bytes
    filename: str
    media_type: str = "application/pdf"


def certificate(
    uow: UnitOfWork,
    actor: Actor,
    examination_id: int,
    issued_on: date | None = None,
    issued_by: str = "",
    language: str = "en",
) -> CertificateDocument:
    """The PDF a prisoner to be repatriated is given (Annex II); other decisions earn none.

    Issuing is the medical staff's act, so it needs the recording permission, and each copy
    issued is written to the audit log. `language` (en or uk) is the printed frame's.
    """
    actor.require(Permission.MEDICAL_RECORD)
    if language not in CERTIFICATE_LANGUAGES:
        raise InvalidInput(
            f"a certificate prints in {', '.join(CERTIFICATE_LANGUAGES)}, not '{language}'",
            "language",
        )
    with uow:
        row = _require_examination(uow, examination_id)
        commission = uow.exchange.commission(row.commission_id)
        assert commission is not None
        person = uow.persons.get(row.person_id)
        exam = dataclasses.replace(
            examination_of(row, commission_of(commission)), person_key=person.uid
        )
        name = next(n for n in person.names if n.primary).full
        document = certificate_text(exam, name, issued_on or today())
        reference = CERTIFICATE_WORDS[language]["examination"].format(number=examination_id)
        content = render_certificate(
            document, issued_by=issued_by, reference=reference, language=language
        )
        log(
            uow,
            actor,
            "examination.certificate",
            "person",
            [row.person_id],
            examination=examination_id,
            issued_on=document.issued_on.isoformat(),
            language=language,
        )
        uow.commit()
    return CertificateDocument(content, f"certificate-examination-{examination_id}.pdf")


def _require_examination(uow: UnitOfWork, examination_id: int) -> ExaminationRow:
    row = uow.exchange.examination(examination_id)
    if row is None:
        raise ExaminationNotFound(f"examination {examination_id} does not exist")
    return row


def _as_of(row: ExaminationRow, on: date) -> ExaminationRow:
    """The row as it stood on a day: a step dated later had not happened yet."""
    notified = row.notified_on if row.notified_on and row.notified_on <= on else None
    carried = (
        row.carried_out_on if notified and row.carried_out_on and row.carried_out_on <= on else None
    )
    return dataclasses.replace(row, notified_on=notified, carried_out_on=carried)


def _views(
    uow: UnitOfWork,
    rows: Sequence[ExaminationRow],
    commissions: Mapping[int, CommissionRow],
    on: date,
    actor: Actor,
) -> list[ExaminationView]:
    """Rebuild each examination in the domain (checking it again) and add its deadlines,
    findings and condition shown only to whoever may read medical details."""
    summaries = {s.id: s for s in uow.persons.summaries(sorted({r.person_id for r in rows}))}
    built = {c: commission_of(commissions[c]) for c in {r.commission_id for r in rows}}
    views = []
    for row in rows:
        exam = examination_of(row, built[row.commission_id])
        summary = summaries.get(row.person_id)
        proposer = proposer_or_other(row.proposed_by)
        views.append(
            ExaminationView(
                id=row.id,
                person_id=row.person_id,
                person_name=summary.name if summary else "",
                person_status=summary.status if summary else "",
                commission_id=row.commission_id,
                commission=commissions[row.commission_id].name,
                visited_on=row.visited_on,
                findings=row.findings,
                condition=ConditionView.of(exam.condition) if exam.condition else None,
                votes={name: vote.value for name, vote in exam.votes.items()},
                decision=exam.decision.value,
                decision_reason=exam.decision_reason,
                proposed_by=proposer.value,
                entitled=proposer.entitled,
                notify_by=exam.notify_by,
                notified_on=exam.notified_on,
                carry_out_by=exam.carry_out_by,
                carried_out_on=exam.carried_out_on,
                next_step=next_step(exam),
                overdue=[
                    OverdueView(what=o.what.value, due=o.due, days_late=o.days_late)
                    for o in overdue([exam], on)
                    if not moot(o.what, summary.status if summary else "")
                ],
                certificate=exam.decision is Decision.REPATRIATE,
                recorded_at=row.recorded_at,
                recorded_by=row.recorded_by,
            )
        )
    return redact_all(views, actor)
