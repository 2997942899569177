"""PFIF 1.4, the People Finder Interchange Format: persons out, persons in.

Tracing registries outside Parley (family-tracing sites, the tools of tracing agencies) exchange
missing persons as PFIF. Only what a party can share leaves: names, sex, date of birth, category,
side, and the status history in PFIF's words. Identifiers, unit, rank, places, health, relatives,
internal notes, event notes and who recorded what never do (`docs/import.md`).

Reading is all or nothing, like the persons file: every problem is collected with the 1-based
position of its record among the document's records and the element at fault. defusedxml parses
with DTDs refused, so entity expansion ("billion laughs") and external references cannot happen.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TypeVar

import defusedxml
import defusedxml.ElementTree as SafeET

from parley.domain.dates import PartialDate
from parley.domain.errors import ImportRejected, InvalidDate, InvalidInput, ParleyError, Problem
from parley.domain.events import EventDraft, EventType, History, Source
from parley.domain.persons import (
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

NAMESPACE = "http://zesty.ca/pfif/1.4"
_NS = f"{{{NAMESPACE}}}"
_OLDER = {f"http://zesty.ca/pfif/1.{minor}": f"1.{minor}" for minor in (1, 2, 3)}
DOCUMENT = "(document)"
"""The field named by a problem with the file as a whole (row 0: no record)."""

PERSON_FIELDS = (
    "person_record_id",
    "entry_date",
    "expiry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_name",
    "source_date",
    "source_url",
    "full_name",
    "given_name",
    "family_name",
    "alternate_names",
    "description",
    "sex",
    "date_of_birth",
    "age",
    "home_street",
    "home_neighborhood",
    "home_city",
    "home_state",
    "home_postal_code",
    "home_country",
    "photo_url",
    "profile_urls",
)
NOTE_FIELDS = (
    "note_record_id",
    "person_record_id",
    "linked_person_record_id",
    "entry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_date",
    "author_made_contact",
    "status",
    "email_of_found_person",
    "phone_of_found_person",
    "last_known_location",
    "text",
    "photo_url",
)
NOTE_STATUSES = (
    "information_sought",
    "is_note_author",
    "believed_alive",
    "believed_missing",
    "believed_dead",
)

PFIF_STATUS: dict[EventType, str] = {
    EventType.REPORTED_MISSING: "believed_missing",
    EventType.CAPTURE_CONFIRMED: "believed_alive",
    EventType.SEEN_IN_DETENTION: "believed_alive",
    EventType.DETAINED: "believed_alive",
    EventType.RELEASED: "believed_alive",
    EventType.REPATRIATED: "believed_alive",
    EventType.DIED: "believed_dead",
    EventType.REMAINS_RECEIVED: "believed_dead",
    EventType.IDENTIFIED: "believed_dead",
}
"""The events PFIF's status words can say; the rest (listed, examined, notes) stay home."""

_EVENT_OF_STATUS = {
    "believed_missing": EventType.REPORTED_MISSING,
    "believed_dead": EventType.DIED,
}
"""A foreign note's status as a Parley event. "Believed alive" says nothing of captivity or
return, so such notes, like those without a status, become `note` events that move nothing."""

EVENT_TEXT = "Parley event: "
"""Prefix of the note text Parley writes, so another Parley reads the exact event back."""

KEPT_PREFIX = "PFIF "
"""Person notes keep every PFIF field Parley has no place for as `PFIF <field>: <value>` lines:
nothing received is lost, and none of it is exported again (person notes are internal)."""

_SEX_OUT = {Sex.MALE: "male", Sex.FEMALE: "female"}
_SEX_IN = {"male": Sex.MALE, "female": Sex.FEMALE, "other": Sex.UNKNOWN}
_CATEGORIES = {c.value: c for c in PersonCategory}

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_RECORD_ID = re.compile(rf"^({_LABEL}(?:\.{_LABEL})*)/(\S+)$")
_DOMAIN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_PARLEY_LOCAL = re.compile(r"^person\.(\d+)\.([0-9a-f]{32})$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$")
_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_AGE = re.compile(r"^\d{1,3}(?:-\d{1,3})?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_KEPT_RECORD_ID = re.compile(rf"^{KEPT_PREFIX}person_record_id: (\S+)$", re.MULTILINE)

T = TypeVar("T")


def default_domain(party: str) -> str:
    """No web address here, so ids live under a reserved name (RFC 2606) unless configured."""
    return f"{party.lower()}.parley.invalid"


def check_domain(domain: str) -> str:
    cleaned = domain.strip().lower()
    if not _DOMAIN.fullmatch(cleaned):
        raise InvalidInput(f"'{domain}' is not a domain name such as ua.parley.invalid", "domain")
    return cleaned


def record_key(record_id: str) -> str:
    """The `external_record` identifier of a PFIF record: a digest of its id, exact where
    identifier normalisation (upper case, no slashes) would merge ids that differ."""
    domain, _, local = record_id.partition("/")
    return hashlib.sha256(f"{domain.lower()}/{local}".encode()).hexdigest().upper()


def parley_reference(record_id: str) -> tuple[int, str] | None:
    """(person id, uid) of an id Parley minted, whichever instance minted it; else None.

    A uid is random and unique, so a matching (id, uid) pair is the same stored person."""
    match = _RECORD_ID.match(record_id)
    local = _PARLEY_LOCAL.match(match.group(2)) if match else None
    return (int(local.group(1)), local.group(2)) if local else None


def original_record_id(person: Person) -> str | None:
    """The id a person imported from PFIF had, so a copy travels under its original id (as PFIF
    asks of clones); trusted only when it agrees with the person's `external_record` digest."""
    keys = {i.value for i in person.identifiers if i.kind is IdentifierKind.EXTERNAL_RECORD}
    match = _KEPT_RECORD_ID.search(person.notes)
    if match and record_key(match.group(1)) in keys:
        return match.group(1)
    return None


def kept_fields(notes: str) -> dict[str, str]:
    """The `PFIF <field>: <value>` lines an import kept in a person's notes."""
    found: dict[str, str] = {}
    for line in notes.splitlines():
        name, colon, value = line.removeprefix(KEPT_PREFIX).partition(": ")
        if line.startswith(KEPT_PREFIX) and colon and name in PERSON_FIELDS:
            found.setdefault(name, value)
    return found


def record_id_of(person: Person, domain: str) -> str:
    """A clone keeps its original id; a person first registered here gets one under `domain`."""
    original = original_record_id(person)
    if original is not None:
        return original
    if person.id is None:
        return f"{domain}/person.{person.uid}"
    return f"{domain}/person.{person.id}.{person.uid}"


def pfif_timestamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PfifPerson:
    """A registry person on the way out, with the history its notes are drawn from."""

    person: Person
    history: History


def write_pfif(
    records: Sequence[PfifPerson],
    *,
    domain: str,
    source_name: str | None = None,
    exported_at: datetime | None = None,
) -> bytes:
    """A PFIF 1.4 document of these persons; `source_name` names this registry as author."""
    domain = check_domain(domain)
    now = exported_at or datetime.now(UTC)
    ET.register_namespace("pfif", NAMESPACE)
    root = ET.Element(_NS + "pfif")
    for record in records:
        _write_person(root, record, domain, source_name or domain, now)
    ET.indent(root)
    content: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return content + b"\n"


def _write_person(
    parent: ET.Element, record: PfifPerson, domain: str, source: str, now: datetime
) -> None:
    person = record.person
    name = person.primary_name
    record_id = record_id_of(person, domain)
    created = pfif_timestamp(person.created_at or now)
    origin = {"author_name": source, "source_name": source, "source_date": created}
    if original_record_id(person) is not None:
        # A copy names its original repository, as received; its author stays a private person.
        kept = kept_fields(person.notes)
        origin = {k: kept.get(k, "") for k in ("source_name", "source_date", "source_url")}
    values = {
        "person_record_id": record_id,
        "entry_date": created,
        **origin,
        "full_name": name.full,
        "given_name": name.given,
        "family_name": name.surname,
        "alternate_names": "\n".join(n.full for n in person.names if not n.primary),
        "description": person.category.value,
        "sex": _SEX_OUT.get(person.sex, ""),
        "date_of_birth": str(person.birth_date) if person.birth_date else "",
        "home_country": person.side if _COUNTRY.match(person.side) else "",
    }
    element = ET.SubElement(parent, _NS + "person")
    _write_fields(element, PERSON_FIELDS, values)
    for number, event in enumerate(record.history.in_force(), start=1):
        status = PFIF_STATUS.get(event.type)
        if status is None:
            continue
        received = event.details.get("pfif_note_record_id")
        local = f"note.{event.id}" if event.id is not None else f"note.{person.uid}.{number}"
        note = ET.SubElement(element, _NS + "note")
        _write_fields(
            note,
            NOTE_FIELDS,
            {
                "note_record_id": received if isinstance(received, str) else f"{domain}/{local}",
                "person_record_id": record_id,
                "entry_date": pfif_timestamp(event.recorded_at or now),
                "author_name": source,
                "source_date": f"{event.effective_date.isoformat()}T00:00:00Z",
                "status": status,
                "text": EVENT_TEXT + event.type.value,
            },
        )


def _write_fields(element: ET.Element, order: Sequence[str], values: dict[str, str]) -> None:
    for name in order:
        if values.get(name):
            ET.SubElement(element, _NS + name).text = values[name]


# --- reading ---------------------------------------------------------------------------------


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
