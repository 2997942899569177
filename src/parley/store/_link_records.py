"""SQL for the cache of the engine's records (`link_records`), mixed into the match repository.

The store keeps each record as an opaque line of text with the fingerprint of the code that
built it; what the line holds is `parley.linkage.records`' business, when it is current
`parley.services.matching.link_records`'.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import String, cast, delete, exists, func, insert, select, text
from sqlalchemy.orm import Session

from parley.domain.dates import PartialDate
from parley.services.matching.rows import PersonForLinkage
from parley.store import tables as t

LOCK = 7310002
"""PostgreSQL advisory lock: a refresh holds it exclusively while it reads persons and writes
their records; the triggers that forget a changed person's record take it shared (migration
0003). So a refresh never writes a record built from data a concurrent change is replacing."""

IN_BATCH = 500


class SqlLinkRecords:
    session: Session

    def link_records_outdated(self, recipe: str) -> list[int]:
        """Persons without a record built by `recipe`: new code, a changed person, an old row."""
        lr, p = t.link_records, t.persons
        everyone = select(func.count()).select_from(p).scalar_subquery()
        current = select(func.count()).where(lr.c.recipe == recipe).scalar_subquery()
        total, fresh = self.session.execute(select(everyone, current)).one()
        if total == fresh:  # a record per person at most (primary key), so none is missing
            return []
        has_current = exists().where(lr.c.person_id == p.c.id, lr.c.recipe == recipe)
        rows = self.session.execute(select(p.c.id).where(~has_current).order_by(p.c.id))
        return [int(i) for i in rows.scalars()]

    def link_inputs(self, person_ids: Sequence[int]) -> list[PersonForLinkage]:
        """What a record is built from, for these persons, in id order.

        A dense set of ids (a backfill) is read as one id range, a sparse one (a few changed
        persons) by id: either way one pass over the rows wanted, not over the registry.
        """
        wanted = sorted(set(person_ids))
        if not wanted:
            return []
        if wanted[-1] - wanted[0] < 4 * len(wanted):
            found = self._inputs(lambda column: column.between(wanted[0], wanted[-1]))
        else:
            found = []
            for start in range(0, len(wanted), IN_BATCH):
                batch = wanted[start : start + IN_BATCH]
                found += self._inputs(lambda column, ids=batch: column.in_(ids))
        keep = set(wanted)
        return [person for person in found if person.id in keep]

    def _inputs(self, where: Any) -> list[PersonForLinkage]:
        n, i, p = t.person_names, t.person_identifiers, t.persons
        names: dict[int, list[tuple[str, str, str, bool]]] = {}
        for pid, surname, given, patronymic, primary in self.session.execute(
            select(n.c.person_id, n.c.surname, n.c.given, n.c.patronymic, n.c.is_primary)
            .where(where(n.c.person_id))
            .order_by(n.c.person_id, n.c.position)
        ):
            names.setdefault(pid, []).append((surname, given, patronymic, bool(primary)))
        identifiers: dict[int, dict[str, str]] = {}
        for pid, kind, value in self.session.execute(
            select(i.c.person_id, i.c.kind, i.c.value)
            .where(where(i.c.person_id))
            .order_by(i.c.person_id, i.c.id)
        ):
            identifiers.setdefault(pid, {}).setdefault(kind, value)  # the first of a kind
        people = self.session.execute(
            select(p.c.id, p.c.sex, p.c.birth_year, p.c.birth_month, p.c.birth_day)
            .where(where(p.c.id))
            .order_by(p.c.id)
        )
        return [
            PersonForLinkage(
                pid,
                names.get(pid, []),
                None if year is None else PartialDate(year, month, day),
                sex,
                identifiers.get(pid, {}),
            )
            for pid, sex, year, month, day in people
        ]

    def save_link_records(self, recipe: str, records: Sequence[tuple[int, str]]) -> None:
        """Replace these persons' records (person id, line)."""
        if not records:
            return
        ids = [person_id for person_id, _ in records]
        for start in range(0, len(ids), IN_BATCH):
            batch = ids[start : start + IN_BATCH]
            self.session.execute(
                delete(t.link_records).where(t.link_records.c.person_id.in_(batch))
            )
        self.session.execute(
            insert(t.link_records),
            [{"person_id": pid, "recipe": recipe, "record": line} for pid, line in records],
        )

    def lock_link_records(self) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text(f"SELECT pg_advisory_xact_lock({LOCK})"))

    def link_lines(self, recipe: str, chunk: int = 200_000) -> Iterator[str]:
        """The current records, `chunk` at a time as one newline-joined string each: the
        database does the joining, so a million records cost a few long strings, not a
        million rows of Python objects."""
        lr = t.link_records
        after = -1
        while True:
            page = (
                select(lr.c.person_id, lr.c.record)
                .where(lr.c.recipe == recipe, lr.c.person_id > after)
                .order_by(lr.c.person_id)
                .limit(chunk)
                .subquery()
            )
            joined, last, rows = self.session.execute(
                select(
                    func.aggregate_strings(page.c.record, "\n"),
                    func.max(page.c.person_id),
                    func.count(),
                )
            ).one()
            if rows:
                yield str(joined)
            if rows < chunk:
                return
            after = int(last)

    def person_ids(self) -> list[int]:
        """Every person's id, in no particular order (SQLite reads the smallest index, not the
        table); joined by the database, as a million rows cost a second."""
        joined = self.session.execute(
            select(func.aggregate_strings(cast(t.persons.c.id, String), "\n"))
        ).scalar()
        return list(map(int, joined.split("\n"))) if joined else []
