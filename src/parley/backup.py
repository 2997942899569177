"""Backing up and restoring an instance folder: `parley backup DIR FILE`, `parley restore FILE DIR`.

A backup is one `.tar.gz`: `manifest.json` first, then the folder under `instance/`. The
database is a consistent copy taken with SQLite's online backup API, so a running instance can
be backed up; beside it every other file of the folder (parley.toml, the signing keys and
retired keys with their owner-only modes, the trust store, categories.toml, ...). The manifest
lists each file's SHA-256, size and mode, and a checkpoint of the audit log: its number of
entries and the last entry's hash.

A restore goes into a new folder only. It checks every file against the manifest (a file
altered, missing or unlisted refuses the backup, naming the file), opens the database, walks the
whole audit chain and compares it with the checkpoint, and only then moves the folder into
place and records the restore in the audit log. PostgreSQL instances are backed up with
`pg_dump` (docs/operations.md); `parley backup` says so rather than copy half an instance.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import stat
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from parley.domain.accounts.accounts import SYSTEM
from parley.domain.accounts.audit import AuditRecord, verify_chain
from parley.domain.errors import BackupRefused, InstanceExists
from parley.domain.paging import PageRequest
from parley.instance import (
    CONFIG_FILE,
    DEFAULT_DATABASE_URL,
    load_config,
    open_instance,
    sqlite_path,
    upgrade_instance,
)

FORMAT = "parley-backup/1"
MANIFEST = "manifest.json"
PREFIX = "instance/"
DATABASE = "parley.db"
_NOT_COPIED = {DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal"}
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupReport:
    file: Path
    sha256: str
    files: int
    audit_entries: int


@dataclass(frozen=True)
class RestoreReport:
    directory: Path
    files: int
    audit_entries: int


def backup_instance(directory: Path, target: Path) -> BackupReport:
    config = load_config(directory)
    database = sqlite_path(config.database_url_in(directory))
    if database is None:
        raise BackupRefused(
            "parley backup covers SQLite instances; back up a PostgreSQL database with "
            "pg_dump and the folder's files with any copy tool (see docs/operations.md)"
        )
    if target.exists():
        raise BackupRefused(f"{target} exists; give the backup a new file name")
    if not Path(database).exists():
        raise BackupRefused(f"the database {database} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".parley-backup-") as work:
        snapshot = Path(work) / DATABASE
        _online_copy(Path(database), snapshot)
        checkpoint = _checkpoint(snapshot)
        files: dict[str, tuple[Path | bytes, int]] = {DATABASE: (snapshot, 0o600)}
        for path in sorted(directory.rglob("*")):
            relative = path.relative_to(directory).as_posix()
            if not path.is_file() or path.is_symlink() or relative in _NOT_COPIED:
                continue
            if path.resolve() == target.resolve() or path.is_relative_to(work):
                continue  # a backup written into the folder it backs up
            files[relative] = (path, stat.S_IMODE(path.stat().st_mode))
        # The copy's config points at its own database, wherever the original's was.
        toml = replace(config, database_url=DEFAULT_DATABASE_URL).to_toml()
        files[CONFIG_FILE] = (toml.encode(), files[CONFIG_FILE][1])
        entries = [
            {"path": name, **_digest(source), "mode": f"{mode:04o}"}
            for name, (source, mode) in files.items()
        ]
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "party": config.party,
            "name": config.name,
            "audit": checkpoint,
            "files": entries,
        }
        partial = Path(work) / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            _add(archive, MANIFEST, json.dumps(manifest, indent=2).encode(), 0o600)
            for name, (source, mode) in files.items():
                _add(archive, PREFIX + name, source, mode)
        os.replace(partial, target)
    return BackupReport(target, _digest(target)["sha256"], len(files), checkpoint["entries"])


def _online_copy(database: Path, snapshot: Path) -> None:
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(snapshot)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()


def _checkpoint(database: Path) -> dict[str, Any]:
    connection = sqlite3.connect(database)
    try:
        count, last = connection.execute("SELECT count(*), max(seq) FROM audit_log").fetchone()
        head = (
            connection.execute("SELECT hash FROM audit_log WHERE seq = ?", (last,)).fetchone()
            if last is not None
            else None
        )
    finally:
        connection.close()
    return {"entries": count, "last_seq": last or 0, "last_hash": head[0] if head else ""}


def _digest(source: Path | bytes) -> dict[str, Any]:
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
        return {"sha256": digest.hexdigest(), "size": len(source)}
    size = 0
    with source.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _add(archive: tarfile.TarFile, name: str, source: Path | bytes, mode: int) -> None:
    info = tarfile.TarInfo(name)
    info.mode = mode
    info.mtime = int(datetime.now(UTC).timestamp())
    if isinstance(source, bytes):
        info.size = len(source)
        archive.addfile(info, io.BytesIO(source))
        return
    info.size = source.stat().st_size
    with source.open("rb") as handle:
        archive.addfile(info, handle)


def restore_instance(backup: Path, directory: Path) -> RestoreReport:
    if (directory / CONFIG_FILE).exists() or (directory.exists() and any(directory.iterdir())):
        raise InstanceExists(f"{directory} is not empty; restore into a new folder")
    if not backup.is_file():
        raise BackupRefused(f"{backup} is not a file")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.parent / f".{directory.name}.restoring-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        manifest, count = _unpack(backup, staging)
        entries = _verify_database(staging, manifest["audit"])
        if directory.exists():
            directory.rmdir()
        staging.rename(directory)
        os.chmod(directory, 0o700)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestoreReport(directory, count, entries)


def _unpack(backup: Path, staging: Path) -> tuple[dict[str, Any], int]:
    try:
        with tarfile.open(backup, "r:gz") as archive:
            manifest = _manifest(archive)
            expected = {entry["path"]: entry for entry in manifest["files"]}
            seen: set[str] = set()
            for member in archive:
                if member.name == MANIFEST:
                    continue
                name = _member_name(member)
                if name not in expected:
                    raise BackupRefused(f"{name}: in the backup but not in its manifest")
                if name in seen:
                    raise BackupRefused(f"{name}: in the backup twice")
                seen.add(name)
                _extract(archive, member, name, expected[name], staging)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupRefused(f"{backup.name}: not a readable Parley backup: {exc}") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupRefused(f"{missing[0]}: in the manifest but missing from the backup")
    return manifest, len(seen)


def _manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        assert handle is not None
        manifest = json.loads(handle.read(10 * _CHUNK))
        files = manifest["files"]
        audit = manifest["audit"]
        if manifest["format"] != FORMAT or not isinstance(files, list):
            raise ValueError(f"format {manifest['format']!r}")
        for entry in files:
            str(entry["path"]), str(entry["sha256"]), int(entry["size"]), int(entry["mode"], 8)
        int(audit["entries"]), int(audit["last_seq"]), str(audit["last_hash"])
    except (KeyError, ValueError, TypeError, AssertionError) as exc:
        raise BackupRefused(f"{MANIFEST}: missing or not a Parley backup manifest ({exc})") from exc
    if not isinstance(manifest, dict):
        raise BackupRefused(f"{MANIFEST}: not a Parley backup manifest")
    return manifest


def _member_name(member: tarfile.TarInfo) -> str:
    name = member.name
    path = PurePosixPath(name[len(PREFIX) :])
    if (
        not name.startswith(PREFIX)
        or not member.isfile()
        or path.is_absolute()
        or ".." in path.parts
        or not path.parts
    ):
        raise BackupRefused(f"{name}: not a file of an instance folder")
    return path.as_posix()


def _extract(
    archive: tarfile.TarFile,
    member: tarfile.TarInfo,
    name: str,
    entry: dict[str, Any],
    staging: Path,
) -> None:
    source = archive.extractfile(member)
    assert source is not None
    path = staging / name
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > int(entry["size"]):
                break
            digest.update(chunk)
            target.write(chunk)
    if size != int(entry["size"]) or digest.hexdigest() != entry["sha256"]:
        raise BackupRefused(
            f"{name}: differs from the manifest (SHA-256 or size): the backup was altered "
            "or damaged; nothing was restored"
        )
    os.chmod(path, int(entry["mode"], 8) & 0o777)


def _verify_database(staging: Path, checkpoint: dict[str, Any]) -> int:
    """The whole chain holds, and it is the chain the backup was taken of."""
    upgrade_instance(staging)  # a backup taken by an older Parley
    instance = open_instance(staging)
    try:
        with instance.uow() as uow:
            report = verify_chain(uow.audit.walk())
            if not report.ok:
                first = report.breaks[0]
                raise BackupRefused(
                    f"{DATABASE}: the audit chain is broken at entry {first.entry_id}: "
                    f"{first.reason}"
                )
            newest = uow.audit.recent(PageRequest(0, 1)).items
            last = newest[0] if newest else None
            held = (report.checked, last.seq if last else 0, last.hash if last else "")
            wanted = (checkpoint["entries"], checkpoint["last_seq"], checkpoint["last_hash"])
            if held != wanted:
                raise BackupRefused(
                    f"{DATABASE}: the audit log ({held[0]} entries, last {held[1]}) is not the "
                    f"one the backup was taken of ({wanted[0]} entries, last {wanted[1]})"
                )
            uow.audit.append(
                AuditRecord(SYSTEM.label, "instance.restored", "", (), {"entries": held[0]})
            )
            uow.commit()
        return report.checked
    finally:
        instance.close()
