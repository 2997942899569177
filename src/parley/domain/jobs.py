"""Background jobs: the states a job passes through and what a failed one tells its user.

A job is queued, then running, then succeeded or failed; nothing else. A job found running when
its server starts was cut off by the restart and is failed with `INTERRUPTED`, never resumed:
its use case ran in one transaction, which the restart rolled back, so running it again is the
user's choice, not the server's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

INTERRUPTED = "interrupted by restart"
MAX_MESSAGE = 2000
"""A failure message is kept whole up to this length; longer ones are cut and say so."""
MAX_PROBLEMS = 20
"""A refused file's problems listed in its job's message; the rest are counted."""


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED)


NEXT: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.FAILED}),
    JobState.RUNNING: frozenset({JobState.SUCCEEDED, JobState.FAILED}),
    JobState.SUCCEEDED: frozenset(),
    JobState.FAILED: frozenset(),
}
"""A finished job stays finished: its outcome is what the user was told."""


def may_move(before: JobState, after: JobState) -> bool:
    return after in NEXT[before]


@dataclass(frozen=True)
class Progress:
    """How far a job is: `done` of `total` steps (`total` None while unknown), and what it does."""

    done: int = 0
    total: int | None = None
    message: str = ""

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))


def failure_message(error: BaseException) -> str:
    """What a failed job says: the error's own message, never a traceback.

    Parley's errors carry a message written for people; anything else is named by its type
    too, since its text alone ("list index out of range") would not tell a user much.
    """
    text = str(getattr(error, "message", "") or error).strip()
    if not hasattr(error, "code"):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    problems = list(getattr(error, "problems", None) or [])  # a refused file: every problem
    if problems:
        shown = [str(p) for p in problems[:MAX_PROBLEMS]]
        more = len(problems) - len(shown)
        text += "\n" + "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 20].rstrip() + " … (message cut)"
    return text or "the job failed without saying why"
