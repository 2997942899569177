"""What the jobs track shows: one job, as the API returns it and the CLI prints it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from parley.domain.jobs import Progress
from parley.services.jobs.rows import JobRow

SHOWN_PARAMS = ("file", "list_id", "round", "format", "language", "as_of", "accept", "review")
"""Parameters a job's view repeats; anything else stays in the row."""


class JobView(BaseModel):
    id: int
    kind: str
    state: str
    done: int
    total: int | None
    percent: int | None
    message: str
    error: str
    """Why it failed, in the failing use case's own words (never a traceback)."""
    result_ref: str
    """What it made, as `kind/id`: `match_run/12`, `import/3`, `reconciliation/5`."""
    result_file: str
    """The name of the document it wrote, fetched from the job's `result` route."""
    params: dict[str, Any]
    started_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, row: JobRow, live: Progress | None = None) -> JobView:
        """`live`: the worker's progress of a job it runs now, fresher than the row's."""
        progress = live if live is not None and not row.state.finished else row.progress
        return cls(
            id=row.id,
            kind=row.kind,
            state=row.state.value,
            done=progress.done,
            total=progress.total,
            percent=progress.percent,
            message=progress.message,
            error=row.error,
            result_ref=row.result_ref,
            result_file=row.result_name if row.has_file else "",
            params={k: v for k, v in row.params.items() if k in SHOWN_PARAMS},
            started_by=row.started_by,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )


class JobsOut(BaseModel):
    items: list[JobView]
    total: int
    offset: int
