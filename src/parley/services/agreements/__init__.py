"""The agreements track: rounds, memoranda, proposals, commitments and their fulfilment.

What was promised at the table, held beside what Parley's own records show was delivered.
"""

from parley.services.agreements.fulfilment import (
    list_commitments,
    record_claim,
    record_commitment,
    show_commitment,
)
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

__all__ = [
    "list_commitments",
    "list_memoranda",
    "list_proposals",
    "list_rounds",
    "record_claim",
    "record_commitment",
    "record_memorandum",
    "record_proposal",
    "record_response",
    "record_round",
    "show_commitment",
    "show_memorandum",
    "side_by_side",
]
