"""/api/v1/lists and /api/v1/bundles: build and read lists, sign, take in and relay bundles."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Permission
from parley.domain.lists import EntryResponse, ListPurpose, Verdict
from parley.domain.paging import MAX_LIMIT
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory
from parley.services import exchange, lists
from parley.services.exchange import category_check
from parley.services.exchange.views import CategoryCheckOut
from parley.services.lists import bundles
from parley.services.lists import documents as list_documents
from parley.services.lists.views import (
    AckOut,
    BuildOut,
    BundleImportView,
    BundlesOut,
    ListDetailOut,
    ListEntriesOut,
    ListOut,
    ListsOut,
    ReconciliationOut,
    TrustedKeyOut,
)
from parley.web.deps import ActorDep, InstanceDep, UowDep
from parley.web.files import read_upload
from parley.web.uploads import upload_needs

router = APIRouter(tags=["lists and bundles"])


class BuildIn(BaseModel):
    name: str
    recipients: list[str] = Field(min_length=1)
    purpose: ListPurpose = ListPurpose.OFFER
    category_label: str = ""
    reference: str = ""
    status: Status | None = None
    category: PersonCategory | None = None
    side: str | None = None
    ages: tuple[int, int] | None = None
    as_of: date | None = None


@router.get("/lists", response_model=ListsOut)
def all_lists(
    actor: ActorDep,
    uow: UowDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> ListsOut:
    return lists.lists_view(uow, actor, offset, limit)


@router.post("/lists", response_model=BuildOut, status_code=201)
def build(body: BuildIn, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> BuildOut:
    """Snapshot a registry query as a list; the same name makes the next version."""
    return lists.build_list_view(
        uow,
        actor,
        instance.config.party,
        lists.ListDraft(
            body.name, body.purpose, tuple(body.recipients), body.category_label, body.reference
        ),
        lists.RegistrySelection(
            body.status,
            body.category,
            body.side.upper() if body.side else None,
            body.ages,
            body.as_of,
        ),
    )


@router.get("/lists/{list_id}", response_model=ListDetailOut)
def show(list_id: int, actor: ActorDep, uow: UowDep) -> ListDetailOut:
    """The list with every entry at once; a long list reads better a page at a time from
    `GET /lists/{list_id}/entries` (`offset`, `limit`)."""
    return lists.list_view(uow, actor, list_id)


@router.get("/lists/{list_id}/entries", response_model=ListEntriesOut)
def entries(
    list_id: int,
    actor: ActorDep,
    uow: UowDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> ListEntriesOut:
    """A page of the list's entries in list order; `total` is how many the list holds."""
    return lists.list_entries_view(uow, actor, list_id, offset, limit)


@router.get("/lists/{list_id}/versions", response_model=list[ListOut])
def versions(list_id: int, actor: ActorDep, uow: UowDep) -> list[ListOut]:
    return lists.versions_view(uow, actor, list_id)


@router.get("/lists/{list_id}/document")
def document(
    list_id: int,
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    format: Annotated[str, Query(pattern="^(csv|xlsx|pdf)$")] = "pdf",
    language: Annotated[str, Query(pattern="^(en|uk)$")] = "en",
) -> Response:
    """`language`: the PDF's printed headings and labels; the entries print as listed."""
    made = list_documents.render(uow, actor, instance.keyring(), list_id, format, language)
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


@router.post("/lists/{list_id}/reconciliation", response_model=ReconciliationOut)
def reconcile(list_id: int, actor: ActorDep, uow: UowDep) -> ReconciliationOut:
    return lists.reconcile_view(uow, actor, list_id)


@router.get("/lists/{list_id}/reconciliation", response_model=ReconciliationOut)
def reconciliation(list_id: int, actor: ActorDep, uow: UowDep) -> ReconciliationOut:
    return lists.reconciliation_view(uow, actor, list_id)


class AnswerIn(BaseModel):
    ref: str
    verdict: Verdict
    reason: str = ""


class RespondIn(BaseModel):
    answers: list[AnswerIn] = []


@router.post("/lists/{list_id}/response", response_model=BuildOut, status_code=201)
def respond(
    list_id: int, body: RespondIn, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> BuildOut:
    """The response list; answers given here replace the proposed ones for those entries."""
    return lists.respond_view(
        uow,
        actor,
        instance.config.party,
        list_id,
        {a.ref: EntryResponse(a.ref, a.verdict, a.reason) for a in body.answers},
    )


@router.get("/lists/{list_id}/category-check", response_model=CategoryCheckOut)
def category_check_report(
    list_id: int,
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    category: Annotated[list[str] | None, Query(description="An agreed category (repeat).")] = None,
    on: Annotated[date | None, Query(description="The stage date (default: today).")] = None,
    only_failing: bool = False,
    format: Annotated[str, Query(pattern="^(json|csv|xlsx)$")] = "json",
) -> CategoryCheckOut | Response:
    """Every entry against the agreed categories, with the reasons; as JSON, CSV or XLSX."""
    day, agreed, custom = on or date.today(), category or [], instance.own_categories()
    if format == "json":
        return exchange.check_list_view(uow, actor, list_id, agreed, day, custom, only_failing)
    check = category_check.check_list(uow, actor, list_id, agreed, day, custom)
    made = category_check.report_file(check, format, only_failing)
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


@router.post("/bundles", response_model=BundleImportView)
@upload_needs(Permission.BUNDLES_RECEIVE)
async def import_bundle(
    file: UploadFile,
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    relay: bool = False,
) -> Response:
    """Verify and take in a bundle; a refusal (HTTP 422) names the failed check."""
    name, content = await read_upload(file)
    body = await run_in_threadpool(
        lists.import_bundle_view, uow, actor, instance.keyring(), name, content, relay
    )
    data = body.model_dump(mode="json")
    if not body.accepted:
        failed = next((c for c in body.checks if not c.passed), None)
        data.update(
            ok=False,
            code="bundle_refused",
            message=f"bundle refused: {failed.check} check failed: {failed.detail}"
            if failed
            else "bundle refused",
        )
        return JSONResponse(data, 422)
    return JSONResponse(data, 200 if body.already else 201)


class ExportIn(BaseModel):
    list_id: int
    recipient: str | None = None


@router.post("/bundles/export")
def export_bundle(body: ExportIn, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> Response:
    """Sign one of our lists; the response body is the bundle, byte for byte."""
    bundle, raw = bundles.export_bundle(
        uow, actor, instance.keyring(), body.list_id, body.recipient
    )
    return Response(
        raw,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="bundle-{bundle.id}.json"',
            "X-Bundle-SHA256": bundle.sha256,
        },
    )


@router.get("/bundles", response_model=BundlesOut)
def all_bundles(
    actor: ActorDep,
    uow: UowDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> BundlesOut:
    return lists.bundles_view(uow, actor, offset, limit)


@router.get("/bundles/{bundle_id}")
def bundle_bytes(bundle_id: int, actor: ActorDep, uow: UowDep) -> Response:
    """The exact bytes sent or received."""
    bundle, content = bundles.bundle_content(uow, actor, bundle_id)
    return Response(
        content,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="bundle-{bundle.id}.json"'},
    )


@router.get("/acknowledgments", response_model=list[AckOut])
def acknowledgments(actor: ActorDep, uow: UowDep) -> list[AckOut]:
    """Our lists as sent, and the receipts that came back for each."""
    return lists.acknowledgments_view(uow, actor, 0, MAX_LIMIT)


class RevokeIn(BaseModel):
    fingerprint: str = Field(max_length=100)
    reason: str = Field(min_length=1, max_length=500)


@router.get("/trust", response_model=list[TrustedKeyOut])
def trusted(actor: ActorDep, instance: InstanceDep) -> list[TrustedKeyOut]:
    """The keys this instance trusts, each in use, retired or revoked."""
    return lists.trusted_keys_view(actor, instance.trust_store)


@router.post("/trust/revoke", response_model=TrustedKeyOut)
def revoke(body: RevokeIn, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> TrustedKeyOut:
    """Revoke a compromised key (`keys.manage`): nothing it signed is accepted any more."""
    return lists.revoke_key_view(uow, actor, instance.trust_store, body.fingerprint, body.reason)
