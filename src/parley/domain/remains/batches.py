"""A repatriation batch: declared and received counts, and each bag's chain of custody.

The declared count is the other side's (its signed death list); the received count is ours.
A difference is flagged, never reconciled silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from parley.domain.errors import InvalidRemainsStep


@dataclass(frozen=True)
class Batch:
    handed_over_on: date
    place: str
    from_party: str
    to_party: str
    declared: int
    received: int
    intermediary: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if self.declared < 0 or self.received < 0:
            raise InvalidRemainsStep("a batch's counts cannot be negative")
        if not self.place.strip():
            raise InvalidRemainsStep("a batch needs the place of handover")
        if self.from_party.strip().upper() == self.to_party.strip().upper():
            raise InvalidRemainsStep("a batch passes between two different parties")

    @property
    def difference(self) -> int:
        """Received minus declared: negative when fewer bodies arrived than were listed."""
        return self.received - self.declared

    @property
    def flagged(self) -> bool:
        return self.difference != 0


@dataclass(frozen=True)
class Handoff:
    """One link of a body bag's chain of custody: who took it, when, where, under which seal."""

    bag: str
    received_by: str
    at: datetime
    place: str
    seal: str


def check_chain(chain: Sequence[Handoff], new: Handoff) -> None:
    """A handoff follows the bag's last one in time and names a seal and a receiver."""
    if not new.seal.strip() or not new.received_by.strip() or not new.bag.strip():
        raise InvalidRemainsStep("a handoff names the bag, who received it and the seal number")
    earlier = [h for h in chain if h.bag == new.bag]
    if earlier and new.at < max(h.at for h in earlier):
        raise InvalidRemainsStep(f"bag {new.bag}: a handoff cannot precede the last one")


def received_total(
    batches: Sequence[Batch], *, receiving_party: str | None, since: date | None, as_of: date
) -> tuple[int, int]:
    """(declared, received) bodies a party (None: any party) received in batches handed over
    in [since, as_of]."""
    chosen = [
        b
        for b in batches
        if (receiving_party is None or b.to_party.upper() == receiving_party.upper())
        and b.handed_over_on <= as_of
        and (since is None or b.handed_over_on >= since)
    ]
    return sum(b.declared for b in chosen), sum(b.received for b in chosen)
