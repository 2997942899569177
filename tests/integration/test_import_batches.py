"""Imports store their rows in batches (`registry.store_persons`): the same rows as one person
at a time, every batch in the import's one transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import ImportRejected
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.instance import Instance
from parley.interchange.person_rows import map_headers, parse_row
from parley.services.registry import imports, persons
from parley.services.uow import UnitOfWork
from parley.store import tables as t

HEADER = "surname;given_name;patronymic;sex;birth_date;category;service_number;status;status_date"
NAMES = [("Коваль", "Іван", "Петрович"), ("Мороз", "Олена", "Іванівна"), ("Ткач", "Олег", "")]


def _file(rows: int, prefix: str = "S-") -> bytes:
    lines = [HEADER]
    for n in range(rows):
        surname, given, patronymic = NAMES[n % len(NAMES)]
        sex = "female" if given == "Олена" else "male"
        status = "reported_missing;2024-05-01" if n % 2 else ";"
        lines.append(
            f"{surname};{given};{patronymic};{sex};19{70 + n % 30}-0{1 + n % 9}-1{n % 10};"
            f"military;{prefix}{n:05d};{status}"
        )
    return "\n".join(lines).encode()


def _import(instance: Instance, admin: Actor, name: str, content: bytes) -> imports.ImportOutcome:
    return imports.import_persons(instance.uow(), admin, name, content, "UA", "uk")


def _count(instance: Instance, table: Any) -> int:
    with instance.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def _counts(instance: Instance) -> dict[str, int]:
    every = (t.persons, t.person_names, t.person_name_keys, t.person_identifiers)
    every += (t.person_events, t.person_status, t.link_records, t.imports, t.audit_log)
    return {table.name: _count(instance, table) for table in every}


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 7 and parsed rows kept only for files of up to 10 entries, so a test file
    of a few dozen rows takes the paths a file of tens of thousands takes."""
    monkeypatch.setattr(imports, "STORE_BATCH", 7)
    monkeypatch.setattr(imports, "KEEP_PARSED", 10)


@pytest.mark.parametrize("rows", [5, 10, 11, 30])
def test_every_row_of_every_batch_is_stored_whole(
    instance: Instance, admin: Actor, small_batches: None, rows: int
) -> None:
    seen: list[int] = []
    outcome = imports.import_persons(
        instance.uow(), admin, "list.csv", _file(rows), "UA", "uk", seen.append
    )
    assert outcome.rows == rows and sum(seen) == rows
    assert seen == [min(7, rows - start) for start in range(0, rows, 7)]
    counts = _counts(instance)
    assert counts["persons"] == counts["person_identifiers"] == rows
    assert counts["person_names"] == counts["person_status"] == counts["link_records"] == rows
    assert counts["person_events"] == rows // 2
    with instance.uow() as uow:
        stored = uow.persons.get_many(list(range(1, rows + 1)))
        events = uow.events.for_persons(list(stored))
    assert sorted(p.identifiers[0].value for p in stored.values()) == [
        f"S{n:05d}" for n in range(rows)
    ]
    first = stored[1]
    assert (first.primary_name.surname, first.identifiers[0].value) == ("Коваль", "S00000")
    assert all(e.id is not None for history in events.values() for e in history)


def test_a_failure_in_a_later_batch_leaves_nothing_of_the_earlier_ones(
    instance: Instance, admin: Actor, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(instance, admin, "first.csv", _file(3, "F-"))
    before = _counts(instance)
    real = imports.store_persons
    calls: list[int] = []

    def failing_second(uow: UnitOfWork, *args: Any, **kwargs: Any) -> list[int]:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(uow, *args, **kwargs)

    monkeypatch.setattr(imports, "store_persons", failing_second)
    with pytest.raises(RuntimeError):
        _import(instance, admin, "list.csv", _file(20))
    assert len(calls) == 2
    assert _counts(instance) == before


def test_a_history_rule_is_reported_with_the_other_problems(
    instance: Instance, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule only the history can check names its row and field among the file's other
    problems, before anything is stored."""
    real = imports.parse_row

    def two_deaths(*args: Any) -> Any:
        row, problems = real(*args)
        if row is not None and row.row == 4:
            died = EventDraft(EventType.DIED, date(2024, 1, 1), Source.FAMILY)
            later = EventDraft(EventType.CAPTURE_CONFIRMED, date(2024, 2, 1), Source.FAMILY)
            row.events[:] = [died, later]
        return row, problems

    monkeypatch.setattr(imports, "parse_row", two_deaths)
    before = _counts(instance)
    content = _file(4).replace(b"female;1971", b"x;1971")  # row 3: a bad sex
    with pytest.raises(ImportRejected) as caught:
        _import(instance, admin, "list.csv", content)
    found = {(p.row, p.field): p.message for p in caught.value.problems}
    assert set(found) == {(3, "sex"), (4, "status")}
    assert "recorded dead since 2024-01-01;" in found[(4, "status")]
    assert "event None" not in found[(4, "status")]
    after = _counts(instance)
    assert after.pop("audit_log") == before.pop("audit_log") + 1
    assert after == before


def _stored_rows(uow: UnitOfWork, person_id: int) -> dict[str, Any]:
    """What the database holds of one person, without ids, times and the person's id."""
    session = uow.session  # type: ignore[attr-defined]
    found: dict[str, Any] = {}
    skip = {"id", "person_id", "created_at", "recorded_at", "uid"}
    for table in (t.persons, t.person_names, t.person_name_keys, t.person_identifiers):
        column = table.c.id if table is t.persons else table.c.person_id
        rows = session.execute(select(table).where(column == person_id)).mappings().all()
        found[table.name] = sorted(
            sorted((k, str(v)) for k, v in r.items() if k not in skip) for r in rows
        )
    for table in (t.person_events, t.person_status):
        rows = session.execute(select(table).where(table.c.person_id == person_id)).mappings()
        found[table.name] = [
            sorted((k, str(v)) for k, v in r.items() if k not in skip) for r in rows
        ]
    line = session.scalar(
        select(t.link_records.c.record).where(t.link_records.c.person_id == person_id)
    )
    found["link_record"] = str(line).replace(str(person_id), "ID", 1)
    return found


def test_a_batch_stores_exactly_what_one_at_a_time_stores(instance: Instance, admin: Actor) -> None:
    text = _file(2).decode().splitlines()
    mapping, _ = map_headers("x.csv", text[0].split(";"))
    values = text[2].split(";")  # with a status event
    raw = dict(zip(text[0].split(";"), values, strict=True))
    row, problems = parse_row("x.csv", 3, raw, mapping, "UA", "uk", date(2025, 1, 1))
    assert row is not None and not problems
    person = row.person
    with instance.uow() as uow:
        one = persons.store_person(uow, admin, copy.deepcopy(person), row.events).id
        single = _stored_rows(uow, one)
        uow.rollback()
    with instance.uow() as uow:
        (many,) = persons.store_persons(uow, admin, [(copy.deepcopy(person), row.events)])
        batched = _stored_rows(uow, many)
        uow.rollback()
    assert batched == single
    assert single["person_events"] and single["person_name_keys"] and single["link_record"]
