"""/api/v1/persons: the registry."""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Permission
from parley.domain.dates import PartialDate
from parley.domain.paging import MAX_LIMIT, PageRequest
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    PersonQuery,
    Relative,
    Script,
    Sex,
)
from parley.services import registry
from parley.services.accounts.views import PageView
from parley.services.registry import pfif
from parley.services.registry.views import (
    EventView,
    PersonSummaryView,
    PersonView,
    SearchHitView,
)
from parley.web.deps import ActorDep, InstanceDep, UowDep
from parley.web.files import read_upload
from parley.web.uploads import upload_needs

router = APIRouter(prefix="/persons", tags=["registry"])


class NameIn(BaseModel):
    surname: str
    given: str
    patronymic: str = ""
    script: Script = Script.CYRILLIC
    language: str = "uk"
    scheme: str | None = None
    primary: bool = False


class IdentifierIn(BaseModel):
    kind: IdentifierKind
    value: str


class RelativeIn(BaseModel):
    name: str
    relationship: str
    contact: str = ""


class FirstEventIn(BaseModel):
    type: EventType
    effective_date: date
    source: Source = Source.OWN_INFORMATION
    note: str = ""


class PersonIn(BaseModel):
    names: list[NameIn] = Field(min_length=1)
    sex: Sex = Sex.UNKNOWN
    category: PersonCategory = PersonCategory.MILITARY
    side: str | None = Field(None, description="Party code; defaults to this instance's party.")
    birth_date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    identifiers: list[IdentifierIn] = []
    unit: str = ""
    rank: str = ""
    incident_place: str = ""
    incident_date: date | None = None
    relatives: list[RelativeIn] = []
    health: str = ""
    notes: str = ""
    record_id: str = Field("", description="Our own record's id (a case number); unique.")
    events: list[FirstEventIn] = []


class EventIn(BaseModel):
    type: EventType
    effective_date: date
    source: Source
    note: str = ""
    retracts: int | None = Field(None, description="For a retraction: the event it withdraws.")


@router.get("", response_model=PageView[PersonSummaryView])
def list_persons(
    actor: ActorDep,
    uow: UowDep,
    q: Annotated[str, Query(description="Name parts or an identifier.")] = "",
    status: str | None = None,
    category: PersonCategory | None = None,
    side: str | None = None,
    born_from: date | None = None,
    born_to: date | None = None,
    incident_from: date | None = None,
    incident_to: date | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> PageView[PersonSummaryView]:
    """With `q`, a ranked search in any script and spelling (a 4-digit number is a birth year;
    a person an identifier or our record id in it names comes first), narrowed by the other
    filters; without it, the registry in name order."""
    query = PersonQuery(
        "",
        status,
        category,
        side.upper() if side else None,
        born_from,
        born_to,
        incident_from,
        incident_to,
    )
    return registry.persons_view(uow, actor, query, PageRequest(offset, limit), search=q)


@router.get("/search", response_model=list[SearchHitView])
def search_persons(
    actor: ActorDep,
    uow: UowDep,
    q: Annotated[str, Query(min_length=1, description="Names in any script, and a year.")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> list[SearchHitView]:
    return registry.search_view(uow, actor, q, limit)


@router.post("", response_model=PersonView, status_code=201)
def add_person(body: PersonIn, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> PersonView:
    person = Person(
        side=(body.side or instance.config.party).upper(),
        category=body.category,
        sex=body.sex,
        names=[PersonName(**n.model_dump()) for n in body.names],
        birth_date=PartialDate.parse(body.birth_date) if body.birth_date else None,
        identifiers=[Identifier(i.kind, i.value) for i in body.identifiers],
        unit=body.unit,
        rank=body.rank,
        incident_place=body.incident_place,
        incident_date=body.incident_date,
        relatives=[Relative(r.name, r.relationship, r.contact) for r in body.relatives],
        health=body.health,
        notes=body.notes,
        record_id=body.record_id,
    )
    drafts = [EventDraft(e.type, e.effective_date, e.source, e.note) for e in body.events]
    return registry.register_person_view(uow, actor, person, drafts)


PFIF_MEDIA = "application/xml"


@router.get(
    ".pfif",
    response_class=Response,
    responses={200: {"content": {PFIF_MEDIA: {}}, "description": "A PFIF 1.4 document."}},
)
def export_persons_pfif(
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    status: str | None = None,
    category: PersonCategory | None = None,
    side: str | None = None,
) -> Response:
    """The registry (or the persons the filters find) as PFIF 1.4: names, sex, birth date,
    category, side and status notes only; never identifiers, notes or accounts."""
    query = PersonQuery(status=status, category=category, side=side.upper() if side else None)
    domain = pfif.domain_for(instance.config.party, os.environ.get(pfif.DOMAIN_ENV))
    content = pfif.export_pfif(uow, actor, query, domain=domain)
    return Response(
        content,
        media_type=PFIF_MEDIA,
        headers={"Content-Disposition": 'attachment; filename="persons.pfif.xml"'},
    )


@router.post(".pfif", response_model=registry.PfifImportView)
@upload_needs(Permission.IMPORT_RUN)
async def import_persons_pfif(
    file: UploadFile,
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    source: Source = Source.MEDIATOR,
) -> registry.PfifImportView:
    """Every new person of a PFIF 1.4 file or none (HTTP 422 lists every problem by record and
    element); records already held are reported as already present, not added again."""
    name, content = await read_upload(file)
    # in a worker thread: on the event loop, an import would hold every other request
    return await run_in_threadpool(
        registry.import_pfif_view,
        uow,
        actor,
        name,
        content,
        default_side=instance.config.party,
        default_language=instance.config.name_language,
        source=source,
    )


@router.get("/{person_id}", response_model=PersonView)
def get_person(person_id: int, actor: ActorDep, uow: UowDep) -> PersonView:
    return registry.person_view(uow, actor, person_id)


@router.post("/{person_id}/events", response_model=EventView, status_code=201)
def add_event(person_id: int, body: EventIn, actor: ActorDep, uow: UowDep) -> EventView:
    return registry.record_event_view(
        uow, actor, person_id, body.type, body.effective_date, body.source, body.note, body.retracts
    )
