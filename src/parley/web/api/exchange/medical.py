"""/api/v1/commissions and /api/v1/examinations: Mixed Medical Commissions over HTTP."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from parley.domain.exchange.commissions import (
    AnnexCategory,
    Condition,
    Decision,
    Member,
    MemberRole,
    Proposer,
    Specialty,
)
from parley.domain.exchange.examinations import ExaminationDraft, Step
from parley.services import exchange
from parley.services.exchange import (
    CommissionView,
    ExaminationList,
    ExaminationView,
    QueueEntryView,
)
from parley.web.deps import ActorDep, InstanceDep, UowDep

router = APIRouter(tags=["medical commissions"])


class MemberIn(BaseModel):
    name: str
    party: str = Field(pattern=r"^[A-Za-z]{2,3}$", description="Country code, e.g. CH.")
    role: MemberRole
    chair: bool = False
    specialty: Specialty = Specialty.NONE

    def member(self) -> Member:
        return Member(self.name.strip(), self.party.upper(), self.role, self.chair, self.specialty)


class CommissionIn(BaseModel):
    name: str
    members: list[MemberIn] = Field(
        description="Two neutral members (one with chair: true) and one named by the "
        "detaining power (GC III Annex II)."
    )
    deputies: list[MemberIn] = []


class ConditionIn(BaseModel):
    category: AnnexCategory
    item: str
    unquestionable: bool = False
    predates_war_not_worsened: bool = False

    def condition(self) -> Condition:
        return Condition(
            self.category, self.item.strip(), self.unquestionable, self.predates_war_not_worsened
        )


class ExaminationIn(BaseModel):
    person_id: int
    commission: str = Field(description="The commission's name.")
    visited_on: date
    findings: str
    condition: ConditionIn | None = None
    votes: dict[str, Decision] = Field(description="Each member's name and vote.")
    proposed_by: Proposer = Proposer.OTHER


class StepIn(BaseModel):
    step: Step
    done_on: date


@router.get("/commissions", response_model=list[CommissionView])
def all_commissions(actor: ActorDep, uow: UowDep) -> list[CommissionView]:
    return exchange.list_commissions(uow, actor)


@router.post("/commissions", response_model=CommissionView, status_code=201)
def add_commission(body: CommissionIn, actor: ActorDep, uow: UowDep) -> CommissionView:
    """Set up a commission; one not composed as Annex II requires is refused."""
    return exchange.add_commission(
        uow,
        actor,
        body.name,
        [m.member() for m in body.members],
        [d.member() for d in body.deputies],
    )


@router.get("/examinations", response_model=ExaminationList)
def all_examinations(
    actor: ActorDep,
    uow: UowDep,
    overdue: Annotated[bool, Query(description="Only those past an Annex II deadline.")] = False,
    as_of: Annotated[date | None, Query(description="As things stood on this day.")] = None,
    person_id: int | None = None,
) -> ExaminationList:
    return exchange.list_examinations(uow, actor, as_of, overdue, person_id)


@router.post("/examinations", response_model=ExaminationView, status_code=201)
def examine(body: ExaminationIn, actor: ActorDep, uow: UowDep) -> ExaminationView:
    """Record one visit; the majority of the three votes decides."""
    return exchange.record_examination(
        uow,
        actor,
        ExaminationDraft(
            body.person_id,
            body.commission,
            body.visited_on,
            body.findings,
            body.condition.condition() if body.condition else None,
            body.votes,
            body.proposed_by,
        ),
    )


@router.get("/examinations/queue", response_model=list[QueueEntryView])
def queue(
    actor: ActorDep, uow: UowDep, as_of: Annotated[date | None, Query()] = None
) -> list[QueueEntryView]:
    """Who awaits re-examination, in art. 113 order."""
    return exchange.examination_queue(uow, actor, as_of)


@router.get("/examinations/{examination_id}", response_model=ExaminationView)
def show(examination_id: int, actor: ActorDep, uow: UowDep) -> ExaminationView:
    return exchange.get_examination(uow, actor, examination_id)


@router.post("/examinations/{examination_id}/steps", response_model=ExaminationView)
def add_step(examination_id: int, body: StepIn, actor: ActorDep, uow: UowDep) -> ExaminationView:
    """Record the notification or the carrying out; each once, notification first."""
    return exchange.record_step(uow, actor, examination_id, body.step, body.done_on)


@router.get("/examinations/{examination_id}/certificate")
def certificate(
    examination_id: int,
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    issued_on: Annotated[date | None, Query()] = None,
    language: Annotated[str, Query(pattern="^(en|uk)$")] = "en",
) -> Response:
    """The repatriation certificate as a PDF; other decisions answer `invalid_examination`.
    `language`: the printed frame's (a Ukrainian one keeps each label's English)."""
    config = instance.config
    made = exchange.certificate(
        uow, actor, examination_id, issued_on, f"{config.party} · {config.name}", language
    )
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )
