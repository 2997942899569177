"""An instance of Parley: a folder with its config, database, signing key and trust store.

This is the composition root: the CLI and the web app build everything from here, and it is the
only module besides them that knows the store exists.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from parley.domain.accounts.accounts import SYSTEM, Role
from parley.domain.errors import (
    InstanceExists,
    InstanceNotFound,
    InvalidConfig,
    InvalidInput,
    SchemaOutdated,
)
from parley.domain.exchange.categories import STANDARD_CATEGORIES, CategoryRule
from parley.domain.exchange.category_config import parse_categories
from parley.interchange.keys import (
    TRUST_FILE,
    TrustedKey,
    TrustStore,
    generate_signing_key,
    load_signing_key,
    own_keys,
)
from parley.services import accounts, jobs
from parley.services.cache import Warmer
from parley.services.lists import Keyring
from parley.store.audit_spool import drain as drain_audit_spool
from parley.store.database import (
    current_revision,
    head_revision,
    make_engine,
    share_versions,
    upgrade,
)
from parley.store.jobs import record_progress_quickly
from parley.store.uow import SqlUnitOfWork

CONFIG_FILE = "parley.toml"
CATEGORIES_FILE = "categories.toml"
ENV_VAR = "PARLEY_INSTANCE"
NAME_LANGUAGE = {"UA": "uk", "RU": "ru"}


@dataclass(frozen=True)
class InstanceConfig:
    party: str
    name: str
    database_url: str
    cli_user: str
    created_at: str

    def database_url_in(self, directory: Path) -> str:
        """The URL to connect to: a relative SQLite path is a file of the instance folder."""
        return resolve_database_url(self.database_url, directory)

    @property
    def name_language(self) -> str:
        """The language names are written in when a file does not say."""
        return NAME_LANGUAGE.get(self.party, "en")

    def to_toml(self) -> str:
        lines = [f"{key} = {_toml_string(value)}" for key, value in vars(self).items()]
        return "# Parley instance configuration\n" + "\n".join(lines) + "\n"


DEFAULT_DATABASE_URL = "sqlite:///parley.db"
"""Relative, so the folder is self-contained: a copy or a move takes its database along."""


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL as written (None for other databases or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return None if parsed.database == ":memory:" else parsed.database


def resolve_database_url(url: str, directory: Path) -> str:
    path = sqlite_path(url)
    if path is None or Path(path).is_absolute():
        return url
    return str(make_url(url).set(database=str(directory / path)))


def relative_database_url(url: str, directory: Path) -> str:
    """An absolute SQLite path inside the folder, written relative to it; others unchanged."""
    path = sqlite_path(url)
    if path is None or not Path(path).is_absolute():
        return url
    try:
        inside = Path(path).resolve().relative_to(directory.resolve())
    except ValueError:
        return url
    return str(make_url(url).set(database=inside.as_posix()))


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Instance:
    directory: Path
    config: InstanceConfig
    engine: Engine

    def __post_init__(self) -> None:
        share_versions(self.engine)  # writes by any process change the version its caches see

    def uow(self, read_only: bool = False) -> SqlUnitOfWork:
        """`read_only`: a plain transaction that never waits for a writer (see `store.uow`)."""
        return SqlUnitOfWork(self.engine, read_only)

    @property
    def trust_store(self) -> TrustStore:
        return TrustStore(self.directory / TRUST_FILE)

    def keyring(self) -> Keyring:
        """The signing key is read when needed, never held by long-lived objects."""
        return Keyring(self.config.party, load_signing_key(self.directory), self.trust_store)

    def own_keys(self) -> list[TrustedKey]:
        """Our current key and the retired ones, to check checkpoints we signed."""
        return own_keys(self.directory, self.config.party)

    def own_categories(self) -> dict[str, CategoryRule]:
        """The categories this instance defines in `categories.toml`, read when asked for."""
        return load_categories(self.directory)

    def categories(self) -> dict[str, CategoryRule]:
        """The standard categories, then the instance's own: a list check and a stage plan read
        the same file the same way, so they never disagree about what a category means."""
        return instance_categories(self.directory)

    def job_worker(self) -> jobs.Worker:
        """The worker the server runs jobs with (started by the web app, never by the CLI)."""
        context = jobs.JobContext(
            self.uow, self.config.party, self.config.name_language, self.keyring
        )
        return jobs.Worker(
            context,
            lambda: self.uow(read_only=True),
            lambda job_id, progress: record_progress_quickly(self.engine, job_id, progress),
        )

    def cache_warmer(self, busy: Callable[[], bool] = lambda: False) -> Warmer:
        """The thread the server computes its kept figures with again after a write, when
        `busy` says no request is being served."""
        return Warmer(lambda: self.uow(read_only=True), busy)

    def close(self) -> None:
        drain_audit_spool(self.engine)  # the audit entries of reads still waiting for the lock
        self.engine.dispose()


def resolve_directory(option: str | Path | None) -> Path:
    value = option or os.environ.get(ENV_VAR)
    if not value:
        raise InstanceNotFound(f"no instance given: pass --instance DIR or set {ENV_VAR}")
    return Path(value).expanduser().resolve()


def init_instance(
    directory: Path,
    party: str,
    name: str,
    database_url: str | None = None,
    admin_password: str | None = None,
) -> tuple[Instance, str]:
    """Create the folder, key, trust store, schema and the first admin; return its password."""
    party = party.upper()
    if not re.fullmatch(r"[A-Z]{2,3}", party):
        raise InvalidInput(f"party '{party}' must be a 2-3 letter code such as UA, RU or TR")
    if not name.strip():
        raise InvalidInput("an instance needs a name")
    if (directory / CONFIG_FILE).exists():
        raise InstanceExists(f"{directory} already holds a Parley instance")
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    url = relative_database_url(database_url or DEFAULT_DATABASE_URL, directory)
    config = InstanceConfig(
        party, name.strip(), url, "admin", datetime.now(UTC).isoformat(timespec="seconds")
    )
    generate_signing_key(directory)
    TrustStore(directory / TRUST_FILE).create_empty()
    engine = make_engine(config.database_url_in(directory))
    upgrade(engine)
    instance = Instance(directory, config, engine)
    password = admin_password or accounts.generate_password()
    accounts.create_account(
        instance.uow(), SYSTEM, "admin", password, frozenset({Role.ADMIN}), "Administrator"
    )
    (directory / CONFIG_FILE).write_text(config.to_toml())
    return instance, password


def load_config(directory: Path) -> InstanceConfig:
    path = directory / CONFIG_FILE
    if not path.exists():
        raise InstanceNotFound(f"{directory} is not a Parley instance (no {CONFIG_FILE})")
    data = tomllib.loads(path.read_text())
    try:
        return InstanceConfig(**{key: str(data[key]) for key in InstanceConfig.__annotations__})
    except KeyError as exc:
        raise InvalidConfig(f"{path}: setting {exc} is missing") from exc


def _check_not_a_copy(directory: Path, config: InstanceConfig) -> None:
    """A config from before relative paths, copied with its folder, would use the original's
    database: refuse, and say how to fix it, rather than read and write someone else's data."""
    path = sqlite_path(config.database_url)
    if path is None or not Path(path).is_absolute():
        return
    own = directory / "parley.db"
    if own.exists() and own.resolve() != Path(path).resolve():
        raise InvalidConfig(
            f"{directory / CONFIG_FILE} points at {path}, but this folder has its own "
            "parley.db: is it a copy? run `parley upgrade` here to use this folder's database"
        )


def open_instance(directory: Path) -> Instance:
    config = load_config(directory)
    _check_not_a_copy(directory, config)
    engine = make_engine(config.database_url_in(directory))
    current, head = current_revision(engine), head_revision()
    if current != head:
        engine.dispose()
        raise SchemaOutdated(
            f"{directory}: database schema is at {current or 'nothing'}, Parley needs {head}; "
            "run `parley upgrade`"
        )
    return Instance(directory, config, engine)


def upgrade_instance(directory: Path) -> tuple[str | None, str | None]:
    """Migrate the schema; an absolute SQLite path of an older config becomes relative (a
    copied folder's config pointing elsewhere is pointed at the folder's own parley.db)."""
    config = _relative_config(directory, load_config(directory))
    engine = make_engine(config.database_url_in(directory))
    try:
        before = current_revision(engine)
        upgrade(engine)
        return before, current_revision(engine)
    finally:
        engine.dispose()


def _relative_config(directory: Path, config: InstanceConfig) -> InstanceConfig:
    path = sqlite_path(config.database_url)
    if path is None or not Path(path).is_absolute():
        return config
    url = relative_database_url(config.database_url, directory)
    if url == config.database_url and (directory / "parley.db").exists():
        url = DEFAULT_DATABASE_URL  # a copy: its own database, not the original's
    if url == config.database_url:
        return config
    updated = replace(config, database_url=url)
    (directory / CONFIG_FILE).write_text(updated.to_toml())
    return updated


def load_categories(directory: Path) -> dict[str, CategoryRule]:
    """An instance's own categories from `DIR/categories.toml`, if it has one.

    Errors name the file and the key path at fault, so whoever edits it finds the line.
    """
    path = directory / CATEGORIES_FILE
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidConfig(f"{path}: not valid TOML: {exc}", "categories") from exc
    extra = sorted(k for k in data if k != "categories")
    if extra:
        raise InvalidConfig(
            f"{path}: {extra[0]}: unknown key; custom categories go in [categories.NAME] tables",
            extra[0],
        )
    table = data.get("categories", {})
    if not isinstance(table, dict):
        raise InvalidConfig(f"{path}: categories: expected [categories.NAME] tables", "categories")
    try:
        return parse_categories(table)
    except InvalidInput as exc:
        raise InvalidConfig(f"{path}: {exc.message}", exc.field) from exc


def instance_categories(directory: Path) -> dict[str, CategoryRule]:
    """The standard categories, then those of `DIR/categories.toml`."""
    return {**STANDARD_CATEGORIES, **load_categories(directory)}
