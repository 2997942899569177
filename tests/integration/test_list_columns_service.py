"""Lists as they come and our own record ids, through the services and a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import DuplicateIdentifier, ImportRejected
from parley.domain.paging import PageRequest
from parley.domain.registry.persons import PersonQuery
from parley.instance import Instance, init_instance
from parley.services import matching, registry
from parley.services.matching import export as match_export
from parley.services.registry import imports
from parley.store import tables as t
from tests.conftest import ADMIN_PASSWORD
from tests.factories import a_person

PEOPLE = [
    ("Гайдученко", "Остап", "Лукич", "1990-04-02"),
    ("Вербицький", "Назар", "Олесьович", "1985-11-20"),
    ("Зарічний", "Ярема", "Климович", "1999-06-10"),
    ("Кропивницький", "Левко", "Данилович", "2001-01-15"),
    ("Тернопільський", "Мирон", "Остапович", "1979-03-03"),
    ("Ясенович", "Устим", "Гордійович", "1993-08-08"),
    ("Білокриницький", "Орест", "Назарович", "1996-12-01"),
    ("Дубовецький", "Северин", "Тарасович", "1988-05-05"),
    ("Чорноморець", "Тихон", "Яремович", "1991-02-27"),
    ("Лозинський", "Фотій", "Мирославович", "1982-07-19"),
    ("Гайдученко", "Остап", "Климович", "1978-01-09"),
    ("Сомко", "Зиновій", "Левкович", "2000-10-10"),
]


@pytest.fixture
def held(tmp_path: Path, admin: Actor) -> Iterator[Instance]:
    instance, _ = init_instance(tmp_path / "ua", "UA", "Test", None, ADMIN_PASSWORD)
    for number, (surname, given, patronymic, born) in enumerate(PEOPLE, start=1):
        person = a_person(surname, given, patronymic, born)
        person.record_id = f"CASE-{number}"
        registry.register_person(instance.uow(), admin, person)
    yield instance
    instance.close()


def _counts(instance: Instance) -> dict[str, int]:
    with instance.engine.connect() as connection:
        return {
            name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in (
                ("runs", t.match_runs),
                ("entries", t.match_entries),
                ("audit", t.audit_log),
            )
        }


LIST = (
    "№;ID;ПІБ;date_of_birth;x_camp\n"
    "1;RU-501;Гайдученко Остап Лукич;02.04.1990;north\n"
    "2;RU-502;Вербицкий Назар;1985-11-20;north\n"
    "3;RU-503;Невідомий Петро Петрович;1970-01-01;south\n"
)


def test_a_list_with_date_of_birth_is_read_and_its_dates_used(held: Instance, admin: Actor) -> None:
    outcome = matching.run_match(held.uow(), admin, "ru.csv", LIST.encode())
    rows, _ = matching.run_entries(held.uow(), admin, outcome.run.id, None, 0, 10)
    by_row = {e.row: (e, cs) for e, cs in rows}
    assert by_row[2][0].entry["birth_date"] == "1990-04-02"
    assert by_row[2][1][0].person_id == 1  # the namesake born 1978 is behind
    fields = {f["field"]: f for f in by_row[2][1][0].fields}
    assert fields["date_of_birth"]["weight"] > 0


def test_a_list_with_an_unknown_column_is_refused_naming_it_and_nothing_changes(
    held: Instance, admin: Actor
) -> None:
    before = _counts(held)
    text = "full_name;date_of_birth;nickname\nГайдученко Остап;1990;Ось\n"
    with pytest.raises(ImportRejected) as caught:
        matching.run_match(held.uow(), admin, "ru.csv", text.encode())
    assert [(p.row, p.field) for p in caught.value.problems] == [(1, "nickname")]
    assert _counts(held) == before


def test_the_export_gives_back_the_lists_columns_and_a_best_candidate_on_every_row(
    held: Instance, admin: Actor
) -> None:
    outcome = matching.run_match(held.uow(), admin, "ru.csv", LIST.encode())
    table = match_export.export_rows(held.uow(), admin, outcome.run.id)
    assert table.columns[-2:] == ["row_number", "x_camp"]
    by_id = {r["record_id"]: r for r in table.rows}
    assert set(by_id) == {"RU-501", "RU-502", "RU-503"}
    assert by_id["RU-501"]["written"] == "Гайдученко Остап Лукич"
    assert by_id["RU-501"]["best_record_id"] == "CASE-1"
    assert by_id["RU-501"]["best_birth_date"] == "1990-04-02"
    assert by_id["RU-502"]["x_camp"] == "north" and by_id["RU-502"]["row_number"] == "2"
    for row in table.rows:
        if row["outcome"] != "matched" and row["candidates"]:
            assert row["best_person_id"] and row["best_probability"] != ""
        if not row["candidates"]:
            assert row["best_person"] == match_export.NO_CANDIDATE
    assert by_id["RU-503"]["outcome"] == "no_match"


def test_import_keeps_our_record_id_and_refuses_one_already_used(
    held: Instance, admin: Actor
) -> None:
    text = "record_id,surname,given_name\nCASE-100,Гончарук,Євстахій\n"
    imports.import_persons(held.uow(), admin, "ours.csv", text.encode(), "UA", "uk")
    found = registry.find_persons(
        held.uow(), admin, PersonQuery(text="case-100"), PageRequest(0, 5)
    )
    assert [p.record_id for p in found.items] == ["CASE-100"]
    again = "номер справи,surname,given_name\nCASE-3,Гончарук,Юхим\nX-1,Гончарук,Яким\nX-1,Б,В\n"
    with pytest.raises(ImportRejected) as caught:
        imports.import_persons(held.uow(), admin, "again.csv", again.encode(), "UA", "uk")
    assert {(p.row, p.field) for p in caught.value.problems} == {
        (2, "record_id"),
        (4, "record_id"),
    }
    twin = a_person("Гончарук", "Тиміш")
    twin.record_id = "CASE-100"
    with pytest.raises(DuplicateIdentifier):
        registry.register_person(held.uow(), admin, twin)


def test_the_whole_registry_is_walked_in_chunks(held: Instance, admin: Actor) -> None:
    walked = list(registry.walk_persons(held.uow(), admin, PersonQuery(), chunk=5))
    assert [p.id for p in walked] == list(range(1, len(PEOPLE) + 1))
    assert walked[0].record_id == "CASE-1"
