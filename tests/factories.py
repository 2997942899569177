"""Small builders of synthetic people for tests; names are invented, never real records."""

from __future__ import annotations

from datetime import date

from parley.domain.dates import PartialDate
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    Sex,
)


def a_person(
    surname: str = "Ковальчук",
    given: str = "Богдан",
    patronymic: str = "Петрович",
    born: str | None = "1999-06-10",
    service_number: str | None = None,
    side: str = "UA",
    category: PersonCategory = PersonCategory.MILITARY,
) -> Person:
    return Person(
        side=side,
        category=category,
        sex=Sex.MALE,
        names=[PersonName(surname, given, patronymic, primary=True)],
        birth_date=PartialDate.parse(born) if born else None,
        identifiers=[Identifier(IdentifierKind.SERVICE_NUMBER, service_number)]
        if service_number
        else [],
        unit="в/ч А0000",
        incident_place="Бахмут",
        incident_date=date(2024, 2, 1),
    )


def missing_since(day: date = date(2024, 2, 1)) -> list[EventDraft]:
    return [EventDraft(EventType.REPORTED_MISSING, day, Source.FAMILY)]
