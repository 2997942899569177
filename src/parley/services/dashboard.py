"""What needs attention now: the console's home page, per role, computed in one place.

Each kind of open task is a count with the screen that resolves it, and is shown only to a
role that can act on it (a reviewer is not told about overdue medical decisions it cannot
record). Counts name nobody, so reading the dashboard is not logged; each track answers its
own count through its package door, checking its own permission as well. Counts are kept
until a write changes the records (`services.cache`): some take seconds on a full instance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.agreements import AT_RISK_WITHIN_DAYS
from parley.domain.errors import InvalidInput
from parley.services import agreements, children, exchange, lists, matching, remains
from parley.services.cache import VersionedCache
from parley.services.registry import today
from parley.services.uow import UnitOfWork

DEFAULT_NO_ANSWER_DAYS = children.OVERDUE_DAYS


class AttentionItem(BaseModel):
    kind: str
    """A stable key: `matches_to_review`, `overdue_examinations`, `unacknowledged_lists`,
    `unconfirmed_identifications`, `unanswered_children`, `commitments_at_risk`."""
    count: int
    href: str
    """The console screen that resolves it, filtered to what is counted."""


class DashboardView(BaseModel):
    as_of: date
    no_answer_days: int
    at_risk_days: int
    items: list[AttentionItem]


@dataclass(frozen=True)
class _Kind:
    key: str
    needs: tuple[Permission, ...]
    """Who can act on it (and read what is counted): computed and shown only for them."""
    href: str
    count: Callable[[UnitOfWork, Actor, date, int], int]


def _unconfirmed(uow: UnitOfWork, actor: Actor, on: date, days: int) -> int:
    return sum(1 for b in remains.bodies(uow, actor) if b.status == PRELIMINARY)


PRELIMINARY = "preliminary"

KINDS = (
    _Kind(
        "matches_to_review",
        (Permission.MATCH_DECIDE,),
        "/matching/review",
        lambda uow, actor, on, days: matching.pending_reviews(uow, actor),
    ),
    _Kind(
        "overdue_examinations",
        (Permission.MEDICAL_RECORD, Permission.REGISTRY_READ),
        "/medical?overdue=1",
        lambda uow, actor, on, days: exchange.overdue_examinations(uow, actor, on),
    ),
    _Kind(
        "unacknowledged_lists",
        (Permission.BUNDLES_SEND, Permission.LISTS_READ),
        "/lists?unacknowledged=1#acks",
        lambda uow, actor, on, days: lists.unacknowledged(uow, actor),
    ),
    _Kind(
        "unconfirmed_identifications",
        (Permission.REMAINS_CONFIRM, Permission.REMAINS_READ),
        "/remains/bodies?status=preliminary",
        _unconfirmed,
    ),
    _Kind(
        "unanswered_children",
        (Permission.CHILDREN_RECORD, Permission.CHILDREN_COUNTS),
        "/children?unanswered={days}#cases",
        lambda uow, actor, on, days: children.unanswered_cases(uow, actor, on, days),
    ),
    _Kind(
        "commitments_at_risk",
        (Permission.AGREEMENTS_RECORD, Permission.AGREEMENTS_READ),
        "/agreements?at_risk=1#commitments",
        lambda uow, actor, on, days: len(agreements.commitments_at_risk(uow, actor, on)),
    ),
)


_counts: VersionedCache[int] = VersionedCache(256)
"""Counts per kind, day and threshold, until a write changes the records: a count does not
depend on who asks once the dashboard has checked they may act on it."""


def attention(
    uow: UnitOfWork,
    actor: Actor,
    as_of: date | None = None,
    no_answer_days: int = DEFAULT_NO_ANSWER_DAYS,
) -> DashboardView:
    """The counts this actor can act on, in a fixed order (the most urgent kinds first)."""
    if no_answer_days < 1:
        raise InvalidInput("the days without an answer must be at least 1", "no_answer_days")
    on = as_of or today()
    items = [
        AttentionItem(
            kind=kind.key,
            count=_counts.get(
                uow,
                (kind.key, on, no_answer_days),
                lambda kind=kind: kind.count(uow, actor, on, no_answer_days),  # type: ignore[misc]
            ),
            href=kind.href.format(days=no_answer_days),
        )
        for kind in KINDS
        if all(actor.can(p) for p in kind.needs)
    ]
    return DashboardView(
        as_of=on, no_answer_days=no_answer_days, at_risk_days=AT_RISK_WITHIN_DAYS, items=items
    )
