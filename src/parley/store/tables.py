"""The schema, as SQLAlchemy Core tables. Migrations in `migrations/` must produce exactly this."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("side", String(3), nullable=False),
    Column("category", String(16), nullable=False),
    Column("sex", String(8), nullable=False),
    Column("birth_year", Integer),
    Column("birth_month", Integer),
    Column("birth_day", Integer),
    Column("birth_earliest", Date),
    Column("birth_latest", Date),
    Column("unit", String(200), nullable=False, default=""),
    Column("rank", String(100), nullable=False, default=""),
    Column("incident_place", String(200), nullable=False, default=""),
    Column("incident_date", Date),
    Column("health", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("record_id", String(100)),
    Index("ix_persons_category", "category"),
    Index("ix_persons_record_id", "record_id", unique=True),
    Index("ix_persons_birth", "birth_earliest", "birth_latest"),
    Index("ix_persons_incident_date", "incident_date"),
    Index("ix_persons_side", "side"),
)

person_names = Table(
    "person_names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("surname", String(200), nullable=False),
    Column("given", String(200), nullable=False),
    Column("patronymic", String(200), nullable=False, default=""),
    Column("script", String(4), nullable=False),
    Column("language", String(3), nullable=False),
    Column("scheme", String(100)),
    Column("is_primary", Boolean, nullable=False),
    Column("folded", String(700), nullable=False),
    Index("ix_person_names_person_id", "person_id"),
    Index("ix_person_names_folded", "folded"),
    # the registry list in name order: one primary name per person, walked in index order
    Index("ix_person_names_sort", "is_primary", "surname", "given", "person_id"),
)

person_identifiers = Table(
    "person_identifiers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("value", String(100), nullable=False),
    UniqueConstraint("kind", "value", name="uq_person_identifiers_kind_value"),
    Index("ix_person_identifiers_person_id", "person_id"),
)

person_relatives = Table(
    "person_relatives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("name", String(300), nullable=False),
    Column("relationship", String(100), nullable=False),
    Column("contact", String(300), nullable=False, default=""),
    Index("ix_person_relatives_person_id", "person_id"),
)

person_events = Table(
    "person_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("type", String(32), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("source", String(32), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("retracts", Integer, ForeignKey("person_events.id")),
    Column("details", JSON, nullable=False),
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_person_events_person_id", "person_id"),
)

person_status = Table(
    "person_status",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("since", Date),
    Index("ix_person_status_status", "status"),
)
"""A projection of the event stream, rebuilt from it at will; never the only truth."""

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("roles", String(300), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("language", String(8), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

data_versions = Table(
    "data_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)
"""One row, bumped by every transaction that writes records (`store.database.share_versions`):
caches of computed pages in any process see any process's writes."""

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("rows", Integer, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("imported_by", String(100), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    # Text, not a timestamp type: the hash covers the exact characters, whatever the database.
    Column("at", String(40), nullable=False),
    Column("actor", String(150), nullable=False),
    Column("action", String(100), nullable=False),
    Column("record_type", String(50), nullable=False),
    Column("record_ids", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_actor", "actor", "seq"),
    Index("ix_audit_log_action", "action", "seq"),
)

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("party", String(3), nullable=False),
    Column("entries", BigInteger, nullable=False),
    Column("head", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("signer_fingerprint", String(40), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("source", String(10), nullable=False),
    Column("bundle_sha256", String(64)),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    Column("stored_by", String(150), nullable=False),
    Index("ix_audit_checkpoints_party", "party", "entries"),
)
"""Signed heads of audit logs: ours (`own`, written on export and on demand) and other
parties' (`received`, carried by their bundles), byte for byte; never changed or deleted."""

person_name_keys = Table(
    "person_name_keys",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("part", String(12), nullable=False),
    Column("key", String(100), nullable=False),
    Index("ix_person_name_keys_key", "key", "part"),
    Index("ix_person_name_keys_person_id", "person_id"),
)
"""Canonical name keys (`parley.names`) of every name a person carries, for cross-script search."""

link_records = Table(
    "link_records",
    metadata,
    Column(
        "person_id",
        Integer,
        ForeignKey("persons.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("recipe", String(16), nullable=False),
    Column("record", Text, nullable=False),
)
"""The engine's record of each person (`parley.linkage.records.to_line`), written with the person
so a match run reads the registry instead of rebuilding it. A cache, never the only truth:
`recipe` fingerprints the code that built the line, and triggers (migration 0003) delete the
line when the person's names, identifiers, sex or birth date change."""

linkage_models = Table(
    "linkage_models",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trained_at", DateTime(timezone=True), nullable=False),
    Column("trained_by", String(150), nullable=False),
    Column("training_source", String(500), nullable=False),
    Column("registry_size", Integer, nullable=False),
    Column("model", JSON, nullable=False),
)

match_runs = Table(
    "match_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("source_name", String(500), nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("model_id", Integer, ForeignKey("linkage_models.id"), nullable=False),
    Column("accept_threshold", Float, nullable=False),
    Column("review_threshold", Float, nullable=False),
    Column("entries", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
)

match_entries = Table(
    "match_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("match_runs.id"), nullable=False),
    Column("row", Integer, nullable=False),
    Column("entry_key", String(64), nullable=False),
    Column("entry", JSON, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id")),
    Column("probability", Float),
    Index("ix_match_entries_run_id", "run_id", "outcome"),
)
"""`outcome` is the engine's sorting at run time; decisions are kept apart and never edit it."""

match_candidates = Table(
    "match_candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("match_entries.id"), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("fields", JSON, nullable=False),
    Index("ix_match_candidates_entry_id", "entry_id"),
)

match_decisions = Table(
    "match_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_key", String(64), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("match_runs.id")),
    Column("decided_by", String(150), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Index("ix_match_decisions_pair", "entry_key", "person_id"),
)
"""Append-only: the latest decision on a pair holds, the earlier ones stay as history."""


party_lists = Table(
    "party_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("category", String(200), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("sender", String(3), nullable=False),
    Column("recipients", JSON, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Column("origin", String(12), nullable=False),
    Column("query", JSON),
    Column("list_sha256", String(64), nullable=False),
    Column("previous_id", Integer, ForeignKey("party_lists.id")),
    Column("previous_sha256", String(64)),
    Column("changes", JSON, nullable=False),
    Column("entry_count", Integer, nullable=False),
    UniqueConstraint("sender", "name", "version", name="uq_party_lists_version"),
)
"""Append-only: a new version is a new row that points at the previous one."""

party_list_entries = Table(
    "party_list_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", Integer, ForeignKey("party_lists.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("ref", String(40), nullable=False),
    Column("entry_key", String(64), nullable=False),
    Column("entry", JSON, nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id")),
    Index("ix_party_list_entries_list_id", "list_id", "position"),
)

bundles = Table(
    "bundles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("direction", String(10), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("sender", String(3), nullable=False),
    Column("recipient", String(3), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("signer_fingerprint", String(40), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    Column("stored_by", String(150), nullable=False),
    Column("provenance", JSON, nullable=False),
    Column("list_id", Integer, ForeignKey("party_lists.id")),
)
"""Every bundle we signed, received or relayed, byte for byte; never changed or deleted."""

bundle_receipts = Table(
    "bundle_receipts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("bundle_sha256", String(64), nullable=False),
    Column("receipt_bundle_id", Integer, ForeignKey("bundles.id"), nullable=False),
    Column("acknowledged_by", String(3), nullable=False),
    Column("role", String(10), nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_bundle_receipts_bundle_sha256", "bundle_sha256"),
)

list_reconciliations = Table(
    "list_reconciliations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", Integer, ForeignKey("party_lists.id"), nullable=False),
    Column("match_run_id", Integer, ForeignKey("match_runs.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
    Index("ix_list_reconciliations_list_id", "list_id"),
)


commissions = Table(
    "commissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("members", JSON, nullable=False),
    Column("deputies", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
)
"""Mixed Medical Commissions as composed (GC III Annex II); a new composition is a new row."""

examinations = Table(
    "examinations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("commission_id", Integer, ForeignKey("commissions.id"), nullable=False),
    Column("visited_on", Date, nullable=False),
    Column("findings", Text, nullable=False),
    Column("condition", JSON),
    Column("votes", JSON, nullable=False),
    Column("decision", String(12), nullable=False),
    Column("proposed_by", String(40), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_examinations_person_id", "person_id"),
)

examination_steps = Table(
    "examination_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("examination_id", Integer, ForeignKey("examinations.id"), nullable=False),
    Column("step", String(16), nullable=False),
    Column("done_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_examination_steps_examination_id", "examination_id"),
)
"""`notified` (decision communicated) and `carried_out` (repatriated): the Annex II clocks."""

stages = Table(
    "stages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("stage_on", Date, nullable=False),
    Column("release_side", String(3), nullable=False),
    Column("return_side", String(3), nullable=False),
    Column("parity", String(24), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("plan", JSON, nullable=False),
    Column("previous_id", Integer, ForeignKey("stages.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
)
"""A planned stage as planned: its manifests, every exclusion and the deficits it carries."""

stage_outcomes = Table(
    "stage_outcomes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stage_id", Integer, ForeignKey("stages.id"), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("manifest", String(8), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_stage_outcomes_stage_id", "stage_id"),
)
"""Append-only: the latest outcome recorded for a person on a stage holds."""

stage_claims = Table(
    "stage_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stage_id", Integer, ForeignKey("stages.id"), nullable=False),
    Column("party", String(3), nullable=False),
    Column("category", String(64), nullable=False),
    Column("count", Integer, nullable=False),
    Column("claimed_on", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_stage_claims_stage_id", "stage_id"),
)
"""What each party said was handed over: claims, kept beside what was recorded, never merged."""

stage_documents = Table(
    "stage_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stage_id", Integer, ForeignKey("stages.id"), nullable=False),
    Column("role", String(24), nullable=False),
    Column("list_id", Integer, ForeignKey("party_lists.id")),
    Column("bundle_id", Integer, ForeignKey("bundles.id")),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_stage_documents_stage_id", "stage_id"),
)
"""A stage's manifests as lists and bundles, and the mediator's countersignature."""

child_cases = Table(
    "child_cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(150), nullable=False),
)
"""A deported child's case; what it says is the fold of its events (`domain/children.py`)."""

child_events = Table(
    "child_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("child_cases.id"), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_child_events_case_id", "case_id"),
)
"""Append-only: every change to a child's case, with its source."""

child_exports = Table(
    "child_exports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_ref", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", String(150), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("approved_by", String(150)),
    Column("approved_at", DateTime(timezone=True)),
    Column("expires_at", DateTime(timezone=True)),
)
"""Exports of children's data: requested by one ombudsman, approved by a second, expiring."""

# The agreements track keeps its tables in their own module, on this metadata.
from parley.store import jobs as _jobs  # noqa: E402, F401  (background jobs, docs/jobs.md)
from parley.store import remains as _remains  # noqa: E402, F401  (its tables join `metadata`)
from parley.store.agreements import tables as _agreement_tables  # noqa: E402, F401
