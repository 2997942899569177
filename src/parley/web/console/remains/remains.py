"""The remains screens: batches with declared against received (a difference stands out) and
each bag's custody chain, a body's page with its steps and the second person's confirmation,
and the identification rate over time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import Conflict, InvalidInput
from parley.domain.remains.bodies import BodyStatus
from parley.domain.remains.references import Consent
from parley.services import remains
from parley.services.remains import ScreenOutcome
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)


def _overview(
    request: Request, actor: Actor, uow: UowDep, screened: ScreenOutcome | None = None
) -> Response:
    return render(
        request,
        "remains.html",
        batches=remains.batches(uow, actor),
        rate=remains.identification_rate(uow, actor),
        can_record=actor.can(Permission.REMAINS_RECORD),
        screened=screened,
    )


@router.get("/remains")
def batches_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return _overview(request, actor, uow)


@router.get("/remains/rate")
def rate_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return render(
        request,
        "remains.html",
        batches=[],
        rate=remains.identification_rate(uow, actor),
        can_record=False,
        screened=None,
    )


@router.post("/remains/screen")
def screen(
    request: Request, view: SessionDep, uow: UowDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """Screen every profiled body against the stored reference families."""
    verify_form(request, view, csrf_token)
    outcome = remains.screen_references(uow, view.actor)
    return _overview(request, view.actor, uow, outcome)


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
        can_record=view.actor.can(Permission.REMAINS_RECORD),
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


@router.post("/remains/bodies/{tag}/notify")
def notify(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    tag: str,
    whom: Annotated[str, Form()],
    notified_by: Annotated[str, Form()],
    how: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """The family of a confirmed identification was told."""
    verify_form(request, view, csrf_token)
    try:
        remains.notify_family(uow, view.actor, tag, whom=whom, notified_by=notified_by, how=how)
    except InvalidInput as exc:
        return _body_page(request, view, uow, tag, 422, exc.message)
    return _body_page(request, view, uow, tag)


@router.post("/remains/bodies/{tag}/release")
def release(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    tag: str,
    to: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Released for burial, after the family was notified."""
    verify_form(request, view, csrf_token)
    try:
        remains.release_body(uow, view.actor, tag, to=to)
    except InvalidInput as exc:
        return _body_page(request, view, uow, tag, 422, exc.message)
    return _body_page(request, view, uow, tag)


def _references_page(
    request: Request, actor: Actor, uow: UowDep, status: int = 200, error: str = ""
) -> Response:
    return render(
        request,
        "remains_references.html",
        status,
        families=remains.reference_families(uow, actor),
        can_record=actor.can(Permission.REMAINS_RECORD),
        error=error,
    )


@router.get("/remains/references")
def references_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return _references_page(request, actor, uow)


@router.post("/remains/references/{family}/{member}/consent")
def consent(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    family: str,
    member: str,
    state: Annotated[Consent, Form()],
    given_by: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """A relative's consent given or withdrawn, today."""
    verify_form(request, view, csrf_token)
    try:
        remains.record_consent(
            uow, view.actor, family, member, state, given_by=given_by, on=datetime.now(UTC).date()
        )
    except InvalidInput as exc:
        return _references_page(request, view.actor, uow, 422, exc.message)
    return _references_page(request, view.actor, uow)
