"""PFIF 1.4 in and out: a written person reads back the same; a bad file names every fault."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.dates import PartialDate
from parley.domain.errors import ImportRejected
from parley.domain.registry.events import Event, EventType, History, Source
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    Script,
    Sex,
)
from parley.interchange.pfif import NAMESPACE, PfifPerson, record_key, write_pfif
from parley.interchange.pfif_read import PfifRecord, read_pfif

DOMAIN = "ua.parley.invalid"
TODAY = date(2025, 6, 2)


def _pool(locale: str, seed: int) -> dict[str, list[str]]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return {
        "surname": sorted({fake.last_name() for _ in range(60)}),
        "given": sorted({fake.first_name() for _ in range(60)}),
        "patronymic": sorted({fake.middle_name() for _ in range(40)}),
    }


POOLS = {"uk": _pool("uk_UA", 1), "ru": _pool("ru_RU", 2)}
LATIN = {
    "surname": ["Shevchenko", "Melnyk", "Kovalenko", "Bondarenko", "O'Neill", "Tkachuk"],
    "given": ["Oleksandr", "Olena", "Andrii", "Iryna", "Taras", "Mariia"],
    "patronymic": ["Ivanovych", "Petrivna", ""],
}


@st.composite
def names(draw: st.DrawFn) -> list[PersonName]:
    """A primary Cyrillic name and up to three other distinct spellings, Cyrillic or Latin."""
    chosen: list[PersonName] = []
    for number in range(draw(st.integers(1, 4))):
        pool_name = draw(st.sampled_from(["uk", "ru", "latin"]))
        pool = LATIN if pool_name == "latin" else POOLS[pool_name]
        patronymic = draw(st.sampled_from(pool["patronymic"])) if draw(st.booleans()) else ""
        name = PersonName(
            draw(st.sampled_from(pool["surname"])),
            draw(st.sampled_from(pool["given"])),
            patronymic,
            Script.LATIN if pool_name == "latin" else Script.CYRILLIC,
            "en" if pool_name == "latin" else pool_name,
            primary=number == 0,
        )
        if all(
            (n.surname, n.given, n.patronymic) != (name.surname, name.given, name.patronymic)
            for n in chosen
        ):
            chosen.append(name)
    return chosen


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate | None:
    if draw(st.booleans()):
        return None
    born = draw(st.dates(date(1940, 1, 1), date(2010, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(born.year)
    if precision == "month":
        return PartialDate(born.year, born.month)
    return PartialDate.of(born)


@st.composite
def persons(draw: st.DrawFn) -> Person:
    return Person(
        side=draw(st.sampled_from(["UA", "RU"])),
        category=draw(st.sampled_from(list(PersonCategory))),
        sex=draw(st.sampled_from(list(Sex))),
        names=draw(names()),
        birth_date=draw(partial_dates()),
        identifiers=[Identifier(IdentifierKind.PASSPORT, "АА123456")],
        unit="в/ч А0000",
        rank="солдат",
        incident_place="Бахмут",
        health="поранення",
        notes="internal: source met at checkpoint",
        id=draw(st.integers(1, 10**6)),
    )


def _parts(person: Person) -> list[tuple[str, str, str]]:
    return [(n.surname, n.given, n.patronymic) for n in person.names]


def _read(content: bytes, name: str = "in.xml") -> list[PfifRecord]:
    return read_pfif(name, content, default_side="UA", default_language="uk", today=TODAY)


@settings(max_examples=150, deadline=None)
@given(st.lists(persons(), min_size=1, max_size=5, unique_by=lambda p: p.id))
def test_what_is_written_reads_back_the_same(people: list[Person]) -> None:
    content = write_pfif([PfifPerson(p, History(())) for p in people], domain=DOMAIN)
    records = _read(content)
    assert [r.row for r in records] == list(range(1, len(people) + 1))
    for person, record in zip(people, records, strict=True):
        assert _parts(record.person) == _parts(person)
        assert record.person.primary_name.full == person.primary_name.full
        assert record.person.birth_date == person.birth_date
        assert record.person.sex == person.sex
        assert record.person.category == person.category
        assert record.person.side == person.side
        assert record.record_id == f"{DOMAIN}/person.{person.id}.{person.uid}"


def test_only_shareable_fields_leave() -> None:
    person = Person(
        side="UA",
        category=PersonCategory.MILITARY,
        sex=Sex.MALE,
        names=[PersonName("Коваль", "Іван", "Петрович", primary=True)],
        identifiers=[
            Identifier(IdentifierKind.SERVICE_NUMBER, "S-100"),
            Identifier(IdentifierKind.PASSPORT, "АА123456"),
        ],
        unit="в/ч А1234",
        rank="сержант",
        incident_place="Бахмут",
        health="поранення",
        notes="confidential remark",
        created_by="cli:coordinator",
        id=7,
    )
    history = History.of(
        [
            Event(
                7, EventType.REPORTED_MISSING, date(2024, 5, 1), Source.FAMILY, "cli:x", "mum", id=1
            ),
            Event(7, EventType.EXAMINED, date(2024, 6, 1), Source.ICRC, "cli:x", "board", id=2),
        ]
    )
    text = write_pfif([PfifPerson(person, history)], domain=DOMAIN).decode()
    for secret in (
        "S100",
        "АА123456",
        "А1234",
        "сержант",
        "Бахмут",
        "поранення",
        "confidential",
        "coordinator",
        "mum",
        "board",
        "cli:",
        "examined",
    ):
        assert secret not in text, secret
    assert "<pfif:status>believed_missing</pfif:status>" in text
    assert "<pfif:source_date>2024-05-01T00:00:00Z</pfif:source_date>" in text


def test_status_events_travel_as_notes_and_come_back_exactly() -> None:
    person = Person(
        "UA", PersonCategory.MILITARY, Sex.MALE, [PersonName("Мельник", "Андрій")], id=3
    )
    events = [
        Event(3, EventType.REPORTED_MISSING, date(2024, 2, 1), Source.FAMILY, "x", id=10),
        Event(3, EventType.CAPTURE_CONFIRMED, date(2024, 3, 1), Source.ICRC, "x", id=11),
        Event(3, EventType.DIED, date(2024, 9, 1), Source.OTHER_SIDE_LIST, "x", id=12),
        Event(3, EventType.REMAINS_RECEIVED, date(2025, 1, 5), Source.MEDIATOR, "x", id=13),
    ]
    content = write_pfif([PfifPerson(person, History.of(events))], domain=DOMAIN)
    [record] = _read(content)
    assert [(e.type, e.effective_date) for e in record.events] == [
        (e.type, e.effective_date) for e in events
    ]
    assert {e.source for e in record.events} == {Source.MEDIATOR}
    assert record.events[0].details["pfif_note_record_id"] == f"{DOMAIN}/note.10"
    assert record.person.identifiers == [
        Identifier(IdentifierKind.EXTERNAL_RECORD, record_key(record.record_id))
    ]


def _document(*records: str, namespace: str = NAMESPACE) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<pfif:pfif xmlns:pfif="{namespace}">'
        + "".join(records)
        + "</pfif:pfif>"
    ).encode()


def _person(record_id: str, *fields: str) -> str:
    return (
        f"<pfif:person><pfif:person_record_id>{record_id}</pfif:person_record_id>"
        + "".join(fields)
        + "</pfif:person>"
    )


GOOD_NAME = (
    "<pfif:full_name>Мороз Олена Іванівна</pfif:full_name>"
    "<pfif:given_name>Олена</pfif:given_name><pfif:family_name>Мороз</pfif:family_name>"
)


def test_a_foreign_record_keeps_what_parley_has_no_field_for() -> None:
    content = _document(
        _person(
            "family-search.example/person.42",
            "<pfif:entry_date>2024-05-02T10:00:00Z</pfif:entry_date>",
            "<pfif:author_name>Petro Moroz</pfif:author_name>",
            "<pfif:full_name>Olena Ivanivna Moroz</pfif:full_name>",
            "<pfif:given_name>Olena</pfif:given_name>",
            "<pfif:family_name>Moroz</pfif:family_name>",
            "<pfif:alternate_names>Мороз Олена Іванівна\n"
            "Мороз Алёна Ивановна</pfif:alternate_names>",
            "<pfif:sex>other</pfif:sex>",
            "<pfif:home_city>Kharkiv</pfif:home_city>",
            "<pfif:note><pfif:note_record_id>family-search.example/note.1</pfif:note_record_id>"
            "<pfif:author_name>Petro</pfif:author_name>"
            "<pfif:source_date>2024-05-02T10:00:00Z</pfif:source_date>"
            "<pfif:status>believed_alive</pfif:status>"
            "<pfif:text>Seen in a video.</pfif:text></pfif:note>",
        )
    )
    [record] = read_pfif("f.xml", content, default_side="UA", default_language="uk", today=TODAY)
    assert _parts(record.person) == [
        ("Moroz", "Olena", "Ivanivna"),
        ("Мороз", "Олена", "Іванівна"),
        ("Мороз", "Алёна", "Ивановна"),
    ]
    assert [n.language for n in record.person.names] == ["en", "uk", "ru"]
    assert record.person.sex is Sex.UNKNOWN
    assert "PFIF home_city: Kharkiv" in record.person.notes
    assert "PFIF sex: other" in record.person.notes
    assert "PFIF person_record_id: family-search.example/person.42" in record.person.notes
    [event] = record.events
    assert event.type is EventType.NOTE
    assert "Seen in a video." in event.note and "author: Petro" in event.note


def _problems(content: bytes) -> set[tuple[int, str]]:
    with pytest.raises(ImportRejected) as caught:
        _read(content)
    assert all(p.file == "in.xml" for p in caught.value.problems)
    return {(p.row, p.field) for p in caught.value.problems}


def test_malformed_xml_is_refused() -> None:
    assert _problems(b"<pfif:pfif xmlns:pfif='http://zesty.ca/pfif/1.4'><pfif:person>") == {
        (0, "(document)")
    }


def test_a_wrong_namespace_or_an_older_version_is_refused() -> None:
    assert _problems(_document(_person("a.example/p.1", GOOD_NAME), namespace="urn:x")) == {
        (0, "pfif")
    }
    with pytest.raises(ImportRejected) as caught:
        _read(_document(_person("a.example/p.1", GOOD_NAME), namespace="http://zesty.ca/pfif/1.2"))
    assert "PFIF 1.2" in caught.value.problems[0].message


def test_entities_are_refused_before_they_expand() -> None:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        b'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>'
        b"<pfif:person_record_id>a.example/p.1</pfif:person_record_id>"
        b"<pfif:full_name>&lol3;</pfif:full_name></pfif:person></pfif:pfif>"
    )
    with pytest.raises(ImportRejected) as caught:
        _read(laughs)
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (0, "(document)")
    assert "refused" in problem.message


def test_every_bad_field_is_named_with_its_record() -> None:
    content = _document(
        _person("a.example/p.1", GOOD_NAME, "<pfif:date_of_birth>1990-02-30</pfif:date_of_birth>"),
        _person("a.example/p.2", GOOD_NAME, "<pfif:sex>m</pfif:sex>", "<pfif:rank>1</pfif:rank>"),
        _person("a.example/p.1", GOOD_NAME),
        _person("no-slash", "<pfif:full_name>Петро</pfif:full_name>"),
        _person(
            "a.example/p.5",
            GOOD_NAME,
            "<pfif:note><pfif:note_record_id>a.example/n.1</pfif:note_record_id>"
            "<pfif:source_date>2024-13-01T00:00:00Z</pfif:source_date>"
            "<pfif:status>alive</pfif:status></pfif:note>",
        ),
        "<pfif:note><pfif:note_record_id>a.example/n.2</pfif:note_record_id>"
        "<pfif:person_record_id>a.example/p.99</pfif:person_record_id>"
        "<pfif:source_date>2024-01-01T00:00:00Z</pfif:source_date></pfif:note>",
    )
    assert _problems(content) == {
        (1, "date_of_birth"),
        (2, "sex"),
        (2, "rank"),
        (3, "person_record_id"),
        (4, "person_record_id"),
        (4, "full_name"),
        (5, "note/source_date"),
        (5, "note/status"),
        (6, "person_record_id"),
    }


def test_history_rules_apply_to_notes() -> None:
    note = (
        "<pfif:note><pfif:note_record_id>a.example/n.{n}</pfif:note_record_id>"
        "<pfif:source_date>{day}T00:00:00Z</pfif:source_date>"
        "<pfif:status>{status}</pfif:status></pfif:note>"
    )
    content = _document(
        _person(
            "a.example/p.1",
            GOOD_NAME,
            note.format(n=1, day="2024-01-01", status="believed_dead"),
            note.format(n=2, day="2024-02-01", status="believed_missing"),
        ),
        _person("a.example/p.2", GOOD_NAME, note.format(n=3, day="2099-01-01", status="")),
    )
    assert _problems(content) == {(1, "note/status"), (2, "note/source_date")}


def test_a_document_without_persons_is_refused() -> None:
    assert _problems(_document()) == {(0, "pfif")}


def test_timestamps_are_utc() -> None:
    moment = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    person = Person("RU", PersonCategory.CIVILIAN, Sex.FEMALE, [PersonName("Иванова", "Мария")])
    person.created_at = moment
    text = write_pfif([PfifPerson(person, History(()))], domain=DOMAIN).decode()
    assert "<pfif:entry_date>2024-05-01T12:00:00Z</pfif:entry_date>" in text
    assert f"{DOMAIN}/person.{person.uid}" in text
