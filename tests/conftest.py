"""Shared fixtures: instances on SQLite always, and on PostgreSQL when CI provides a server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.instance import Instance, init_instance
from parley.services import accounts

POSTGRES_ENV = "PARLEY_TEST_POSTGRES_URL"
ADMIN_PASSWORD = "correct horse battery staple"


def _reset_postgres(url: str) -> None:
    """Each test gets an empty schema in the run's database, so tests never see each other."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'parley.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL pass skipped (.ci/run sets it)")
    _reset_postgres(url)
    return url


@pytest.fixture
def instance(tmp_path: Path, database_url: str) -> Iterator[Instance]:
    created, _ = init_instance(tmp_path / "ua", "UA", "Test HQ", database_url, ADMIN_PASSWORD)
    yield created
    created.close()


@pytest.fixture
def sqlite_instance(tmp_path: Path) -> Iterator[Instance]:
    created, _ = init_instance(tmp_path / "ua", "UA", "Test HQ", None, ADMIN_PASSWORD)
    yield created
    created.close()


@pytest.fixture
def admin() -> Actor:
    return Actor("admin", frozenset({Role.ADMIN}), "test", 1)


def make_account(instance: Instance, username: str, role: Role) -> Actor:
    accounts.create_account(instance.uow(), SYSTEM, username, ADMIN_PASSWORD, frozenset({role}))
    return accounts.actor_for_username(instance.uow(), username, "test")


@pytest.fixture(autouse=True)
def _fresh_login_counts() -> Iterator[None]:
    """Failed logins are counted per process: each test starts with none."""
    from parley.services.accounts.throttle import LOGINS

    LOGINS.clear()
    yield
    LOGINS.clear()
