import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from parley.domain.errors import InstanceExists, SchemaOutdated
from parley.instance import (
    Instance,
    init_instance,
    open_instance,
    upgrade_instance,
)
from parley.interchange.keys import PRIVATE_KEY_FILE, TrustStore
from parley.store.database import head_revision, make_engine
from parley.store.tables import metadata


def test_a_new_instance_has_a_private_key_only_its_owner_can_read(instance: Instance) -> None:
    mode = stat.S_IMODE((instance.directory / PRIVATE_KEY_FILE).stat().st_mode)
    assert mode == 0o600
    assert instance.trust_store.trusted() == []
    assert instance.config.party == "UA"


def test_init_refuses_to_overwrite_an_instance(instance: Instance) -> None:
    with pytest.raises(InstanceExists):
        init_instance(instance.directory, "UA", "Again")


def test_the_migrated_schema_is_exactly_the_declared_one(instance: Instance) -> None:
    with instance.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_upgrade_is_harmless_on_a_current_instance(instance: Instance) -> None:
    before, after = upgrade_instance(instance.directory)
    assert before == after == head_revision()


def test_an_instance_with_an_old_schema_must_be_upgraded_first(tmp_path: Path) -> None:
    created, _ = init_instance(tmp_path / "x", "RU", "Test", None, "correct horse battery")
    created.close()
    engine = make_engine(f"sqlite:///{tmp_path / 'x' / 'parley.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM alembic_version")
    engine.dispose()
    with pytest.raises(SchemaOutdated, match="parley upgrade"):
        open_instance(tmp_path / "x")


def test_trusting_the_same_key_twice_is_refused(tmp_path: Path, instance: Instance) -> None:
    other, _ = init_instance(tmp_path / "ru", "RU", "Other", None, "correct horse battery")
    key = (other.directory / "signing_key.pub").read_text()
    store = TrustStore(instance.directory / "trust.json")
    entry = store.add("RU", "Other", key)
    assert entry.fingerprint.count(":") == 7
    with pytest.raises(Exception, match="already trusted"):
        store.add("RU", "Other", key)
    other.close()
