"""Rows of a persons file → people and their first event, with every problem found.

Headers may be English, Ukrainian or Russian (`columns.ALIASES`, listed in `docs/import.md`);
values too, for the fields that take a fixed vocabulary. A column Parley does not know is an
error, not ignored: dropping what someone typed would lose it silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from parley.domain.dates import PartialDate, parse_full_date
from parley.domain.errors import ParleyError, Problem
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    Sex,
    detect_script,
    fold,
)
from parley.interchange.columns import Door, map_columns

REQUIRED = ("surname", "given_name")

T = TypeVar("T")

SEX_WORDS: dict[str, Sex] = {
    "male": Sex.MALE,
    "m": Sex.MALE,
    "ч": Sex.MALE,
    "чол": Sex.MALE,
    "чоловіча": Sex.MALE,
    "м": Sex.MALE,
    "муж": Sex.MALE,
    "мужской": Sex.MALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "ж": Sex.FEMALE,
    "жін": Sex.FEMALE,
    "жіноча": Sex.FEMALE,
    "жен": Sex.FEMALE,
    "женский": Sex.FEMALE,
    "unknown": Sex.UNKNOWN,
    "": Sex.UNKNOWN,
}
_CATEGORY = {
    "military": PersonCategory.MILITARY,
    "військовий": PersonCategory.MILITARY,
    "військовослужбовець": PersonCategory.MILITARY,
    "военный": PersonCategory.MILITARY,
    "военнослужащий": PersonCategory.MILITARY,
    "civilian": PersonCategory.CIVILIAN,
    "цивільний": PersonCategory.CIVILIAN,
    "гражданский": PersonCategory.CIVILIAN,
}
_IDENTIFIER_COLUMNS = {
    "service_number": IdentifierKind.SERVICE_NUMBER,
    "military_id": IdentifierKind.MILITARY_ID,
    "passport": IdentifierKind.PASSPORT,
    "tax_number": IdentifierKind.TAX_NUMBER,
}
_SOURCES = {s.value: s for s in Source}
_UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")
_RUSSIAN_LETTERS = set("ыэъёЫЭЪЁ")


def map_headers(file: str, headers: list[str]) -> tuple[dict[str, str], list[Problem]]:
    """Original header → field, and every problem with the header row (see `columns`)."""
    columns = map_columns(file, headers, Door.PERSONS)
    fields = set(columns.fields.values())
    problems = columns.problems + [
        Problem(1, field, "required column is missing", file)
        for field in REQUIRED
        if field not in fields
    ]
    return columns.fields, problems


@dataclass(frozen=True)
class ParsedRow:
    row: int
    person: Person
    events: list[EventDraft]


def language_of(text: str, default: str) -> str:
    letters = set(text)
    if letters & _UKRAINIAN_LETTERS:
        return "uk"
    if letters & _RUSSIAN_LETTERS:
        return "ru"
    return default


def parse_row(
    file: str,
    row: int,
    raw: dict[str, str],
    mapping: dict[str, str],
    default_side: str,
    default_language: str,
    today: date,
) -> tuple[ParsedRow | None, list[Problem]]:
    values = {mapping[h]: v for h, v in raw.items() if h in mapping}
    problems: list[Problem] = []

    def field(name: str, parse: Callable[[str], T], default: T) -> T:
        text = values.get(name, "").strip()
        if not text:
            return default
        try:
            return parse(text)
        except (ParleyError, KeyError, ValueError) as exc:
            message = exc.message if isinstance(exc, ParleyError) else str(exc)
            problems.append(Problem(row, name, message, file))
            return default

    for required in REQUIRED:
        if not values.get(required, "").strip():
            problems.append(Problem(row, required, "must not be empty", file))

    sex = field("sex", lambda v: _lookup(SEX_WORDS, v, "male, female"), Sex.UNKNOWN)
    category = field(
        "category", lambda v: _lookup(_CATEGORY, v, "military, civilian"), PersonCategory.MILITARY
    )
    birth = field("birth_date", PartialDate.parse, None)
    if birth is not None and birth.earliest() > today:
        problems.append(Problem(row, "birth_date", f"{birth} is in the future", file))
    incident = field("incident_date", parse_full_date, None)
    status = field("status", lambda v: _lookup(_STATUS_EVENTS, v, ", ".join(_STATUS_EVENTS)), None)
    status_date = field("status_date", parse_full_date, None)
    source = field(
        "source", lambda v: _lookup(_SOURCES, v, ", ".join(_SOURCES)), Source.OWN_INFORMATION
    )
    side = field("side", _side, default_side)
    identifiers: list[Identifier] = []
    for column, kind in _IDENTIFIER_COLUMNS.items():
        ident = field(column, lambda v, k=kind: Identifier(k, v), None)  # type: ignore[misc]
        if ident is not None:
            identifiers.append(ident)

    events: list[EventDraft] = []
    if status is not None:
        when = status_date or incident
        if when is None:
            problems.append(
                Problem(row, "status_date", "a status needs its date (or an incident date)", file)
            )
        elif when > today:
            problems.append(Problem(row, "status_date", f"{when} is in the future", file))
        else:
            events.append(EventDraft(status, when, source, f"imported from {file}"))
    elif status_date is not None:
        problems.append(Problem(row, "status", "a status date was given without a status", file))

    if problems:
        return None, problems
    full = " ".join(values.get(k, "") for k in ("surname", "given_name", "patronymic"))
    try:
        name = PersonName(
            values["surname"],
            values["given_name"],
            values.get("patronymic", ""),
            script=detect_script(full),
            language=language_of(full, default_language),
            primary=True,
        )
        person = Person(
            side=side,
            category=category,
            sex=sex,
            names=[name],
            birth_date=birth,
            identifiers=identifiers,
            unit=values.get("unit", ""),
            rank=values.get("rank", ""),
            incident_place=values.get("incident_place", ""),
            incident_date=incident,
            health=values.get("health", ""),
            notes=values.get("notes", ""),
            record_id=values.get("record_id", "").strip(),
        )
    except ParleyError as exc:
        return None, [Problem(row, "(row)", exc.message, file)]
    return ParsedRow(row, person, events), []


_STATUS_EVENTS: dict[str, EventType] = {
    t.value: t
    for t in (
        EventType.REPORTED_MISSING,
        EventType.CAPTURE_CONFIRMED,
        EventType.SEEN_IN_DETENTION,
        EventType.DETAINED,
        EventType.RELEASED,
        EventType.REPATRIATED,
        EventType.DIED,
    )
} | {
    "зниклий безвісти": EventType.REPORTED_MISSING,
    "пропал без вести": EventType.REPORTED_MISSING,
    "у полоні": EventType.CAPTURE_CONFIRMED,
    "в плену": EventType.CAPTURE_CONFIRMED,
    "утримується": EventType.DETAINED,
    "содержится": EventType.DETAINED,
    "загинув": EventType.DIED,
    "погиб": EventType.DIED,
    "повернутий": EventType.REPATRIATED,
    "возвращен": EventType.REPATRIATED,
}


def _lookup(table: dict[str, T], value: str, allowed: str) -> T:
    key = fold(value).replace(" ", "_")
    found = table.get(key, table.get(fold(value)))
    if found is None:
        raise ValueError(f"'{value}' is not one of: {allowed}")
    return found


def _side(value: str) -> str:
    code = value.strip().upper()
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise ValueError(f"'{value}' is not a party code such as UA or RU")
    return code
