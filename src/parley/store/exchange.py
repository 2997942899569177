"""SQL for the exchange track. Every table is insert-only; the latest row of a kind holds."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, distinct, func, insert, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from parley.domain.paging import Page, TableQuery
from parley.services.exchange.rows import (
    ClaimRow,
    CommissionRow,
    ExaminationRow,
    NewClaim,
    NewCommission,
    NewExamination,
    NewOutcome,
    NewStage,
    OutcomeRow,
    StageDocumentRow,
    StageRow,
)
from parley.store import tables as t
from parley.store._sql import SortColumns, check_window, count, order_by
from parley.store._time import as_utc, utc_now


def _examination_sorts() -> SortColumns:
    """The examinations' sorts on stored columns, ties by id in the same order (as the page
    sorted them in memory); the others depend on Annex II state (`examination_pages.py`)."""
    e, c = t.examinations, t.commissions
    return {
        "id": [e.c.id],
        "visited_on": [e.c.visited_on, e.c.id],
        "commission": [c.c.name, e.c.id],
    }


class SqlExchangeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: Table, values: Mapping[str, object], stamp: str) -> int:
        """`values`: one of the track's typed rows (`New*` in `services/exchange/rows.py`)."""
        row = {**values, stamp: utc_now()}
        return int(
            self.session.execute(insert(table).values(**row).returning(table.c.id)).scalar_one()
        )

    # commissions

    def add_commission(self, values: NewCommission) -> CommissionRow:
        found = self.commission(self._insert(t.commissions, values, "created_at"))
        assert found is not None
        return found

    def commission(self, commission_id: int) -> CommissionRow | None:
        row = (
            self.session.execute(select(t.commissions).where(t.commissions.c.id == commission_id))
            .mappings()
            .first()
        )
        return None if row is None else _commission(row)

    def commission_by_name(self, name: str) -> CommissionRow | None:
        row = (
            self.session.execute(select(t.commissions).where(t.commissions.c.name == name))
            .mappings()
            .first()
        )
        return None if row is None else _commission(row)

    def commissions(self) -> list[CommissionRow]:
        rows = self.session.execute(select(t.commissions).order_by(t.commissions.c.id)).mappings()
        return [_commission(r) for r in rows]

    # examinations

    def add_examination(self, values: NewExamination) -> ExaminationRow:
        exam_id = self._insert(t.examinations, values, "recorded_at")
        [found] = self._examinations(t.examinations.c.id == exam_id)
        return found

    def add_examination_step(
        self, examination_id: int, step: str, done_on: date, recorded_by: str
    ) -> None:
        self._insert(
            t.examination_steps,
            {
                "examination_id": examination_id,
                "step": step,
                "done_on": done_on,
                "recorded_by": recorded_by,
            },
            "recorded_at",
        )

    def examination(self, examination_id: int) -> ExaminationRow | None:
        found = self._examinations(t.examinations.c.id == examination_id)
        return found[0] if found else None

    def examinations_of(self, person_ids: Sequence[int]) -> list[ExaminationRow]:
        if not person_ids:
            return []
        return self._examinations(t.examinations.c.person_id.in_(list(person_ids)))

    def examinations(self) -> list[ExaminationRow]:
        return self._examinations(None)

    def examination_table(
        self, table: TableQuery, *, visited_to: date, commission: str
    ) -> Page[int]:
        """A page of the ids of the examinations visited by `visited_to` (of one commission,
        by name, if given), sorted by a stored column (`EXAMINATION_SQL_SORTS`) and cut by the
        database; the caller has the rows (kept per data version), so only ids are read."""
        e, c = t.examinations, t.commissions
        query = (
            select(e.c.id)
            .select_from(e.join(c, c.c.id == e.c.commission_id))
            .where(e.c.visited_on <= visited_to)
        )
        if commission:
            query = query.where(c.c.name == commission)
        total = count(self.session, query)
        window = table.window
        check_window(total, window, table.page)
        ids = self.session.scalars(
            query.order_by(*order_by(table, _examination_sorts(), [e.c.id]))
            .offset(window.offset)
            .limit(window.limit)
        )
        return Page([int(i) for i in ids], total, window.offset, window.limit)

    def _examinations(self, condition: Any) -> list[ExaminationRow]:
        query = select(t.examinations).order_by(t.examinations.c.id)
        if condition is not None:
            query = query.where(condition)
        rows = list(self.session.execute(query).mappings())
        steps: dict[int, dict[str, date]] = {}
        if rows:
            s = t.examination_steps
            for step in self.session.execute(
                select(s).where(s.c.examination_id.in_([r["id"] for r in rows])).order_by(s.c.id)
            ).mappings():
                steps.setdefault(step["examination_id"], {})[step["step"]] = step["done_on"]
        return [_examination(r, steps.get(r["id"], {})) for r in rows]

    # stages

    def add_stage(self, values: NewStage) -> StageRow:
        found = self.stage(self._insert(t.stages, values, "created_at"))
        assert found is not None
        return found

    def stage(self, stage_id: int) -> StageRow | None:
        row = (
            self.session.execute(select(*_HEAD).where(t.stages.c.id == stage_id)).mappings().first()
        )
        return None if row is None else _stage(row, self._plans([row])[row["id"]])

    def stages(self) -> list[StageRow]:
        rows = (
            self.session.execute(select(*_HEAD).order_by(t.stages.c.stage_on, t.stages.c.id))
            .mappings()
            .all()
        )
        plans = self._plans(rows)
        return [_stage(r, plans[r["id"]]) for r in rows]

    def _plans(self, heads: Sequence[RowMapping]) -> dict[int, dict[str, Any]]:
        """The stages' plans, decoded once: a stage is never changed once stored, so its plan
        is kept by database, id and creation time (`_PLANS_KEPT` of them; megabytes of JSON
        each on a full stage, read by All for all, the stages page and every commitment).
        Shared between readers: nobody may change what a plan holds."""
        where = str(self.session.get_bind().engine.url)
        keys = {h["id"]: (where, h["id"], h["created_at"]) for h in heads}
        found: dict[int, dict[str, Any]] = {}
        with _plans_lock:
            for stage_id, key in keys.items():
                if key in _decoded:
                    _decoded.move_to_end(key)
                    found[stage_id] = _decoded[key]
        missing = [i for i in keys if i not in found]
        for start in range(0, len(missing), 900):
            chunk = missing[start : start + 900]
            query = select(t.stages.c.id, t.stages.c.plan).where(t.stages.c.id.in_(chunk))
            for stage_id, plan in self.session.execute(query):
                found[stage_id] = plan
                with _plans_lock:
                    _decoded[keys[stage_id]] = plan
                    while len(_decoded) > _PLANS_KEPT:
                        _decoded.popitem(last=False)
        return found

    def stage_table(self, table: TableQuery) -> Page[int]:
        """The ids of a page of stages, by date unless another column is chosen; filtered by
        parity (checked by the caller) and by `q` in the name. No plan is read unless the
        sort needs its manifests' lengths: the caller draws the rows from its summaries."""
        s, o = t.stages.c, t.stage_outcomes.c
        recorded = (
            select(func.count(distinct(o.person_id))).where(o.stage_id == s.id).scalar_subquery()
        )
        query = select(s.id)
        if table.filter("parity"):
            query = query.where(s.parity == table.filter("parity"))
        text = table.filter("q")
        if text:
            spellings = sorted({text, text.lower(), text.upper(), text.capitalize()})
            query = query.where(or_(*(s.name.contains(w, autoescape=True) for w in spellings)))
        total = count(self.session, query)
        check_window(total, table.window, table.page)
        sorts: SortColumns = {
            "id": (s.id,),
            "on": (s.stage_on,),
            "name": (s.name,),
            "parity": (s.parity,),
            # json_array_length over `plan -> 'release'`: the same call on SQLite and PostgreSQL
            "released": (func.json_array_length(s.plan["release"]),),
            "expected": (func.json_array_length(s.plan["expect"]),),
            "recorded": (recorded,),
        }
        ids = self.session.scalars(
            query.order_by(*order_by(table, sorts, (s.stage_on, s.id)))
            .offset(table.window.offset)
            .limit(table.window.limit)
        )
        return Page([int(i) for i in ids], total, table.window.offset, table.per_page)

    def add_outcomes(self, rows: Sequence[NewOutcome]) -> None:
        if rows:
            at = utc_now()
            self.session.execute(insert(t.stage_outcomes), [{**r, "recorded_at": at} for r in rows])

    def outcomes(self, stage_id: int | None = None) -> list[OutcomeRow]:
        o = t.stage_outcomes
        query = select(o).order_by(o.c.id)
        if stage_id is not None:
            query = query.where(o.c.stage_id == stage_id)
        return [
            OutcomeRow(
                r["id"],
                r["stage_id"],
                r["person_id"],
                r["manifest"],
                r["outcome"],
                r["note"],
                as_utc(r["recorded_at"]),
                r["recorded_by"],
            )
            for r in self.session.execute(query).mappings()
        ]

    def add_claim(self, values: NewClaim) -> None:
        self._insert(t.stage_claims, values, "recorded_at")

    def claims(self, stage_id: int | None = None) -> list[ClaimRow]:
        c = t.stage_claims
        query = select(c).order_by(c.c.id)
        if stage_id is not None:
            query = query.where(c.c.stage_id == stage_id)
        return [
            ClaimRow(
                r["id"],
                r["stage_id"],
                r["party"],
                r["category"],
                r["count"],
                r["claimed_on"],
                r["source"],
                as_utc(r["recorded_at"]),
                r["recorded_by"],
            )
            for r in self.session.execute(query).mappings()
        ]

    def add_stage_document(
        self, stage_id: int, role: str, list_id: int | None, bundle_id: int | None
    ) -> None:
        self._insert(
            t.stage_documents,
            {"stage_id": stage_id, "role": role, "list_id": list_id, "bundle_id": bundle_id},
            "recorded_at",
        )

    def stage_documents(self, stage_id: int) -> list[StageDocumentRow]:
        d = t.stage_documents
        return [
            StageDocumentRow(
                r["id"],
                r["stage_id"],
                r["role"],
                r["list_id"],
                r["bundle_id"],
                as_utc(r["recorded_at"]),
            )
            for r in self.session.execute(
                select(d).where(d.c.stage_id == stage_id).order_by(d.c.id)
            ).mappings()
        ]

    def count_stages(self) -> int:
        return int(self.session.execute(select(func.count()).select_from(t.stages)).scalar_one())


def _commission(row: RowMapping) -> CommissionRow:
    return CommissionRow(
        row["id"],
        row["name"],
        list(row["members"]),
        list(row["deputies"]),
        as_utc(row["created_at"]),
        row["created_by"],
    )


def _examination(row: RowMapping, steps: Mapping[str, date]) -> ExaminationRow:
    return ExaminationRow(
        id=row["id"],
        person_id=row["person_id"],
        commission_id=row["commission_id"],
        visited_on=row["visited_on"],
        findings=row["findings"],
        condition=row["condition"],
        votes=dict(row["votes"]),
        decision=row["decision"],
        proposed_by=row["proposed_by"],
        recorded_at=as_utc(row["recorded_at"]),
        recorded_by=row["recorded_by"],
        notified_on=steps.get("notified"),
        carried_out_on=steps.get("carried_out"),
    )


_HEAD = [c for c in t.stages.c if c.name != "plan"]
"""A stage's columns but its plan, which `_plans` keeps decoded."""
_PLANS_KEPT = 32
_decoded: OrderedDict[tuple[str, int, datetime], dict[str, Any]] = OrderedDict()
_plans_lock = threading.Lock()


def _stage(row: RowMapping, plan: dict[str, Any]) -> StageRow:
    return StageRow(
        id=row["id"],
        name=row["name"],
        stage_on=row["stage_on"],
        release_side=row["release_side"],
        return_side=row["return_side"],
        parity=row["parity"],
        capacity=row["capacity"],
        categories=dict(row["categories"]),
        plan=dict(plan),
        previous_id=row["previous_id"],
        created_at=as_utc(row["created_at"]),
        created_by=row["created_by"],
    )
