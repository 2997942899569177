"""Issue 12, part 12: an instance of the previous release upgrades with its data intact.

The repository has no release tags yet, so "the previous release" is the schema before the
latest migration: revision 0008 (before children, 0009). The instance is built the way that
release built it (schema migrated only to 0008), filled through the services and with a row
written by plain SQL, then `parley upgrade` carries it to head; the rows, the audit chain and
the application (old tables and the new one) must all still work. Runs on SQLite and, in CI,
on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from typer.testing import CliRunner

import parley.instance as instance_module
from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.errors import SchemaOutdated
from parley.instance import init_instance, open_instance
from parley.services import accounts
from parley.services.accounts import audit
from parley.services.registry import imports
from parley.store import database, tables
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

PREVIOUS = "0008"
ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
FILE = (
    "surname;given_name;patronymic;sex;birth_date;category;service_number;status;status_date\n"
    "Коваль;Іван;Петрович;male;1999-06-10;military;S-100;reported_missing;2024-05-01\n"
    "Мороз;Олена;Іванівна;female;1987;civilian;;capture_confirmed;2024-06-01\n"
)


def test_an_instance_at_the_previous_schema_upgrades_with_its_data(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ua"
    with monkeypatch.context() as patch:  # the previous release migrated only this far
        patch.setattr(instance_module, "upgrade", lambda e: database.upgrade(e, PREVIOUS))
        old, _ = init_instance(directory, "UA", "Old HQ", database_url, ADMIN_PASSWORD)
    imports.import_persons(old.uow(), ADMIN, "list.csv", FILE.encode(), "UA", "uk")
    with old.engine.begin() as connection:  # a row as the old release's SQL wrote it
        connection.execute(
            text("UPDATE persons SET notes = :n WHERE id = 1"), {"n": "written at 0008"}
        )
    assert database.current_revision(old.engine) == PREVIOUS
    assert "child_cases" not in _tables(old.engine)
    old.close()

    with pytest.raises(SchemaOutdated, match="parley upgrade"):
        open_instance(directory)
    result = CliRunner().invoke(cli, ["upgrade", "--instance", str(directory)])
    assert result.exit_code == 0, result.output

    upgraded = open_instance(directory)
    try:
        assert database.current_revision(upgraded.engine) == database.head_revision()
        with upgraded.engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(tables.persons)) == 2
            notes = connection.scalar(
                select(tables.persons.c.notes).where(tables.persons.c.id == 1)
            )
        assert notes == "written at 0008"
        assert audit.verify(upgraded.uow(), ADMIN).ok
        token = accounts.issue_token(upgraded.uow(), SYSTEM, "admin", "after upgrade").secret
        with TestClient(create_app(upgraded)) as client:
            auth = {"Authorization": f"Bearer {token}"}
            listed = client.get("/api/v1/persons", headers=auth)
            assert listed.status_code == 200 and "Коваль" in listed.text
            assert client.get("/api/v1/children/cases", headers=auth).status_code == 200
    finally:
        upgraded.close()


def _tables(engine: object) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(engine).get_table_names())
