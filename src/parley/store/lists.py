"""SQL for lists, bundles, receipts and reconciliations. Rows are only ever inserted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from parley.domain.paging import Page, PageRequest, TableQuery
from parley.services.lists.rows import (
    NewBundle,
    NewList,
    ReceiptRow,
    StoredBundle,
    StoredEntry,
    StoredList,
)
from parley.store import tables as t
from parley.store._sql import SortColumns, check_window, order_by
from parley.store._sql import count as count_rows
from parley.store._time import as_utc, utc_now


class SqlListRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # lists

    def add_list(self, values: NewList, entries: Sequence[StoredEntry]) -> StoredList:
        row = dict(values)
        row["recorded_at"] = utc_now()
        row["entry_count"] = len(entries)
        list_id = int(
            self.session.execute(
                insert(t.party_lists).values(**row).returning(t.party_lists.c.id)
            ).scalar_one()
        )
        if entries:
            self.session.execute(
                insert(t.party_list_entries),
                [
                    {
                        "list_id": list_id,
                        "position": e.position,
                        "ref": e.ref,
                        "entry_key": e.entry_key,
                        "entry": e.entry,
                        "person_id": e.person_id,
                    }
                    for e in entries
                ],
            )
        stored = self.get_list(list_id)
        assert stored is not None
        return stored

    def get_list(self, list_id: int) -> StoredList | None:
        row = (
            self.session.execute(select(t.party_lists).where(t.party_lists.c.id == list_id))
            .mappings()
            .first()
        )
        return None if row is None else _stored_list(row)

    def latest_version(self, sender: str, name: str) -> StoredList | None:
        row = (
            self.session.execute(
                select(t.party_lists)
                .where(t.party_lists.c.sender == sender, t.party_lists.c.name == name)
                .order_by(t.party_lists.c.version.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _stored_list(row)

    def by_sha256(self, list_sha256: str) -> StoredList | None:
        row = (
            self.session.execute(
                select(t.party_lists)
                .where(t.party_lists.c.list_sha256 == list_sha256)
                .order_by(t.party_lists.c.id)
                .limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _stored_list(row)

    def versions(self, sender: str, name: str) -> list[StoredList]:
        rows = self.session.execute(
            select(t.party_lists)
            .where(t.party_lists.c.sender == sender, t.party_lists.c.name == name)
            .order_by(t.party_lists.c.version)
        ).mappings()
        return [_stored_list(r) for r in rows]

    def lists(self, offset: int, limit: int) -> tuple[list[StoredList], int]:
        total = self.session.execute(select(func.count()).select_from(t.party_lists)).scalar_one()
        rows = self.session.execute(
            select(t.party_lists).order_by(t.party_lists.c.id.desc()).offset(offset).limit(limit)
        ).mappings()
        return [_stored_list(r) for r in rows], int(total)

    def list_table(self, table: TableQuery) -> Page[StoredList]:
        """A page of the lists held here, newest first unless another column is chosen,
        filtered by sender and purpose (checked against known values by the caller)."""
        c = t.party_lists.c
        query = select(t.party_lists)
        if table.filter("sender"):
            query = query.where(c.sender == table.filter("sender"))
        if table.filter("purpose"):
            query = query.where(c.purpose == table.filter("purpose"))
        total = count_rows(self.session, query)
        check_window(total, table.window, table.page)
        sorts: SortColumns = {
            "id": (c.id,),
            "sender": (c.sender,),
            "name": (c.name, c.version),
            "purpose": (c.purpose,),
            "entries": (c.entry_count,),
        }
        rows = self.session.execute(
            query.order_by(*order_by(table, sorts, (c.id.desc(),)))
            .offset(table.window.offset)
            .limit(table.window.limit)
        ).mappings()
        items = [_stored_list(r) for r in rows]
        return Page(items, total, table.window.offset, table.per_page)

    def entries(
        self,
        list_id: int,
        window: PageRequest | None = None,
        keys: Sequence[str] | None = None,
    ) -> list[StoredEntry]:
        """A list's entries in list order: all of them, or those in `window`, or those with
        `keys` (what the next version removed)."""
        e = t.party_list_entries
        query = select(e).where(e.c.list_id == list_id).order_by(e.c.position, e.c.id)
        if keys is not None:
            query = query.where(e.c.entry_key.in_(list(keys)))
        if window is not None:
            query = query.offset(window.offset).limit(window.limit)
        return [_stored_entry(r) for r in self.session.execute(query).mappings()]

    def entry_table(
        self, list_id: int, table: TableQuery, keys: Sequence[str] | None = None
    ) -> Page[StoredEntry]:
        """A page of a list's entries, in list order unless another column is chosen; `q`
        keeps the entries whose ref or name holds the text (as typed, or in lower, upper or
        title case: SQLite folds only ASCII, and names here are mostly Cyrillic). With `keys`,
        only the entries with those keys (what the next version removed)."""
        e = t.party_list_entries.c
        surname, given = e.entry["surname"].as_string(), e.entry["given_name"].as_string()
        query = select(t.party_list_entries).where(e.list_id == list_id)
        if keys is not None:
            query = query.where(e.entry_key.in_(list(keys)))
        text = table.filter("q")
        if text:
            columns = (e.ref, surname, given, e.entry["patronymic"].as_string())
            spellings = {text, text.lower(), text.upper(), text.capitalize()}
            query = query.where(
                or_(*(c.contains(s, autoescape=True) for c in columns for s in sorted(spellings)))
            )
        total = count_rows(self.session, query)
        check_window(total, table.window, table.page, table.prefix + "page")
        sorts: SortColumns = {
            "position": (e.position,),
            "ref": (e.ref,),
            "surname": (surname, given),
            # an unknown birth date is shared as "": it sorts last, as a missing value
            "born": (func.nullif(e.entry["birth_date"].as_string(), ""),),
        }
        rows = self.session.execute(
            query.order_by(*order_by(table, sorts, (e.position, e.id)))
            .offset(table.window.offset)
            .limit(table.window.limit)
        ).mappings()
        items = [_stored_entry(r) for r in rows]
        return Page(items, total, table.window.offset, table.per_page)

    # bundles

    def add_bundle(self, values: NewBundle) -> StoredBundle:
        row = dict(values)
        row["stored_at"] = utc_now()
        bundle_id = int(
            self.session.execute(
                insert(t.bundles).values(**row).returning(t.bundles.c.id)
            ).scalar_one()
        )
        stored = self.get_bundle(bundle_id)
        assert stored is not None
        return stored

    def get_bundle(self, bundle_id: int) -> StoredBundle | None:
        row = (
            self.session.execute(_bundle_columns().where(t.bundles.c.id == bundle_id))
            .mappings()
            .first()
        )
        return None if row is None else _stored_bundle(row)

    def bundle_by_sha256(self, sha256: str) -> StoredBundle | None:
        row = (
            self.session.execute(_bundle_columns().where(t.bundles.c.sha256 == sha256))
            .mappings()
            .first()
        )
        return None if row is None else _stored_bundle(row)

    def bundle_content(self, bundle_id: int) -> bytes:
        return bytes(
            self.session.execute(
                select(t.bundles.c.content).where(t.bundles.c.id == bundle_id)
            ).scalar_one()
        )

    def bundles(
        self, offset: int, limit: int, list_id: int | None = None
    ) -> tuple[list[StoredBundle], int]:
        query = _bundle_columns()
        count = select(func.count()).select_from(t.bundles)
        if list_id is not None:
            query = query.where(t.bundles.c.list_id == list_id)
            count = count.where(t.bundles.c.list_id == list_id)
        total = self.session.execute(count).scalar_one()
        rows = self.session.execute(
            query.order_by(t.bundles.c.id.desc()).offset(offset).limit(limit)
        ).mappings()
        return [_stored_bundle(r) for r in rows], int(total)

    def sent_lists(self, offset: int, limit: int) -> tuple[list[StoredBundle], int]:
        b = t.bundles
        condition = (b.c.direction == "sent") & (b.c.kind == "list")
        total = self.session.execute(
            select(func.count()).select_from(b).where(condition)
        ).scalar_one()
        rows = self.session.execute(
            _bundle_columns().where(condition).order_by(b.c.id.desc()).offset(offset).limit(limit)
        ).mappings()
        return [_stored_bundle(r) for r in rows], int(total)

    # receipts and reconciliations

    def add_receipt(
        self,
        bundle_sha256: str,
        receipt_bundle_id: int,
        acknowledged_by: str,
        role: str,
        received_at: str,
    ) -> None:
        self.session.execute(
            insert(t.bundle_receipts).values(
                bundle_sha256=bundle_sha256,
                receipt_bundle_id=receipt_bundle_id,
                acknowledged_by=acknowledged_by,
                role=role,
                received_at=received_at,
                recorded_at=utc_now(),
            )
        )

    def receipts_for(self, bundle_sha256s: Sequence[str]) -> list[ReceiptRow]:
        if not bundle_sha256s:
            return []
        r = t.bundle_receipts
        rows = self.session.execute(
            select(r).where(r.c.bundle_sha256.in_(list(bundle_sha256s))).order_by(r.c.id)
        ).mappings()
        return [
            ReceiptRow(
                row["id"],
                row["bundle_sha256"],
                row["receipt_bundle_id"],
                row["acknowledged_by"],
                row["role"],
                row["received_at"],
                as_utc(row["recorded_at"]),
            )
            for row in rows
        ]

    def add_reconciliation(self, list_id: int, match_run_id: int, created_by: str) -> None:
        self.session.execute(
            insert(t.list_reconciliations).values(
                list_id=list_id,
                match_run_id=match_run_id,
                created_at=utc_now(),
                created_by=created_by,
            )
        )

    def latest_reconciliation(self, list_id: int) -> int | None:
        r = t.list_reconciliations
        value = self.session.execute(
            select(r.c.match_run_id).where(r.c.list_id == list_id).order_by(r.c.id.desc()).limit(1)
        ).scalar_one_or_none()
        return None if value is None else int(value)


def _bundle_columns() -> Any:
    b = t.bundles
    return select(*[c for c in b.c if c.name != "content"], func.length(b.c.content).label("size"))


def _stored_list(row: RowMapping) -> StoredList:
    return StoredList(
        id=row["id"],
        name=row["name"],
        version=row["version"],
        purpose=row["purpose"],
        category=row["category"],
        reference=row["reference"],
        sender=row["sender"],
        recipients=tuple(row["recipients"]),
        created_at=row["created_at"],
        recorded_at=as_utc(row["recorded_at"]),
        recorded_by=row["recorded_by"],
        origin=row["origin"],
        query=row["query"],
        list_sha256=row["list_sha256"],
        previous_id=row["previous_id"],
        previous_sha256=row["previous_sha256"],
        changes=row["changes"],
        entry_count=row["entry_count"],
    )


def _stored_entry(row: RowMapping) -> StoredEntry:
    return StoredEntry(
        row["position"], row["ref"], row["entry_key"], row["entry"], row["person_id"]
    )


def _stored_bundle(row: RowMapping) -> StoredBundle:
    return StoredBundle(
        id=row["id"],
        sha256=row["sha256"],
        direction=row["direction"],
        kind=row["kind"],
        sender=row["sender"],
        recipient=row["recipient"],
        created_at=row["created_at"],
        signer_fingerprint=row["signer_fingerprint"],
        stored_at=as_utc(row["stored_at"]),
        stored_by=row["stored_by"],
        provenance=row["provenance"],
        list_id=row["list_id"],
        size=int(row["size"]),
    )
