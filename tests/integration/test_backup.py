"""An instance folder is self-contained: copied, it works on its own copy; backed up, it comes
back verified; a backup altered in any file is refused, naming the file."""

import hashlib
import io
import json
import shutil
import sqlite3
import stat
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.backup import MANIFEST, backup_instance, restore_instance
from parley.cli.main import app
from parley.domain.accounts.accounts import Actor
from parley.domain.errors import BackupRefused, InstanceExists, InvalidConfig
from parley.instance import CONFIG_FILE, init_instance, load_config, open_instance
from parley.interchange.keys import PRIVATE_KEY_FILE
from parley.services import registry
from parley.services.accounts import audit
from tests.conftest import ADMIN_PASSWORD
from tests.factories import a_person


def _persons(directory: Path) -> int:
    instance = open_instance(directory)
    try:
        with instance.uow() as uow:
            return uow.persons.count()
    finally:
        instance.close()


@pytest.fixture
def folder(tmp_path: Path, admin: Actor) -> Path:
    instance, _ = init_instance(tmp_path / "ua", "UA", "HQ", None, ADMIN_PASSWORD)
    registry.register_person(instance.uow(), admin, a_person("Мельник"))
    instance.close()
    return tmp_path / "ua"


def test_the_config_holds_a_path_relative_to_the_folder(folder: Path) -> None:
    assert load_config(folder).database_url == "sqlite:///parley.db"


def test_a_copied_folder_works_on_its_own_copy(folder: Path, tmp_path: Path, admin: Actor) -> None:
    copy = tmp_path / "moved" / "ua-copy"
    shutil.copytree(folder, copy)
    instance = open_instance(copy)
    registry.register_person(instance.uow(), admin, a_person("Коваль"))
    instance.close()
    assert (_persons(copy), _persons(folder)) == (2, 1)


def test_an_old_absolute_config_still_opens_and_its_copy_is_not_silently_shared(
    folder: Path, tmp_path: Path
) -> None:
    config = folder / CONFIG_FILE
    absolute = f"sqlite:///{folder / 'parley.db'}"
    config.write_text(config.read_text().replace("sqlite:///parley.db", absolute))
    assert _persons(folder) == 1
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with pytest.raises(InvalidConfig, match="parley upgrade"):
        open_instance(copy)
    assert CliRunner().invoke(app, ["upgrade", "--instance", str(copy)]).exit_code == 0
    assert load_config(copy).database_url == "sqlite:///parley.db"
    assert _persons(copy) == 1


def test_backup_restore_and_verify(folder: Path, tmp_path: Path, admin: Actor) -> None:
    runner = CliRunner()
    archive = tmp_path / "backups" / "ua.tar.gz"
    result = runner.invoke(app, ["backup", str(folder), str(archive)])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(archive.read_bytes()).hexdigest() in result.output
    restored = tmp_path / "elsewhere" / "ua"
    result = runner.invoke(app, ["restore", str(archive), str(restored)])
    assert result.exit_code == 0, result.output
    assert "audit log intact" in result.output
    assert stat.S_IMODE((restored / PRIVATE_KEY_FILE).stat().st_mode) == 0o600
    assert (restored / PRIVATE_KEY_FILE).read_bytes() == (folder / PRIVATE_KEY_FILE).read_bytes()
    assert (restored / "trust.json").read_bytes() == (folder / "trust.json").read_bytes()
    assert _persons(restored) == 1
    instance = open_instance(restored)
    try:
        assert audit.verify(instance.uow(), admin).ok
        with instance.uow() as uow:
            assert [e.action for e in uow.audit.walk()][-2] == "instance.restored"
    finally:
        instance.close()
    again = runner.invoke(app, ["restore", str(archive), str(restored)])
    assert again.exit_code != 0 and "instance_exists" in again.output


def _rewrite(archive: Path, target: Path, change: dict[str, bytes], manifest_too: bool) -> None:
    with tarfile.open(archive, "r:gz") as source:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers()]  # type: ignore[union-attr]
    manifest = json.loads(members[0][1])
    for entry in manifest["files"]:
        if manifest_too and entry["path"] in change:
            entry["sha256"] = hashlib.sha256(change[entry["path"]]).hexdigest()
            entry["size"] = len(change[entry["path"]])
    with tarfile.open(target, "w:gz") as out:
        for member, data in members:
            name = member.name.removeprefix("instance/")
            if member.name == MANIFEST:
                data = json.dumps(manifest).encode()
            elif name in change:
                data = change[name]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def test_a_tampered_backup_is_refused_naming_the_file(folder: Path, tmp_path: Path) -> None:
    archive = tmp_path / "ua.tar.gz"
    backup_instance(folder, archive)
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(archive, tampered, {"trust.json": b'{"keys": ["evil"]}'}, manifest_too=False)
    with pytest.raises(BackupRefused, match=r"^trust\.json: differs from the manifest"):
        restore_instance(tampered, tmp_path / "r1")
    assert not (tmp_path / "r1").exists()
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def test_an_altered_audit_log_is_refused_even_with_a_matching_manifest(
    folder: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "ua.tar.gz"
    backup_instance(folder, archive)
    with tarfile.open(archive, "r:gz") as source:
        database = source.extractfile("instance/parley.db").read()  # type: ignore[union-attr]
    edited = tmp_path / "edited.db"
    edited.write_bytes(database)
    with sqlite3.connect(edited) as connection:
        connection.execute("UPDATE audit_log SET actor = 'cli:nobody' WHERE seq = 2")
    connection.close()
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(archive, tampered, {"parley.db": edited.read_bytes()}, manifest_too=True)
    with pytest.raises(BackupRefused, match=r"^parley\.db: the audit chain is broken at entry 2"):
        restore_instance(tampered, tmp_path / "r2")


@pytest.mark.parametrize("content", [b"", b"not a backup", b"\x1f\x8b\x08\x00broken"])
def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(content)
    with pytest.raises(BackupRefused, match=r"bad\.tar\.gz"):
        restore_instance(bad, tmp_path / "r")


def test_restore_never_overwrites_and_backup_needs_sqlite(folder: Path, tmp_path: Path) -> None:
    archive = tmp_path / "ua.tar.gz"
    backup_instance(folder, archive)
    with pytest.raises(InstanceExists):
        restore_instance(archive, folder)
    with pytest.raises(BackupRefused, match="exists"):
        backup_instance(folder, archive)
    config = folder / CONFIG_FILE
    config.write_text(
        config.read_text().replace("sqlite:///parley.db", "postgresql+psycopg://h/db")
    )
    with pytest.raises(BackupRefused, match="pg_dump"):
        backup_instance(folder, tmp_path / "pg.tar.gz")


def test_a_backup_written_into_the_folder_leaves_itself_out(folder: Path, tmp_path: Path) -> None:
    archive = folder / "backups" / "ua.tar.gz"
    report = backup_instance(folder, archive)
    with tarfile.open(archive, "r:gz") as source:
        names = source.getnames()
    assert not [n for n in names if "backups/" in n or ".parley-backup-" in n]
    assert restore_instance(archive, tmp_path / "back").audit_entries == report.audit_entries
