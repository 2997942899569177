"""SQL for the remains track: batches, custody handoffs, bodies and their steps; insert only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session

from parley.domain.paging import Page, TableQuery
from parley.domain.remains.bodies import ORDER, BodyStatus
from parley.services.remains.rows import (
    BatchRow,
    BodyGenotypeRow,
    BodyRow,
    ConsentRow,
    DnaCandidateRow,
    GenotypeRow,
    HandoffRow,
    NewBatch,
    NewBody,
    NewBodyGenotype,
    NewConsent,
    NewDnaCandidate,
    NewGenotype,
    NewHandoff,
    NewNotification,
    NewReference,
    NewStep,
    NotificationRow,
    ReferenceRow,
    StepRow,
)
from parley.store._sql import SortColumns, check_window, count, order_by
from parley.store._time import as_utc, utc_now
from parley.store.tables import metadata

remains_batches = Table(
    "remains_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handed_over_on", Date, nullable=False),
    Column("place", String(200), nullable=False),
    Column("from_party", String(3), nullable=False),
    Column("to_party", String(3), nullable=False),
    Column("intermediary", String(200), nullable=False),
    Column("declared", Integer, nullable=False),
    Column("received", Integer, nullable=False),
    Column("declared_list_sha256", String(64)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
)
"""A repatriation batch: the other side's declared count beside our received count."""

remains_handoffs = Table(
    "remains_handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("remains_batches.id"), nullable=False),
    Column("bag", String(64), nullable=False),
    Column("received_by", String(200), nullable=False),
    Column("handed_at", DateTime(timezone=True), nullable=False),
    Column("place", String(200), nullable=False),
    Column("seal", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_remains_handoffs_batch_id", "batch_id"),
)
"""Each body bag's chain of custody, one handoff a row."""

remains_bodies = Table(
    "remains_bodies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("remains_batches.id"), nullable=False),
    Column("tag", String(64), nullable=False, unique=True),
    Column("bag", String(64), nullable=False),
    Column("condition", Text, nullable=False),
    Column("effects", Text, nullable=False),
    Column("documents", Text, nullable=False),
    Column("disc_halves", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_remains_bodies_batch_id", "batch_id"),
)
"""A body as received: tag, condition, effects, documents and identity-disc halves found."""

remains_steps = Table(
    "remains_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("remains_bodies.id"), nullable=False),
    Column("status", String(24), nullable=False),
    Column("missing_ref", String(100), nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Column("occurred_at", DateTime(timezone=True)),
    Index("ix_remains_steps_body_id", "body_id"),
)
"""A body's identification steps; its status is the last one's."""

remains_candidates = Table(
    "remains_candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("remains_bodies.id"), nullable=False),
    Column("missing_ref", String(100), nullable=False),
    Column("lr", Float, nullable=False),
    Column("exclusions", Integer, nullable=False),
    Column("posterior", Float, nullable=False),
    Column("prior", Float, nullable=False),
    Column("source", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(150), nullable=False),
    Index("ix_remains_candidates_body_id", "body_id"),
)
"""A screening's candidates for a body, for review: LR, exclusions, posterior at the prior."""


def _recorded() -> tuple[Column[Any], Column[Any]]:
    return (
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        Column("recorded_by", String(150), nullable=False),
    )


remains_references = Table(
    "remains_references",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("family", String(100), nullable=False),
    Column("member", String(100), nullable=False),
    Column("father", String(100), nullable=False),
    Column("mother", String(100), nullable=False),
    Column("sex", Integer, nullable=False),
    Column("missing", Boolean, nullable=False),
    Column("person_id", Integer),
    Column("received_on", Date, nullable=False),
    Column("source", String(200), nullable=False),
    *_recorded(),
    UniqueConstraint("family", "member", name="uq_remains_references_family_member"),
)
"""Reference families: each missing person and the relatives who gave references."""

remains_reference_genotypes = Table(
    "remains_reference_genotypes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("family", String(100), nullable=False),
    Column("member", String(100), nullable=False),
    Column("marker", String(40), nullable=False),
    Column("allele1", String(20), nullable=False),
    Column("allele2", String(20), nullable=False),
    *_recorded(),
    Index("ix_remains_reference_genotypes_family", "family"),
)
"""The relatives' STR profiles, one marker a row, alleles as the laboratory labels them."""

remains_consents = Table(
    "remains_consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("family", String(100), nullable=False),
    Column("member", String(100), nullable=False),
    Column("state", String(16), nullable=False),
    Column("given_by", String(200), nullable=False),
    Column("decided_on", Date, nullable=False),
    *_recorded(),
    Index("ix_remains_consents_family", "family"),
)
"""A donor's consent, given or withdrawn; the latest row is in force."""

remains_body_profiles = Table(
    "remains_body_profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("remains_bodies.id"), nullable=False),
    Column("sex", Integer, nullable=False),
    Column("marker", String(40), nullable=False),
    Column("allele1", String(20), nullable=False),
    Column("allele2", String(20), nullable=False),
    Column("source", String(200), nullable=False),
    *_recorded(),
    Index("ix_remains_body_profiles_body_id", "body_id"),
)
"""A body's STR profile (post-mortem sample), one marker a row."""

remains_notifications = Table(
    "remains_notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("remains_bodies.id"), nullable=False),
    Column("missing_ref", String(100), nullable=False),
    Column("whom", String(200), nullable=False),
    Column("notified_by", String(200), nullable=False),
    Column("how", String(100), nullable=False),
    Column("notified_at", DateTime(timezone=True), nullable=False),
    *_recorded(),
    Index("ix_remains_notifications_body_id", "body_id"),
)
"""Who told the family, whom, how and when."""


def _last_step(named: bool = False) -> Any:
    """Each body's last step (`named`: the last naming a missing person), as a subquery."""
    s = remains_steps
    last = select(s.c.body_id, func.max(s.c.id).label("step_id")).group_by(s.c.body_id)
    if named:
        last = last.where(s.c.missing_ref != "")
    chosen = last.subquery()
    step = s.alias()
    return (
        select(step.c.body_id, step.c.status, step.c.missing_ref)
        .join(chosen, chosen.c.step_id == step.c.id)
        .subquery("named_step" if named else "last_step")
    )


def _body_sorts(status: Any, missing_ref: Any) -> SortColumns:
    """`BODY_SORTS` in SQL: a status by its place in the steps, ties by tag; a body no step
    names a missing person for sorts last by missing person."""
    b = remains_bodies
    rank = case({s.value: i for i, s in enumerate(ORDER)}, value=status, else_=-1)
    return {
        "tag": [b.c.tag],
        "batch": [b.c.batch_id, b.c.tag],
        "status": [rank, b.c.tag],
        # outer-joined, so null for a body no step names anyone, though the column is not
        "missing_ref": [func.nullif(missing_ref, "")],
    }


class SqlRemainsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: Table, values: Mapping[str, object]) -> int:
        """`values`: one of the track's typed rows (`New*` in `services/remains/rows.py`)."""
        row = {**values, "recorded_at": utc_now()}
        return int(
            self.session.execute(insert(table).values(**row).returning(table.c.id)).scalar_one()
        )

    def add_batch(self, values: NewBatch) -> BatchRow:
        batch_id = self._insert(remains_batches, values)
        found = self.batch(batch_id)
        assert found is not None
        return found

    def batch(self, batch_id: int) -> BatchRow | None:
        found = self.batches(batch_id)
        return found[0] if found else None

    def batches(self, batch_id: int | None = None) -> list[BatchRow]:
        query = select(remains_batches).order_by(
            remains_batches.c.handed_over_on, remains_batches.c.id
        )
        if batch_id is not None:
            query = query.where(remains_batches.c.id == batch_id)
        return [
            BatchRow(**{**r, "recorded_at": as_utc(r["recorded_at"])})
            for r in self.session.execute(query).mappings()
        ]

    def add_handoff(self, values: NewHandoff) -> None:
        self._insert(remains_handoffs, values)

    def handoffs(self, batch_id: int) -> list[HandoffRow]:
        query = (
            select(remains_handoffs)
            .where(remains_handoffs.c.batch_id == batch_id)
            .order_by(remains_handoffs.c.bag, remains_handoffs.c.handed_at, remains_handoffs.c.id)
        )
        return [
            HandoffRow(
                **{
                    **r,
                    "handed_at": as_utc(r["handed_at"]),
                    "recorded_at": as_utc(r["recorded_at"]),
                }
            )
            for r in self.session.execute(query).mappings()
        ]

    def add_body(self, values: NewBody) -> BodyRow:
        body_id = self._insert(remains_bodies, values)
        found = self._bodies(remains_bodies.c.id == body_id)
        return found[0]

    def body_by_tag(self, tag: str) -> BodyRow | None:
        found = self._bodies(remains_bodies.c.tag == tag)
        return found[0] if found else None

    def bodies(self, batch_id: int | None = None) -> list[BodyRow]:
        if batch_id is None:
            return self._bodies(None)
        return self._bodies(remains_bodies.c.batch_id == batch_id)

    def _bodies(self, where: Any) -> list[BodyRow]:
        query = select(remains_bodies).order_by(remains_bodies.c.id)
        if where is not None:
            query = query.where(where)
        return [
            BodyRow(**{**r, "recorded_at": as_utc(r["recorded_at"])})
            for r in self.session.execute(query).mappings()
        ]

    def body_table(
        self, table: TableQuery, *, status: BodyStatus | None, batch_id: int | None, text: str
    ) -> Page[BodyRow]:
        """A page of bodies filtered, sorted and cut by the database: a body's status is its
        last step's, its missing person the last step naming one (`BodyView.of`); `text` is
        found in the tag or that missing person, ignoring case (ASCII case on SQLite)."""
        b = remains_bodies
        latest, named = _last_step(), _last_step(named=True)
        query = select(b).select_from(
            b.outerjoin(latest, latest.c.body_id == b.c.id).outerjoin(
                named, named.c.body_id == b.c.id
            )
        )
        if status is not None:
            query = query.where(latest.c.status == status.value)
        if batch_id is not None:
            query = query.where(b.c.batch_id == batch_id)
        if text.strip():
            wanted = text.strip().lower()
            query = query.where(
                or_(
                    func.lower(b.c.tag).contains(wanted, autoescape=True),
                    func.lower(named.c.missing_ref).contains(wanted, autoescape=True),
                )
            )
        total = count(self.session, query)
        check_window(total, table.window, table.page)
        sorts = _body_sorts(latest.c.status, named.c.missing_ref)
        window = table.window
        rows = self.session.execute(
            query.order_by(*order_by(table, sorts, [b.c.id]))
            .offset(window.offset)
            .limit(window.limit)
        ).mappings()
        items = [BodyRow(**{**r, "recorded_at": as_utc(r["recorded_at"])}) for r in rows]
        return Page(items, total, window.offset, window.limit)

    def add_step(self, values: NewStep) -> None:
        self._insert(remains_steps, values)

    def steps(self, body_ids: list[int] | None = None) -> list[StepRow]:
        query = select(remains_steps).order_by(remains_steps.c.id)
        if body_ids is not None:
            query = query.where(remains_steps.c.body_id.in_(body_ids))
        return [
            StepRow(
                **{
                    **r,
                    "recorded_at": as_utc(r["recorded_at"]),
                    "occurred_at": as_utc(r["occurred_at"]) if r["occurred_at"] else None,
                }
            )
            for r in self.session.execute(query).mappings()
        ]

    def add_candidates(self, values: list[NewDnaCandidate]) -> None:
        for value in values:
            self._insert(remains_candidates, value)

    def candidates(self, body_id: int) -> list[DnaCandidateRow]:
        query = (
            select(remains_candidates)
            .where(remains_candidates.c.body_id == body_id)
            .order_by(remains_candidates.c.id)
        )
        return [
            DnaCandidateRow(**{**r, "recorded_at": as_utc(r["recorded_at"])})
            for r in self.session.execute(query).mappings()
        ]

    def add_references(self, values: list[NewReference]) -> None:
        for value in values:
            self._insert(remains_references, value)

    def references(self, family: str | None = None) -> list[ReferenceRow]:
        query = select(remains_references).order_by(remains_references.c.id)
        if family is not None:
            query = query.where(remains_references.c.family == family)
        return [
            ReferenceRow(**{**r, "recorded_at": as_utc(r["recorded_at"])})
            for r in self.session.execute(query).mappings()
        ]

    def add_genotypes(self, values: list[NewGenotype]) -> None:
        if values:
            now = utc_now()
            self.session.execute(
                insert(remains_reference_genotypes), [{**v, "recorded_at": now} for v in values]
            )

    def genotypes(self, family: str | None = None) -> list[GenotypeRow]:
        t = remains_reference_genotypes
        query = select(t.c.family, t.c.member, t.c.marker, t.c.allele1, t.c.allele2).order_by(
            t.c.id
        )
        if family is not None:
            query = query.where(t.c.family == family)
        return [GenotypeRow(**r) for r in self.session.execute(query).mappings()]

    def add_consent(self, value: NewConsent) -> None:
        self._insert(remains_consents, value)

    def consents(self, family: str | None = None) -> list[ConsentRow]:
        query = select(remains_consents).order_by(remains_consents.c.id)
        if family is not None:
            query = query.where(remains_consents.c.family == family)
        return [
            ConsentRow(**{**r, "recorded_at": as_utc(r["recorded_at"])})
            for r in self.session.execute(query).mappings()
        ]

    def add_body_genotypes(self, values: list[NewBodyGenotype]) -> None:
        if values:
            now = utc_now()
            self.session.execute(
                insert(remains_body_profiles), [{**v, "recorded_at": now} for v in values]
            )

    def body_genotypes(self, body_ids: list[int] | None = None) -> list[BodyGenotypeRow]:
        t = remains_body_profiles
        query = select(
            t.c.body_id, t.c.sex, t.c.marker, t.c.allele1, t.c.allele2, t.c.source
        ).order_by(t.c.id)
        if body_ids is not None:
            query = query.where(t.c.body_id.in_(body_ids))
        return [BodyGenotypeRow(**r) for r in self.session.execute(query).mappings()]

    def add_notification(self, value: NewNotification) -> None:
        self._insert(remains_notifications, value)

    def notifications(self, body_id: int) -> list[NotificationRow]:
        query = (
            select(remains_notifications)
            .where(remains_notifications.c.body_id == body_id)
            .order_by(remains_notifications.c.id)
        )
        return [
            NotificationRow(
                **{
                    **r,
                    "notified_at": as_utc(r["notified_at"]),
                    "recorded_at": as_utc(r["recorded_at"]),
                }
            )
            for r in self.session.execute(query).mappings()
        ]
