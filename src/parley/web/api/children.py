"""/api/v1/children: deported children's cases (ombudsman only), lists' progress, answers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from parley.services import children
from parley.services.children.views import AnswersIn, AnswersOut, ChildCaseOut, ProgressOut
from parley.web.deps import ActorDep, UowDep

router = APIRouter(prefix="/children", tags=["children"])


@router.get("/cases", response_model=list[ChildCaseOut])
def list_cases(actor: ActorDep, uow: UowDep) -> list[ChildCaseOut]:
    """Every child's case: the ombudsman's (and admins') only; a refusal is audited."""
    return children.case_views(uow, actor)


@router.get("/cases/{case_id}", response_model=ChildCaseOut)
def get_case(case_id: int, actor: ActorDep, uow: UowDep) -> ChildCaseOut:
    """A child's record with every known identity, relatives and proof, and its events."""
    return children.case_view(uow, actor, case_id)


@router.get("/counts", response_model=dict[str, int])
def counts(actor: ActorDep, uow: UowDep) -> dict[str, int]:
    """How many cases stand at each status: what roles other than the ombudsman see."""
    return children.counts(uow, actor)


@router.get("/lists", response_model=list[str])
def list_refs(actor: ActorDep, uow: UowDep) -> list[str]:
    return children.list_refs(uow, actor)


@router.get("/lists/{list_ref}/progress", response_model=ProgressOut)
def progress(
    list_ref: str,
    actor: ActorDep,
    uow: UowDep,
    as_of: date | None = None,
    overdue_days: Annotated[int, Query(ge=1)] = children.OVERDUE_DAYS,
) -> ProgressOut:
    """Answered, located, returned, reunited, and no answer after `overdue_days`, as of a date."""
    return children.progress_view(uow, actor, list_ref, as_of, overdue_days)


@router.post("/lists/{list_ref}/answers", response_model=AnswersOut, status_code=201)
def answers(list_ref: str, body: AnswersIn, actor: ActorDep, uow: UowDep) -> AnswersOut:
    """The other side's answers, matched to the cases on the list by the matching engine."""
    given = [children.ChildAnswer(**a.model_dump()) for a in body.answers]
    return children.record_answers_view(uow, actor, list_ref, given, on=body.on, source=body.source)
