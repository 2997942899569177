"""The engine's records kept in the database: written with the person, never read stale.

Every test runs on SQLite and, when CI provides a server, on PostgreSQL (the triggers differ).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select, text

from parley import names
from parley.domain.accounts.accounts import Actor
from parley.domain.registry.persons import Identifier, IdentifierKind, Person
from parley.instance import Instance
from parley.linkage.records import to_arrow, to_line
from parley.services import matching, registry
from parley.services.matching import link_records
from parley.store import tables as t
from parley.store.database import make_engine, upgrade
from parley.store.registry import SqlPersonRepository
from parley.store.uow import SqlUnitOfWork
from tests.factories import a_person

SURNAMES = [
    "Ковальчук", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Лисенко",
    "Руденко", "Савченко", "Петренко", "Мороз", "Гнатюк", "Дячук", "Білик", "Зінченко",
]  # fmt: skip
GIVEN = ["Богдан", "Олег", "Тарас", "Андрій", "Василь"]


def people() -> list[Person]:
    found = []
    for i, surname in enumerate(SURNAMES):
        person = a_person(
            surname,
            GIVEN[i % len(GIVEN)],
            born=f"19{80 + i}-0{1 + i % 9}-1{i % 10}",
            service_number=f"А{100_000 + i}",
        )
        person.identifiers.append(Identifier(IdentifierKind.PASSPORT, f"НВ{200_000 + i}"))
        found.append(person)
    return found


def register(instance: Instance, admin: Actor) -> list[int]:
    registry.register_many(instance.uow(), admin, [(p, []) for p in people()])
    with instance.uow() as uow:
        return uow.matches.person_ids()


def stored(instance: Instance) -> dict[int, tuple[str, str]]:
    with instance.engine.connect() as connection:
        rows = connection.execute(select(t.link_records)).all()
    return {pid: (recipe, record) for pid, recipe, record in rows}


def built_now(instance: Instance) -> dict[int, str]:
    """What the records would be if built from scratch from the database as it is."""
    with instance.uow() as uow:
        inputs = uow.matches.link_inputs(uow.matches.person_ids())
    return {p.id: to_line(link_records.person_record(p)) for p in inputs}


def a_list(rows: list[tuple[str, str, str, str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["surname", "given_name", "patronymic", "birth_date", "service_number"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_a_registered_person_has_a_current_record(instance: Instance, admin: Actor) -> None:
    ids = register(instance, admin)
    kept = stored(instance)
    assert sorted(kept) == ids
    assert {recipe for recipe, _ in kept.values()} == {link_records.recipe()}
    assert {pid: line for pid, (_, line) in kept.items()} == built_now(instance)
    assert link_records.refresh(instance.uow()) == 0


def test_a_changed_person_is_seen_by_the_next_run(instance: Instance, admin: Actor) -> None:
    """The registry writes persons once, but a correction made any other way (a future edit,
    an administrator's SQL) must reach the next run: the triggers forget the old record."""
    ids = register(instance, admin)
    first = a_list([(s, GIVEN[i % 5], "Петрович", "", "") for i, s in enumerate(SURNAMES[:8])])
    matching.run_match(instance.uow(), admin, "first.csv", first)
    changed = ids[0]  # Ковальчук Богдан, born 1980-01-10
    with instance.engine.begin() as connection:
        connection.execute(
            text("UPDATE person_names SET surname = 'Мельничук' WHERE person_id = :p"),
            {"p": changed},
        )
        connection.execute(
            text("UPDATE persons SET birth_year = 1979 WHERE id = :p"), {"p": changed}
        )
    assert changed not in stored(instance)

    second = a_list([("Мельничук", "Богдан", "Петрович", "1979-01-10", "А100000")])
    run = matching.run_match(instance.uow(), admin, "second.csv", second).run
    rows, _ = matching.run_entries(instance.uow(), admin, run.id, None, 0, 10)
    candidate = next(c for c in rows[0][1] if c.person_id == changed)
    shown = {f["field"]: f["person_value"] for f in candidate.fields}
    assert shown["surname"] == names.keys_for_name("Мельничук", "Богдан").surname_folded
    assert "1979-01-10" in shown["date_of_birth"]
    assert stored(instance)[changed] == (link_records.recipe(), built_now(instance)[changed])


def test_an_added_identifier_or_a_removed_name_forgets_the_record(
    instance: Instance, admin: Actor
) -> None:
    ids = register(instance, admin)
    with instance.engine.begin() as connection:
        connection.execute(
            text("DELETE FROM person_identifiers WHERE person_id = :p AND kind = 'passport'"),
            {"p": ids[1]},
        )
        connection.execute(
            t.person_names.insert().values(
                person_id=ids[2],
                position=1,
                surname="Shevchenko",
                given="Oleh",
                patronymic="",
                script="Latn",
                language="uk",
                is_primary=False,
                folded="shevchenko oleh",
            )
        )
    assert set(ids) - set(stored(instance)) == {ids[1], ids[2]}
    assert link_records.refresh(instance.uow()) == 2
    assert {pid: line for pid, (_, line) in stored(instance).items()} == built_now(instance)


def test_records_built_by_other_code_are_rebuilt(
    instance: Instance, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New name dictionaries or a new record format change the recipe: every line is rebuilt
    before a run reads any."""
    ids = register(instance, admin)
    monkeypatch.setattr(link_records, "recipe", lambda: "0123456789abcdef")
    table = link_records.registry_table(instance.uow())
    assert sorted(int(i) for i in table["unique_id"].to_pylist()) == ids
    assert {recipe for recipe, _ in stored(instance).values()} == {"0123456789abcdef"}
    assert link_records.refresh(instance.uow()) == 0


def test_the_table_read_is_the_table_built(instance: Instance, admin: Actor) -> None:
    register(instance, admin)
    with instance.uow() as uow:
        inputs = uow.matches.link_inputs(uow.matches.person_ids())
    expected = to_arrow([link_records.person_record(p) for p in inputs])
    assert link_records.registry_table(instance.uow()).equals(expected)


def test_a_record_that_vanishes_after_the_refresh_is_built_for_the_run(
    instance: Instance, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change committed between the refresh and the read leaves a person without a line:
    the run builds that one itself rather than leave the person out."""
    ids = register(instance, admin)
    with instance.engine.begin() as connection:
        connection.execute(t.link_records.delete().where(t.link_records.c.person_id == ids[3]))
    monkeypatch.setattr(link_records, "refresh", lambda _uow, _note=None: 0)
    table = link_records.registry_table(instance.uow())
    assert sorted(int(i) for i in table["unique_id"].to_pylist()) == ids


def test_upgrading_builds_the_records_of_persons_already_held(
    tmp_path: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0002")
        with SqlUnitOfWork(engine) as uow:
            repository = SqlPersonRepository(uow.session)
            ids = [repository.add(p).id for p in people()]
            uow.commit()
        upgrade(engine, "0003")
        with SqlUnitOfWork(engine) as uow:
            inputs = uow.matches.link_inputs(uow.matches.person_ids())
            outdated = uow.matches.link_records_outdated(link_records.recipe())
        with engine.connect() as connection:
            kept = dict(
                connection.execute(
                    select(t.link_records.c.person_id, t.link_records.c.record)
                ).all()
            )
    finally:
        engine.dispose()
    assert outdated == []
    assert sorted(kept) == ids
    assert kept == {p.id: to_line(link_records.person_record(p)) for p in inputs}
