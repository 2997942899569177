"""The remains screens: batches with declared against received (a difference stands out) and
each bag's custody chain, a body's page with its steps and the second person's confirmation,
and the identification rate over time."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import Conflict, InvalidInput
from parley.domain.paging import Page, table_query
from parley.domain.remains.bodies import BODY_FILTERS, BODY_SORTS, BodyStatus
from parley.domain.remains.references import Consent
from parley.services import remains
from parley.services.cache import ContentCache
from parley.services.remains import BodyView, ScreenOutcome
from parley.web.console import i18n
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, request_language, verify_form
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)


_charts: ContentCache[str] = ContentCache(8)
"""Drawn charts, per figures and wording, until a write changes the records."""


def _rate_chart(request: Request, rate: list[remains.RatePoint]) -> Markup:
    """Identifications over time as inert SVG (checked by the service), in the page's words."""
    token = i18n.current_language.set(
        getattr(request.state, "language", None) or request_language(request)
    )
    try:
        words = {
            "day": i18n.gettext("Day"),
            "bodies": i18n.gettext("Bodies"),
            "received": i18n.gettext("Received"),
            "identified": i18n.gettext("Identified"),
        }
    finally:
        i18n.current_language.reset(token)
    drawn = [(p.on, p.received, p.identified, p.families) for p in rate]
    key = repr((drawn, sorted(words.items())))
    # Safe to embed unescaped: the service parses the SVG and refuses anything active.
    return Markup(_charts.get(key, lambda: remains.identification_svg(rate, words)))


def _overview(
    request: Request, actor: Actor, uow: UowDep, screened: ScreenOutcome | None = None
) -> Response:
    rate = remains.identification_rate(uow, actor)
    return render(
        request,
        "remains.html",
        batches=remains.batches(uow, actor),
        rate=rate,
        chart=_rate_chart(request, rate),
        can_record=actor.can(Permission.REMAINS_RECORD),
        screened=screened,
    )


@router.get("/remains")
def batches_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return _overview(request, actor, uow)


@router.get("/remains/rate")
def rate_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    rate = remains.identification_rate(uow, actor)
    return render(
        request,
        "remains.html",
        batches=[],
        rate=rate,
        chart=_rate_chart(request, rate),
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
    request: Request,
    view: SessionDep,
    uow: UowDep,
    tag: str,
    status: int = 200,
    refused: Refusal | None = None,
) -> Response:
    """`refused`: which form was refused, why and with what typed, shown inside that form
    and beside the field it names."""
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
        refused=refused or Refusal(),
    )


@dataclass(frozen=True)
class Refusal:
    """A refused form: which one, the message, the field it names and the values typed."""

    form: str = ""
    error: str = ""
    field: str = ""
    values: dict[str, str] = dataclass_field(default_factory=dict)

    @classmethod
    def of(cls, form: str, exc: InvalidInput | Conflict, values: dict[str, str]) -> Refusal:
        return cls(form, exc.message, getattr(exc, "field", None) or "", values)


def coded(prefix: str, code: str) -> str:
    """A coded label in the current language, or the code in words until it is translated."""
    key = f"{prefix}:{code}"
    said = i18n.gettext(key)
    return code.replace("_", " ") if said == key else said


@router.get("/remains/bodies")
def bodies_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    """Every body, a page at a time, filtered, sorted and cut by the database: filter by
    status (the dashboard links to the preliminary identifications awaiting a second person),
    batch or tag."""
    statuses = [s.value for s in BodyStatus]
    table = table_query(
        request.query_params, sorts=BODY_SORTS, filters=BODY_FILTERS, default_sort="tag"
    )
    errors: dict[str, str] = {}
    status, batch, text = table.filter("status"), table.filter("batch"), table.filter("q")
    if status and status not in statuses:
        errors["status"] = i18n.gettext("Choose a status from the list.")
    # ASCII digits only and short: "²" passes isdigit(), and a 30-digit id overflows the SQL
    if batch and not (batch.isascii() and batch.isdigit() and len(batch) <= 9):
        errors["batch"] = i18n.gettext("Give the number of a batch.")
    page: Page[BodyView] = Page([], 0, 0, table.per_page)
    if not errors:
        page = remains.body_table(
            uow,
            actor,
            table,
            status=BodyStatus(status) if status else None,
            batch_id=int(batch) if batch else None,
            text=text,
        )
    return render(
        request,
        "remains_bodies.html",
        422 if errors else 200,
        page=page,
        table=table,
        errors=errors,
        statuses=statuses,
        coded=coded,
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
        return _body_page(request, view, uow, tag, 409, Refusal.of("confirm", exc, {}))
    except InvalidInput as exc:
        return _body_page(request, view, uow, tag, 422, Refusal.of("confirm", exc, {}))
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
        typed = {"whom": whom, "notified_by": notified_by, "how": how}
        return _body_page(request, view, uow, tag, 422, Refusal.of("notify", exc, typed))
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
        return _body_page(request, view, uow, tag, 422, Refusal.of("release", exc, {"to": to}))
    return _body_page(request, view, uow, tag)


def _references_page(
    request: Request, actor: Actor, uow: UowDep, status: int = 200, refused: Refusal | None = None
) -> Response:
    """`refused.form` names the relative's row (`family/member`) whose consent form failed."""
    families = remains.reference_families(uow, actor)
    refused = refused or Refusal()
    rows = {f"{f.family}/{d.member}" for f in families for d in f.donors if d.markers}
    return render(
        request,
        "remains_references.html",
        status,
        families=families,
        can_record=actor.can(Permission.REMAINS_RECORD),
        refused=refused,
        # a refusal naming no shown row (an unknown relative) is said above the table
        stray=refused.error if refused.form and refused.form not in rows else "",
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
        refused = Refusal.of(f"{family}/{member}", exc, {"given_by": given_by})
        return _references_page(request, view.actor, uow, 422, refused)
    return _references_page(request, view.actor, uow)
