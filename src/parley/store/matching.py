"""SQL for matching: linkage models, runs, entries, candidates and decisions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, exists, func, insert, select
from sqlalchemy.orm import Session

from parley.domain.matching import Decision, Outcome
from parley.domain.paging import Page, TableQuery
from parley.services.matching.rows import (
    CandidateRow,
    DecisionRow,
    EntryRow,
    ModelRow,
    NewCandidate,
    RunRow,
)
from parley.store import tables as t
from parley.store._link_records import SqlLinkRecords
from parley.store._sql import SortColumns, check_window, order_by
from parley.store._sql import count as count_rows
from parley.store._time import as_utc, utc_now


class SqlMatchRepository(SqlLinkRecords):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_model(
        self, trained_by: str, source: str, registry_size: int, model: dict[str, Any]
    ) -> ModelRow:
        at = utc_now()
        model_id = self.session.execute(
            insert(t.linkage_models)
            .values(
                trained_at=at,
                trained_by=trained_by,
                training_source=source,
                registry_size=registry_size,
                model=model,
            )
            .returning(t.linkage_models.c.id)
        ).scalar_one()
        return ModelRow(int(model_id), at, trained_by, source, registry_size, model)

    def latest_model(self) -> ModelRow | None:
        row = (
            self.session.execute(
                select(t.linkage_models).order_by(t.linkage_models.c.id.desc()).limit(1)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return ModelRow(
            row["id"],
            as_utc(row["trained_at"]),
            row["trained_by"],
            row["training_source"],
            row["registry_size"],
            row["model"],
        )

    def add_run(
        self,
        kind: str,
        source_name: str,
        source_sha256: str,
        model_id: int,
        accept: float,
        review: float,
        entries: int,
        created_by: str,
    ) -> int:
        return int(
            self.session.execute(
                insert(t.match_runs)
                .values(
                    kind=kind,
                    source_name=source_name,
                    source_sha256=source_sha256,
                    model_id=model_id,
                    accept_threshold=accept,
                    review_threshold=review,
                    entries=entries,
                    created_at=utc_now(),
                    created_by=created_by,
                )
                .returning(t.match_runs.c.id)
            ).scalar_one()
        )

    def add_entry(
        self,
        run_id: int,
        row: int,
        entry_key: str,
        entry: dict[str, Any],
        outcome: Outcome,
        person_id: int | None,
        probability: float | None,
    ) -> int:
        return int(
            self.session.execute(
                insert(t.match_entries)
                .values(
                    run_id=run_id,
                    row=row,
                    entry_key=entry_key,
                    entry=entry,
                    outcome=outcome.value,
                    person_id=person_id,
                    probability=probability,
                )
                .returning(t.match_entries.c.id)
            ).scalar_one()
        )

    def add_candidates(self, entry_id: int, candidates: list[NewCandidate]) -> None:
        if candidates:
            self.session.execute(
                insert(t.match_candidates), [{"entry_id": entry_id, **c} for c in candidates]
            )

    def _run(self, row: Any, counts: dict[str, int]) -> RunRow:
        return RunRow(
            row["id"],
            row["kind"],
            row["source_name"],
            row["source_sha256"],
            row["model_id"],
            row["accept_threshold"],
            row["review_threshold"],
            row["entries"],
            as_utc(row["created_at"]),
            row["created_by"],
            counts,
        )

    def _counts(self, run_ids: list[int]) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        rows = self.session.execute(
            select(t.match_entries.c.run_id, t.match_entries.c.outcome, func.count())
            .where(t.match_entries.c.run_id.in_(run_ids))
            .group_by(t.match_entries.c.run_id, t.match_entries.c.outcome)
        ).all()
        for run_id, outcome, count in rows:
            counts[run_id][outcome] = int(count)
        return counts

    def get_run(self, run_id: int) -> RunRow | None:
        row = (
            self.session.execute(select(t.match_runs).where(t.match_runs.c.id == run_id))
            .mappings()
            .first()
        )
        return self._run(row, self._counts([run_id])[run_id]) if row else None

    def runs(self, offset: int, limit: int) -> tuple[list[RunRow], int]:
        rows = (
            self.session.execute(
                select(t.match_runs).order_by(t.match_runs.c.id.desc()).offset(offset).limit(limit)
            )
            .mappings()
            .all()
        )
        counts = self._counts([r["id"] for r in rows])
        total = int(self.session.scalar(select(func.count()).select_from(t.match_runs)) or 0)
        return [self._run(r, counts[r["id"]]) for r in rows], total

    def run_table(self, table: TableQuery) -> Page[RunRow]:
        """A page of runs, newest first unless another column is chosen; filtered by kind
        (`list`, or `duplicates` within the registry) and by who started it."""
        r = t.match_runs.c
        query = select(t.match_runs)
        if table.filter("kind"):
            query = query.where(r.kind == table.filter("kind"))
        if table.filter("created_by"):
            query = query.where(r.created_by == table.filter("created_by"))
        total = count_rows(self.session, query)
        check_window(total, table.window, table.page)
        sorts: SortColumns = {
            "id": (r.id,),
            "source": (r.source_name,),
            "entries": (r.entries,),
            "created_by": (r.created_by,),
        }
        rows = (
            self.session.execute(
                query.order_by(*order_by(table, sorts, (r.id.desc(),)))
                .offset(table.window.offset)
                .limit(table.window.limit)
            )
            .mappings()
            .all()
        )
        counts = self._counts([row["id"] for row in rows])
        items = [self._run(row, counts[row["id"]]) for row in rows]
        return Page(items, total, table.window.offset, table.per_page)

    def entry_table(self, run_id: int, table: TableQuery) -> Page[EntryRow]:
        """A page of a run's entries, in list order unless another column is chosen, filtered
        by outcome (the filter is checked against `Outcome` by the caller)."""
        e = t.match_entries.c
        query = select(t.match_entries).where(e.run_id == run_id)
        if table.filter("outcome"):
            query = query.where(e.outcome == table.filter("outcome"))
        total = count_rows(self.session, query)
        check_window(total, table.window, table.page)
        sorts: SortColumns = {
            "row": (e.row,),
            "outcome": (e.outcome,),
            "probability": (e.probability,),
        }
        rows = self.session.execute(
            query.order_by(*order_by(table, sorts, (e.row, e.id)))
            .offset(table.window.offset)
            .limit(table.window.limit)
        ).mappings()
        return Page([self._entry(row) for row in rows], total, table.window.offset, table.per_page)

    def _entry(self, row: Any) -> EntryRow:
        return EntryRow(
            row["id"],
            row["run_id"],
            row["row"],
            row["entry_key"],
            row["entry"],
            Outcome(row["outcome"]),
            row["person_id"],
            row["probability"],
        )

    def entries(
        self, run_id: int, outcome: Outcome | None, offset: int, limit: int
    ) -> tuple[list[EntryRow], int]:
        condition = t.match_entries.c.run_id == run_id
        if outcome is not None:
            condition = and_(condition, t.match_entries.c.outcome == outcome.value)
        rows = (
            self.session.execute(
                select(t.match_entries)
                .where(condition)
                .order_by(t.match_entries.c.row)
                .offset(offset)
                .limit(limit)
            )
            .mappings()
            .all()
        )
        total = int(
            self.session.scalar(select(func.count()).select_from(t.match_entries).where(condition))
            or 0
        )
        return [self._entry(r) for r in rows], total

    def entry(self, entry_id: int) -> EntryRow | None:
        row = (
            self.session.execute(select(t.match_entries).where(t.match_entries.c.id == entry_id))
            .mappings()
            .first()
        )
        return self._entry(row) if row else None

    def candidates(self, entry_id: int) -> list[CandidateRow]:
        rows = (
            self.session.execute(
                select(t.match_candidates)
                .where(t.match_candidates.c.entry_id == entry_id)
                .order_by(t.match_candidates.c.rank)
            )
            .mappings()
            .all()
        )
        return [
            CandidateRow(r["person_id"], r["rank"], r["probability"], r["weight"], r["fields"])
            for r in rows
        ]

    def next_for_review(self, run_id: int | None, after_entry: int) -> EntryRow | None:
        """The next entry in review on which nobody has decided any candidate yet."""
        e, d = t.match_entries, t.match_decisions
        condition = and_(
            e.c.outcome == Outcome.REVIEW.value,
            e.c.id > after_entry,
            ~exists().where(d.c.entry_key == e.c.entry_key),
        )
        if run_id is not None:
            condition = and_(condition, e.c.run_id == run_id)
        row = (
            self.session.execute(select(e).where(condition).order_by(e.c.id).limit(1))
            .mappings()
            .first()
        )
        return self._entry(row) if row else None

    def pending_reviews(self, run_id: int | None) -> int:
        e, d = t.match_entries, t.match_decisions
        condition = and_(
            e.c.outcome == Outcome.REVIEW.value, ~exists().where(d.c.entry_key == e.c.entry_key)
        )
        if run_id is not None:
            condition = and_(condition, e.c.run_id == run_id)
        return int(self.session.scalar(select(func.count()).select_from(e).where(condition)) or 0)

    def add_decision(
        self,
        entry_key: str,
        person_id: int,
        decision: Decision,
        note: str,
        run_id: int | None,
        decided_by: str,
    ) -> None:
        self.session.execute(
            insert(t.match_decisions).values(
                entry_key=entry_key,
                person_id=person_id,
                decision=decision.value,
                note=note,
                run_id=run_id,
                decided_by=decided_by,
                decided_at=utc_now(),
            )
        )

    def decisions(self, entry_keys: list[str]) -> list[DecisionRow]:
        """Every decision on these entries, oldest first: the caller keeps the latest per pair."""
        found: list[DecisionRow] = []
        for start in range(0, len(entry_keys), 500):
            rows = (
                self.session.execute(
                    select(t.match_decisions)
                    .where(t.match_decisions.c.entry_key.in_(entry_keys[start : start + 500]))
                    .order_by(t.match_decisions.c.id)
                )
                .mappings()
                .all()
            )
            found += [
                DecisionRow(
                    r["entry_key"],
                    r["person_id"],
                    Decision(r["decision"]),
                    r["note"],
                    r["decided_by"],
                    as_utc(r["decided_at"]),
                )
                for r in rows
            ]
        return found
