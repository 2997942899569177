"""The remains track's use cases: batches, custody, bodies, identification, DNA over cases.

Batches keep the other side's declared count beside ours and each bag's chain of custody;
a body's status is the last of its steps, and a preliminary identification is confirmed
only by a second person. `screen_case` and `solve_case` run `parley.dna` over a case in
dvir's CSV layout (`parley dvi`, docs/remains.md). `bodies_received` is what the agreements
track counts against a commitment such as "6,000 bodies".
"""

from __future__ import annotations

from parley.interchange.bundle_payloads import BundleKind
from parley.services import lists
from parley.services.remains.bodies import (
    batch,
    batches,
    bodies,
    bodies_declared,
    bodies_received,
    body,
    body_table,
    identification_rate,
    receive_body,
    record_batch,
    record_handoff,
    record_step,
    screen_into,
)
from parley.services.remains.chart import identification_svg
from parley.services.remains.dvi import candidates, screen_case, solve_case
from parley.services.remains.handover import (
    death_list,
    death_list_view,
    notify_family,
    record_declared_batch,
    release_body,
)
from parley.services.remains.handover_bundles import (
    export_handover,
    receive_handover,
    record_handed_batch,
)
from parley.services.remains.references import (
    import_references,
    record_consent,
    reference_families,
    reference_family,
)
from parley.services.remains.screening import screen_references
from parley.services.remains.views import (
    BatchView,
    BodyView,
    CandidateView,
    DonorView,
    FamilyView,
    HandoffView,
    NotificationView,
    RatePoint,
    ReferenceImport,
    ScreenOutcome,
    StepView,
)

__all__ = [
    "BatchView",
    "BodyView",
    "CandidateView",
    "DonorView",
    "FamilyView",
    "HandoffView",
    "NotificationView",
    "RatePoint",
    "ReferenceImport",
    "ScreenOutcome",
    "StepView",
    "batch",
    "batches",
    "bodies",
    "bodies_declared",
    "bodies_received",
    "body",
    "body_table",
    "candidates",
    "death_list",
    "death_list_view",
    "export_handover",
    "identification_rate",
    "identification_svg",
    "import_references",
    "notify_family",
    "receive_body",
    "record_batch",
    "record_consent",
    "record_declared_batch",
    "record_handed_batch",
    "record_handoff",
    "record_step",
    "reference_families",
    "reference_family",
    "release_body",
    "screen_case",
    "screen_into",
    "screen_references",
    "solve_case",
]

# Handovers of remains arrive as bundles; the lists track takes them in and hands them here.
lists.register_receiver(BundleKind.REMAINS_HANDOVER, receive_handover)
