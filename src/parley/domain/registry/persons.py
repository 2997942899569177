"""A person in the registry: who they are, as far as anyone knows.

The same person carries several names (the Ukrainian original, a Russian form, Latin renderings
under different standards); one of them is primary, the one shown first. Identity attributes
are written once; a later correction is an event, never an overwrite.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from parley.domain.dates import PartialDate, whole_years
from parley.domain.errors import InvalidInput, InvalidName


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class PersonCategory(StrEnum):
    """Military or civilian: GC III covers the first, GC IV the second."""

    MILITARY = "military"
    CIVILIAN = "civilian"


class Script(StrEnum):
    """ISO 15924 codes of the scripts names arrive in."""

    CYRILLIC = "Cyrl"
    LATIN = "Latn"


class IdentifierKind(StrEnum):
    SERVICE_NUMBER = "service_number"
    PASSPORT = "passport"
    TAX_NUMBER = "tax_number"
    MILITARY_ID = "military_id"
    EXTERNAL_RECORD = "external_record"
    """Another registry's id of this record (a PFIF person_record_id, as a digest): how a
    repeated import recognises a person it already holds."""
    OTHER = "other"


RECORD_ID_LENGTH = 100
_SPACES = re.compile(r"\s+")
_IDENTIFIER_NOISE = re.compile(r"[\s\-‐‑–—/]+")


def clean_text(value: str | None) -> str:
    """Unicode NFC and single spaces: two spellings that look alike must compare alike."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


_APOSTROPHES = str.maketrans({"ʼ": None, "'": None, "’": None, "`": None, "ё": "е", "-": " "})


def fold(text: str) -> str:
    """Lower case, no apostrophes, ё as е: the form basic search compares on."""
    return _SPACES.sub(" ", clean_text(text).lower().translate(_APOSTROPHES)).strip()


def detect_script(text: str) -> Script:
    cyrillic = sum(1 for ch in text if "CYRILLIC" in unicodedata.name(ch, ""))
    latin = sum(1 for ch in text if "LATIN" in unicodedata.name(ch, ""))
    return Script.CYRILLIC if cyrillic >= latin and cyrillic > 0 else Script.LATIN


def normalise_identifier(value: str) -> str:
    """`АА 123-456` and `аа123456` are the same passport: drop separators, upper-case."""
    return _IDENTIFIER_NOISE.sub("", unicodedata.normalize("NFC", value)).upper()


@dataclass(frozen=True)
class PersonName:
    surname: str
    given: str
    patronymic: str = ""
    script: Script = Script.CYRILLIC
    language: str = "uk"
    scheme: str | None = None
    primary: bool = False

    def __post_init__(self) -> None:
        for part in ("surname", "given", "patronymic"):
            object.__setattr__(self, part, clean_text(getattr(self, part)))
        if not self.surname:
            raise InvalidName("a name needs a surname")
        if not self.given:
            raise InvalidName("a name needs a given name")
        if not re.fullmatch(r"[a-z]{2,3}", self.language):
            raise InvalidName(f"language '{self.language}' is not an ISO 639-1/3 code")

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.given, self.patronymic) if p)


@dataclass(frozen=True)
class Identifier:
    kind: IdentifierKind
    value: str

    def __post_init__(self) -> None:
        normalised = normalise_identifier(self.value)
        if not normalised:
            raise InvalidInput(f"{self.kind} identifier is empty")
        object.__setattr__(self, "value", normalised)


@dataclass(frozen=True)
class Relative:
    name: str
    relationship: str
    contact: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_text(self.name))
        if not self.name:
            raise InvalidInput("a relative needs a name")


@dataclass
class Person:
    """Identity as first recorded; what happened to the person lives in its events."""

    side: str
    category: PersonCategory
    sex: Sex
    names: list[PersonName]
    birth_date: PartialDate | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    unit: str = ""
    rank: str = ""
    incident_place: str = ""
    incident_date: date | None = None
    relatives: list[Relative] = field(default_factory=list)
    health: str = ""
    notes: str = ""
    record_id: str = ""
    """Our own record's id in the file it was imported from (a case number): shown, searched by
    the people who keep that file, unique in the registry, never scored and never exported."""
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)
    id: int | None = None
    created_at: datetime | None = None
    created_by: str = ""

    def __post_init__(self) -> None:
        if not self.names:
            raise InvalidName("a person needs at least one name")
        primaries = [n for n in self.names if n.primary]
        if len(primaries) > 1:
            raise InvalidName("only one name can be primary")
        if not primaries:
            first = self.names[0]
            self.names[0] = PersonName(
                first.surname,
                first.given,
                first.patronymic,
                first.script,
                first.language,
                first.scheme,
                primary=True,
            )
        if not re.fullmatch(r"[A-Z]{2,3}", self.side):
            raise InvalidInput(f"side '{self.side}' is not a party code such as UA or RU")
        self.record_id = clean_text(self.record_id)
        if len(self.record_id) > RECORD_ID_LENGTH:
            raise InvalidInput(f"a record id is at most {RECORD_ID_LENGTH} characters")
        seen: set[tuple[IdentifierKind, str]] = set()
        for ident in self.identifiers:
            key = (ident.kind, ident.value)
            if key in seen:
                raise InvalidInput(f"{ident.kind} {ident.value} is given twice")
            seen.add(key)

    @property
    def primary_name(self) -> PersonName:
        return next(n for n in self.names if n.primary)

    @property
    def display_name(self) -> str:
        return self.primary_name.full

    def identifier(self, kind: IdentifierKind) -> str | None:
        return next((i.value for i in self.identifiers if i.kind == kind), None)

    def age_on(self, day: date) -> tuple[int, int] | None:
        """The youngest and oldest the person can be on `day`, given a partial birth date."""
        if self.birth_date is None:
            return None
        return whole_years(self.birth_date.latest(), day), whole_years(
            self.birth_date.earliest(), day
        )


# The columns the registry list sorts by (the store orders by them in SQL).
PERSON_SORTS = (
    "name",
    "born",
    "side",
    "category",
    "status",
    "since",
    "unit",
    "incident",
    "record_id",
)


def summary_sort_key(column: str) -> Callable[[PersonSummary], Any]:
    """How the ranked search (at most a few hundred hits, in memory) sorts by a list column."""
    keys: dict[str, Callable[[PersonSummary], Any]] = {
        "name": lambda p: p.name.casefold(),
        "born": lambda p: p.birth_date.earliest() if p.birth_date else None,
        "side": lambda p: p.side,
        "category": lambda p: p.category.value,
        "status": lambda p: p.status,
        "since": lambda p: p.status_since,
        "unit": lambda p: p.unit,
        "incident": lambda p: p.incident_date,
        "record_id": lambda p: p.record_id or None,
    }
    return keys[column]


@dataclass(frozen=True)
class PersonQuery:
    """Filters of the registry list; every field narrows, none is required."""

    text: str = ""
    status: str | None = None
    category: PersonCategory | None = None
    side: str | None = None
    born_from: date | None = None
    born_to: date | None = None
    incident_from: date | None = None
    incident_to: date | None = None


@dataclass(frozen=True)
class PersonSummary:
    """One line of the registry list: enough to find a person, nothing more."""

    id: int
    uid: str
    name: str
    side: str
    category: PersonCategory
    sex: Sex
    birth_date: PartialDate | None
    status: str
    status_since: date | None
    unit: str
    incident_date: date | None
    record_id: str = ""


@dataclass(frozen=True)
class SearchCandidate:
    """A person found by a name search: which of its words their names carry, and the year
    of birth a year asked for is held against."""

    id: int
    words: tuple[bool, ...]
    birth_year: int | None
