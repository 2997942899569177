"""The children screens (ombudsman only): cases with every known identity, relatives and
proof; the lists to the other side with each child's answer; each list's progress. Other roles
see counts."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from parley.domain.accounts.accounts import Permission
from parley.domain.children import ChildStatus
from parley.services import children
from parley.web.console import i18n
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)


coded = i18n.label
"""A coded label in the current language, from the one registry (`i18n.LABELS`)."""


@router.get("/children")
def children_page(
    request: Request, actor: ConsoleActor, uow: UowDep, as_of: date | None = None
) -> Response:
    refs = children.list_refs(uow, actor)
    progress = [children.list_progress(uow, actor, ref, as_of) for ref in refs]
    can_read = actor.can(Permission.CHILDREN_READ)
    cases = children.list_cases(uow, actor) if can_read else []
    return render(
        request,
        "children.html",
        counts=children.counts(uow, actor),
        statuses=[str(s) for s in ChildStatus],
        progress=progress,
        cases=cases,
        can_read=can_read,
        as_of=as_of or "",
        coded=coded,
    )


@router.get("/children/{case_id}")
def child_page(request: Request, case_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    return render(request, "child.html", case=children.get_case(uow, actor, case_id), coded=coded)
