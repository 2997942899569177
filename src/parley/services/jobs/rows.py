"""What the jobs repository takes and gives, and the repository's shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from parley.domain.jobs import JobState, Progress


@dataclass(frozen=True)
class NewJob:
    kind: str
    params: dict[str, Any]
    started_by: str
    created_at: datetime
    input: bytes | None = None
    """An uploaded file the job reads; dropped when the job finishes."""


@dataclass(frozen=True)
class JobResult:
    """What a succeeded job produced: a record it points to (`ref`, as `kind/id`), or a file."""

    ref: str = ""
    file_name: str = ""
    media_type: str = ""
    content: bytes | None = field(default=None, repr=False)
    summary: str = ""
    """One line on what it did ("list.csv: 12 persons imported"), shown as its last message."""


@dataclass(frozen=True)
class JobRow:
    id: int
    kind: str
    params: dict[str, Any]
    state: JobState
    progress: Progress
    error: str
    result_ref: str
    result_name: str
    has_file: bool
    started_by: str
    worker: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None


class JobRepository(Protocol):
    def add(self, job: NewJob) -> JobRow: ...
    def get(self, job_id: int) -> JobRow | None: ...
    def page(self, started_by: str | None, offset: int, limit: int) -> tuple[list[JobRow], int]: ...
    def queued(self, limit: int) -> list[JobRow]: ...
    def running(self) -> list[JobRow]: ...
    def claim(self, job_id: int, worker: str, at: datetime) -> bool:
        """queued → running, if still queued (another worker may have taken it)."""
        ...

    def input(self, job_id: int) -> bytes | None: ...
    def record_progress(self, job_id: int, progress: Progress, at: datetime) -> None:
        """Progress and heartbeat of a running job; a finished one is left as it is."""
        ...

    def finish(
        self, job_id: int, state: JobState, error: str, result: JobResult, at: datetime
    ) -> bool:
        """running (or queued) → succeeded/failed, dropping the input; False if already done."""
        ...

    def result_file(self, job_id: int) -> JobResult | None: ...
