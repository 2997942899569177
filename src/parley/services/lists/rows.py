"""What the list and bundle repositories take and give: plain rows, no SQL types.

The `New*` dictionaries are what a use case hands the repository to store (typed); the
dataclasses are what it hands back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict


@dataclass(frozen=True)
class StoredList:
    id: int
    name: str
    version: int
    purpose: str
    category: str
    reference: str
    sender: str
    recipients: tuple[str, ...]
    created_at: str
    recorded_at: datetime
    recorded_by: str
    origin: str
    """`built` from our registry, `imported` from a file, or `received` in a bundle."""
    query: dict[str, Any] | None
    list_sha256: str
    previous_id: int | None
    previous_sha256: str | None
    changes: dict[str, list[str]]
    entry_count: int


@dataclass(frozen=True)
class StoredEntry:
    position: int
    ref: str
    entry_key: str
    entry: dict[str, Any]
    person_id: int | None
    """Our registry person the entry was built from; internal, never exported."""


@dataclass(frozen=True)
class StoredBundle:
    id: int
    sha256: str
    direction: str
    """`sent` (we signed it), `received` (addressed to us) or `relayed` (we forwarded it)."""
    kind: str
    sender: str
    recipient: str
    created_at: str
    signer_fingerprint: str
    stored_at: datetime
    stored_by: str
    provenance: dict[str, Any]
    list_id: int | None
    size: int


@dataclass(frozen=True)
class ReceiptRow:
    id: int
    bundle_sha256: str
    receipt_bundle_id: int
    acknowledged_by: str
    role: str
    received_at: str
    recorded_at: datetime


class NewList(TypedDict):
    name: str
    version: int
    purpose: str
    category: str
    reference: str
    sender: str
    recipients: list[str]
    created_at: str
    recorded_by: str
    origin: str
    query: dict[str, Any] | None
    list_sha256: str
    previous_id: int | None
    previous_sha256: str | None
    changes: dict[str, list[str]]


class NewBundle(TypedDict):
    sha256: str
    direction: str
    kind: str
    sender: str
    recipient: str
    created_at: str
    signer_fingerprint: str
    content: bytes
    stored_by: str
    provenance: dict[str, Any]
    list_id: int | None
