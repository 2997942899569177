"""Instance-wide pages: the dashboard (home), the import page, the audit log, the public
figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response

from parley.domain.accounts.accounts import Permission
from parley.domain.errors import ImportRejected
from parley.domain.paging import PageRequest
from parley.services import agreements, dashboard
from parley.services.accounts import audit
from parley.services.registry import imports, statistics
from parley.web.console import i18n
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import InstanceDep, UowDep
from parley.web.files import MAX_UPLOAD

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
async def import_file(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    file: UploadFile,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    content = await file.read(MAX_UPLOAD + 1)
    name = file.filename or "upload"
    if len(content) > MAX_UPLOAD:
        return render(request, "import.html", 413, too_large=name)
    try:
        outcome = imports.import_persons(
            uow,
            view.actor,
            name,
            content,
            instance.config.party,
            instance.config.name_language,
        )
    except ImportRejected as rejected:
        return render(request, "import.html", 422, rejected=rejected)
    return render(request, "import.html", outcome=outcome)


@router.get("/audit")
def audit_page(request: Request, actor: ConsoleActor, uow: UowDep, offset: int = 0) -> Response:
    page = audit.recent_entries(uow, actor, PageRequest(max(offset, 0), 50))
    return render(request, "audit.html", page=page, report=None)


@router.post("/audit/verify")
def audit_verify(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    report = audit.verify(uow, view.actor)
    page = audit.recent_entries(uow, view.actor, PageRequest(0, 50))
    return render(request, "audit.html", page=page, report=report)


@router.get("/public")
def public_page(request: Request, uow: UowDep) -> Response:
    return render(
        request,
        "public.html",
        figures=statistics.public_figures(uow),
        threshold=statistics.SUPPRESS_BELOW,
        agreements=agreements.public_agreements(uow),
    )
