"""/api/v1/jobs: background jobs — the caller's own (every one for an admin), with progress."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Permission
from parley.domain.errors import InvalidInput
from parley.services import jobs
from parley.services.jobs.views import JobsOut, JobView
from parley.web import jobs as web_jobs
from parley.web.deps import ActorDep, UowDep
from parley.web.files import read_upload
from parley.web.uploads import upload_needs

router = APIRouter(prefix="/jobs", tags=["jobs"])

STARTABLE = ("match.list", "lists.reconcile", "lists.document", "agreements.report")
"""Kinds the API starts from parameters alone; those that read a file start from the console."""


WANTED: dict[str, dict[str, type]] = {
    "match.list": {"list_id": int},
    "lists.reconcile": {"list_id": int},
    "lists.document": {"list_id": int, "format": str},
    "agreements.report": {"round": int, "format": str, "language": str, "as_of": str},
}
"""The parameters each startable kind reads, and their types."""
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "format": {"lists.document": ("pdf", "csv", "xlsx"), "agreements.report": ("pdf", "md")},
    "language": {"agreements.report": ("en", "uk")},
}
"""Parameters that take one of a few values: they end up in a file's name and type."""


class JobIn(BaseModel):
    kind: str = Field(description=f"one of {', '.join(STARTABLE)}")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "match.list, lists.reconcile: list_id; lists.document: list_id, format (pdf, csv, "
            "xlsx); agreements.report: round, format (pdf, md), language (en, uk), as_of"
        ),
    )


@router.get("", response_model=JobsOut)
def list_jobs(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> JobsOut:
    """Newest first. State is queued, running, succeeded or failed; a failed job's `error`
    says why, and one cut off by a server restart says `interrupted by restart`."""
    return jobs.jobs_view(uow, actor, offset, limit, web_jobs.live(request))


@router.post("", response_model=JobView, status_code=202)
def start_job(request: Request, body: JobIn, actor: ActorDep, uow: UowDep) -> JobView:
    """Queue a job; poll `GET /jobs/{id}` until `state` is succeeded or failed."""
    if body.kind not in STARTABLE:
        raise InvalidInput(f"the API starts {', '.join(STARTABLE)} jobs, not '{body.kind}'")
    shown = jobs.start_view(uow, actor, body.kind, _checked(body.kind, body.params))
    web_jobs.wake(request)
    return shown


def _checked(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the parameters a kind reads, each of the type it reads (InvalidInput otherwise)."""
    wanted = WANTED[kind]
    unknown = sorted(set(params) - set(wanted))
    if unknown:
        raise InvalidInput(f"a '{kind}' job takes no '{unknown[0]}'", unknown[0])
    checked: dict[str, Any] = {}
    for name, typ in wanted.items():
        if name not in params:
            continue
        value = params[name]
        if typ is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidInput(f"'{name}' must be a whole number", name)
        if typ is str and not isinstance(value, str):
            raise InvalidInput(f"'{name}' must be text", name)
        checked[name] = value
    for name in ("list_id",) if "list_id" in wanted else ("round",) if "round" in wanted else ():
        if name not in checked:
            raise InvalidInput(f"a '{kind}' job needs '{name}'", name)
    if kind == "lists.document":
        checked.setdefault("format", "pdf")
    for name, allowed in CHOICES.items():
        if name in checked and checked[name] not in allowed[kind]:
            raise InvalidInput(f"'{name}' is one of {', '.join(allowed[kind])}", name)
    if "as_of" in checked:
        try:
            checked["as_of"] = date.fromisoformat(checked["as_of"]).isoformat()
        except ValueError as exc:
            raise InvalidInput("'as_of' is a date, YYYY-MM-DD", "as_of") from exc
    return checked


@router.get("/{job_id}", response_model=JobView)
def get_job(request: Request, job_id: int, actor: ActorDep, uow: UowDep) -> JobView:
    return jobs.job_view(uow, actor, job_id, web_jobs.live(request))


@router.get("/{job_id}/result")
def result(job_id: int, actor: ActorDep, uow: UowDep) -> Response:
    """The document a succeeded job wrote (a PDF, say); `job_not_found` if it wrote none."""
    return web_jobs.result_response(uow, actor, job_id)


@router.post("/persons-import", response_model=JobView, status_code=202)
@upload_needs(Permission.IMPORT_RUN, Permission.REGISTRY_WRITE)
async def import_persons(
    request: Request, file: UploadFile, actor: ActorDep, uow: UowDep
) -> JobView:
    """Import a persons file as a background job (`registry.import`): the same import as
    `POST /imports/persons`, all rows or none, answered at once with the queued job; poll
    `GET /jobs/{id}`. A refused file fails the job, its `error` naming every row and field.
    With the server started `--no-jobs`, a `parley jobs work` process runs it."""
    name, content = await read_upload(file)
    shown = await run_in_threadpool(
        jobs.start_view, uow, actor, "registry.import", {"file": name}, content=content
    )
    web_jobs.wake(request)
    return shown
