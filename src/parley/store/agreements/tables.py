"""The agreements track's tables, on the one schema (`tables.metadata`); all insert-only."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text

from parley.store.tables import metadata

agreement_rounds = Table(
    "agreement_rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", Integer, nullable=False, unique=True),
    Column("held_on", Date, nullable=False),
    Column("place", String(200), nullable=False),
    Column("host", String(200), nullable=False),
    Column("delegations", JSON, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
)

memoranda = Table(
    "memoranda",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("party", String(3), nullable=False),
    Column("round_number", Integer),
    Column("title", String(300), nullable=False),
    Column("presented_on", Date, nullable=False),
    Column("sections", JSON, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("signed_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
)

memorandum_points = Table(
    "memorandum_points",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("memorandum_id", Integer, ForeignKey("memoranda.id"), nullable=False),
    Column("section", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("topics", JSON, nullable=False),
    Column("stance", String(16), nullable=False),
    Column("position", String(100), nullable=False),
    Column("option", String(100), nullable=False),
    Index("ix_memorandum_points_memorandum_id", "memorandum_id"),
)

proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("party", String(3), nullable=False),
    Column("round_number", Integer),
    Column("title", String(300), nullable=False),
    Column("option", String(100), nullable=False),
    Column("proposed_on", Date, nullable=False),
    Column("terms", JSON, nullable=False),
    Column("source", Text, nullable=False),
    Column("memorandum_id", Integer, ForeignKey("memoranda.id")),
    Column("signed_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
)

proposal_responses = Table(
    "proposal_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False),
    Column("party", String(3), nullable=False),
    Column("response", String(20), nullable=False),
    Column("responded_on", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("counter_proposal_id", Integer, ForeignKey("proposals.id")),
    Column("signed_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_proposal_responses_proposal_id", "proposal_id"),
)

commitments = Table(
    "commitments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_number", Integer),
    Column("label", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("parties", JSON, nullable=False),
    Column("metric", JSON, nullable=False),
    Column("target_kind", String(12), nullable=False),
    Column("target_low", Integer),
    Column("target_high", Integer),
    Column("deadline", Date),
    Column("tolerance", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
)
"""What the parties promised, bound to a metric Parley computes; fulfilment is never stored."""

commitment_claims = Table(
    "commitment_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("commitment_id", Integer, ForeignKey("commitments.id"), nullable=False),
    Column("party", String(3), nullable=False),
    Column("value", Integer, nullable=False),
    Column("claimed_on", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("signed_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_commitment_claims_commitment_id", "commitment_id"),
)
"""What a party says it delivered on a commitment: kept beside the computed figure."""

APPEND_ONLY = (
    "agreement_rounds",
    "memoranda",
    "memorandum_points",
    "proposals",
    "proposal_responses",
    "commitments",
    "commitment_claims",
)
