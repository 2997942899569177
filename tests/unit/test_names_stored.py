"""The derived name tables kept on disk: read back when sound, rebuilt when not, never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.names import dictionaries, lexicon, stored
from parley.names.roles import NamePart


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path))
    return tmp_path


def counting_build(calls: list[int]) -> stored.Table:
    calls.append(1)
    return {"опанас": ["афанасий"], "хома": ["фома", "хома"]}


def test_a_table_is_built_once_then_read(cache_dir: Path) -> None:
    calls: list[int] = []
    first = stored.table("t", lambda: counting_build(calls))
    second = stored.table("t", lambda: counting_build(calls))
    assert first == second == {"опанас": ["афанасий"], "хома": ["фома", "хома"]}
    assert len(calls) == 1
    (written,) = cache_dir.iterdir()
    assert written.name == f"t-{stored.fingerprint()}.json"
    assert not list(cache_dir.glob("*.tmp"))


@pytest.mark.parametrize(
    "content",
    ['{"a": ["b"', "[1, 2]", '{"a": "b"}', '{"a": [1]}', "\x00\xff", '{"a": [null]}'],
    ids=["truncated", "list", "string-value", "number-item", "binary", "null-item"],
)
def test_a_damaged_or_misshapen_file_is_rebuilt(cache_dir: Path, content: str) -> None:
    path = cache_dir / f"t-{stored.fingerprint()}.json"
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    calls: list[int] = []
    assert stored.table("t", lambda: counting_build(calls))["хома"] == ["фома", "хома"]
    assert len(calls) == 1
    assert stored.table("t", lambda: counting_build(calls))["хома"] == ["фома", "хома"]
    assert len(calls) == 1, "the rebuilt table replaced the damaged file"


def test_turned_off_builds_every_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PARLEY_CACHE_DIR", "off")
    calls: list[int] = []
    stored.table("t", lambda: counting_build(calls))
    stored.table("t", lambda: counting_build(calls))
    assert len(calls) == 2


def test_a_folder_that_is_a_file_costs_only_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(blocker))
    calls: list[int] = []
    assert stored.table("t", lambda: counting_build(calls))["опанас"] == ["афанасий"]
    assert stored.table("t", lambda: counting_build(calls))["опанас"] == ["афанасий"]
    assert len(calls) == 2


@pytest.mark.parametrize("role", [NamePart.GIVEN, NamePart.PATRONYMIC])
def test_the_lexicon_read_back_is_the_lexicon_built(role: NamePart) -> None:
    """Whatever the cache held when this ran, what the lexicon serves is what its rules build."""
    built_links, built_canonical = lexicon._build_lexicon(role)
    served_links, served_canonical = lexicon._lexicon(role)
    assert dict(served_links) == dict(built_links)
    assert dict(served_canonical) == dict(built_canonical)


@pytest.mark.parametrize("role", list(NamePart))
def test_the_dictionaries_read_back_are_the_dictionaries_built(role: NamePart) -> None:
    built = dictionaries._ukrainian_to_russian(role)
    served = dictionaries.ukrainian_to_russian(role)
    assert served == {key: tuple(forms) for key, forms in built.items()}
    inverted = dictionaries._russian_to_ukrainian(role)
    assert dictionaries.russian_to_ukrainian(role) == {k: tuple(v) for k, v in inverted.items()}
