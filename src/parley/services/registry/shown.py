"""The registry track's use cases as the views every door shows.

Each function runs a use case and gives back what the API returns and the CLI prints with
`--json`. Views that depend on who asks (health, contacts, medical events) are redacted here,
for the actor the use case was run as, so no door can forget to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from parley.domain.accounts.accounts import Actor
from parley.domain.paging import PageRequest
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import Person, PersonQuery
from parley.services import matching
from parley.services.accounts import PageView
from parley.services.registry.imports import import_persons
from parley.services.registry.persons import (
    find_persons,
    record_event,
    register_person,
    show_person,
    walk_persons,
)
from parley.services.registry.pfif import import_pfif
from parley.services.registry.views import (
    EventView,
    PersonsImportView,
    PersonSummaryView,
    PersonView,
    PfifImportView,
    SearchHitView,
)
from parley.services.uow import UnitOfWork


def persons_view(
    uow: UnitOfWork, actor: Actor, query: PersonQuery, page: PageRequest, search: str = ""
) -> PageView[PersonSummaryView]:
    """A page of persons: with `search`, the ranked search narrowed by `query`; without it, the
    registry in name order (`GET /persons`, `parley person list --json`)."""
    if search.strip():
        found = matching.search_page(uow, actor, search, query, page)
    else:
        found = find_persons(uow, actor, query, page)
    return PageView.of(found, [PersonSummaryView.of(p) for p in found.items])


def walk_person_views(
    uow: UnitOfWork, actor: Actor, query: PersonQuery
) -> Iterator[PersonSummaryView]:
    """Every person the query finds, by id, a chunk at a time (`parley person list --all`)."""
    return (PersonSummaryView.of(p) for p in walk_persons(uow, actor, query))


def search_view(uow: UnitOfWork, actor: Actor, text: str, limit: int = 20) -> list[SearchHitView]:
    """The ranked search's best tier: `GET /persons/search`, `parley person search --json`."""
    return [
        SearchHitView(score=h.score, reasons=h.reasons, person=PersonSummaryView.of(h.person))
        for h in matching.search_persons(uow, actor, text, limit)
    ]


def person_view(uow: UnitOfWork, actor: Actor, person_id: int) -> PersonView:
    """A person with every event, as this actor may see it."""
    return PersonView.of(show_person(uow, actor, person_id), actor)


def register_person_view(
    uow: UnitOfWork, actor: Actor, person: Person, drafts: Sequence[EventDraft] = ()
) -> PersonView:
    return PersonView.of(register_person(uow, actor, person, drafts), actor)


def record_event_view(
    uow: UnitOfWork,
    actor: Actor,
    person_id: int,
    type: EventType,
    effective_date: date,
    source: Source,
    note: str = "",
    retracts: int | None = None,
) -> EventView:
    event = record_event(uow, actor, person_id, type, effective_date, source, note, retracts)
    return EventView.of(event, False, actor)


def import_persons_view(
    uow: UnitOfWork,
    actor: Actor,
    file: str,
    content: bytes,
    default_side: str,
    default_language: str,
) -> PersonsImportView:
    return PersonsImportView.of(
        import_persons(uow, actor, file, content, default_side, default_language)
    )


def import_pfif_view(
    uow: UnitOfWork,
    actor: Actor,
    file_name: str,
    content: bytes,
    *,
    default_side: str,
    default_language: str,
    source: Source = Source.MEDIATOR,
) -> PfifImportView:
    outcome = import_pfif(
        uow,
        actor,
        file_name,
        content,
        default_side=default_side,
        default_language=default_language,
        source=source,
    )
    return PfifImportView.of(outcome)
