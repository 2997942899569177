"""SQL for the accounts track: accounts, API tokens, console sessions and the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from parley.domain.accounts.accounts import Account, Role
from parley.domain.accounts.audit import GENESIS, AuditEntry, AuditRecord, chain
from parley.domain.errors import AccountNotFound
from parley.domain.paging import Page, PageRequest, TableQuery
from parley.services.accounts.rows import (
    ApiToken,
    ConsoleSession,
    NewCheckpoint,
    StoredCheckpoint,
)
from parley.store import tables as t
from parley.store._sql import SortColumns, _aware, _insert, _must, check_window, count, order_by
from parley.store._time import as_utc, utc_now

CHAIN_LOCK = 7310001
"""The PostgreSQL advisory lock that serialises appends to the audit chain."""


class SqlAccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, account: Account) -> Account:
        account_id = _insert(
            self.session,
            t.accounts,
            insert(t.accounts).values(
                username=account.username,
                display_name=account.display_name,
                roles=",".join(sorted(account.roles)),
                password_hash=account.password_hash,
                active=account.active,
                language=account.language,
                created_at=utc_now(),
            ),
        )
        account.id = int(account_id)
        return account

    @staticmethod
    def _account(row: RowMapping) -> Account:
        roles = frozenset(Role(r) for r in row["roles"].split(",") if r)
        return Account(
            row["username"],
            row["display_name"],
            roles,
            row["password_hash"],
            row["active"],
            row["language"],
            row["id"],
        )

    def get(self, account_id: int) -> Account:
        row = (
            self.session.execute(select(t.accounts).where(t.accounts.c.id == account_id))
            .mappings()
            .first()
        )
        if row is None:
            raise AccountNotFound(f"no account with id {account_id}")
        return self._account(row)

    def by_username(self, username: str) -> Account | None:
        row = (
            self.session.execute(select(t.accounts).where(t.accounts.c.username == username))
            .mappings()
            .first()
        )
        return self._account(row) if row else None

    def all(self) -> list[Account]:
        rows = self.session.execute(select(t.accounts).order_by(t.accounts.c.username))
        return [self._account(r) for r in rows.mappings()]

    def _set(self, account_id: int, **values: Any) -> None:
        self.session.execute(
            update(t.accounts).where(t.accounts.c.id == account_id).values(**values)
        )

    def set_active(self, account_id: int, active: bool) -> None:
        self._set(account_id, active=active)

    def set_language(self, account_id: int, language: str) -> None:
        self._set(account_id, language=language)

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        self._set(account_id, password_hash=password_hash)

    def add_token(self, account_id: int, name: str, prefix: str, token_hash: str) -> ApiToken:
        created = utc_now()
        token_id = _insert(
            self.session,
            t.api_tokens,
            insert(t.api_tokens).values(
                account_id=account_id,
                name=name,
                prefix=prefix,
                token_hash=token_hash,
                created_at=created,
            ),
        )
        return ApiToken(int(token_id), account_id, name, prefix, created, None)

    @staticmethod
    def _token(row: RowMapping) -> ApiToken:
        return ApiToken(
            row["id"],
            row["account_id"],
            row["name"],
            row["prefix"],
            _must(row["created_at"]),
            _aware(row["revoked_at"]),
        )

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        row = (
            self.session.execute(
                select(t.api_tokens).where(t.api_tokens.c.token_hash == token_hash)
            )
            .mappings()
            .first()
        )
        return self._token(row) if row else None

    def tokens_of(self, account_id: int) -> list[ApiToken]:
        rows = (
            self.session.execute(
                select(t.api_tokens)
                .where(t.api_tokens.c.account_id == account_id)
                .order_by(t.api_tokens.c.id)
            )
            .mappings()
            .all()
        )
        return [self._token(r) for r in rows]

    def revoke_token(self, token_id: int) -> None:
        self.session.execute(
            update(t.api_tokens).where(t.api_tokens.c.id == token_id).values(revoked_at=utc_now())
        )

    def add_session(
        self, account_id: int, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> ConsoleSession:
        session_id = _insert(
            self.session,
            t.console_sessions,
            insert(t.console_sessions).values(
                account_id=account_id,
                token_hash=token_hash,
                csrf_token=csrf_token,
                created_at=utc_now(),
                expires_at=expires_at,
            ),
        )
        return ConsoleSession(int(session_id), account_id, csrf_token, expires_at, None)

    def session_by_hash(self, token_hash: str) -> ConsoleSession | None:
        row = (
            self.session.execute(
                select(t.console_sessions).where(t.console_sessions.c.token_hash == token_hash)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return ConsoleSession(
            row["id"],
            row["account_id"],
            row["csrf_token"],
            _must(row["expires_at"]),
            _aware(row["revoked_at"]),
        )

    def revoke_session(self, session_id: int) -> None:
        self.session.execute(
            update(t.console_sessions)
            .where(t.console_sessions.c.id == session_id)
            .values(revoked_at=utc_now())
        )


class SqlAuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, record: AuditRecord) -> AuditEntry:
        """Serialised: on PostgreSQL by an advisory lock, on SQLite by BEGIN IMMEDIATE."""
        return self.append_many([record])[0]

    def append_many(self, records: Sequence[AuditRecord]) -> list[AuditEntry]:
        """Extend the chain by several entries in three statements (the lock, the head, one
        insert): the audit spool's batches of read entries hold the lock that briefly."""
        if not records:
            return []
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
        head = self.session.execute(
            select(t.audit_log.c.seq, t.audit_log.c.hash)
            .order_by(t.audit_log.c.seq.desc())
            .limit(1)
        ).first()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
        entries: list[AuditEntry] = []
        for record in records:
            entry = chain(seq, utc_now(), record, prev)
            entries.append(entry)
            seq, prev = seq + 1, entry.hash
        self.session.execute(
            insert(t.audit_log),
            [
                {
                    "seq": entry.seq,
                    "at": entry.at.isoformat(timespec="microseconds"),
                    "actor": entry.actor,
                    "action": entry.action,
                    "record_type": entry.record_type,
                    "record_ids": json.dumps(list(entry.record_ids)),
                    "detail": json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
                    "prev_hash": entry.prev_hash,
                    "hash": entry.hash,
                }
                for entry in entries
            ],
        )
        return entries

    @staticmethod
    def _entry(row: RowMapping) -> AuditEntry:
        return AuditEntry(
            row["seq"],
            datetime.fromisoformat(row["at"]),
            row["actor"],
            row["action"],
            row["record_type"],
            tuple(json.loads(row["record_ids"])),
            json.loads(row["detail"]),
            row["prev_hash"],
            row["hash"],
        )

    def walk(self) -> Iterator[AuditEntry]:
        rows = self.session.execute(
            select(t.audit_log).order_by(t.audit_log.c.seq).execution_options(yield_per=2000)
        ).mappings()
        for row in rows:
            yield self._entry(row)

    def recent(self, page: PageRequest) -> Page[AuditEntry]:
        rows = (
            self.session.execute(
                select(t.audit_log)
                .order_by(t.audit_log.c.seq.desc())
                .offset(page.offset)
                .limit(page.limit)
            )
            .mappings()
            .all()
        )
        return Page([self._entry(r) for r in rows], self.count(), page.offset, page.limit)

    def table(self, table: TableQuery) -> Page[AuditEntry]:
        """A page of the log filtered by who (exact), action (its start: `person.` is every
        person action) and record type, sorted by the database, newest first by default."""
        c = t.audit_log.c
        query = select(t.audit_log)
        if table.filter("actor"):
            query = query.where(c.actor == table.filter("actor"))
        if table.filter("action"):
            query = query.where(c.action.startswith(table.filter("action"), autoescape=True))
        if table.filter("record_type"):
            query = query.where(c.record_type == table.filter("record_type"))
        total = count(self.session, query)
        check_window(total, table.window, table.page)
        columns: SortColumns = {"seq": (c.seq,), "actor": (c.actor,), "action": (c.action,)}
        rows = self.session.execute(
            query.order_by(*order_by(table, columns, (c.seq.desc(),)))
            .offset(table.window.offset)
            .limit(table.window.limit)
        ).mappings()
        return Page([self._entry(r) for r in rows], total, table.window.offset, table.per_page)

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(t.audit_log)) or 0)

    def head(self) -> tuple[int, str]:
        """The number of entries and the last one's hash (GENESIS for an empty log)."""
        row = self.session.execute(
            select(t.audit_log.c.seq, t.audit_log.c.hash)
            .order_by(t.audit_log.c.seq.desc())
            .limit(1)
        ).first()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    @staticmethod
    def _checkpoint(row: RowMapping) -> StoredCheckpoint:
        return StoredCheckpoint(
            row["id"],
            row["sha256"],
            row["party"],
            int(row["entries"]),
            row["head"],
            row["created_at"],
            row["signer_fingerprint"],
            row["source"],
            row["bundle_sha256"],
            as_utc(row["stored_at"]),
            row["stored_by"],
        )

    def add_checkpoint(self, checkpoint: NewCheckpoint) -> StoredCheckpoint:
        """Keep a checkpoint once: the same bytes seen again return the one kept."""
        c = t.audit_checkpoints.c
        found = (
            self.session.execute(select(t.audit_checkpoints).where(c.sha256 == checkpoint.sha256))
            .mappings()
            .first()
        )
        if found is not None:
            return self._checkpoint(found)
        values = asdict(checkpoint)
        new_id = self.session.execute(
            insert(t.audit_checkpoints).values(**values, stored_at=utc_now()).returning(c.id)
        ).scalar_one()
        stored = self.checkpoint(new_id)
        assert stored is not None
        return stored[0]

    def checkpoints(
        self, party: str | None, offset: int, limit: int
    ) -> tuple[list[StoredCheckpoint], int]:
        c = t.audit_checkpoints.c
        query = select(t.audit_checkpoints)
        counted = select(func.count()).select_from(t.audit_checkpoints)
        if party:
            query, counted = query.where(c.party == party), counted.where(c.party == party)
        rows = self.session.execute(
            query.order_by(c.id.desc()).offset(offset).limit(limit)
        ).mappings()
        return [self._checkpoint(r) for r in rows], int(self.session.scalar(counted) or 0)

    def all_checkpoints(self, party: str) -> list[tuple[StoredCheckpoint, bytes]]:
        c = t.audit_checkpoints.c
        rows = self.session.execute(
            select(t.audit_checkpoints).where(c.party == party).order_by(c.id)
        ).mappings()
        return [(self._checkpoint(r), bytes(r["content"])) for r in rows]

    def checkpoint(self, checkpoint_id: int) -> tuple[StoredCheckpoint, bytes] | None:
        row = (
            self.session.execute(
                select(t.audit_checkpoints).where(t.audit_checkpoints.c.id == checkpoint_id)
            )
            .mappings()
            .first()
        )
        return (self._checkpoint(row), bytes(row["content"])) if row else None
