"""Busy days on SQLite: WAL, and reads that never wait for a writer, even a long import."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import SYSTEM, Actor
from parley.domain.accounts.audit import AuditRecord
from parley.domain.errors import DatabaseBusy
from parley.domain.paging import PageRequest
from parley.domain.registry.persons import PersonQuery
from parley.instance import Instance, open_instance
from parley.services import accounts, registry
from parley.services.accounts import audit
from parley.store import database
from parley.store.audit_spool import drain
from parley.web.app import create_app
from tests.factories import a_person


@contextmanager
def a_writer_holding_the_lock(instance: Instance) -> Iterator[sqlite3.Connection]:
    """Another process's long write transaction, as an import's: the write lock held."""
    connection = sqlite3.connect(instance.directory / "parley.db", isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE accounts SET display_name = display_name WHERE id = 1")
    try:
        yield connection
    finally:
        connection.execute("COMMIT")
        connection.close()


def test_sqlite_runs_in_wal_with_normal_sync(sqlite_instance: Instance) -> None:
    with sqlite_instance.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_a_read_does_not_wait_for_a_long_write_and_is_still_audited(
    sqlite_instance: Instance, admin: Actor
) -> None:
    registry.register_person(sqlite_instance.uow(), admin, a_person("Мельник"))
    before = audit.verify(sqlite_instance.uow(), admin).checked
    with a_writer_holding_the_lock(sqlite_instance):
        started = time.monotonic()
        with sqlite_instance.uow(read_only=True) as uow:
            assert uow.persons.count() == 1
        found = registry.find_persons(
            sqlite_instance.uow(read_only=True), admin, PersonQuery(), PageRequest(0, 10)
        )
        assert found.total == 1
        assert time.monotonic() - started < 3  # not the 30 s busy timeout
    drain(sqlite_instance.engine)
    report = audit.verify(sqlite_instance.uow(), admin)
    assert report.ok and report.checked == before + 2  # the read's entry, and the verify's
    with sqlite_instance.uow() as uow:
        actions = [e.action for e in uow.audit.walk()]
    assert actions[-2:] == ["person.list", "audit.verify"]
    with sqlite_instance.uow() as uow:
        listed = [e for e in uow.audit.walk() if e.action == "person.list"][-1]
    assert datetime.fromisoformat(listed.detail["read_at"]) < listed.at  # read, then landed


def test_without_a_writer_a_reads_entry_lands_at_once(
    sqlite_instance: Instance, admin: Actor
) -> None:
    with sqlite_instance.uow() as uow:
        before = uow.audit.count()
    registry.find_persons(
        sqlite_instance.uow(read_only=True), admin, PersonQuery(), PageRequest(0, 10)
    )
    with sqlite_instance.uow() as uow:
        assert uow.audit.count() == before + 1


def test_a_read_rolled_back_leaves_no_entry(sqlite_instance: Instance, admin: Actor) -> None:
    with sqlite_instance.uow() as uow:
        before = uow.audit.count()
    with sqlite_instance.uow(read_only=True) as uow:
        uow.audit.append(AuditRecord("test", "nothing", "", (), {}))
    with sqlite_instance.uow() as uow:
        assert uow.audit.count() == before


def test_api_reads_answer_while_an_import_holds_the_lock(sqlite_instance: Instance) -> None:
    issued = accounts.issue_token(sqlite_instance.uow(), SYSTEM, "admin", "tests")
    auth = {"Authorization": f"Bearer {issued.secret}"}
    with (
        TestClient(create_app(sqlite_instance)) as client,
        a_writer_holding_the_lock(sqlite_instance),
    ):
        started = time.monotonic()
        for _ in range(3):
            assert client.get("/api/v1/persons", headers=auth).status_code == 200
        assert time.monotonic() - started < 5
    drain(sqlite_instance.engine)
    assert audit.verify(sqlite_instance.uow(), SYSTEM).ok


def test_a_writer_still_locked_out_after_the_busy_timeout_gets_a_conflict(
    sqlite_instance: Instance, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    instance = open_instance(sqlite_instance.directory)
    try:
        with a_writer_holding_the_lock(sqlite_instance), pytest.raises(DatabaseBusy, match="busy"):
            registry.register_person(instance.uow(), admin, a_person("Коваль"))
    finally:
        instance.close()
    registry.register_person(sqlite_instance.uow(), admin, a_person("Коваль"))
