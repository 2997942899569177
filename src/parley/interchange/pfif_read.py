"""Reading PFIF 1.4: all or nothing, every problem with its record's position and element.

defusedxml parses with DTDs refused, so entity expansion ("billion laughs") and external
references cannot happen. The shared vocabulary (fields, statuses, record ids) is in `pfif`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import defusedxml
import defusedxml.ElementTree as SafeET

from parley.domain.dates import PartialDate
from parley.domain.errors import ImportRejected, InvalidDate, ParleyError, Problem
from parley.domain.registry.events import EventDraft, EventType, History, Source
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    Script,
    Sex,
    clean_text,
    detect_script,
)
from parley.interchange.person_rows import language_of
from parley.interchange.pfif import (
    _AGE,
    _CATEGORIES,
    _COUNTRY,
    _EVENT_OF_STATUS,
    _ISO_DATE,
    _NS,
    _OLDER,
    _RECORD_ID,
    _SEX_IN,
    _TIMESTAMP,
    DOCUMENT,
    EVENT_TEXT,
    KEPT_PREFIX,
    NAMESPACE,
    NOTE_FIELDS,
    NOTE_STATUSES,
    PERSON_FIELDS,
    PFIF_STATUS,
    T,
    record_key,
)


@dataclass(frozen=True)
class PfifRecord:
    """A person read from PFIF, ready to register: its place in the file and its PFIF id."""

    row: int
    record_id: str
    person: Person
    events: tuple[EventDraft, ...]


@dataclass
class _Reader:
    file: str
    default_side: str | None
    default_language: str
    source: Source
    today: date
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int, name: str, message: str) -> None:
        self.problems.append(Problem(row, name, message, self.file))

    def check(self, row: int, name: str, value: str, parse: Callable[[str], T], default: T) -> T:
        """`parse(value)`, or `default` with a problem recorded if it fails; empty is default."""
        if not value:
            return default
        try:
            return parse(value)
        except (ParleyError, ValueError) as exc:
            self.problem(row, name, exc.message if isinstance(exc, ParleyError) else str(exc))
            return default

    def fields(
        self, element: ET.Element, allowed: Sequence[str], row: int, prefix: str
    ) -> tuple[dict[str, str], list[ET.Element]]:
        """The element's PFIF fields as text, and its nested notes; anything else is a problem."""
        values: dict[str, str] = {}
        notes: list[ET.Element] = []
        for child in element:
            name = _local(child.tag)
            if child.tag == _NS + "note" and prefix == "":
                notes.append(child)
            elif not child.tag.startswith(_NS) or name not in allowed:
                self.problem(row, prefix + name, "not a PFIF 1.4 field here")
            elif name in values:
                self.problem(row, prefix + name, "appears more than once")
            elif len(child):
                self.problem(row, prefix + name, "must hold text, not elements")
            else:
                text = child.text or ""
                values[name] = text if name in ("alternate_names", "text") else clean_text(text)
        return values, notes


def read_pfif(
    file_name: str,
    content: bytes,
    *,
    default_side: str | None = None,
    default_language: str = "und",
    source: Source = Source.MEDIATOR,
    today: date | None = None,
) -> list[PfifRecord]:
    """Every person of a PFIF 1.4 document with its notes as events, or ImportRejected listing
    every problem (row = 1-based record position, 0 for the document itself)."""
    reader = _Reader(
        file_name, default_side, default_language, source, today or datetime.now(UTC).date()
    )
    root = _document(file_name, content)
    persons: list[tuple[int, str, dict[str, str]]] = []
    notes: dict[int, list[_Note]] = {}
    loose: list[tuple[int, _Note]] = []
    for row, child in enumerate(root, start=1):
        if child.tag == _NS + "person":
            values, nested = reader.fields(child, PERSON_FIELDS, row, "")
            record_id = values.get("person_record_id", "")
            if not record_id:
                reader.problem(row, "person_record_id", "must not be empty")
            else:
                reader.check(row, "person_record_id", record_id, _record_id, "")
            persons.append((row, record_id, values))
            notes[row] = [n for e in nested if (n := _read_note(reader, e, row, record_id))]
        elif child.tag == _NS + "note":
            note = _read_note(reader, child, row, None)
            if note is not None:
                loose.append((row, note))
        else:
            reader.problem(row, _local(child.tag), "not a PFIF 1.4 record (person or note)")
    _check_unique(reader, [(row, rid) for row, rid, _ in persons if rid], "person_record_id")
    all_notes = [(row, n) for row, ns in notes.items() for n in ns] + loose
    _check_unique(
        reader, [(row, n.record_id) for row, n in all_notes if n.record_id], "note_record_id"
    )
    row_of = {rid: row for row, rid, _ in persons if rid}
    for row, note in loose:
        target = row_of.get(note.person_record_id)
        if target is None:
            reader.problem(
                row,
                "person_record_id",
                f"refers to person {note.person_record_id}, which is not in this file; "
                "notes are read only with their person",
            )
        else:
            notes[target].append(note)
    records = [
        record
        for row, record_id, values in persons
        if (record := _build_person(reader, row, record_id, values, notes[row])) is not None
    ]
    if not persons and not reader.problems:
        reader.problem(0, "pfif", "the document has no person records")
    if reader.problems:
        raise ImportRejected(
            file_name, sorted(reader.problems, key=lambda p: (p.row, p.field, p.message))
        )
    return records


def _document(file: str, content: bytes) -> ET.Element:
    def refuse(name: str, message: str) -> ImportRejected:
        return ImportRejected(file, [Problem(0, name, message, file)])

    try:
        root: ET.Element = SafeET.fromstring(content, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise refuse(
            DOCUMENT,
            f"DTDs, entities and external references are refused ({type(exc).__name__})",
        ) from exc
    except (ET.ParseError, ValueError) as exc:
        raise refuse(DOCUMENT, f"not well-formed XML: {exc}") from exc
    if root.tag == _NS + "pfif":
        return root
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    version = _OLDER.get(namespace)
    if version is not None:
        raise refuse(
            "pfif", f"this is PFIF {version}; Parley reads PFIF 1.4 (namespace {NAMESPACE})"
        )
    raise refuse(
        "pfif",
        f"not a PFIF 1.4 document: the root element is '{_local(root.tag)}' in namespace "
        f"'{namespace}', not 'pfif' in {NAMESPACE}",
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _record_id(value: str) -> str:
    if not _RECORD_ID.match(value):
        raise ValueError(f"'{value}' is not a record id such as example.org/person.123")
    return value


def _timestamp(value: str) -> datetime:
    if not _TIMESTAMP.match(value):
        raise ValueError(f"'{value}' is not a UTC time such as 2024-05-01T12:00:00Z")
    try:
        return datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real time: {exc}") from exc


def _birth(value: str) -> PartialDate:
    if not _ISO_DATE.match(value):
        raise InvalidDate(f"'{value}' is not a date; PFIF uses YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate.parse(value)


def _choice(table: dict[str, T]) -> Callable[[str], T]:
    def parse(value: str) -> T:
        if value not in table:
            raise ValueError(f"'{value}' is not one of: {', '.join(table)}")
        return table[value]

    return parse


def _check_unique(reader: _Reader, ids: list[tuple[int, str]], name: str) -> None:
    first: dict[str, int] = {}
    for row, record_id in ids:
        if record_id in first:
            reader.problem(row, name, f"{record_id} is also record {first[record_id]} of this file")
        else:
            first.setdefault(record_id, row)


@dataclass(frozen=True)
class _Note:
    row: int
    prefix: str
    record_id: str
    person_record_id: str
    draft: EventDraft


def _read_note(
    reader: _Reader, element: ET.Element, row: int, person_record_id: str | None
) -> _Note | None:
    """One note as an event draft; `person_record_id` is set when the note sits in its person."""
    prefix = "note/" if person_record_id is not None else ""
    before = len(reader.problems)
    values, _ = reader.fields(element, NOTE_FIELDS, row, prefix)
    note_id = values.get("note_record_id", "")
    if not note_id:
        reader.problem(row, prefix + "note_record_id", "must not be empty")
    reader.check(row, prefix + "note_record_id", note_id, _record_id, "")
    owner = values.get("person_record_id", "")
    if person_record_id is None and not owner:
        reader.problem(row, "person_record_id", "a note outside a person must name its person")
    elif person_record_id and owner and owner != person_record_id:
        reader.problem(
            row, prefix + "person_record_id", f"differs from its person's id {person_record_id}"
        )
    reader.check(row, prefix + "person_record_id", owner, _record_id, "")
    linked = values.get("linked_person_record_id", "")
    reader.check(row, prefix + "linked_person_record_id", linked, _record_id, "")
    reader.check(row, prefix + "entry_date", values.get("entry_date", ""), _timestamp, None)
    when = reader.check(
        row, prefix + "source_date", values.get("source_date", ""), _timestamp, None
    )
    if when is None and not values.get("source_date"):
        reader.problem(row, prefix + "source_date", "a note needs the date it speaks of")
    status = reader.check(
        row, prefix + "status", values.get("status", ""), _choice(_identity(NOTE_STATUSES)), ""
    )
    reader.check(
        row,
        prefix + "author_made_contact",
        values.get("author_made_contact", ""),
        _choice(_identity(("true", "false"))),
        "",
    )
    if when is None or len(reader.problems) > before:
        return None
    text = values.get("text", "").strip()
    kind = _event_type(status, text)
    lines = [f"PFIF note {note_id}" + (f" ({status})" if status else "")]
    if text and not text.startswith(EVENT_TEXT):
        lines.append(text)
    lines += [
        f"{label}: {values[name]}"
        for name, label in (
            ("author_name", "author"),
            ("author_made_contact", "author made contact"),
            ("last_known_location", "last known location"),
            ("linked_person_record_id", "linked record"),
            ("email_of_found_person", "email of found person"),
            ("phone_of_found_person", "phone of found person"),
            ("author_email", "author email"),
            ("author_phone", "author phone"),
            ("photo_url", "photo"),
        )
        if values.get(name)
    ]
    draft = EventDraft(
        kind,
        when.date(),
        reader.source,
        "\n".join(lines),
        {"pfif_note_record_id": note_id, "pfif_status": status},
    )
    return _Note(row, prefix, note_id, owner or person_record_id or "", draft)


def _identity(words: Sequence[str]) -> dict[str, str]:
    return {word: word for word in words}


def _event_type(status: str, text: str) -> EventType:
    """The exact event when another Parley wrote the note and its status agrees, else the
    nearest event PFIF's word allows."""
    if text.startswith(EVENT_TEXT):
        named = text.removeprefix(EVENT_TEXT).strip()
        if named in {t.value for t in EventType} and PFIF_STATUS.get(EventType(named)) == status:
            return EventType(named)
    return _EVENT_OF_STATUS.get(status, EventType.NOTE)


def _build_person(
    reader: _Reader, row: int, record_id: str, values: dict[str, str], notes: list[_Note]
) -> PfifRecord | None:
    before = len(reader.problems)
    kept: list[tuple[str, str]] = []
    names = _names(reader, row, values, kept)
    sex = reader.check(row, "sex", values.get("sex", ""), _choice(_SEX_IN), Sex.UNKNOWN)
    if values.get("sex") == "other":
        kept.append(("sex", "other"))
    birth = reader.check(row, "date_of_birth", values.get("date_of_birth", ""), _birth, None)
    if birth is not None and birth.earliest() > reader.today:
        reader.problem(row, "date_of_birth", f"{birth} is in the future")
    description = values.get("description", "")
    category = _CATEGORIES.get(description.casefold())
    if category is None and description:
        kept.append(("description", description))
    side = reader.check(row, "home_country", values.get("home_country", ""), _country, None)
    if side is None and not values.get("home_country"):
        side = reader.default_side
        if side is None:
            reader.problem(row, "home_country", "missing, and no default party was given")
    for name in ("entry_date", "source_date", "expiry_date"):
        reader.check(row, name, values.get(name, ""), _timestamp, None)
    reader.check(row, "age", values.get("age", ""), _age, "")
    kept += [(name, values[name]) for name in _KEPT_PERSON_FIELDS if values.get(name)]
    events = _events(reader, notes)
    if len(reader.problems) > before or side is None or not names:
        return None
    lines = [f"Imported from PFIF file {reader.file}."]
    lines += [f"{KEPT_PREFIX}{name}: {' '.join(value.split())}" for name, value in kept]
    try:
        person = Person(
            side=side,
            category=category or PersonCategory.MILITARY,
            sex=sex,
            names=names,
            birth_date=birth,
            identifiers=[Identifier(IdentifierKind.EXTERNAL_RECORD, record_key(record_id))],
            notes="\n".join(lines),
        )
    except ParleyError as exc:
        reader.problem(row, "full_name", exc.message)
        return None
    return PfifRecord(row, record_id, person, events)


_KEPT_PERSON_FIELDS = tuple(
    name
    for name in PERSON_FIELDS
    if name
    not in {
        "full_name",
        "given_name",
        "family_name",
        "alternate_names",
        "description",
        "sex",
        "date_of_birth",
        "home_country",
    }
)
"""Person fields Parley has no place for: kept as `PFIF <field>:` lines in the person's notes."""


def _country(value: str) -> str:
    if not _COUNTRY.match(value):
        raise ValueError(f"'{value}' is not an upper-case two-letter country code such as UA")
    return value


def _age(value: str) -> str:
    if not _AGE.match(value):
        raise ValueError(f"'{value}' is not an age (a number, or a range such as 20-25)")
    return value


def _names(
    reader: _Reader, row: int, values: dict[str, str], kept: list[tuple[str, str]]
) -> list[PersonName]:
    """The primary name from family_name + given_name (the patronymic from full_name, which
    Parley writes as `Surname Given Patronymic`), or from full_name alone; then the others."""
    family, given = values.get("family_name", ""), values.get("given_name", "")
    full = values.get("full_name", "")
    if family and given:
        patronymic = _patronymic(full, family, given)
        if patronymic is None:
            kept.append(("full_name", full))
            patronymic = ""
        parts = (family, given, patronymic)
    elif len(full.split()) >= 2:
        words = full.split()
        parts = (words[0], words[1], " ".join(words[2:]))
    else:
        missing = "given_name" if family else "family_name"
        reader.problem(
            row,
            missing if (family or given) else "full_name",
            "a person needs a family and a given name: family_name and given_name, "
            "or a full_name 'Surname Given [Patronymic]'",
        )
        return []
    names: list[PersonName] = []
    for text, number in [(" ".join(p for p in parts if p), 0)] + [
        (clean_text(line), n)
        for n, line in enumerate(values.get("alternate_names", "").splitlines(), start=1)
    ]:
        if not text:
            continue
        words = text.split()
        if number == 0:
            surname, first, rest = parts
        elif len(words) < 2:
            reader.problem(
                row,
                "alternate_names",
                f"line {number}: '{text}' needs a surname and a given name",
            )
            continue
        else:
            surname, first, rest = words[0], words[1], " ".join(words[2:])
        if any((n.surname, n.given, n.patronymic) == (surname, first, rest) for n in names):
            continue
        script = detect_script(text)
        fallback = reader.default_language if script is Script.CYRILLIC else "en"
        try:
            names.append(
                PersonName(
                    surname,
                    first,
                    rest,
                    script,
                    language_of(text, fallback),
                    primary=number == 0,
                )
            )
        except ParleyError as exc:
            reader.problem(row, "alternate_names" if number else "full_name", exc.message)
    return names


def _patronymic(full: str, family: str, given: str) -> str | None:
    """What full_name adds to family + given: "" if nothing, one word if it is the patronymic
    (`Family Given X` or `Given X Family`), None if full_name is another form altogether."""
    if not full:
        return ""
    words = full.split()
    fam, giv = family.split(), given.split()
    folded = [w.casefold() for w in words]
    fam_f, giv_f = [w.casefold() for w in fam], [w.casefold() for w in giv]
    if folded in (fam_f + giv_f, giv_f + fam_f):
        return ""
    if len(words) == len(fam) + len(giv) + 1:
        if folded[:-1] == fam_f + giv_f:
            return words[-1]
        if folded[: len(giv)] == giv_f and folded[len(giv) + 1 :] == fam_f:
            return words[len(giv)]
    return None


def _events(reader: _Reader, notes: list[_Note]) -> tuple[EventDraft, ...]:
    """The notes in date order, checked against the history rules as a stored person's would
    be (no future dates, nothing but remains after a death), so a refusal names the note."""
    ordered = sorted(notes, key=lambda n: n.draft.effective_date)
    history = History(())
    for note in ordered:
        event = note.draft.bind(0, "")
        try:
            history.check_new(event, reader.today)
        except ParleyError as exc:
            name = "source_date" if getattr(exc, "field", None) == "effective_date" else "status"
            reader.problem(note.row, note.prefix + name, exc.message)
            continue
        history = History.of([*history.events, event])
    return tuple(n.draft for n in ordered)
