from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.errors import DuplicateIdentifier, PermissionDenied
from parley.domain.paging import PageRequest
from parley.domain.registry.events import EventType, Source, Status
from parley.domain.registry.persons import PersonCategory, PersonQuery
from parley.instance import Instance
from parley.services import registry
from tests.conftest import make_account
from tests.factories import a_person, missing_since

ALL = PageRequest(0, 100)


def test_a_registered_person_comes_back_with_names_history_and_status(
    instance: Instance, admin: Actor
) -> None:
    record = registry.register_person(
        instance.uow(), admin, a_person(service_number="АБ 12-34"), missing_since()
    )
    shown = registry.show_person(instance.uow(), admin, record.id)
    assert shown.person.display_name == "Ковальчук Богдан Петрович"
    assert shown.person.identifiers[0].value == "АБ1234"
    assert shown.status is Status.MISSING
    assert [e.type for e in shown.history.events] == [EventType.REPORTED_MISSING]
    assert shown.history.events[0].recorded_by == "test:admin"


def test_status_is_derived_again_after_every_event(instance: Instance, admin: Actor) -> None:
    person_id = registry.register_person(instance.uow(), admin, a_person(), missing_since()).id
    captured = registry.record_event(
        instance.uow(), admin, person_id, EventType.CAPTURE_CONFIRMED, date(2024, 3, 1), Source.ICRC
    )
    found = registry.find_persons(instance.uow(), admin, PersonQuery(status="in_captivity"), ALL)
    assert [p.id for p in found.items] == [person_id]
    registry.record_event(
        instance.uow(),
        admin,
        person_id,
        EventType.RETRACTION,
        date(2024, 3, 2),
        Source.ICRC,
        "wrong person",
        captured.id,
    )
    assert registry.show_person(instance.uow(), admin, person_id).status is Status.MISSING
    found = registry.find_persons(instance.uow(), admin, PersonQuery(status="missing"), ALL)
    assert [p.id for p in found.items] == [person_id]


def test_a_duplicate_identifier_is_refused(instance: Instance, admin: Actor) -> None:
    registry.register_person(instance.uow(), admin, a_person(service_number="A1"))
    with pytest.raises(DuplicateIdentifier):
        registry.register_person(instance.uow(), admin, a_person("Інший", service_number="a-1"))


def test_filters_by_category_side_and_partial_birth_dates(instance: Instance, admin: Actor) -> None:
    registry.register_person(instance.uow(), admin, a_person("Перший", born="1999"))
    registry.register_person(instance.uow(), admin, a_person("Другий", born="2001-05-05"))
    registry.register_person(
        instance.uow(), admin, a_person("Третій", born="1970", category=PersonCategory.CIVILIAN)
    )
    between = PersonQuery(born_from=date(1999, 6, 1), born_to=date(2002, 1, 1))
    names = [p.name for p in registry.find_persons(instance.uow(), admin, between, ALL).items]
    assert names == ["Другий Богдан Петрович", "Перший Богдан Петрович"]
    civilians = PersonQuery(category=PersonCategory.CIVILIAN)
    assert registry.find_persons(instance.uow(), admin, civilians, ALL).total == 1


def test_basic_search_ignores_case_and_apostrophes(instance: Instance, admin: Actor) -> None:
    registry.register_person(instance.uow(), admin, a_person("Обʼєднаний", "Вʼячеслав"))
    found = registry.find_persons(
        instance.uow(), admin, PersonQuery(text="обєднаний вячеслав"), ALL
    )
    assert found.total == 1


def test_pages_cover_the_list_without_overlap(instance: Instance, admin: Actor) -> None:
    for i in range(7):
        registry.register_person(instance.uow(), admin, a_person(f"Прізвище{i}"))
    first = registry.find_persons(instance.uow(), admin, PersonQuery(), PageRequest(0, 5))
    second = registry.find_persons(instance.uow(), admin, PersonQuery(), PageRequest(5, 5))
    assert first.total == 7 and first.has_next and not second.has_next
    assert {p.id for p in first.items}.isdisjoint({p.id for p in second.items})


def test_every_read_is_in_the_audit_log(instance: Instance, admin: Actor) -> None:
    person_id = registry.register_person(instance.uow(), admin, a_person()).id
    registry.show_person(instance.uow(), admin, person_id)
    with instance.uow() as uow:
        entries = list(uow.audit.walk())
    reads = [e for e in entries if e.action == "person.read"]
    assert reads[-1].actor == "test:admin" and reads[-1].record_ids == (str(person_id),)


def test_an_analyst_may_not_read_the_registry(instance: Instance) -> None:
    analyst = make_account(instance, "analyst", Role.ANALYST)
    with pytest.raises(PermissionDenied):
        registry.find_persons(instance.uow(), analyst, PersonQuery(), ALL)


def test_the_database_itself_refuses_to_change_an_event(instance: Instance, admin: Actor) -> None:
    registry.register_person(instance.uow(), admin, a_person(), missing_since())
    with pytest.raises(DBAPIError, match="append-only"), instance.engine.begin() as connection:
        connection.execute(text("UPDATE person_events SET note = 'rewritten'"))
    with pytest.raises(DBAPIError, match="append-only"), instance.engine.begin() as connection:
        connection.execute(text("DELETE FROM person_events"))


def test_a_batch_of_events_lands_whole_or_not_at_all(instance: Instance, admin: Actor) -> None:
    from parley.domain.errors import InvalidEvent
    from parley.domain.registry.events import EventDraft

    first = registry.register_person(instance.uow(), admin, a_person(), missing_since()).id
    second = registry.register_person(instance.uow(), admin, a_person(), missing_since()).id
    died = EventDraft(EventType.DIED, date(2024, 3, 1), Source.OTHER_SIDE_LIST)
    registry.record_events(instance.uow(), admin, [(second, died)])
    batch = [
        (first, EventDraft(EventType.CONSENT_GIVEN, date(2024, 5, 1), Source.ICRC)),
        (second, EventDraft(EventType.CONSENT_GIVEN, date(2024, 5, 1), Source.ICRC)),
    ]
    with pytest.raises(InvalidEvent, match=f"person {second}"):
        registry.record_events(instance.uow(), admin, batch)
    assert [e.type for e in registry.show_person(instance.uow(), admin, first).history.events] == [
        EventType.REPORTED_MISSING
    ]
    assert registry.record_events(instance.uow(), admin, batch[:1]) == 1
    record = registry.show_person(instance.uow(), admin, first)
    assert record.history.events[-1].type is EventType.CONSENT_GIVEN
