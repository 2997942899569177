"""The lists screens: build and browse lists, their versions and files; take in bundles;
reconcile a received list and answer it; see which of our lists were acknowledged."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Permission
from parley.domain.errors import InvalidInput, NotFound
from parley.domain.lists import EntryResponse, Finding, ListPurpose, Verdict, parse_age_band
from parley.domain.paging import MAX_LIMIT, query_names, table_query
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory
from parley.services import jobs, lists
from parley.services.exchange import category_check
from parley.services.lists import bundles
from parley.services.lists import documents as list_documents
from parley.web.console.jobs import started
from parley.web.console.rendering import in_language, page_language, render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import InstanceDep, UowDep
from parley.web.files import MAX_UPLOAD
from parley.web.uploads import upload_needs

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
REMOVED = "removed_"
"""The query names of a list page's second table, the entries removed since the previous
version (`removed_page`, `removed_q`): it pages on its own, beside the entries."""


def _index(
    request: Request, actor: ConsoleActor, uow: UowDep, status: int = 200, **extra: object
) -> Response:
    table = table_query(
        request.query_params,
        sorts=lists.LIST_SORTS,
        filters=lists.LIST_FILTERS,
        default_sort="id",
        default_order="desc",
        per_page=PAGE_SIZE,
    )
    page = lists.list_table(uow, actor, table)
    unacknowledged = bool(request.query_params.get("unacknowledged"))
    acks, _ = bundles.acknowledgments(uow, actor, 0, MAX_LIMIT if unacknowledged else 20)
    if unacknowledged:  # what the dashboard counts: no receipt from the addressee yet
        acks = [a for a in acks if not any(r.role == "recipient" for r in a.receipts)]
    return render(
        request,
        "lists.html",
        status,
        lists=page.items,
        page=page,
        table=table,
        acks=acks,
        unacknowledged=unacknowledged,
        purposes=[p.value for p in ListPurpose],
        statuses=[s.value for s in Status],
        can_build=actor.can(Permission.LISTS_WRITE),
        can_receive=actor.can(Permission.BUNDLES_RECEIVE),
        **extra,
    )


@router.get("/lists")
def lists_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return _index(request, actor, uow)


@router.post("/lists")
def build(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    name: Annotated[str, Form()],
    recipients: Annotated[list[str], Form()],
    csrf_token: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "offer",
    status: Annotated[str, Form()] = "",
    side: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    ages: Annotated[str, Form()] = "",
    as_of: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    values = {
        "name": name,
        "recipients": ",".join(recipients),
        "purpose": purpose,
        "status": status,
        "side": side,
        "category": category,
        "ages": ages,
        "as_of": as_of,
        "label": label,
        "reference": reference,
    }
    try:
        selection = lists.RegistrySelection(
            Status(status) if status else None,
            PersonCategory(category) if category else None,
            side.strip().upper() or None,
            parse_age_band(ages),
            date.fromisoformat(as_of) if as_of else None,
        )
        result = lists.build_list(
            uow,
            view.actor,
            instance.config.party,
            lists.ListDraft(
                name,
                ListPurpose(purpose),
                tuple(
                    r.strip()
                    for typed in recipients
                    for r in typed.replace(";", ",").split(",")
                    if r.strip()
                ),
                label,
                reference,
            ),
            selection,
        )
    except InvalidInput as exc:
        return _index(
            request,
            view.actor,
            uow,
            422,
            build_error=exc.message,
            build_field=exc.field,
            build_values=values,
        )
    except ValueError as exc:
        return _index(request, view.actor, uow, 422, build_error=str(exc), build_values=values)
    return RedirectResponse(f"/lists/{result.stored.id}", 303)


@router.get("/lists/{list_id}")
def list_page(
    request: Request, list_id: int, actor: ConsoleActor, uow: UowDep, instance: InstanceDep
) -> Response:
    """A list and its entries a page at a time, and those removed since the previous version
    the same way under `removed_` names: each paged, sorted and searched by the database, each
    keeping the other's place."""
    table = table_query(
        request.query_params,
        sorts=lists.ENTRY_SORTS,
        filters=lists.ENTRY_FILTERS,
        default_sort="position",
        per_page=PAGE_SIZE,
        keep=query_names(lists.ENTRY_FILTERS, REMOVED),
    )
    removed = table_query(
        request.query_params,
        sorts=lists.ENTRY_SORTS,
        filters=lists.ENTRY_FILTERS,
        default_sort="position",
        per_page=PAGE_SIZE,
        prefix=REMOVED,
        keep=query_names(lists.ENTRY_FILTERS),
        anchor="removed",
    )
    shown = lists.list_page(uow, actor, list_id, table, removed)
    found_versions = lists.versions(uow, actor, list_id)
    sent, _ = bundles.list_bundles(uow, actor, 0, 20, list_id)
    try:
        report = lists.reconciliation(uow, actor, list_id)
    except NotFound:
        report = None
    return render(
        request,
        "list.html",
        detail=shown,
        page=shown.entries,
        table=table,
        removed_table=removed,
        path=f"/lists/{list_id}",
        versions=found_versions,
        bundles=sent,
        report=report,
        own=shown.stored.sender == instance.config.party,
        can_send=actor.can(Permission.BUNDLES_SEND),
        can_reconcile=actor.can(Permission.LISTS_WRITE),
    )


@router.get("/lists/{list_id}/document")
def document(
    request: Request,
    list_id: int,
    actor: ConsoleActor,
    uow: UowDep,
    instance: InstanceDep,
    format: str = "pdf",
) -> Response:
    """The PDF's frame in the language of the console."""
    language = getattr(request.state, "language", None) or "en"
    made = list_documents.render(uow, actor, instance.keyring(), list_id, format, language)
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


@router.post("/lists/{list_id}/document")
def document_job(
    request: Request,
    list_id: int,
    view: SessionDep,
    uow: UowDep,
    csrf_token: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "pdf",
) -> Response:
    """The printable list, written by a job: a long list's PDF takes a while."""
    verify_form(request, view, csrf_token)
    params = {"list_id": list_id, "format": format}
    return started(request, jobs.start(uow, view.actor, "lists.document", params))


@router.get("/lists/{list_id}/category-check")
def category_check_page(
    request: Request,
    list_id: int,
    actor: ConsoleActor,
    uow: UowDep,
    instance: InstanceDep,
    category: Annotated[list[str] | None, Query()] = None,
    on: str = "",
    only_failing: str = "",
    format: str = "",
) -> Response:
    """The form, and once categories are chosen the check itself, or its CSV/XLSX file."""
    stored = lists.stored_list(uow, actor, list_id)  # the form needs no entry
    failing_only = only_failing == "on"
    chosen = category or []
    check: category_check.CategoryCheck | None = None
    known: list[category_check.AgreedCategory] = []
    error, field = "", None
    try:
        known = list(category_check.known_categories().values())
        custom = instance.own_categories()
        known = list(category_check.known_categories(custom).values())
        day = _day(on) if on else date.today()
        if category is not None:
            check = category_check.check_list(uow, actor, list_id, chosen, day, custom)
    except InvalidInput as exc:
        error, field = exc.message, exc.field
    if check is not None and format:
        made = category_check.report_file(check, format, failing_only)
        return Response(
            made.content,
            media_type=made.media_type,
            headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
        )
    day_text = check.on.isoformat() if check else on
    query = [("category", c) for c in chosen] + [("on", day_text), ("only_failing", only_failing)]
    return render(
        request,
        "category_check.html",
        422 if error else 200,
        stored=stored,
        known=known,
        chosen=chosen,
        on=on or date.today().isoformat(),
        only_failing=failing_only,
        check=check,
        shown=check.shown(failing_only) if check else [],
        error=error,
        error_field="category" if field in {"category", "categories"} else field,
        query=urlencode(query),
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a date YYYY-MM-DD", "on") from exc


@router.post("/lists/{list_id}/bundle")
def sign(
    request: Request,
    list_id: int,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    csrf_token: Annotated[str, Form()] = "",
    recipient: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    bundle, raw = bundles.export_bundle(
        uow, view.actor, instance.keyring(), list_id, recipient or None
    )
    return Response(
        raw,
        media_type="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="bundle-{bundle.id}-to-{bundle.recipient}.json"'
            )
        },
    )


@router.get("/bundles/{bundle_id}")
def bundle_bytes(bundle_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    bundle, content = bundles.bundle_content(uow, actor, bundle_id)
    return Response(
        content,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="bundle-{bundle.id}.json"'},
    )


@router.post("/bundles")
@upload_needs(Permission.BUNDLES_RECEIVE)
async def take_bundle(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    file: UploadFile,
    csrf_token: Annotated[str, Form()] = "",
    relay: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        return _index(request, view.actor, uow, 413, too_large=True)
    outcome = await run_in_threadpool(  # verifying and storing a list: not on the event loop
        bundles.import_bundle,
        uow,
        view.actor,
        instance.keyring(),
        file.filename or "upload",
        content,
        relay == "on",
    )
    return render(
        request,
        "bundle_result.html",
        422 if outcome.refused else 200,
        outcome=outcome,
        file_name=file.filename or "upload",
    )


@router.post("/lists/{list_id}/reconciliation")
def reconcile(
    request: Request,
    list_id: int,
    view: SessionDep,
    uow: UowDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    return started(request, jobs.start(uow, view.actor, "lists.reconcile", {"list_id": list_id}))


@router.get("/lists/{list_id}/reconciliation")
def reconciliation_page(
    request: Request, list_id: int, actor: ConsoleActor, uow: UowDep
) -> Response:
    report = lists.reconciliation(uow, actor, list_id)
    return render(
        request,
        "reconciliation.html",
        report=report,
        findings=list(Finding),
        verdicts=[v.value for v in Verdict],
        can_respond=actor.can(Permission.LISTS_WRITE),
    )


@router.post("/lists/{list_id}/response")
async def respond(
    request: Request, list_id: int, view: SessionDep, uow: UowDep, instance: InstanceDep
) -> Response:
    form = await request.form()
    verify_form(request, view, str(form.get("csrf_token", "")))
    report = lists.reconciliation(uow, view.actor, list_id)
    answers: dict[str, EntryResponse] = {}
    language = page_language(request)
    for entry in report.entries:
        proposed = entry.response
        verdict = str(form.get(f"verdict:{entry.ref}", "")) or proposed.verdict.value
        reason = str(form.get(f"reason:{entry.ref}", proposed.reason))
        if reason != proposed.reason and reason == in_language(language, proposed.reason):
            reason = proposed.reason  # the prefill left as shown: sent in the services' words
        if (verdict, reason) != (proposed.verdict.value, proposed.reason):
            answers[entry.ref] = EntryResponse(entry.ref, Verdict(verdict), reason)
    result = lists.respond(uow, view.actor, instance.config.party, list_id, answers)
    return RedirectResponse(f"/lists/{result.stored.id}", 303)


@router.get("/trust")
def trust_page(request: Request, actor: ConsoleActor, instance: InstanceDep) -> Response:
    """The keys this instance trusts, each in use, retired or revoked; admins revoke here."""
    keys = bundles.trusted_keys(actor, instance.trust_store)
    return render(request, "trust.html", keys=keys, can_revoke=actor.can(Permission.KEYS_MANAGE))


@router.post("/trust/revoke")
def trust_revoke(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    fingerprint: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    bundles.revoke_key(uow, view.actor, instance.trust_store, fingerprint, reason)
    return RedirectResponse("/trust", status_code=303)
