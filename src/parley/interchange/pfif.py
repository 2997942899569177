"""PFIF 1.4, the People Finder Interchange Format: persons out, persons in.

Tracing registries outside Parley (family-tracing sites, the tools of tracing agencies) exchange
missing persons as PFIF. Only what a party can share leaves: names, sex, date of birth, category,
side, and the status history in PFIF's words. Identifiers, unit, rank, places, health, relatives,
internal notes, event notes and who recorded what never do (`docs/import.md`).

This module holds the shared vocabulary and the writing; reading, all or nothing like the
persons file, is in `pfif_read`.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from parley.domain.errors import InvalidInput
from parley.domain.registry.events import EventType, History
from parley.domain.registry.persons import (
    IdentifierKind,
    Person,
    PersonCategory,
    Sex,
)

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
