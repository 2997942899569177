"""What waits for a reviewer across every match run: the dashboard's count."""

from __future__ import annotations

from parley.domain.accounts.accounts import Actor, Permission
from parley.services.uow import UnitOfWork


def pending_reviews(uow: UnitOfWork, actor: Actor) -> int:
    """How many entries of any run wait for a reviewer's decision (a count: nothing logged)."""
    actor.require(Permission.MATCH_DECIDE)
    with uow:
        return uow.matches.pending_reviews(None)
