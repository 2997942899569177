"""The children track's use cases as the views every door shows.

Each function runs a use case and gives back what the API returns and the CLI prints, so
neither door converts a case and the two cannot drift apart. The console renders the cases
themselves (`ChildCase`), with labels the views do not carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from parley.domain.accounts.accounts import Actor
from parley.services.children.answers import (
    OVERDUE_DAYS,
    ChildAnswer,
    export_cases,
    list_progress,
    record_answers,
)
from parley.services.children.cases import get_case, list_cases
from parley.services.children.views import AnswersOut, ChildCaseOut, ProgressOut
from parley.services.uow import UnitOfWork


def case_views(uow: UnitOfWork, actor: Actor) -> list[ChildCaseOut]:
    """Every child's case: `GET /children/cases`, `parley child cases --json`."""
    return [ChildCaseOut.of(c) for c in list_cases(uow, actor)]


def case_view(uow: UnitOfWork, actor: Actor, case_id: int) -> ChildCaseOut:
    """One child's case: `GET /children/cases/{id}`, `parley child show`."""
    return ChildCaseOut.of(get_case(uow, actor, case_id))


def progress_view(
    uow: UnitOfWork,
    actor: Actor,
    list_ref: str,
    as_of: date | None = None,
    overdue_days: int = OVERDUE_DAYS,
) -> ProgressOut:
    return ProgressOut.of(list_progress(uow, actor, list_ref, as_of, overdue_days))


def record_answers_view(
    uow: UnitOfWork,
    actor: Actor,
    list_ref: str,
    answers: Sequence[ChildAnswer],
    *,
    on: date,
    source: str,
) -> AnswersOut:
    return AnswersOut.of(record_answers(uow, actor, list_ref, answers, on=on, source=source))


def export_case_views(uow: UnitOfWork, actor: Actor, export_id: int) -> list[ChildCaseOut]:
    """An approved export's cases, as `parley child export` writes them."""
    return [ChildCaseOut.of(c) for c in export_cases(uow, actor, export_id)]
