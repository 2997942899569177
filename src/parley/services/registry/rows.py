"""What the registry repositories take and give beyond the domain's `Person` and `Event`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ImportRecord:
    id: int
    file_name: str
    sha256: str
    rows: int
    imported_at: datetime
    imported_by: str
