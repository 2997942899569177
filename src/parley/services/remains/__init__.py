"""The remains track's use cases: batches, custody, bodies, identification, DNA over cases.

Batches keep the other side's declared count beside ours and each bag's chain of custody;
a body's status is the last of its steps, and a preliminary identification is confirmed
only by a second person. `screen_case` and `solve_case` run `parley.dna` over a case in
dvir's CSV layout (`parley dvi`, docs/remains.md). `bodies_received` is what the agreements
track counts against a commitment such as "6,000 bodies".
"""

from __future__ import annotations

from parley.services.remains.bodies import (
    batch,
    batches,
    bodies,
    bodies_declared,
    bodies_received,
    body,
    identification_rate,
    receive_body,
    record_batch,
    record_handoff,
    record_step,
    screen_into,
)
from parley.services.remains.chart import identification_svg
from parley.services.remains.dvi import candidates, screen_case, solve_case
from parley.services.remains.views import (
    BatchView,
    BodyView,
    CandidateView,
    HandoffView,
    RatePoint,
    StepView,
)

__all__ = [
    "BatchView",
    "BodyView",
    "CandidateView",
    "HandoffView",
    "RatePoint",
    "StepView",
    "batch",
    "batches",
    "bodies",
    "bodies_declared",
    "bodies_received",
    "body",
    "candidates",
    "identification_rate",
    "identification_svg",
    "receive_body",
    "record_batch",
    "record_handoff",
    "record_step",
    "screen_case",
    "screen_into",
    "solve_case",
]
