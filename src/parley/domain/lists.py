"""Lists that cross between parties: versioned snapshots of shareable entries.

A list is what one party tells another at a moment: an offer, a request, a response to the
other side's list, a stage manifest, a receipt or a death list. Only fields meant to be shared
are in an entry (names, birth, documents, unit, category evidence); a person's internal notes,
health record and relatives never are. Versions are never edited: a new version records which
entries were added and which removed since the previous one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.matching import ListEntry
from parley.domain.registry.events import Status
from parley.domain.registry.persons import Identifier, IdentifierKind, Person, Sex, clean_text


class ListPurpose(StrEnum):
    OFFER = "offer"
    REQUEST = "request"
    RESPONSE = "response"
    STAGE_MANIFEST = "stage_manifest"
    RECEIPT = "receipt"
    DEATH_LIST = "death_list"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Verdict(StrEnum):
    """What the receiving side answers about one entry of the other side's list."""

    CONFIRM = "confirm"
    DISPUTE = "dispute"
    UNKNOWN = "unknown"


_PARTY = re.compile(r"[A-Z]{2,3}")


def check_party(code: str, what: str = "party") -> str:
    upper = code.strip().upper()
    if not _PARTY.fullmatch(upper):
        raise InvalidInput(f"{what} '{code}' is not a party code such as UA, RU or TR", what)
    return upper


@dataclass(frozen=True)
class EntryResponse:
    in_reply_to: str
    verdict: Verdict
    reason: str = ""

    def __post_init__(self) -> None:
        if self.verdict is Verdict.DISPUTE and not self.reason.strip():
            raise InvalidInput(f"entry {self.in_reply_to}: a dispute needs a reason", "reason")


@dataclass(frozen=True)
class SharedEntry:
    """One entry as the other side will see it, and nothing more."""

    ref: str
    surname: str
    given_name: str
    patronymic: str = ""
    birth_date: PartialDate | None = None
    sex: Sex = Sex.UNKNOWN
    identifiers: tuple[Identifier, ...] = ()
    unit: str = ""
    category_evidence: str = ""
    response: EntryResponse | None = None

    def __post_init__(self) -> None:
        if not self.ref.strip():
            raise InvalidInput("an entry needs a reference", "ref")
        for part in ("surname", "given_name", "patronymic", "unit", "category_evidence"):
            object.__setattr__(self, part, clean_text(getattr(self, part)))
        if not self.surname and self.response is None:
            raise InvalidInput(f"entry {self.ref}: no surname", "surname")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    def as_list_entry(self, row: int) -> ListEntry:
        """The entry as the matching engine reads it; extra fields travel for reviewers."""
        extra = {"ref": self.ref}
        if self.unit:
            extra["unit"] = self.unit
        if self.category_evidence:
            extra["category_evidence"] = self.category_evidence
        return ListEntry(
            row,
            self.surname,
            self.given_name,
            self.patronymic,
            self.birth_date,
            self.sex,
            self.identifiers,
            extra,
        )

    def key(self) -> str:
        """The same person on another version of the list has the same key."""
        return self.as_list_entry(0).key()

    def to_payload(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "key": self.key(),
            "surname": self.surname,
            "given_name": self.given_name,
            "patronymic": self.patronymic,
            "birth_date": str(self.birth_date) if self.birth_date else "",
            "sex": self.sex.value,
            "identifiers": [{"kind": i.kind.value, "value": i.value} for i in self.identifiers],
            "unit": self.unit,
            "category_evidence": self.category_evidence,
            "response": None
            if self.response is None
            else {
                "in_reply_to": self.response.in_reply_to,
                "verdict": self.response.verdict.value,
                "reason": self.response.reason,
            },
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> SharedEntry:
        response = data.get("response")
        birth = str(data.get("birth_date") or "")
        return cls(
            ref=str(data["ref"]),
            surname=str(data.get("surname", "")),
            given_name=str(data.get("given_name", "")),
            patronymic=str(data.get("patronymic", "")),
            birth_date=PartialDate.parse(birth) if birth else None,
            sex=Sex(str(data.get("sex", "unknown"))),
            identifiers=tuple(
                Identifier(IdentifierKind(str(i["kind"])), str(i["value"]))
                for i in data.get("identifiers", [])
            ),
            unit=str(data.get("unit", "")),
            category_evidence=str(data.get("category_evidence", "")),
            response=None
            if not response
            else EntryResponse(
                str(response["in_reply_to"]),
                Verdict(str(response["verdict"])),
                str(response.get("reason", "")),
            ),
        )


def shared_entry(ref: str, person: Person, evidence: str = "") -> SharedEntry:
    """A registry person reduced to what may cross the line: primary name, birth, documents."""
    name = next(n for n in person.names if n.primary)
    return SharedEntry(
        ref=ref,
        surname=name.surname,
        given_name=name.given,
        patronymic=name.patronymic,
        birth_date=person.birth_date,
        sex=person.sex,
        identifiers=tuple(person.identifiers),
        unit=person.unit,
        category_evidence=evidence,
    )


@dataclass(frozen=True)
class ListChanges:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed"


def changes_between(previous: Sequence[SharedEntry], current: Sequence[SharedEntry]) -> ListChanges:
    """Entry keys added and removed, in list order: what a reader of version n+1 must notice."""
    before = {e.key() for e in previous}
    after = {e.key() for e in current}
    return ListChanges(
        tuple(k for k in dict.fromkeys(e.key() for e in current) if k not in before),
        tuple(k for k in dict.fromkeys(e.key() for e in previous) if k not in after),
    )


@dataclass(frozen=True)
class ListHeader:
    name: str
    version: int
    purpose: ListPurpose
    category: str
    sender: str
    recipients: tuple[str, ...]
    created_at: str
    reference: str = ""
    previous_sha256: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("a list needs a name", "name")
        if self.version < 1:
            raise InvalidInput("a list version starts at 1", "version")
        object.__setattr__(self, "sender", check_party(self.sender, "sender"))
        recipients = tuple(check_party(r, "recipient") for r in self.recipients)
        if not recipients:
            raise InvalidInput("a list needs at least one recipient", "recipient")
        if self.sender in recipients:
            raise InvalidInput("a list is not sent to its own sender", "recipient")
        object.__setattr__(self, "recipients", recipients)


@dataclass(frozen=True)
class PartyList:
    header: ListHeader
    entries: tuple[SharedEntry, ...]
    changes: ListChanges = field(default_factory=ListChanges)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.ref in seen:
                raise InvalidInput(f"entry reference {entry.ref} appears twice", "ref")
            seen.add(entry.ref)

    def to_payload(self) -> dict[str, Any]:
        """The `list` object of a bundle; its canonical form is what the digest covers."""
        h = self.header
        return {
            "name": h.name,
            "version": h.version,
            "purpose": h.purpose.value,
            "category": h.category,
            "reference": h.reference,
            "sender": h.sender,
            "recipients": list(h.recipients),
            "created_at": h.created_at,
            "previous_sha256": h.previous_sha256,
            "changes": {"added": list(self.changes.added), "removed": list(self.changes.removed)},
            "entries": [e.to_payload() for e in self.entries],
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> PartyList:
        header = ListHeader(
            name=str(data["name"]),
            version=int(data["version"]),
            purpose=ListPurpose(str(data["purpose"])),
            category=str(data.get("category", "")),
            sender=str(data["sender"]),
            recipients=tuple(str(r) for r in data["recipients"]),
            created_at=str(data["created_at"]),
            reference=str(data.get("reference", "")),
            previous_sha256=data.get("previous_sha256"),
        )
        changes = data.get("changes") or {}
        return cls(
            header,
            tuple(SharedEntry.from_payload(e) for e in data["entries"]),
            ListChanges(tuple(changes.get("added", [])), tuple(changes.get("removed", []))),
        )


_AGE_BAND = re.compile(r"\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\s*")


def parse_age_band(text: str) -> tuple[int, int] | None:
    """`18-25` (or `18–25`) as typed in a form or on the command line; empty means no band."""
    if not text.strip():
        return None
    found = _AGE_BAND.fullmatch(text)
    if not found:
        raise InvalidInput(f"age band '{text}' should look like 18-25", "ages")
    return int(found[1]), int(found[2])


MAX_AGE = 130
"""Older than anyone recorded: an age band beyond it is a typing slip (and would leave the
calendar: year -46376)."""


def birth_range_for_ages(youngest: int, oldest: int, on: date) -> tuple[date, date]:
    """Birth dates of people aged `youngest`..`oldest` inclusive on a day."""
    if youngest < 0 or oldest < youngest:
        raise InvalidInput(f"age band {youngest}-{oldest} is not a range", "age")
    if oldest > MAX_AGE:
        raise InvalidInput(f"age band {youngest}-{oldest}: no one is older than {MAX_AGE}", "age")
    latest = _years_before(on, youngest)
    earliest = _years_before(on, oldest + 1)
    return date.fromordinal(earliest.toordinal() + 1), latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


class Finding(StrEnum):
    """What a received list's entry is to us, after matching it against our registry."""

    HELD = "known_held"
    MISSING = "known_missing"
    RETURNED = "already_returned"
    DEAD = "known_dead"
    UNKNOWN = "unknown"
    DUPLICATE = "duplicate_in_list"
    TO_REVIEW = "possible_match"

    @property
    def label(self) -> str:
        return {
            Finding.HELD: "known, held by us",
            Finding.MISSING: "known, missing",
            Finding.RETURNED: "already returned",
            Finding.DEAD: "known dead",
            Finding.UNKNOWN: "unknown",
            Finding.DUPLICATE: "duplicate within the list",
            Finding.TO_REVIEW: "possible match, awaiting review",
        }[self]


FINDING_OF_STATUS: dict[Status, Finding] = {
    Status.HELD: Finding.HELD,
    Status.REGISTERED: Finding.MISSING,
    Status.MISSING: Finding.MISSING,
    Status.IN_CAPTIVITY: Finding.MISSING,
    Status.RELEASED: Finding.RETURNED,
    Status.RETURNED: Finding.RETURNED,
    Status.DEAD: Finding.DEAD,
    Status.REMAINS_RECEIVED: Finding.DEAD,
    Status.IDENTIFIED: Finding.DEAD,
}


def proposed_response(
    ref: str,
    finding: Finding,
    status: Status | None = None,
    status_since: date | None = None,
    duplicate_of: str | None = None,
) -> EntryResponse:
    """The answer a reviewer starts from; they may change any of them before sending."""
    since = f" since {status_since.isoformat()}" if status_since else ""
    if finding in (Finding.HELD, Finding.MISSING):
        state = status.value.replace("_", " ") if status else finding.label
        return EntryResponse(ref, Verdict.CONFIRM, f"known to us: {state}{since}")
    if finding is Finding.RETURNED:
        return EntryResponse(ref, Verdict.DISPUTE, f"already returned{since}")
    if finding is Finding.DEAD:
        return EntryResponse(ref, Verdict.DISPUTE, f"recorded dead{since}")
    if finding is Finding.DUPLICATE:
        return EntryResponse(ref, Verdict.DISPUTE, f"duplicate of entry {duplicate_of}")
    if finding is Finding.TO_REVIEW:
        return EntryResponse(ref, Verdict.UNKNOWN, "possible match not yet confirmed")
    return EntryResponse(ref, Verdict.UNKNOWN, "not in our registry")
