"""/api/v1/lists and /api/v1/bundles: build and read lists, sign, take in and relay bundles."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from parley.domain.accounts.accounts import Permission
from parley.domain.lists import EntryResponse, ListPurpose, Verdict
from parley.domain.paging import MAX_LIMIT
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory
from parley.services import lists
from parley.services.exchange import category_check
from parley.services.exchange.views import CategoryCheckOut
from parley.services.lists import bundles
from parley.services.lists import documents as list_documents
from parley.services.lists.views import (
    AckOut,
    BuildOut,
    BundleOut,
    BundlesOut,
    CheckOut,
    ListDetailOut,
    ListOut,
    ListsOut,
    ReconciliationOut,
    checks_of,
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
    found, total = lists.list_lists(uow, actor, offset, limit)
    return ListsOut(items=[ListOut.of(s) for s in found], total=total)


@router.post("/lists", response_model=BuildOut, status_code=201)
def build(body: BuildIn, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> BuildOut:
    """Snapshot a registry query as a list; the same name makes the next version."""
    result = lists.build_list(
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
    return BuildOut(
        summary=ListOut.of(result.stored),
        unchanged=result.unchanged,
        uncertain=result.uncertain,
    )


@router.get("/lists/{list_id}", response_model=ListDetailOut)
def show(list_id: int, actor: ActorDep, uow: UowDep) -> ListDetailOut:
    detail = lists.get_list(uow, actor, list_id)
    return ListDetailOut(
        summary=ListOut.of(detail.stored),
        entries=[e.entry for e in detail.entries],
        added_refs=[e.ref for e in detail.added],
        removed=detail.removed,
    )


@router.get("/lists/{list_id}/versions", response_model=list[ListOut])
def versions(list_id: int, actor: ActorDep, uow: UowDep) -> list[ListOut]:
    return [ListOut.of(s) for s in lists.versions(uow, actor, list_id)]


@router.get("/lists/{list_id}/document")
def document(
    list_id: int,
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    format: Annotated[str, Query(pattern="^(csv|xlsx|pdf)$")] = "pdf",
) -> Response:
    made = list_documents.render(uow, actor, instance.keyring(), list_id, format)
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


@router.post("/lists/{list_id}/reconciliation", response_model=ReconciliationOut)
def reconcile(list_id: int, actor: ActorDep, uow: UowDep) -> ReconciliationOut:
    return ReconciliationOut.of(lists.reconcile(uow, actor, list_id))


@router.get("/lists/{list_id}/reconciliation", response_model=ReconciliationOut)
def reconciliation(list_id: int, actor: ActorDep, uow: UowDep) -> ReconciliationOut:
    return ReconciliationOut.of(lists.reconciliation(uow, actor, list_id))


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
    result = lists.respond(
        uow,
        actor,
        instance.config.party,
        list_id,
        {a.ref: EntryResponse(a.ref, a.verdict, a.reason) for a in body.answers},
    )
    return BuildOut(summary=ListOut.of(result.stored), unchanged=result.unchanged, uncertain=0)


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
    check = category_check.check_list(
        uow,
        actor,
        list_id,
        category or [],
        on or date.today(),
        instance.own_categories(),
    )
    if format == "json":
        return CategoryCheckOut.of(check, only_failing)
    made = category_check.report_file(check, format, only_failing)
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )


class ImportOut(BaseModel):
    accepted: bool
    already: bool
    checks: list[CheckOut]
    bundle: BundleOut | None
    received_list: ListOut | None
    receipt: str | None = Field(None, description="Our signed receipt (JSON text) to send back.")
    forward_to: str | None
    acknowledges: BundleOut | None


@router.post("/bundles", response_model=ImportOut)
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
    outcome = bundles.import_bundle(uow, actor, instance.keyring(), name, content, relay)
    body = ImportOut(
        accepted=not outcome.refused,
        already=outcome.already,
        checks=checks_of(outcome.verification),
        bundle=BundleOut.of(outcome.bundle) if outcome.bundle else None,
        received_list=ListOut.of(outcome.stored) if outcome.stored else None,
        receipt=outcome.receipt.decode() if outcome.receipt else None,
        forward_to=outcome.forward_to,
        acknowledges=BundleOut.of(outcome.acknowledged) if outcome.acknowledged else None,
    )
    data = body.model_dump(mode="json")
    if outcome.refused:
        failed = outcome.verification.failed
        data.update(
            ok=False,
            code="bundle_refused",
            message=f"bundle refused: {failed.check.value} check failed: {failed.detail}"
            if failed
            else "bundle refused",
        )
        return JSONResponse(data, 422)
    return JSONResponse(data, 200 if outcome.already else 201)


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
    found, total = bundles.list_bundles(uow, actor, offset, limit)
    return BundlesOut(items=[BundleOut.of(b) for b in found], total=total)


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
    found, _ = bundles.acknowledgments(uow, actor, 0, MAX_LIMIT)
    return [
        AckOut(
            bundle=BundleOut.of(a.bundle),
            list_name=str(a.bundle.provenance.get("list", "")),
            acknowledged=a.acknowledged,
            receipts=[
                {"by": r.acknowledged_by, "role": r.role, "received_at": r.received_at}
                for r in a.receipts
            ],
        )
        for a in found
    ]
