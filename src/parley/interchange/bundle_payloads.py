"""The shapes a bundle may carry, one Pydantic model per kind, strict and closed.

A bundle comes from the other side of a war: every member is required, nothing unknown is
tolerated (`extra="forbid"`), and no type is coerced (`strict=True`), so what was signed is
exactly what is read. Cross-checks between the envelope and its payload (the list's sender is
the bundle's sender, and so on) live in `bundles`, which knows both.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidDate
from parley.interchange.keys import fingerprint

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_BIRTH_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class BundleKind(StrEnum):
    LIST = "list"
    RECEIPT = "receipt"
    KEY_ANNOUNCEMENT = "key_announcement"
    AGREEMENT = "agreement"
    REMAINS_HANDOVER = "remains_handover"


def utc_timestamp(moment: datetime) -> str:
    """The one timestamp form bundles use: UTC, to the second, with a `Z`."""
    if moment.tzinfo is None:
        raise ValueError("a bundle timestamp needs a timezone; naive datetimes are ambiguous")
    return moment.astimezone(UTC).strftime(_TIMESTAMP_FORMAT)


def parse_utc_timestamp(text: str) -> datetime:
    return datetime.strptime(text, _TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def _timestamp(text: str) -> str:
    if not _TIMESTAMP.fullmatch(text):
        raise ValueError("must be a UTC timestamp such as 2025-06-02T10:00:00Z")
    parse_utc_timestamp(text)  # 2025-02-30T… matches the pattern but is no moment
    return text


def _birth_date(text: str) -> str:
    if text == "":
        return text
    found = _BIRTH_DATE.fullmatch(text)
    if not found:
        raise ValueError("must be empty, YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = found.groups()
    try:
        PartialDate(int(year), int(month) if month else None, int(day) if day else None)
    except InvalidDate as exc:
        raise ValueError(exc.message) from exc
    return text


def decode_canonical_base64(text: str, size: int) -> bytes:
    """Decode, insisting on the one encoding of those bytes.

    Lenient decoding would let anyone flip the unused low bits of the last character, or add
    padding and line breaks, and still be accepted: the same signature under other bytes.
    """
    try:
        decoded = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"is not base64: {exc}") from exc
    if base64.b64encode(decoded).decode("ascii") != text:
        raise ValueError("is not in canonical base64 form")
    if len(decoded) != size:
        raise ValueError(f"must encode {size} bytes, not {len(decoded)}")
    return decoded


def _public_key(text: str) -> str:
    raw = decode_canonical_base64(text, PUBLIC_KEY_BYTES)
    Ed25519PublicKey.from_public_bytes(raw)  # ValueError if not a key
    return text


def _signature(text: str) -> str:
    decode_canonical_base64(text, SIGNATURE_BYTES)
    return text


Party = Annotated[str, Field(pattern=r"^[A-Z]{2,3}$")]
"""A party code as instances use them: UA, RU, TR."""
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Timestamp = Annotated[str, AfterValidator(_timestamp)]
BirthDate = Annotated[str, AfterValidator(_birth_date)]
PublicKeyText = Annotated[str, AfterValidator(_public_key)]
SignatureText = Annotated[str, AfterValidator(_signature)]
NonEmpty = Annotated[str, Field(min_length=1)]


class _Closed(BaseModel):
    """Every member required, nothing extra, nothing coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------- kind "list"


class Identifier(_Closed):
    kind: NonEmpty
    value: NonEmpty


class EntryResponse(_Closed):
    """The answer to one entry of an earlier list, named by its `ref` there."""

    in_reply_to: NonEmpty
    verdict: Literal["confirm", "dispute", "unknown"]
    reason: str


class Entry(_Closed):
    """Only what is meant to be shared with the other side: never notes, health or relatives."""

    ref: NonEmpty
    key: Sha256Hex
    surname: str
    given_name: str
    patronymic: str
    birth_date: BirthDate
    sex: Literal["male", "female", "unknown"]
    identifiers: list[Identifier]
    unit: str
    category_evidence: str
    response: EntryResponse | None


class ListChanges(_Closed):
    """Entry keys added and removed since the previous version."""

    added: list[Sha256Hex]
    removed: list[Sha256Hex]


ListPurpose = Literal["offer", "request", "response", "stage_manifest", "receipt", "death_list"]


class ListBody(_Closed):
    name: NonEmpty
    version: Annotated[int, Field(ge=1)]
    purpose: ListPurpose
    category: str
    reference: str
    sender: Party
    recipients: Annotated[list[Party], Field(min_length=1)]
    created_at: Timestamp
    previous_sha256: Sha256Hex | None
    changes: ListChanges
    entries: list[Entry]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        refs: set[str] = set()
        for position, entry in enumerate(self.entries):
            if entry.ref in refs:
                raise ValueError(f"entries[{position}]: ref {entry.ref!r} appears twice")
            refs.add(entry.ref)
        if len(set(self.recipients)) != len(self.recipients):
            raise ValueError("recipients: a party is named twice")
        keys = {entry.key for entry in self.entries}
        if not set(self.changes.added) <= keys:
            raise ValueError("changes.added names a key that is not among the entries")
        if set(self.changes.removed) & keys:
            raise ValueError("changes.removed names a key that is still among the entries")
        return self


class ListPayload(_Closed):
    list_body: ListBody = Field(alias="list")
    list_sha256: Sha256Hex


# ---------------------------------------------------------------- kind "receipt"


class ReceiptPayload(_Closed):
    """Says that a bundle arrived, and whether it stopped here or was passed on."""

    bundle_sha256: Sha256Hex
    bundle_sender: Party
    received_at: Timestamp
    received_by: Party
    role: Literal["recipient", "relay"]
    forwarded_to: Party | None

    @model_validator(mode="after")
    def _forwarding(self) -> Self:
        if self.role == "relay" and self.forwarded_to is None:
            raise ValueError("a relay's receipt must say to whom it forwarded the bundle")
        if self.role == "recipient" and self.forwarded_to is not None:
            raise ValueError("a recipient's receipt forwards to nobody: forwarded_to is null")
        return self


# ---------------------------------------------------------------- kind "key_announcement"


class KeyAnnouncementPayload(_Closed):
    """Signed with the party's old key: "from now on, trust this new key for us too"."""

    party: Party
    new_public_key: PublicKeyText
    new_fingerprint: str
    effective_from: Timestamp

    @model_validator(mode="after")
    def _fingerprint_matches(self) -> Self:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(self.new_public_key))
        if fingerprint(key) != self.new_fingerprint:
            raise ValueError("new_fingerprint is not the fingerprint of new_public_key")
        return self


# ---------------------------------------------------------------- kind "agreement"


class AgreementPayload(_Closed):
    """What a party said at the table (a memorandum, a proposal, a response, a claim on a
    commitment), signed by that party: who said what stays attributable to a key. The body's
    shape is the agreements track's own (`services.agreements.drafts`), checked on receipt."""

    statement: Literal["memorandum", "proposal", "response", "claim"]
    party: Party
    body: dict[str, Any]


# ---------------------------------------------------------------- kind "remains_handover"


def _day(text: str) -> str:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError("must be a day YYYY-MM-DD")
    datetime.strptime(text, "%Y-%m-%d")
    return text


class HandedBag(_Closed):
    bag: NonEmpty
    seal: NonEmpty


class RemainsHandoverPayload(_Closed):
    """A batch of remains as the handing side declares it: its count is the receiving side's
    *declared* figure (the received count stays the receiver's own)."""

    handed_over_on: Annotated[str, AfterValidator(_day)]
    place: NonEmpty
    from_party: Party
    to_party: Party
    intermediary: str
    declared: Annotated[int, Field(ge=0)]
    bags: list[HandedBag]


Payload = (
    ListPayload
    | ReceiptPayload
    | KeyAnnouncementPayload
    | AgreementPayload
    | RemainsHandoverPayload
)

PAYLOAD_MODELS: dict[
    BundleKind,
    type[
        ListPayload
        | ReceiptPayload
        | KeyAnnouncementPayload
        | AgreementPayload
        | RemainsHandoverPayload
    ],
] = {
    BundleKind.LIST: ListPayload,
    BundleKind.RECEIPT: ReceiptPayload,
    BundleKind.KEY_ANNOUNCEMENT: KeyAnnouncementPayload,
    BundleKind.AGREEMENT: AgreementPayload,
    BundleKind.REMAINS_HANDOVER: RemainsHandoverPayload,
}


# ---------------------------------------------------------------- the envelope


class Signer(_Closed):
    party: Party
    public_key: PublicKeyText
    fingerprint: str


class Envelope(_Closed):
    """Everything but the payload's own shape, which depends on `kind`."""

    schema_id: Literal["parley.bundle/1"] = Field(alias="schema")
    kind: Literal["list", "receipt", "key_announcement", "agreement", "remains_handover"]
    sender: Party
    recipient: Party
    created_at: Timestamp
    payload: dict[str, Any]
    payload_sha256: Sha256Hex
    signer: Signer
    signature: SignatureText
    checkpoint: dict[str, Any] | None = None
    """Optional: the sender's latest signed audit checkpoint (`parley.checkpoint/1`), which the
    receiver keeps. Absent from bundles sealed before checkpoints; never `null`."""


def _path(location: tuple[str | int, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(the bundle)"


def describe_error(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> str:
    """A payload or envelope validation error as the `schema` check reports it: the first
    problem, with its place in the bundle; the count of the others."""
    problems = error.errors(include_url=False, include_input=False, include_context=False)
    first = problems[0]
    message = first["msg"].removeprefix("Value error, ")
    more = len(problems) - 1
    tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
    return f"{_path((*prefix, *first['loc']))}: {message}{tail}"
