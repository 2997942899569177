"""Engines and migrations: one code path for SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import re
import weakref
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import ExceptionContext, make_url

from parley.domain.errors import DatabaseBusy, InvalidInput

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another's lock before giving up."""
READ_OPTION = "parley_read_only"
"""An execution option: a SQLite transaction for reading starts a plain, deferred BEGIN."""


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
UNTRACKED = frozenset({"audit_log", "console_sessions", "api_tokens", "accounts", "data_versions"})
"""Writes that change no record a page counts: the audit trail, logins and sessions."""
VERSION_SQL = "SELECT version FROM data_versions WHERE id = 1"
BUMP_SQL = (
    "INSERT INTO data_versions (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = data_versions.version + 1"
)
_serial = itertools.count(1)
_versions: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_shared: weakref.WeakSet[Engine] = weakref.WeakSet()
_sources: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_ENGINE_SPAN = 2**40
"""Engines' versions are `data_source(engine) * _ENGINE_SPAN + counter`: unique across engines."""


def share_versions(engine: Engine) -> None:
    """From now on the engine's data version is the database's `data_versions` counter, which
    every transaction that wrote records bumps as it commits, whichever process wrote: a
    second server process, `parley jobs work`, a CLI command. Called for an opened instance;
    a schema without the table (before migration 0015) keeps this process's own count."""
    if inspect(engine).has_table("data_versions"):
        _shared.add(engine)


def is_shared(engine: Engine) -> bool:
    return engine in _shared


def data_version(engine: Engine) -> int:
    """A number that changes whenever a transaction that wrote records commits, unique across
    engines in the process: what caches of computed pages key on (`services.cache`)."""
    serial = _versions.setdefault(engine, next(_serial))
    if engine not in _shared:
        return serial
    with engine.execution_options(**{READ_OPTION: True}).connect() as connection:
        return shared_version(engine, connection.exec_driver_sql(VERSION_SQL).scalar())


def shared_version(engine: Engine, counter: Any) -> int:
    """The engine's data version for a `data_versions` counter read (None: never bumped)."""
    return data_source(engine) * _ENGINE_SPAN + int(counter or 0)


def data_source(engine: Engine) -> int:
    """A number that names this engine's database among the engines of the process."""
    found = _sources.get(engine)
    if found is None:
        found = _sources[engine] = next(_serial)
    return found


def _track_writes(engine: Engine) -> None:
    @event.listens_for(engine, "after_cursor_execute")
    def _wrote(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        found = _WRITE.match(statement)
        if found and found.group(1).lower() not in UNTRACKED:
            conn.info["parley_wrote"] = True

    @event.listens_for(engine, "commit")
    def _committing(conn: Any) -> None:
        """Before the commit itself: the counter's bump is part of the transaction."""
        if not conn.info.pop("parley_wrote", False):
            return
        _versions[engine] = next(_serial)
        if engine in _shared:
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute(BUMP_SQL)
            finally:
                cursor.close()

    @event.listens_for(engine, "rollback")
    def _rolled_back(conn: Any) -> None:
        conn.info.pop("parley_wrote", None)


def make_engine(url: str) -> Engine:
    """SQLite gets WAL, foreign keys and BEGIN IMMEDIATE for writers: they queue instead of
    failing. Readers (`READ_OPTION`) begin plainly and read a WAL snapshot without waiting."""
    if make_url(url).get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "handle_error", _translate)
        _track_writes(engine)
        return engine
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    )
    event.listen(engine, "handle_error", _translate)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below take over
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # under WAL: durable at checkpoints, fast
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read = connection.get_execution_options().get(READ_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

    _track_writes(engine)
    return engine


INTEGER_RANGE = "-9223372036854775808 to 9223372036854775807"


def _translate(context: ExceptionContext) -> BaseException | None:
    """An id or offset of 2**63 from a URL is bad input, not a server failure: SQLite's driver
    raises OverflowError, PostgreSQL's a numeric-range DataError. Both become InvalidInput.
    A SQLite lock still held after the busy timeout is a Conflict to retry, not a crash."""
    original = context.original_exception
    if isinstance(original, OverflowError) or (
        getattr(original, "sqlstate", None) == "22003"  # numeric_value_translate
    ):
        return InvalidInput(f"a number is out of range: integers go from {INTEGER_RANGE}")
    if "database is locked" in str(original):  # SQLite, after the busy timeout
        return DatabaseBusy("the database is busy with another change; try again in a moment")
    return None


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(_alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()
