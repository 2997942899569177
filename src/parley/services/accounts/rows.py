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
