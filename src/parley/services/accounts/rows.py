"""What the account repository gives back: tokens and console sessions, never their secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ApiToken:
    id: int
    account_id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class ConsoleSession:
    id: int
    account_id: int
    csrf_token: str
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewCheckpoint:
    """A signed checkpoint to keep: `source` is `own` (we signed it) or `received`."""

    sha256: str
    party: str
    entries: int
    head: str
    created_at: str
    signer_fingerprint: str
    content: bytes
    source: str
    bundle_sha256: str | None
    stored_by: str


@dataclass(frozen=True)
class StoredCheckpoint:
    id: int
    sha256: str
    party: str
    entries: int
    head: str
    created_at: str
    signer_fingerprint: str
    source: str
    bundle_sha256: str | None
    stored_at: datetime
    stored_by: str
