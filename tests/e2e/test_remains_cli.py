"""`parley remains ...` over an instance: a batch, custody, a body, and the second person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.cli.main import app

runner = CliRunner()
PASSWORD = "pw-1234567890ab"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def instance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "ua"
    code, out = run("init", str(directory), "--party", "UA", "--name", "HQ")
    assert code == 0, out
    monkeypatch.setenv("PARLEY_INSTANCE", str(directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    for name in ("ana", "boris"):
        code, out = run("account", "add", name, "--role", "forensic", "--password", PASSWORD)
        assert code == 0, out
    return directory


def test_cli_batch_body_and_second_person(instance_dir: Path) -> None:
    code, out = run(
        "remains", "batch", "--on", "2025-06-13", "--place", "border", "--from", "RU",
        "--to", "UA", "--declared", "1200", "--received", "1198", "--intermediary", "ICRC",
    )  # fmt: skip
    assert code == 0 and "difference -2" in out, out
    code, out = run(
        "remains", "custody", "1", "--bag", "b1", "--received-by", "ICRC",
        "--at", "2025-06-13T09:00:00+00:00", "--place", "border", "--seal", "S1",
    )  # fmt: skip
    assert code == 0 and "1 handoffs" in out, out
    assert run("remains", "body", "1", "UA-1", "--bag", "b1", "-u", "ana")[0] == 0
    for status in ("sampled", "profiled"):
        assert run("remains", "step", "UA-1", status, "-u", "ana")[0] == 0
    for status in ("candidate", "preliminary"):
        assert run("remains", "step", "UA-1", status, "--missing", "P-3", "-u", "ana")[0] == 0
    code, out = run("remains", "step", "UA-1", "confirmed", "--missing", "P-3", "-u", "ana")
    assert code != 0 and "second_person_required" in out
    code, out = run("remains", "step", "UA-1", "confirmed", "--missing", "P-3", "-u", "boris")
    assert code == 0, out
    shown = json.loads(run("remains", "show", "UA-1", "--json")[1])
    assert shown["status"] == "confirmed"
    listed = json.loads(run("remains", "batches", "--json")[1])
    assert listed[0]["flagged"] and listed[0]["bodies_registered"] == 1


ORACLE = Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "dvir"


@pytest.mark.skipif(not ORACLE.is_dir(), reason=f"dvir oracle not found at {ORACLE}")
def test_cli_screens_a_case_into_a_batch(instance_dir: Path) -> None:
    code, out = run(
        "remains", "batch", "--on", "2025-06-11", "--place", "border", "--from", "RU",
        "--to", "UA", "--declared", "3", "--received", "3",
    )  # fmt: skip
    assert code == 0, out
    code, out = run("remains", "screen", "1", "--dir", str(ORACLE / "example1" / "input"))
    assert code == 0 and "V1: candidate M2" in out, out
    code, out = run("remains", "show", "V1")
    assert "candidate M2: LR 20, exclusions 0" in out and "example1" in out, out
