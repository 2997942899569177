"""What the exchange rules need to know about registry persons, read from the registry.

Category rules, manifest checks and stage planning (all in `domain/`) work on `PersonFacts`;
this module assembles them from a person's identity, the events in force on a day (capture,
consent, legal hold, art. 112 certification, status) and the medical commissions' decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from parley.domain.errors import PersonNotFound
from parley.domain.exchange.categories import Consent, HoldKind, LegalHold, PersonFacts
from parley.domain.exchange.commissions import (
    AnnexCategory,
    Commission,
    Condition,
    Decision,
    Examination,
    MedicalStanding,
    Member,
    MemberRole,
    Specialty,
    latest_standing,
)
from parley.domain.registry.events import Event, EventType, History
from parley.domain.registry.persons import Person
from parley.services.exchange.rows import (
    CommissionRow,
    ConditionData,
    ExaminationRow,
    MemberData,
)
from parley.services.uow import UnitOfWork

CAPTURE_EVENTS = (EventType.CAPTURE_CONFIRMED, EventType.DETAINED, EventType.SEEN_IN_DETENTION)


def commission_of(row: CommissionRow) -> Commission:
    """A stored commission, checked again against Annex II as it is rebuilt."""
    return Commission(
        row.name,
        tuple(member_of(m) for m in row.members),
        tuple(member_of(m) for m in row.deputies),
    )


def member_of(data: MemberData) -> Member:
    return Member(
        str(data["name"]),
        str(data["party"]),
        MemberRole(str(data["role"])),
        bool(data.get("chair", False)),
        Specialty(str(data.get("specialty", ""))),
    )


def member_json(member: Member) -> MemberData:
    return {
        "name": member.name,
        "party": member.party,
        "role": member.role.value,
        "chair": member.chair,
        "specialty": member.specialty.value,
    }


def condition_of(data: ConditionData | None) -> Condition | None:
    if not data:
        return None
    return Condition(
        AnnexCategory(str(data["category"])),
        str(data["item"]),
        bool(data.get("unquestionable", False)),
        bool(data.get("predates_war_not_worsened", False)),
    )


def condition_json(condition: Condition | None) -> ConditionData | None:
    if condition is None:
        return None
    return {
        "category": condition.category.value,
        "item": condition.item,
        "unquestionable": condition.unquestionable,
        "predates_war_not_worsened": condition.predates_war_not_worsened,
    }


def examination_of(row: ExaminationRow, commission: Commission) -> Examination:
    return Examination(
        person_key=str(row.person_id),
        commission=commission,
        visited_on=row.visited_on,
        findings=row.findings,
        condition=condition_of(row.condition),
        votes={name: Decision(vote) for name, vote in row.votes.items()},
        notified_on=row.notified_on,
        carried_out_on=row.carried_out_on,
    )


def examinations_by_person(
    uow: UnitOfWork, person_ids: Sequence[int]
) -> dict[int, list[Examination]]:
    """Inside the caller's transaction."""
    commissions = {c.id: commission_of(c) for c in uow.exchange.commissions()}
    found: dict[int, list[Examination]] = {}
    for row in uow.exchange.examinations_of(person_ids):
        found.setdefault(row.person_id, []).append(
            examination_of(row, commissions[row.commission_id])
        )
    return found


def facts_of(
    person: Person,
    events: Iterable[Event],
    examinations: Sequence[Examination],
    on: date,
    key: str | None = None,
) -> PersonFacts:
    """One person as the rules see them on a day: later events and visits do not count yet."""
    history = History.of(e for e in events if e.effective_date <= on)
    in_force = history.in_force()
    captured = [e.effective_date for e in in_force if e.type in CAPTURE_EVENTS]
    consent, consent_on = Consent.UNKNOWN, None
    hold: LegalHold | None = None
    certified: Event | None = None
    for event in in_force:
        if event.type is EventType.CONSENT_GIVEN:
            consent, consent_on = Consent.GIVEN, event.effective_date
        elif event.type is EventType.CONSENT_REFUSED:
            consent, consent_on = Consent.REFUSED, event.effective_date
        elif event.type is EventType.LEGAL_HOLD:
            kind = str(event.details.get("kind", HoldKind.UNDER_PROSECUTION.value))
            hold = LegalHold(event.note or "legal hold", event.effective_date, HoldKind(kind))
        elif event.type is EventType.HOLD_LIFTED:
            hold = None
        elif event.type is EventType.MANIFEST_CERTIFIED:
            certified = event
    seen = [e for e in examinations if e.visited_on <= on]
    standing = latest_standing(seen)
    if certified is not None:
        condition = condition_of(certified.details.get("condition"))
        base = standing or MedicalStanding()
        standing = MedicalStanding(
            base.decision,
            base.decided_on,
            True,
            certified.effective_date,
            base.condition if base.condition is not None else condition,
        )
    name = next(n for n in person.names if n.primary)
    attributes = {"unit": person.unit, "rank": person.rank}
    return PersonFacts(
        key=key or person.uid,
        person_id=person.id,
        name=name.full,
        side=person.side,
        category=person.category,
        sex=person.sex,
        birth_date=person.birth_date,
        captured_on=min(captured) if captured else None,
        status=history.status(),
        medical=standing,
        consent=consent,
        legal_hold=hold,
        rank=person.rank,
        attributes={k: v for k, v in attributes.items() if v},
        consent_recorded_on=consent_on,
    )


def registry_facts(uow: UnitOfWork, person_ids: Sequence[int], on: date) -> dict[int, PersonFacts]:
    """Facts for many registry persons on a day (inside the caller's transaction)."""
    exams = examinations_by_person(uow, person_ids)
    persons = uow.persons.get_many(person_ids)
    events = uow.events.for_persons(person_ids)
    missing = [pid for pid in person_ids if pid not in persons]
    if missing:
        raise PersonNotFound(f"no person with id {missing[0]}")
    return {
        pid: facts_of(persons[pid], events.get(pid, []), exams.get(pid, []), on)
        for pid in person_ids
    }
