"""SQL for the registry track's history: each person's events and status, and the files
imported (persons and their names are in `store.registry.persons`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from parley.domain.registry.events import Event, EventType, Source, Status
from parley.services.registry.rows import ImportRecord
from parley.store import tables as t
from parley.store._sql import _aware, _insert, _must
from parley.store._time import utc_now


class SqlEventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, event: Event) -> Event:
        recorded_at = utc_now()
        event_id = _insert(
            self.session,
            t.person_events,
            insert(t.person_events).values(
                person_id=event.person_id,
                type=event.type.value,
                effective_date=event.effective_date,
                source=event.source.value,
                note=event.note,
                retracts=event.retracts,
                details=event.details,
                recorded_by=event.recorded_by,
                recorded_at=recorded_at,
            ),
        )
        return Event(
            event.person_id,
            event.type,
            event.effective_date,
            event.source,
            event.recorded_by,
            event.note,
            event.retracts,
            event.details,
            int(event_id),
            recorded_at,
        )

    def add_many(self, events: Sequence[Event]) -> None:
        """Events of persons just stored (an import's batch), in one statement; their ids are
        not read back, as nothing refers to them yet."""
        if events:
            recorded_at = utc_now()
            self.session.execute(
                insert(t.person_events),
                [
                    {
                        "person_id": e.person_id,
                        "type": e.type.value,
                        "effective_date": e.effective_date,
                        "source": e.source.value,
                        "note": e.note,
                        "retracts": e.retracts,
                        "details": e.details,
                        "recorded_by": e.recorded_by,
                        "recorded_at": recorded_at,
                    }
                    for e in events
                ],
            )

    def for_person(self, person_id: int) -> list[Event]:
        return self.for_persons([person_id]).get(person_id, [])

    def for_persons(self, person_ids: Sequence[int]) -> dict[int, list[Event]]:
        """Each person's events in recorded order, for many persons in a few queries."""
        found: dict[int, list[Event]] = {}
        wanted = list(dict.fromkeys(person_ids))
        for start in range(0, len(wanted), 900):
            rows = self.session.execute(
                select(t.person_events)
                .where(t.person_events.c.person_id.in_(wanted[start : start + 900]))
                .order_by(t.person_events.c.id)
            ).mappings()
            for event in _events(rows):
                found.setdefault(event.person_id, []).append(event)
        return found

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(t.person_events)) or 0)

    def set_status(
        self, person_id: int, status: Status, since: date | None, new: bool = False
    ) -> None:
        """`new`: the person was just stored, so there is no projection row to update."""
        if not new:
            updated = self.session.execute(
                update(t.person_status)
                .where(t.person_status.c.person_id == person_id)
                .values(status=status.value, since=since)
            )
            if updated.rowcount:  # type: ignore[attr-defined]
                return
        self.session.execute(
            insert(t.person_status).values(person_id=person_id, status=status.value, since=since)
        )

    def add_statuses(self, statuses: Sequence[tuple[int, Status, date | None]]) -> None:
        """The status of persons just stored, who have no projection row yet."""
        if statuses:
            self.session.execute(
                insert(t.person_status),
                [{"person_id": p, "status": s.value, "since": d} for p, s, d in statuses],
            )


class SqlImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_hash(self, sha256: str) -> ImportRecord | None:
        row = (
            self.session.execute(select(t.imports).where(t.imports.c.sha256 == sha256))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return ImportRecord(
            row["id"],
            row["file_name"],
            row["sha256"],
            row["rows"],
            _must(row["imported_at"]),
            row["imported_by"],
        )

    def add(self, file_name: str, sha256: str, rows: int, imported_by: str) -> ImportRecord:
        at = utc_now()
        import_id = _insert(
            self.session,
            t.imports,
            insert(t.imports).values(
                file_name=file_name,
                sha256=sha256,
                rows=rows,
                imported_at=at,
                imported_by=imported_by,
            ),
        )
        return ImportRecord(int(import_id), file_name, sha256, rows, at, imported_by)


def _events(rows: Any) -> list[Event]:
    return [
        Event(
            r["person_id"],
            EventType(r["type"]),
            r["effective_date"],
            Source(r["source"]),
            r["recorded_by"],
            r["note"],
            r["retracts"],
            dict(r["details"]),
            r["id"],
            _aware(r["recorded_at"]),
        )
        for r in rows
    ]
