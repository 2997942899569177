"""What the children repository takes and gives: plain rows, no SQL types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CaseRow:
    id: int
    reference: str
    created_by: str


@dataclass(frozen=True)
class ExportRow:
    """A request to take children's data out: one ombudsman asks, a second approves."""

    id: int
    list_ref: str
    reason: str
    requested_by: str
    requested_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    expires_at: datetime | None
