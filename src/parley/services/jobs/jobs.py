"""Starting, listing and reading background jobs; failing those a restart cut off.

A job is seen by the account that started it and by admins (`accounts.manage`): its parameters
and failure message may name a file, and a generated document holds names. Its result file is
handed only to someone who may still start that kind of job.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from parley.domain.accounts.accounts import SYSTEM, Actor, Permission
from parley.domain.errors import InvalidInput, JobNotFound
from parley.domain.jobs import INTERRUPTED, JobState
from parley.services.accounts import log
from parley.services.jobs.kinds import KINDS
from parley.services.jobs.rows import JobResult, JobRow, NewJob
from parley.services.uow import UnitOfWork

STALE_AFTER = timedelta(minutes=2)
"""A job on another machine whose worker has not written for this long is taken as stopped."""


def now() -> datetime:
    return datetime.now(UTC)


def start(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    params: dict[str, Any],
    content: bytes | None = None,
) -> JobRow:
    """Queue a job; the server's worker runs it as `actor` (checked again when it runs)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise InvalidInput(f"no job kind '{kind}': one of {', '.join(sorted(KINDS))}", "kind")
    actor.require(spec.permission)
    if spec.needs_input and content is None:
        raise InvalidInput(f"a '{kind}' job needs a file", "file")
    with uow:
        row = uow.jobs.add(NewJob(kind, params, actor.username, now(), content))
        log(uow, actor, "job.start", "job", [row.id], kind=kind, **_loggable(params))
        uow.commit()
    return row


def _loggable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if isinstance(v, str | int | float | bool)}


def _sees_all(actor: Actor) -> bool:
    return actor.can(Permission.ACCOUNTS_MANAGE)


def list_jobs(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50
) -> tuple[list[JobRow], int]:
    """Newest first: the actor's own jobs, or everyone's for an admin."""
    with uow:
        return uow.jobs.page(None if _sees_all(actor) else actor.username, offset, limit)


def get_job(uow: UnitOfWork, actor: Actor, job_id: int) -> JobRow:
    with uow:
        row = uow.jobs.get(job_id)
    if row is None or not (row.started_by == actor.username or _sees_all(actor)):
        raise JobNotFound(f"no job {job_id}")
    return row


def result_file(uow: UnitOfWork, actor: Actor, job_id: int) -> JobResult:
    """The document a job wrote, to the one who may still make it; the download is logged."""
    row = get_job(uow, actor, job_id)
    actor.require(KINDS[row.kind].permission)
    with uow:
        made = uow.jobs.result_file(job_id)
        if made is None:
            raise JobNotFound(f"job {job_id} has no file to download (state {row.state})")
        log(uow, actor, "job.download", "job", [job_id], kind=row.kind, file=made.file_name)
        uow.commit()
    return made


def worker_id() -> str:
    """host:pid:token — enough to tell, at start-up, whether a running job's worker is gone."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


def worker_alive(worker: str, heartbeat: datetime | None, mine: str) -> bool:
    """Whether the worker that claimed a job may still be running it."""
    if worker == mine:
        return True
    host, _, rest = worker.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return heartbeat is not None and now() - heartbeat < STALE_AFTER
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # an earlier worker of this very process: it was stopped
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a live process of another user
        return True
    return True


def recover_interrupted(
    uow: UnitOfWork, mine: str, alive: Callable[[str, datetime | None, str], bool] = worker_alive
) -> list[int]:
    """Fail every running job whose worker is gone: the restart rolled its transaction back,
    so it did nothing; the user is told, and starts it again if still wanted."""
    failed = []
    with uow:
        for row in uow.jobs.running():
            if alive(row.worker, row.heartbeat_at, mine):
                continue
            if uow.jobs.finish(row.id, JobState.FAILED, INTERRUPTED, JobResult(), now()):
                failed.append(row.id)
        if failed:
            log(uow, SYSTEM, "job.interrupted", "job", failed)
        uow.commit()
    return failed
