"""The remains screens: batches with declared against received (a difference stands out) and
each bag's custody chain, a body's page with its steps and the second person's confirmation,
and the identification rate over time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from parley.domain.accounts.accounts import Permission
from parley.domain.errors import Conflict, InvalidInput
from parley.domain.remains.bodies import BodyStatus
from parley.services import remains
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)


@router.get("/remains")
def batches_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return render(
        request,
        "remains.html",
        batches=remains.batches(uow, actor),
        rate=remains.identification_rate(uow, actor),
    )


@router.get("/remains/rate")
def rate_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return render(
        request,
        "remains.html",
        batches=[],
        rate=remains.identification_rate(uow, actor),
    )


@router.get("/remains/batches/{batch_id}")
def batch_page(request: Request, actor: ConsoleActor, uow: UowDep, batch_id: int) -> Response:
    return render(
        request,
        "remains_batch.html",
        batch=remains.batch(uow, actor, batch_id),
        bodies=remains.bodies(uow, actor, batch_id),
    )


def _body_page(
    request: Request, view: SessionDep, uow: UowDep, tag: str, status: int = 200, error: str = ""
) -> Response:
    body = remains.body(uow, view.actor, tag)
    preliminary = [s for s in body.steps if s.status == BodyStatus.PRELIMINARY.value]
    return render(
        request,
        "remains_body.html",
        status,
        body=body,
        can_confirm=(
            view.actor.can(Permission.REMAINS_CONFIRM)
            and body.status == BodyStatus.PRELIMINARY.value
        ),
        same_person=bool(preliminary) and preliminary[-1].recorded_by == view.actor.username,
        error=error,
    )


@router.get("/remains/bodies/{tag}")
def body_page(request: Request, view: SessionDep, uow: UowDep, tag: str) -> Response:
    return _body_page(request, view, uow, tag)


@router.post("/remains/bodies/{tag}/confirm")
def confirm(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    tag: str,
    missing_ref: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """The second person's confirmation of a preliminary identification."""
    verify_form(request, view, csrf_token)
    try:
        remains.record_step(uow, view.actor, tag, BodyStatus.CONFIRMED, missing_ref=missing_ref)
    except Conflict as exc:
        return _body_page(request, view, uow, tag, 409, exc.message)
    except InvalidInput as exc:
        return _body_page(request, view, uow, tag, 422, exc.message)
    return _body_page(request, view, uow, tag)
