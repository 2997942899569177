"""The children screens (ombudsman only): cases with every known identity, relatives and
proof; the lists to the other side with each child's answer; each list's progress. Other roles
see counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from parley.domain.accounts.accounts import Permission
from parley.domain.children import ChildCase, ChildStatus, waiting_for_answer
from parley.domain.paging import Page, page_of, table_query
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
    """Cases a page at a time; `unanswered=N` keeps the children listed N days ago or more
    with no answer yet (what the dashboard counts)."""
    table = table_query(
        request.query_params,
        sorts=("reference", "status"),
        filters=("unanswered", "status", "as_of"),
        default_sort="reference",
    )
    errors: dict[str, str] = {}
    unanswered = table.filter("unanswered")
    # ASCII digits, at most 5: "²" passes isdigit() but not int(), 10^30 days overflows a date
    short = unanswered.isascii() and unanswered.isdigit() and len(unanswered) <= 5
    if unanswered and not (short and int(unanswered) >= 1):
        errors["unanswered"] = i18n.gettext("Give a whole number of days, 1 or more.")
    status = table.filter("status")
    statuses = [str(s) for s in ChildStatus]
    if status and status not in statuses:
        errors["status"] = i18n.gettext("Choose a status from the list.")
    refs = children.list_refs(uow, actor)
    progress = [children.list_progress(uow, actor, ref, as_of) for ref in refs]
    can_read = actor.can(Permission.CHILDREN_READ)
    page: Page[ChildCase]
    if not can_read or errors:
        page = Page([], 0, 0, table.per_page)
    elif not unanswered and not status and table.sort in ("", "reference"):
        page = children.case_table(uow, actor, table)  # by reference alone: the database
    else:  # status and answers are folded from the events: over the cases kept per version
        on = as_of or datetime.now(UTC).date()
        wanted = [
            c
            for c in children.list_cases(uow, actor)
            if (not unanswered or waiting_for_answer(c, on, int(unanswered)))
            and (not status or str(c.status) == status)
        ]
        keys: dict[str, Callable[[ChildCase], Any]] = {
            "reference": lambda c: c.reference,
            "status": lambda c: (statuses.index(str(c.status)), c.reference),
        }
        page = page_of(wanted, table, keys)
    return render(
        request,
        "children.html",
        422 if errors else 200,
        table=table,
        page=page,
        errors=errors,
        counts=children.counts(uow, actor),
        statuses=[str(s) for s in ChildStatus],
        progress=progress,
        can_read=can_read,
        as_of=as_of or "",
        coded=coded,
    )


@router.get("/children/{case_id}")
def child_page(request: Request, case_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    return render(request, "child.html", case=children.get_case(uow, actor, case_id), coded=coded)
