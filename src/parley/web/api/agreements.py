"""/api/v1/agreements: rounds, memoranda side by side, proposals and responses, commitments
computed from the records (as of any day), claims, the round report, the public summary."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from parley.services import agreements
from parley.services.agreements import views
from parley.services.agreements.chart import fulfilment_svg
from parley.services.agreements.drafts import (
    ClaimIn,
    CommitmentIn,
    MemorandumIn,
    ProposalIn,
    ResponseIn,
    RoundIn,
)
from parley.web.deps import ActorDep, InstanceDep, UowDep

router = APIRouter(prefix="/agreements", tags=["agreements"])
public_router = APIRouter(tags=["agreements"])


@router.get("/rounds", response_model=list[views.RoundView])
def rounds(actor: ActorDep, uow: UowDep) -> list[views.RoundView]:
    return agreements.list_rounds(uow, actor)


@router.post("/rounds", response_model=views.RoundView, status_code=201)
def add_round(body: RoundIn, actor: ActorDep, uow: UowDep) -> views.RoundView:
    return agreements.record_round(uow, actor, body.row())


@router.get("/memoranda", response_model=list[views.MemorandumView])
def memoranda(actor: ActorDep, uow: UowDep) -> list[views.MemorandumView]:
    return agreements.list_memoranda(uow, actor)


@router.post("/memoranda", response_model=views.MemorandumView, status_code=201)
def add_memorandum(body: MemorandumIn, actor: ActorDep, uow: UowDep) -> views.MemorandumView:
    """A memorandum with ordered sections; each point coded with topics and a stance."""
    return agreements.record_memorandum(uow, actor, body.row(), body.point_rows())


@router.get("/memoranda/{memorandum_id}", response_model=views.MemorandumView)
def memorandum(memorandum_id: int, actor: ActorDep, uow: UowDep) -> views.MemorandumView:
    return agreements.show_memorandum(uow, actor, memorandum_id)


@router.get("/side-by-side", response_model=views.SideBySide)
def side_by_side(
    actor: ActorDep,
    uow: UowDep,
    topic: Annotated[list[str] | None, Query()] = None,
    memorandum: Annotated[list[int] | None, Query()] = None,
) -> views.SideBySide:
    """Each party's points by topic, and on each shared position whether they meet or exclude."""
    return agreements.side_by_side(uow, actor, topic or [], memorandum or [])


@router.get("/proposals", response_model=list[views.ProposalView])
def proposals(
    actor: ActorDep,
    uow: UowDep,
    kind: str | None = None,
    round: int | None = None,
) -> list[views.ProposalView]:
    return agreements.list_proposals(uow, actor, kind, round)


@router.post("/proposals", response_model=views.ProposalView, status_code=201)
def add_proposal(body: ProposalIn, actor: ActorDep, uow: UowDep) -> views.ProposalView:
    return agreements.record_proposal(uow, actor, body.row())


@router.post(
    "/proposals/{proposal_id}/responses", response_model=views.ProposalView, status_code=201
)
def respond(proposal_id: int, body: ResponseIn, actor: ActorDep, uow: UowDep) -> views.ProposalView:
    return agreements.record_response(uow, actor, body.row(proposal_id))


@router.get("/commitments", response_model=list[views.CommitmentView])
def commitments(
    actor: ActorDep,
    uow: UowDep,
    as_of: date | None = None,
    round: int | None = None,
) -> list[views.CommitmentView]:
    """Every commitment with its figure computed from the records as of the day (default today)."""
    return agreements.list_commitments(uow, actor, as_of, round)


@router.post("/commitments", response_model=views.CommitmentView, status_code=201)
def add_commitment(body: CommitmentIn, actor: ActorDep, uow: UowDep) -> views.CommitmentView:
    return agreements.record_commitment(uow, actor, body.row())


@router.get("/commitments/{commitment_id}", response_model=None)
def commitment(
    commitment_id: int,
    actor: ActorDep,
    uow: UowDep,
    as_of: date | None = None,
    format: Annotated[str, Query(pattern="^(json|svg)$")] = "json",
) -> Response | views.CommitmentView:
    """One commitment; `?format=svg` gives the chart of its fulfilment over time."""
    found = agreements.show_commitment(uow, actor, commitment_id, as_of)
    if format == "svg":
        return Response(fulfilment_svg(found), media_type="image/svg+xml")
    return found


@router.post(
    "/commitments/{commitment_id}/claims", response_model=views.CommitmentView, status_code=201
)
def claim(commitment_id: int, body: ClaimIn, actor: ActorDep, uow: UowDep) -> views.CommitmentView:
    """What a party says it delivered: kept beside the computed figure, with the gap."""
    return agreements.record_claim(uow, actor, body.row(commitment_id))


@router.post("/{statement}/{record_id}/bundle")
def export_bundle(
    statement: str,
    record_id: int,
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    to: Annotated[str, Query(description="The recipient party.")],
) -> Response:
    """Sign one of our statements (`memorandum`, `proposal`, `response`, `claim`) as a bundle;
    the other side takes it in at `POST /api/v1/bundles` like any bundle."""
    from parley.services.agreements.exchange import export_statement

    kept, raw = export_statement(uow, actor, instance.keyring(), statement, record_id, to)
    return Response(
        raw,
        201,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{statement}-{record_id}.json"',
            "X-Bundle-SHA256": kept.sha256,
        },
    )


@router.get("/rounds/{number}/report", response_model=None)
def report(
    number: int,
    actor: ActorDep,
    uow: UowDep,
    as_of: date | None = None,
    format: Annotated[str, Query(pattern="^(json|md|pdf)$")] = "json",
    language: Annotated[str, Query(pattern="^(en|uk)$")] = "en",
) -> Response | views.RoundReport:
    """What was agreed at the round and what happened since: JSON, Markdown or PDF."""
    found = agreements.round_report(uow, actor, number, as_of)
    if format == "md":
        return Response(agreements.render_markdown(found, language), media_type="text/markdown")
    if format == "pdf":
        return Response(
            agreements.render_pdf(found, language),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="round-{number}.pdf"'},
        )
    return found


@public_router.get("/public/agreements", response_model=views.PublicAgreements)
def public(uow: UowDep, as_of: date | None = None) -> views.PublicAgreements:
    """No token needed: rounds, agreed points, commitments with the computed figure and the
    claims; figures under 10 suppressed; no personal data."""
    return agreements.public_agreements(uow, as_of)
