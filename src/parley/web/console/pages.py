"""Instance-wide pages: the dashboard (home), the import page, the audit log (with its signed
checkpoints), the public figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import CheckpointRefused
from parley.domain.paging import table_query
from parley.interchange.checkpoints import MAX_BYTES as CHECKPOINT_BYTES
from parley.services import agreements, dashboard, jobs
from parley.services.accounts import audit, checkpoints
from parley.services.registry import statistics
from parley.web.console import i18n
from parley.web.console.jobs import started
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, OptionalSessionDep, SessionDep, verify_form
from parley.web.deps import InstanceDep, UowDep
from parley.web.files import MAX_UPLOAD
from parley.web.uploads import upload_needs

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    no_answer_days: str = "",
) -> Response:
    """What needs attention now, for the roles of whoever is logged in."""
    errors: dict[str, str] = {}
    days = dashboard.DEFAULT_NO_ANSWER_DAYS
    if no_answer_days.strip():
        if no_answer_days.strip().isdigit() and int(no_answer_days) >= 1:
            days = int(no_answer_days)
        else:
            errors["no_answer_days"] = i18n.gettext("Give a whole number of days, 1 or more.")
    view = dashboard.attention(uow, actor, no_answer_days=days)
    return render(
        request,
        "dashboard.html",
        422 if errors else 200,
        view=view,
        errors=errors,
        days_typed=no_answer_days or str(days),
    )


@router.get("/import")
def import_form(request: Request, view: SessionDep) -> Response:
    view.actor.require(Permission.IMPORT_RUN)
    return render(request, "import.html")


@router.post("/import")
@upload_needs(Permission.IMPORT_RUN, Permission.REGISTRY_WRITE)
async def import_file(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    file: UploadFile,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    content = await file.read(MAX_UPLOAD + 1)
    name = file.filename or "upload"
    if len(content) > MAX_UPLOAD:
        return render(request, "import.html", 413, too_large=name)
    return started(request, jobs.start(uow, view.actor, "registry.import", {"file": name}, content))


def _audit(
    request: Request,
    actor: Actor,
    uow: UowDep,
    params: Mapping[str, str],
    status: int = 200,
    **context: object,
) -> Response:
    """The log a page at a time, newest first, filtered by who, action or record type."""
    table = table_query(
        params,
        sorts=audit.AUDIT_SORTS,
        filters=audit.AUDIT_FILTERS,
        default_sort="seq",
        default_order="desc",
    )
    page = audit.audit_table(uow, actor, table)
    held, held_total = checkpoints.list_checkpoints(uow, actor, None, 0, 20)
    context.setdefault("report", None)
    return render(
        request,
        "audit.html",
        status,
        page=page,
        table=table,
        held=held,
        held_total=held_total,
        **context,
    )


@router.get("/audit")
def audit_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return _audit(request, actor, uow, request.query_params)


@router.post("/audit/verify")
@upload_needs(Permission.AUDIT_READ)
async def audit_verify(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    csrf_token: Annotated[str, Form()] = "",
    against: UploadFile | None = None,
) -> Response:
    """Walk the chain and compare it with every checkpoint kept, and with one uploaded."""
    verify_form(request, view, csrf_token)
    files: list[tuple[str, bytes | Mapping[str, Any]]] = []
    if against is not None and against.filename:
        files.append((against.filename, await against.read(CHECKPOINT_BYTES + 1)))
    try:
        report = await run_in_threadpool(  # walks the whole log: never on the event loop
            checkpoints.verify_log,
            uow,
            view.actor,
            instance.config.party,
            instance.own_keys(),
            files,
        )
    except CheckpointRefused as refused:
        return _audit(request, view.actor, uow, {}, status=422, refused=refused.message)
    return _audit(request, view.actor, uow, {}, report=report)


@router.post("/audit/checkpoint")
def audit_checkpoint(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Sign the log's head now and download it, to hand to a third party."""
    verify_form(request, view, csrf_token)
    keyring = instance.keyring()
    stored, signed = checkpoints.write_checkpoint(
        uow, view.actor, keyring.party, keyring.signing_key
    )
    return _checkpoint_file(signed.raw, stored.party, stored.entries)


@router.get("/audit/checkpoints/{checkpoint_id}")
def audit_checkpoint_file(checkpoint_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    stored, raw = checkpoints.checkpoint_content(uow, actor, checkpoint_id)
    return _checkpoint_file(raw, stored.party, stored.entries)


def _checkpoint_file(raw: bytes, party: str, entries: int) -> Response:
    name = f"checkpoint-{party}-{entries}.json"
    return Response(
        raw,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/public")
def public_page(request: Request, uow: UowDep, view: OptionalSessionDep) -> Response:
    return render(
        request,
        "public.html",
        figures=statistics.public_figures(uow),
        threshold=statistics.SUPPRESS_BELOW,
        agreements=agreements.public_agreements(uow),
    )
