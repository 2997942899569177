"""The agreements track: rounds, memoranda, proposals, commitments and their fulfilment.

What was promised at the table, held beside what Parley's own records show was delivered.
"""

from parley.interchange.bundle_payloads import BundleKind
from parley.services import lists
from parley.services.agreements.exchange import receive_statement
from parley.services.agreements.fulfilment import (
    commitments_at_risk,
    list_commitments,
    record_claim,
    record_commitment,
    show_commitment,
)
from parley.services.agreements.public import public_agreements
from parley.services.agreements.records import (
    list_memoranda,
    list_proposals,
    list_rounds,
    record_memorandum,
    record_proposal,
    record_response,
    record_round,
    show_memorandum,
    side_by_side,
)
from parley.services.agreements.report import render_markdown, round_report
from parley.services.agreements.report_pdf import render_pdf

__all__ = [
    "commitments_at_risk",
    "list_commitments",
    "list_memoranda",
    "list_proposals",
    "list_rounds",
    "public_agreements",
    "record_claim",
    "record_commitment",
    "record_memorandum",
    "record_proposal",
    "record_response",
    "record_round",
    "render_markdown",
    "render_pdf",
    "round_report",
    "show_commitment",
    "show_memorandum",
    "side_by_side",
]

# Agreement statements arrive as bundles; the lists track takes them in and hands them here.
lists.register_receiver(BundleKind.AGREEMENT, receive_statement)
