"""Derived name tables kept on disk, so a process does not rebuild them at start-up.

Inverting the names-translator pools and reducing them to keys takes 10–15 seconds of pure
Python every time a process starts (the CLI's first `match run`, every test worker, a server
restart). The result depends only on the pinned names-translator data and on Parley's own
reading rules, so it is written once as JSON under a fingerprint of both and read back in a
fraction of a second. JSON, not pickle: a file in a cache folder must never run code. A file
that is missing, damaged or of the wrong shape is rebuilt, never trusted; a folder that
cannot be written only costs the time it would have cost without it.

The folder is `$PARLEY_CACHE_DIR`, else `$XDG_CACHE_HOME/parley`, else `~/.cache/parley`;
`PARLEY_CACHE_DIR=off` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

Table = dict[str, list[str]]
"""A derived table as stored: a key and the strings it stands for, in order."""

_OFF = "off"


def folder() -> Path | None:
    """Where derived tables are kept, or None when the cache is turned off."""
    chosen = os.environ.get("PARLEY_CACHE_DIR")
    if chosen == _OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "parley"


@cache
def fingerprint() -> str:
    """The names-translator release and the source of Parley's reading rules, hashed.

    Any change to either (a new pinned release, an edited convention) names new files, so
    a table built by other rules is never read.
    """
    digest = hashlib.sha256(metadata.version("names-translator").encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def table(name: str, build: Callable[[], Table]) -> Table:
    """The table `name` as last built under the current fingerprint, built now if need be."""
    where = folder()
    if where is None:
        return build()
    path = where / f"{name}-{fingerprint()}.json"
    found = _read(path)
    if found is not None:
        return found
    built = build()
    _write(path, built)
    return built


def _read(path: Path) -> Table | None:
    try:
        loaded: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(loaded, dict):
        return None
    for values in loaded.values():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
    return loaded


def _write(path: Path, built: Table) -> None:
    """Write atomically (a reader sees the old file or the whole new one), or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(built, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
