"""/api/v1/match: train, run, read results, decide, export, find duplicates."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Permission
from parley.domain.errors import InvalidInput
from parley.domain.matching import DEFAULT_THRESHOLDS, Decision, Outcome, Thresholds
from parley.domain.paging import MAX_LIMIT
from parley.services import lists, matching
from parley.services.matching.views import (
    EntriesOut,
    ModelOut,
    RunOut,
)
from parley.web.deps import ActorDep, UowDep
from parley.web.files import export_response, read_upload
from parley.web.uploads import upload_needs

router = APIRouter(prefix="/match", tags=["matching"])


class DecisionIn(BaseModel):
    person_id: int
    decision: Decision
    note: str = ""


@router.post("/runs", response_model=RunOut, status_code=201)
@upload_needs(Permission.MATCH_RUN)
async def create_run(
    actor: ActorDep,
    uow: UowDep,
    file: UploadFile | None = None,
    list_id: Annotated[int | None, Form()] = None,
    accept: Annotated[float, Form()] = DEFAULT_THRESHOLDS.accept,
    review: Annotated[float, Form()] = 0.5,
    keep_column: Annotated[list[str] | None, Form()] = None,
) -> RunOut:
    """Match a CSV/XLSX list, or a list held here (`list_id`); a refused file answers 422.

    `keep_column` (repeatable): a column Parley does not read, kept with each entry and given
    back in the export instead of refusing the list."""
    limits = Thresholds(accept, review)
    if (file is None) == (list_id is None):
        raise InvalidInput("send a file or a list_id, not both", "file")
    # in a worker thread, as every long use case of an async route: on the event loop a match
    # run would hold every other request of the server until it ended
    if list_id is not None:
        matched = await run_in_threadpool(lists.match_list, uow, actor, list_id, limits)
        return matched.view
    assert file is not None
    name, content = await read_upload(file)
    outcome = await run_in_threadpool(
        matching.run_match, uow, actor, name, content, limits, keep=keep_column or ()
    )
    return outcome.view


@router.get("/runs", response_model=list[RunOut])
def list_runs(
    actor: ActorDep,
    uow: UowDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> list[RunOut]:
    return matching.run_views(uow, actor, offset, limit)


@router.get("/runs/{run_id}", response_model=RunOut)
def get_run(run_id: int, actor: ActorDep, uow: UowDep) -> RunOut:
    return matching.run_view(uow, actor, run_id)


@router.get("/runs/{run_id}/entries", response_model=EntriesOut)
def run_entries(
    run_id: int,
    actor: ActorDep,
    uow: UowDep,
    outcome: Outcome | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> EntriesOut:
    return matching.entries_page(uow, actor, run_id, outcome, offset, limit)


@router.get("/runs/{run_id}/export")
def export_run(
    run_id: int,
    actor: ActorDep,
    uow: UowDep,
    format: Annotated[str, Query(pattern="^(csv|xlsx|json)$")] = "csv",
) -> Response:
    return export_response(uow, actor, run_id, format)


@router.post("/entries/{entry_id}/decisions", status_code=201)
def decide(entry_id: int, body: DecisionIn, actor: ActorDep, uow: UowDep) -> dict[str, Any]:
    matching.decide(uow, actor, entry_id, body.person_id, body.decision, body.note)
    return {
        "ok": True,
        "entry_id": entry_id,
        "person_id": body.person_id,
        "decision": body.decision.value,
    }


@router.post("/train", response_model=ModelOut, status_code=201)
@upload_needs(Permission.MATCH_RUN)
async def train(
    actor: ActorDep,
    uow: UowDep,
    file: UploadFile | None = None,
    keep_column: Annotated[list[str] | None, Form()] = None,
) -> ModelOut:
    """Retrain by EM on an uploaded list, or on the entries of recent runs."""
    if file is not None:
        name, content = await read_upload(file)
        entries = await run_in_threadpool(matching.read_entries, name, content, keep_column or ())
    else:
        name = "recent match runs"
        entries = await run_in_threadpool(matching.training_entries_from_runs, uow)
    return await run_in_threadpool(matching.train_view, uow, actor, entries, name)


@router.post("/duplicates", response_model=RunOut, status_code=201)
def duplicates(actor: ActorDep, uow: UowDep) -> RunOut:
    return matching.find_duplicates(uow, actor)
