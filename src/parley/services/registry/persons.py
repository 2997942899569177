"""The registry's use cases: register people, record what happened to them, find them.

Every read of a person's record is written to the audit log with the ids that were shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from parley import names
from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import DuplicateIdentifier, InvalidEvent
from parley.domain.paging import Page, PageRequest, TableQuery
from parley.domain.registry.events import Event, EventDraft, EventType, History, Source, Status
from parley.domain.registry.persons import Person, PersonQuery, PersonSummary
from parley.services import matching
from parley.services.accounts import log
from parley.services.uow import UnitOfWork


@dataclass(frozen=True)
class PersonRecord:
    """A person with their whole history and the status derived from it."""

    person: Person
    history: History

    @property
    def status(self) -> Status:
        return self.history.status()

    @property
    def status_since(self) -> date | None:
        return self.history.status_since()

    @property
    def id(self) -> int:
        assert self.person.id is not None
        return self.person.id


def today() -> date:
    return datetime.now(UTC).date()


def name_keys_of(person: Person) -> list[tuple[str, str]]:
    """The canonical keys of every name a person carries, for search in any script."""
    found: set[tuple[str, str]] = set()
    for name in person.names:
        keys = names.keys_for_name(name.surname, name.given, name.patronymic)
        found |= {("surname", k) for k in keys.surname}
        found |= {("given", k) for k in keys.given}
    return sorted(found)


def check_identifiers_free(uow: UnitOfWork, people: Sequence[Person]) -> None:
    wanted = [(i.kind, i.value) for p in people for i in p.identifiers]
    taken = uow.persons.identifiers_taken(wanted)
    if taken:
        (kind, value), owner = next(iter(taken.items()))
        raise DuplicateIdentifier(f"{kind} {value} already belongs to person {owner}")
    records = uow.persons.record_ids_taken([p.record_id for p in people if p.record_id])
    if records:
        record_id, owner = next(iter(records.items()))
        raise DuplicateIdentifier(f"record id {record_id} already belongs to person {owner}")


def store_person(
    uow: UnitOfWork,
    actor: Actor,
    person: Person,
    drafts: Sequence[EventDraft] = (),
    import_id: int | None = None,
) -> PersonRecord:
    """The shared write path of adding and generating one person, with its events' ids.

    Neither commits nor writes the audit log: callers log what they stored, in bulk where they
    store in bulk (see `log_created`).
    """
    person.created_by = actor.label
    stored = uow.persons.add(person, import_id)
    assert stored.id is not None
    uow.persons.add_name_keys([(stored.id, part, key) for part, key in name_keys_of(person)])
    matching.store_person_records(uow, [stored])  # a match run reads it instead of rebuilding it
    history = History(())
    for draft in sorted(drafts, key=lambda d: d.effective_date):
        event = draft.bind(stored.id, actor.label)
        history.check_new(event, today())
        history = History.of([*history.events, uow.events.add(event)])
    uow.events.set_status(stored.id, history.status(), history.status_since(), new=True)
    return PersonRecord(stored, history)


def new_history(actor: Actor, drafts: Sequence[EventDraft], person_id: int = 0) -> History:
    """The history a new person's events make, each checked as if recorded one at a time in
    date order (`History.check_new`): raises the rule's error, before anything is stored."""
    history = History(())
    on = today()
    for draft in sorted(drafts, key=lambda d: d.effective_date):
        event = draft.bind(person_id, actor.label)
        history.check_new(event, on)
        history = History.of([*history.events, event])
    return history


def store_persons(
    uow: UnitOfWork,
    actor: Actor,
    people: Sequence[tuple[Person, Sequence[EventDraft]]],
    import_id: int | None = None,
) -> list[int]:
    """Many new persons with a few statements for them all (imports, generated populations):
    the same rows `store_person` writes, without one statement per person and table, which
    cost more than everything else an import does. Every person's events are checked before
    anything is written. Returns the ids in order; neither commits nor logs."""
    histories = [new_history(actor, drafts) for _, drafts in people]
    persons = [person for person, _ in people]
    for person in persons:
        person.created_by = actor.label
    uow.persons.add_many(persons, import_id)
    ids = [p.id for p in persons if p.id is not None]
    uow.persons.add_name_keys(
        [(i, part, key) for i, p in zip(ids, persons, strict=True) for part, key in name_keys_of(p)]
    )
    matching.store_person_records(uow, persons)
    uow.events.add_many(
        [replace(e, person_id=i) for i, h in zip(ids, histories, strict=True) for e in h.events]
    )
    uow.events.add_statuses(
        [(i, h.status(), h.status_since()) for i, h in zip(ids, histories, strict=True)]
    )
    return ids


STORE_BATCH = 500
"""Persons stored per batch of statements (`store_persons`): few statements, bounded memory."""
AUDIT_CHUNK = 1000
"""Bulk writes are logged as one entry per this many persons, each naming every id."""


def log_created(uow: UnitOfWork, actor: Actor, ids: Sequence[int], **detail: Any) -> None:
    for start in range(0, len(ids), AUDIT_CHUNK):
        log(uow, actor, "person.create", "person", ids[start : start + AUDIT_CHUNK], **detail)


def register_person(
    uow: UnitOfWork, actor: Actor, person: Person, drafts: Sequence[EventDraft] = ()
) -> PersonRecord:
    actor.require(Permission.REGISTRY_WRITE)
    with uow:
        check_identifiers_free(uow, [person])
        record = store_person(uow, actor, person, drafts)
        log_created(uow, actor, [record.id], events=len(drafts))
        uow.commit()
        return record


def register_many(
    uow: UnitOfWork,
    actor: Actor,
    people: Sequence[tuple[Person, Sequence[EventDraft]]],
    on_progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """All or nothing: a generated or loaded population lands whole or not at all."""
    actor.require(Permission.REGISTRY_WRITE)
    with uow:
        check_identifiers_free(uow, [p for p, _ in people])
        ids: list[int] = []
        for start in range(0, len(people), STORE_BATCH):
            batch = people[start : start + STORE_BATCH]
            ids += store_persons(uow, actor, batch)
            on_progress(len(batch))
        log_created(uow, actor, ids)
        uow.commit()
        return len(people)


def record_event(
    uow: UnitOfWork,
    actor: Actor,
    person_id: int,
    type: EventType,
    effective_date: date,
    source: Source,
    note: str = "",
    retracts: int | None = None,
    details: dict[str, Any] | None = None,
) -> Event:
    actor.require(Permission.EVENTS_WRITE)
    with uow:
        uow.persons.get(person_id)
        history = History.of(uow.events.for_person(person_id))
        event = Event(
            person_id,
            type,
            effective_date,
            source,
            actor.label,
            note.strip(),
            retracts,
            details or {},
        )
        history.check_new(event, today())
        stored = uow.events.add(event)
        history = History.of([*history.events, stored])
        uow.events.set_status(person_id, history.status(), history.status_since())
        log(
            uow,
            actor,
            "event.create",
            "person",
            [person_id],
            event_id=stored.id,
            type=type.value,
            retracts=retracts,
        )
        uow.commit()
        return stored


def append_events(
    uow: UnitOfWork,
    actor: Actor,
    drafts: Sequence[tuple[int, EventDraft]],
    on_progress: Callable[[int], None] = lambda _n: None,
) -> list[int]:
    """Append events under the history rules inside the caller's transaction (no commit, no
    audit entry: the use case that calls it logs what it did). Returns the person ids in order.
    """
    histories: dict[int, History] = {}
    ids: list[int] = []
    for person_id, draft in drafts:
        if person_id not in histories:
            uow.persons.get(person_id)
            histories[person_id] = History.of(uow.events.for_person(person_id))
        event = draft.bind(person_id, actor.label)
        try:
            histories[person_id].check_new(event, today())
        except InvalidEvent as exc:
            raise InvalidEvent(f"person {person_id}: {exc.message}", exc.field) from exc
        stored = uow.events.add(event)
        histories[person_id] = History.of([*histories[person_id].events, stored])
        ids.append(person_id)
        on_progress(1)
    for person_id, history in histories.items():
        uow.events.set_status(person_id, history.status(), history.status_since())
    return ids


def record_events(
    uow: UnitOfWork,
    actor: Actor,
    drafts: Sequence[tuple[int, EventDraft]],
    on_progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Many events, all or none, under the same history rules as one at a time.

    A stage day or a round of consent interviews touches hundreds of people at once; if any
    event breaks a rule the whole batch is refused and the error names the person.
    """
    actor.require(Permission.EVENTS_WRITE)
    with uow:
        ids = append_events(uow, actor, drafts, on_progress)
        kinds = sorted({d.type.value for _, d in drafts})
        for start in range(0, len(ids), AUDIT_CHUNK):
            log(
                uow,
                actor,
                "event.create",
                "person",
                ids[start : start + AUDIT_CHUNK],
                types=kinds,
                batch=len(drafts),
            )
        uow.commit()
        return len(drafts)


def show_person(uow: UnitOfWork, actor: Actor, person_id: int) -> PersonRecord:
    actor.require(Permission.REGISTRY_READ)
    with uow:
        record = PersonRecord(
            uow.persons.get(person_id), History.of(uow.events.for_person(person_id))
        )
        log(uow, actor, "person.read", "person", [person_id])
        uow.commit()
        return record


def find_persons(
    uow: UnitOfWork, actor: Actor, query: PersonQuery, page: PageRequest
) -> Page[PersonSummary]:
    actor.require(Permission.REGISTRY_READ)
    with uow:
        result = uow.persons.query(query, page)
        _log_listed(uow, actor, query, result)
        return result


def _log_listed(
    uow: UnitOfWork, actor: Actor, query: PersonQuery, result: Page[PersonSummary]
) -> None:
    """A page of the registry read is audited: who asked, for what, and whom it showed."""
    log(
        uow,
        actor,
        "person.list",
        "person",
        [p.id for p in result.items],
        query={k: str(v) for k, v in vars(query).items() if v},
        total=result.total,
    )
    uow.commit()


def person_sides(uow: UnitOfWork, actor: Actor) -> list[str]:
    """The sides the registry's persons are on: the choices of the list's side filter."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        return uow.persons.sides()


def person_table(
    uow: UnitOfWork, actor: Actor, query: PersonQuery, table: TableQuery
) -> Page[PersonSummary]:
    """A page of the registry list as the console asks for it: filtered, sorted and cut by the
    database (`PERSON_SORTS`), so a page costs the same however large the registry."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        result = uow.persons.table(query, table)
        _log_listed(uow, actor, query, result)
        return result


def walk_persons(
    uow: UnitOfWork, actor: Actor, query: PersonQuery, chunk: int = 500
) -> Iterator[PersonSummary]:
    """Every person the query finds, by id, a chunk per transaction: the whole registry can be
    written out as it is read, never held in memory at once. Each chunk is audited."""
    actor.require(Permission.REGISTRY_READ)
    after = 0
    while True:
        with uow:
            found = uow.persons.query_after(query, after, chunk)
            if found:
                log(uow, actor, "person.list", "person", [p.id for p in found], walk=True)
            uow.commit()
        yield from found
        if len(found) < chunk:
            return
        after = found[-1].id
