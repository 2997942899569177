"""What the use cases show the outside world, as Pydantic models.

One shape for the API's JSON, the CLI's `--json` and the console's templates, so the three
doors never disagree about what a person looks like.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel

from parley.domain.accounts.accounts import Actor
from parley.domain.accounts.need_to_know import CONTACTS, MEDICAL, MEDICAL_EVENT
from parley.domain.registry.events import Event
from parley.domain.registry.persons import PersonSummary
from parley.services.accounts import redact
from parley.services.registry.imports import ImportOutcome
from parley.services.registry.persons import PersonRecord
from parley.services.registry.pfif import PfifImportOutcome


class NameView(BaseModel):
    surname: str
    given: str
    patronymic: str
    full: str
    script: str
    language: str
    scheme: str | None
    primary: bool


class IdentifierView(BaseModel):
    kind: str
    value: str


class RelativeView(BaseModel):
    name: str
    """Shown to every registry reader: a father's or wife's name helps tell namesakes apart."""
    relationship: str
    contact: Annotated[str, CONTACTS]


class EventView(BaseModel):
    id: int
    type: str
    effective_date: date
    source: str
    note: Annotated[str, MEDICAL_EVENT]
    retracts: int | None
    retracted: bool
    details: Annotated[dict[str, Any], MEDICAL_EVENT]
    recorded_by: str
    recorded_at: datetime | None

    @classmethod
    def of(cls, event: Event, retracted: bool, actor: Actor) -> EventView:
        """The event as `actor` may see it: a medical event's note and details need
        `registry.read_medical`."""
        assert event.id is not None
        view = cls(
            id=event.id,
            type=event.type.value,
            effective_date=event.effective_date,
            source=event.source.value,
            note=event.note,
            retracts=event.retracts,
            retracted=retracted,
            details=event.details,
            recorded_by=event.recorded_by,
            recorded_at=event.recorded_at,
        )
        return redact(view, actor)


class PersonSummaryView(BaseModel):
    id: int
    uid: str
    name: str
    side: str
    category: str
    sex: str
    birth_date: str | None
    status: str
    status_since: date | None
    unit: str
    incident_date: date | None
    record_id: str

    @classmethod
    def of(cls, p: PersonSummary) -> PersonSummaryView:
        return cls(
            id=p.id,
            uid=p.uid,
            name=p.name,
            side=p.side,
            category=p.category.value,
            sex=p.sex.value,
            birth_date=str(p.birth_date) if p.birth_date else None,
            status=p.status,
            status_since=p.status_since,
            unit=p.unit,
            incident_date=p.incident_date,
            record_id=p.record_id,
        )


class PersonView(BaseModel):
    id: int
    uid: str
    side: str
    category: str
    sex: str
    birth_date: str | None
    birth_precision: str | None
    status: str
    status_since: date | None
    names: list[NameView]
    identifiers: list[IdentifierView]
    record_id: str
    unit: str
    rank: str
    incident_place: str
    incident_date: date | None
    relatives: list[RelativeView]
    health: Annotated[str, MEDICAL]
    created_at: datetime | None
    created_by: str
    events: list[EventView]

    @classmethod
    def of(cls, record: PersonRecord, actor: Actor) -> PersonView:
        """The record as `actor` may see it: health and contacts need their own permission."""
        p = record.person
        retracted = record.history.retracted_ids
        view = cls(
            id=record.id,
            uid=p.uid,
            side=p.side,
            category=p.category.value,
            sex=p.sex.value,
            birth_date=str(p.birth_date) if p.birth_date else None,
            birth_precision=p.birth_date.precision if p.birth_date else None,
            status=record.status.value,
            status_since=record.status_since,
            names=[
                NameView(
                    surname=n.surname,
                    given=n.given,
                    patronymic=n.patronymic,
                    full=n.full,
                    script=n.script.value,
                    language=n.language,
                    scheme=n.scheme,
                    primary=n.primary,
                )
                for n in p.names
            ],
            identifiers=[IdentifierView(kind=i.kind.value, value=i.value) for i in p.identifiers],
            record_id=p.record_id,
            unit=p.unit,
            rank=p.rank,
            incident_place=p.incident_place,
            incident_date=p.incident_date,
            relatives=[
                RelativeView(name=r.name, relationship=r.relationship, contact=r.contact)
                for r in p.relatives
            ],
            health=p.health,
            created_at=p.created_at,
            created_by=p.created_by,
            events=[EventView.of(e, e.id in retracted, actor) for e in record.history.events],
        )
        return redact(view, actor)


class PersonsImportView(BaseModel):
    """A persons file taken in, or found already taken in: what `POST /imports/persons` returns."""

    file: str
    sha256: str
    rows: int
    already_imported: bool
    import_id: int | None
    message: str

    @classmethod
    def of(cls, outcome: ImportOutcome) -> PersonsImportView:
        record = outcome.record or outcome.already_imported
        return cls(
            file=outcome.file,
            sha256=outcome.sha256,
            rows=outcome.rows,
            already_imported=outcome.already_imported is not None,
            import_id=record.id if record else None,
            message=outcome.message,
        )


class Figure(BaseModel):
    status: str
    count: int | None
    shown: str


class SearchHitView(BaseModel):
    score: float
    reasons: list[str]
    person: PersonSummaryView


class AlreadyPresentView(BaseModel):
    row: int
    record_id: str
    person_id: int


class PfifImportView(BaseModel):
    """What a PFIF import did: what `POST /persons.pfif` returns and `--json` prints."""

    file: str
    sha256: str
    records: int
    imported: list[int]
    already_present: list[AlreadyPresentView]
    import_id: int | None
    message: str

    @classmethod
    def of(cls, outcome: PfifImportOutcome) -> PfifImportView:
        return cls(
            file=outcome.file,
            sha256=outcome.sha256,
            records=outcome.records,
            imported=list(outcome.imported),
            already_present=[
                AlreadyPresentView(row=p.row, record_id=p.record_id, person_id=p.person_id)
                for p in outcome.already_present
            ],
            import_id=outcome.import_id,
            message=outcome.message,
        )
