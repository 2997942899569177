"""Aggregate figures for the public page: counts only, small ones suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from parley.domain.registry.events import Status
from parley.services.registry.views import Figure
from parley.services.uow import UnitOfWork

SUPPRESS_BELOW = 10
"""A count under this is published as "fewer than 10": a small number can name a family."""


@dataclass(frozen=True)
class PublicFigure:
    status: str
    count: int | None

    @property
    def shown(self) -> str:
        return f"< {SUPPRESS_BELOW}" if self.count is None else f"{self.count:,}"


def public_figures(uow: UnitOfWork) -> list[PublicFigure]:
    """No actor: these numbers are for anyone, and carry nothing that identifies a person."""
    with uow:
        counts = uow.persons.count_by_status()
    figures = []
    for status in Status:
        count = counts.get(status.value, 0)
        figures.append(
            PublicFigure(status.value, count if count >= SUPPRESS_BELOW or count == 0 else None)
        )
    return figures


def public_figure_views(uow: UnitOfWork) -> list[Figure]:
    """`public_figures` as `GET /public/figures` gives them."""
    return [Figure(status=f.status, count=f.count, shown=f.shown) for f in public_figures(uow)]
