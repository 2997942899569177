"""The remains track's use cases: DNA identification over case files, and batch totals.

`screen_case` and `solve_case` run `parley.dna` over a case in dvir's CSV layout (the doors
behind `parley dvi screen` and `parley dvi solve`, see docs/remains.md); `bodies_received`
is what the agreements track counts against a commitment such as "6,000 bodies".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from parley.domain.remains.batches import Batch, received_total
from parley.services.remains.dvi import candidates, screen_case, solve_case

__all__ = ["bodies_declared", "bodies_received", "candidates", "screen_case", "solve_case"]


def bodies_received(
    batches: Sequence[Batch], *, receiving_party: str, since: date | None, as_of: date
) -> int:
    """Bodies a party received (our own count) in batches handed over in [since, as_of]."""
    return received_total(batches, receiving_party=receiving_party, since=since, as_of=as_of)[1]


def bodies_declared(
    batches: Sequence[Batch], *, receiving_party: str, since: date | None, as_of: date
) -> int:
    """Bodies the other side declared (its signed list) for the same batches."""
    return received_total(batches, receiving_party=receiving_party, since=since, as_of=as_of)[0]
