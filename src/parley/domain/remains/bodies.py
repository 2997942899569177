"""A body's identification status, derived from its append-only stream of steps.

received → sampled → profiled → candidate → preliminary → confirmed → family notified →
released for burial. A step may only follow the one before it (a candidate may also return
to profiled when its candidates are rejected). The account that recorded the preliminary
identification can never confirm it: confirmation is a second person's (issue 14).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from parley.domain.errors import InvalidRemainsStep, SecondPersonRequired


class BodyStatus(StrEnum):
    RECEIVED = "received"
    SAMPLED = "sampled"
    PROFILED = "profiled"
    CANDIDATE = "candidate"
    PRELIMINARY = "preliminary"
    CONFIRMED = "confirmed"
    FAMILY_NOTIFIED = "family_notified"
    RELEASED = "released"


ORDER = list(BodyStatus)

BODY_SORTS = ("tag", "batch", "status", "missing_ref")
"""What the bodies table sorts by; status sorts in the order of the steps, not the alphabet."""
BODY_FILTERS = ("status", "batch", "q")
ALLOWED: dict[BodyStatus | None, frozenset[BodyStatus]] = {
    None: frozenset({BodyStatus.RECEIVED}),
    **{s: frozenset({ORDER[i + 1]}) for i, s in enumerate(ORDER[:-1])},
    BodyStatus.RELEASED: frozenset(),
}
ALLOWED[BodyStatus.CANDIDATE] = frozenset({BodyStatus.PRELIMINARY, BodyStatus.PROFILED})
ALLOWED[BodyStatus.PRELIMINARY] = frozenset({BodyStatus.CONFIRMED, BodyStatus.PROFILED})


@dataclass(frozen=True)
class BodyStep:
    """One step of a body's identification, as recorded (never changed)."""

    body_tag: str
    status: BodyStatus
    recorded_by: str
    recorded_at: datetime
    missing_ref: str = ""
    """The missing person proposed, confirmed or notified (empty before a candidate)."""
    note: str = ""


def current(steps: Sequence[BodyStep]) -> BodyStatus | None:
    return steps[-1].status if steps else None


def check_step(steps: Sequence[BodyStep], new: BodyStep) -> None:
    """Raise unless `new` may follow `steps` (already in recorded order)."""
    status = current(steps)
    if new.status not in ALLOWED[status]:
        raise InvalidRemainsStep(
            f"body {new.body_tag}: {new.status.value} cannot follow "
            f"{status.value if status else 'nothing'}"
        )
    if new.status in (BodyStatus.PRELIMINARY, BodyStatus.CONFIRMED) and not new.missing_ref:
        raise InvalidRemainsStep(f"body {new.body_tag}: name the missing person identified")
    if new.status is BodyStatus.CONFIRMED:
        preliminary = steps[-1]
        if preliminary.recorded_by == new.recorded_by:
            raise SecondPersonRequired(
                f"body {new.body_tag}: {new.recorded_by} recorded the preliminary "
                "identification; another person must confirm it"
            )
        if preliminary.missing_ref != new.missing_ref:
            raise InvalidRemainsStep(
                f"body {new.body_tag}: the confirmation names another person than the "
                "preliminary identification"
            )


def identified(steps: Sequence[BodyStep]) -> bool:
    status = current(steps)
    return status is not None and ORDER.index(status) >= ORDER.index(BodyStatus.CONFIRMED)
