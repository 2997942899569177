"""Reads' audit entries on PostgreSQL: never under the chain's lock in the read's transaction.

The lock serialises appends to the hash chain. Held from a read's append to its commit, every
read of every server thread passed through it one at a time (docs/benchmarks.md, load_pg);
the reads' entries now go to the engine's audit spool, one short transaction a batch.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text

from parley.domain.accounts.accounts import Actor
from parley.domain.accounts.audit import AuditRecord
from parley.instance import Instance, open_instance
from parley.services import registry
from parley.services.accounts import audit
from parley.store.accounts import CHAIN_LOCK
from parley.store.audit_spool import QUICK_WAIT_MS, drain
from tests.factories import a_person

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_instance(instance: Instance) -> Instance:
    if instance.engine.dialect.name != "postgresql":
        pytest.skip("the chain's advisory lock is PostgreSQL's")
    return instance


@contextmanager
def other_session(instance: Instance) -> Iterator[Connection]:
    engine = create_engine(instance.engine.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def chain_lock_free(connection: Connection) -> bool:
    if connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": CHAIN_LOCK}):
        connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": CHAIN_LOCK})
        return True
    return False


def person_reads(instance: Instance) -> list[dict[str, object]]:
    with instance.uow() as uow:
        return [e.detail for e in uow.audit.walk() if e.action == "person.read"]


def test_a_reads_transaction_does_not_hold_the_chain_lock(
    pg_instance: Instance, admin: Actor
) -> None:
    with other_session(pg_instance) as other, pg_instance.uow(read_only=True) as uow:
        uow.audit.append(AuditRecord(admin.label, "person.read", "person", ("1",), {}))
        assert chain_lock_free(other)  # before: held by the read until its commit
        uow.commit()
    drain(pg_instance.engine)
    assert audit.verify(pg_instance.uow(), admin).ok


def test_a_read_answers_while_the_chain_is_locked_and_its_entry_lands_after(
    pg_instance: Instance, admin: Actor
) -> None:
    person = registry.register_person(pg_instance.uow(), admin, a_person("Мельник"))
    with other_session(pg_instance) as other:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": CHAIN_LOCK})
        done = threading.Event()

        def read() -> None:
            registry.show_person(pg_instance.uow(read_only=True), admin, person.id)
            done.set()

        reader = threading.Thread(target=read, daemon=True)
        started = time.monotonic()
        reader.start()
        answered = done.wait(10)
        waited = time.monotonic() - started
        assert person_reads(pg_instance) == []  # still waiting for the lock
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": CHAIN_LOCK})
    reader.join(30)
    assert answered and waited < QUICK_WAIT_MS / 1000 + 3  # before: blocked until the unlock
    assert drain(pg_instance.engine, 30)
    (entry,) = person_reads(pg_instance)
    assert datetime.fromisoformat(str(entry["read_at"]))
    assert audit.verify(pg_instance.uow(), admin).ok


def test_concurrent_reads_are_all_audited_in_one_verifiable_chain(
    pg_instance: Instance, admin: Actor
) -> None:
    person = registry.register_person(pg_instance.uow(), admin, a_person("Мельник"))
    errors: list[BaseException] = []

    def reads() -> None:
        try:
            for _ in range(10):
                registry.show_person(pg_instance.uow(read_only=True), admin, person.id)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=reads) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert drain(pg_instance.engine, 30)
    assert len(person_reads(pg_instance)) == 60
    assert audit.verify(pg_instance.uow(), admin).ok


def test_a_clean_stop_keeps_the_entries_still_waiting(
    pg_instance: Instance, admin: Actor, tmp_path: Path
) -> None:
    person = registry.register_person(pg_instance.uow(), admin, a_person("Мельник"))
    with other_session(pg_instance) as other:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": CHAIN_LOCK})
        done = threading.Event()

        def reads() -> None:
            for _ in range(3):
                registry.show_person(pg_instance.uow(read_only=True), admin, person.id)
            done.set()

        threading.Thread(target=reads, daemon=True).start()
        answered = done.wait(10)  # before: blocked until the unlock
        threading.Timer(
            1.0,
            lambda: other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": CHAIN_LOCK}),
        ).start()
        pg_instance.close()  # waits for the spool
    assert answered
    reopened = open_instance(pg_instance.directory)
    try:
        assert len(person_reads(reopened)) == 3
        assert audit.verify(reopened.uow(), admin).ok
    finally:
        reopened.close()
