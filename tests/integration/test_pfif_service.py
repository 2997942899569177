"""PFIF through the services: a registry travels to another instance and nothing doubles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.errors import ImportRejected, PermissionDenied
from parley.domain.paging import PageRequest
from parley.domain.registry.events import EventType, Source, Status
from parley.domain.registry.persons import (
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    PersonQuery,
    Script,
    Sex,
)
from parley.instance import Instance, init_instance
from parley.interchange.pfif import default_domain, kept_fields
from parley.interchange.pfif_read import read_pfif
from parley.services import registry
from parley.services.registry import pfif
from parley.store import tables
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.factories import a_person, missing_since

UA = default_domain("UA")
RU = default_domain("RU")


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Instance]:
    """A second party's instance, always on SQLite beside the first."""
    created, _ = init_instance(tmp_path / "ru", "RU", "RU HQ", None, ADMIN_PASSWORD)
    yield created
    created.close()


def _counts(instance: Instance) -> dict[str, int]:
    with instance.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (
                tables.persons,
                tables.person_names,
                tables.person_events,
                tables.person_identifiers,
                tables.imports,
                tables.audit_log,
            )
        }


def _registry(instance: Instance, admin: Actor) -> list[int]:
    uow = instance.uow
    missing = registry.register_person(
        uow(), admin, a_person(service_number="S-1", born="1999"), missing_since()
    ).id
    held = registry.register_person(
        uow(), admin, a_person("Мельник", "Андрій", "Олегович", born="2001-03")
    ).id
    registry.record_event(uow(), admin, held, EventType.DETAINED, date(2024, 4, 1), Source.ICRC)
    woman = Person(
        side="RU",
        category=PersonCategory.CIVILIAN,
        sex=Sex.FEMALE,
        names=[
            PersonName("Иванова", "Мария", "Петровна", language="ru", primary=True),
            PersonName("Ivanova", "Mariia", script=Script.LATIN, language="en"),
        ],
        notes="internal only",
    )
    dead = registry.register_person(uow(), admin, woman, missing_since(date(2023, 11, 2))).id
    registry.record_event(uow(), admin, dead, EventType.DIED, date(2024, 1, 9), Source.FAMILY)
    plain = registry.register_person(uow(), admin, a_person("Ткач", "Олег", "", born=None)).id
    return [missing, held, dead, plain]


def _statuses(instance: Instance, admin: Actor) -> list[tuple[str, str]]:
    page = registry.find_persons(instance.uow(), admin, PersonQuery(), PageRequest(0, 100))
    return sorted((p.name, p.status) for p in page.items)


def test_a_registry_travels_and_a_second_import_adds_nothing(
    instance: Instance, other: Instance, admin: Actor
) -> None:
    ids = _registry(instance, admin)
    content = pfif.export_pfif(instance.uow(), admin, None, domain=UA)
    assert b"S1" not in content and b"internal only" not in content

    first = pfif.import_pfif(
        other.uow(), admin, "ua.xml", content, default_side="RU", default_language="ru"
    )
    assert len(first.imported) == len(ids) and first.already_present == ()
    assert first.import_id is not None
    assert _counts(other)["persons"] == _counts(instance)["persons"] == len(ids)
    assert _statuses(other, admin) == _statuses(instance, admin)
    assert ("Иванова Мария Петровна", Status.DEAD.value) in _statuses(other, admin)
    [woman] = registry.find_persons(
        other.uow(), admin, PersonQuery(text="Иванова"), PageRequest(0, 10)
    ).items
    imported = registry.show_person(other.uow(), admin, woman.id)
    assert imported.person.side == "RU" and imported.person.category is PersonCategory.CIVILIAN
    assert [n.full for n in imported.person.names] == ["Иванова Мария Петровна", "Ivanova Mariia"]
    assert [i.kind for i in imported.person.identifiers] == [IdentifierKind.EXTERNAL_RECORD]

    before = _counts(other)
    second = pfif.import_pfif(
        other.uow(), admin, "again.xml", content, default_side="RU", default_language="ru"
    )
    assert second.imported == () and second.import_id is None
    assert [p.person_id for p in second.already_present] == list(first.imported)
    after = _counts(other)
    assert after.pop("audit_log") == before.pop("audit_log") + 1
    assert after == before


def test_own_records_and_copies_come_home_as_already_present(
    instance: Instance, other: Instance, admin: Actor
) -> None:
    ids = _registry(instance, admin)
    content = pfif.export_pfif(instance.uow(), admin, None, domain=UA)
    back = pfif.import_pfif(
        instance.uow(), admin, "own.xml", content, default_side="UA", default_language="uk"
    )
    assert back.imported == ()
    assert sorted(p.person_id for p in back.already_present) == sorted(ids)

    pfif.import_pfif(
        other.uow(), admin, "ua.xml", content, default_side="RU", default_language="ru"
    )
    copies = pfif.export_pfif(other.uow(), admin, None, domain=RU)
    originals = read_pfif("ua.xml", content, default_side="UA")
    copied = read_pfif("ru.xml", copies, default_side="RU")
    assert [r.record_id for r in copied] == [r.record_id for r in originals]
    assert {kept_fields(r.person.notes).get("source_name") for r in copied} == {UA}
    returned = pfif.import_pfif(
        instance.uow(), admin, "ru.xml", copies, default_side="UA", default_language="uk"
    )
    assert returned.imported == () and len(returned.already_present) == len(ids)


def test_a_filtered_export_is_audited_with_the_ids_shown(instance: Instance, admin: Actor) -> None:
    ids = _registry(instance, admin)
    content = pfif.export_pfif(
        instance.uow(), admin, PersonQuery(status=Status.DEAD.value), domain=UA
    )
    assert content.count(b"<pfif:person>") == 1
    with instance.uow() as uow:
        entry = uow.audit.recent(PageRequest(0, 1)).items[0]
    assert entry.action == "person.export"
    assert entry.record_ids == (str(ids[2]),)
    assert entry.detail["format"] == "pfif"


def test_a_bad_file_changes_nothing_but_the_audit_log(
    instance: Instance, other: Instance, admin: Actor
) -> None:
    _registry(instance, admin)
    good = pfif.export_pfif(instance.uow(), admin, None, domain=UA)
    bad = good.replace(b"<pfif:sex>male</pfif:sex>", b"<pfif:sex>M</pfif:sex>", 1)
    before = _counts(other)
    with pytest.raises(ImportRejected) as caught:
        pfif.import_pfif(
            other.uow(), admin, "bad.xml", bad, default_side="RU", default_language="ru"
        )
    assert [p.field for p in caught.value.problems] == ["sex"]
    assert "'M' is not one of" in caught.value.problems[0].message
    after = _counts(other)
    assert after.pop("audit_log") == before.pop("audit_log") + 1
    assert after == before
    with other.uow() as uow:
        entry = uow.audit.recent(PageRequest(0, 1)).items[0]
    assert entry.action == "import.refused" and entry.detail["format"] == "pfif"


def test_permissions_are_those_of_reading_and_importing(instance: Instance, admin: Actor) -> None:
    _registry(instance, admin)
    analyst = make_account(instance, "ana", Role.ANALYST)
    reviewer = make_account(instance, "rev", Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        pfif.export_pfif(instance.uow(), analyst, None, domain=UA)
    content = pfif.export_pfif(instance.uow(), reviewer, None, domain=UA)
    with pytest.raises(PermissionDenied):
        pfif.import_pfif(
            instance.uow(), reviewer, "x.xml", content, default_side="UA", default_language="uk"
        )
