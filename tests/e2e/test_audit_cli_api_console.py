"""Signed audit checkpoints and key revocation through the CLI, the API and the console
(issue 12, parts 5 and 6)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app
from parley.domain.accounts.accounts import SYSTEM, Role
from parley.instance import Instance
from parley.interchange.keys import fingerprint, public_key_text
from parley.services import accounts
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_third_party_holds_the_cli_to_its_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ua"
    assert run("init", str(directory), "--party", "UA", "--name", "HQ")[0] == 0
    monkeypatch.setenv("PARLEY_INSTANCE", str(directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    held = tmp_path / "held-by-tr.json"

    code, out = run("audit", "checkpoint", "-o", str(held))
    assert code == 0 and "written to" in out and held.exists()
    code, out = run("audit", "checkpoint", "-o", str(held))
    assert code == 1 and "error[invalid_input]" in out  # never overwritten
    code, out = run("audit", "checkpoints")
    assert code == 0 and "own" in out and "1 checkpoints in all" in out
    copy = tmp_path / "copy.json"
    assert run("audit", "checkpoint-file", "1", "-o", str(copy))[0] == 0
    assert copy.read_bytes() == held.read_bytes()
    code, out = run("audit", "verify", "--against", str(held))
    assert code == 0 and "extends 2 signed checkpoints" in out
    code, out = run("audit", "keep", str(held))  # our own key is not in our trust store
    assert code == 1 and "error[checkpoint_refused]" in out and "not trusted for UA" in out

    entries = json.loads(held.read_bytes())["entries"]
    with sqlite3.connect(directory / "parley.db") as connection:  # a forger who is thorough
        connection.execute(f"DELETE FROM audit_log WHERE seq >= {entries}")
        connection.execute("DELETE FROM audit_checkpoints")
    code, out = run("audit", "verify")
    assert code == 0  # the log alone cannot tell
    code, out = run("audit", "verify", "--against", str(held))
    assert code == 5 and "error[audit_log_rewritten]" in out and "rewritten at or before" in out

    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "parley.checkpoint/1"}')
    code, out = run("audit", "verify", "--against", str(bad))
    assert code == 1 and "error[checkpoint_refused]" in out and "bad.json" in out


def test_keys_revoke_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "ru"
    assert run("init", str(directory), "--party", "RU", "--name", "HQ")[0] == 0
    monkeypatch.setenv("PARLEY_INSTANCE", str(directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    key = Ed25519PrivateKey.generate().public_key()
    key_file = tmp_path / "ua.pub"
    key_file.write_text(public_key_text(key))
    assert run("trust", "add", str(key_file), "--party", "UA")[0] == 0

    code, out = run("keys", "revoke", "0000:0000", "--reason", "x")
    assert code != 0 and "error[key_not_found]" in out
    code, out = run("keys", "revoke", fingerprint(key), "--reason", "seized laptop")
    assert code == 0 and "revoked UA key" in out
    code, out = run("keys", "revoke", fingerprint(key), "--reason", "again")
    assert "error[key_already_revoked]" in out
    code, out = run("trust", "list")
    assert code == 0 and "revoked" in out


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def _token(instance: Instance, username: str) -> dict[str, str]:
    issued = accounts.issue_token(instance.uow(), SYSTEM, username, "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def test_checkpoints_and_revocation_through_the_api(
    client: TestClient, sqlite_instance: Instance
) -> None:
    make_account(sqlite_instance, "auditor", Role.AUDITOR)
    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    admin, auditor = _token(sqlite_instance, "admin"), _token(sqlite_instance, "auditor")
    coordinator = _token(sqlite_instance, "coord")

    made = client.post("/api/v1/audit/checkpoints", headers=auditor)
    assert made.status_code == 201, made.text
    checkpoint = made.json()["checkpoint"]
    assert checkpoint["schema"] == "parley.checkpoint/1" and checkpoint["party"] == "UA"
    assert client.post("/api/v1/audit/checkpoints", headers=coordinator).status_code == 403
    listed = client.get("/api/v1/audit/checkpoints", headers=auditor).json()
    assert listed["total"] == 1 and listed["items"][0]["source"] == "own"
    raw = client.get(f"/api/v1/audit/checkpoints/{made.json()['id']}", headers=auditor)
    assert json.loads(raw.content) == checkpoint
    missing = client.get("/api/v1/audit/checkpoints/999", headers=auditor)
    assert missing.status_code == 404 and missing.json()["code"] == "checkpoint_not_found"

    mine = {"checkpoint": checkpoint}  # our own key is not in our trust store
    kept = client.post("/api/v1/audit/checkpoints/kept", json=mine, headers=admin)
    assert kept.status_code == 400 and kept.json()["code"] == "checkpoint_refused"
    verified = client.post("/api/v1/audit/verify", json={"against": [checkpoint]}, headers=auditor)
    assert verified.json()["ok"] and verified.json()["checkpoints"] == 2
    for hostile in (
        {"schema": "x"},
        {**checkpoint, "entries": 2**70},
        {**checkpoint, "entries": 1},
    ):
        refused = client.post("/api/v1/audit/verify", json={"against": [hostile]}, headers=admin)
        assert refused.status_code == 400 and refused.json()["code"] == "checkpoint_refused"

    with sqlite3.connect(sqlite_instance.directory / "parley.db") as connection:
        connection.execute(f"DELETE FROM audit_log WHERE seq >= {checkpoint['entries']}")
    broken = client.post("/api/v1/audit/verify", json={"against": [checkpoint]}, headers=admin)
    assert not broken.json()["ok"] and broken.json()["rewritten"]

    key = Ed25519PrivateKey.generate().public_key()
    sqlite_instance.trust_store.add("RU", "RU HQ", public_key_text(key))
    body = {"fingerprint": fingerprint(key), "reason": "compromised"}
    assert client.post("/api/v1/trust/revoke", json=body, headers=coordinator).status_code == 403
    revoked = client.post("/api/v1/trust/revoke", json=body, headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_reason"] == "compromised"
    again = client.post("/api/v1/trust/revoke", json=body, headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "key_already_revoked"
    keys = client.get("/api/v1/trust", headers=coordinator).json()
    assert [k["revoked_at"] != "" for k in keys] == [True]


def test_the_audit_page_signs_lists_and_verifies_against_a_checkpoint(
    client: TestClient,
) -> None:
    page = log_in(client, "admin", ADMIN_PASSWORD)
    page = client.get("/audit").text
    assert "Signed checkpoints" in page and "No checkpoint yet." in page
    made = client.post("/audit/checkpoint", data={"csrf_token": csrf_of(page)})
    assert made.status_code == 200 and "attachment" in made.headers["content-disposition"]
    assert json.loads(made.content)["schema"] == "parley.checkpoint/1"
    page = client.get("/audit").text
    assert "/audit/checkpoints/1" in page
    assert client.get("/audit/checkpoints/1").content == made.content

    verified = client.post(
        "/audit/verify",
        data={"csrf_token": csrf_of(page)},
        files={"against": ("held.json", made.content, "application/json")},
    )
    assert verified.status_code == 200 and "It extends 2 signed checkpoints." in verified.text
    refused = client.post(
        "/audit/verify",
        data={"csrf_token": csrf_of(page)},
        files={"against": ("forged.json", b"{}", "application/json")},
    )
    assert refused.status_code == 422 and "Checkpoint refused" in refused.text
    plain = client.post("/audit/verify", data={"csrf_token": csrf_of(page)})
    assert plain.status_code == 200 and "Intact" in plain.text


def test_the_trust_page_shows_standing_and_lets_an_admin_revoke(
    client: TestClient, sqlite_instance: Instance
) -> None:
    key = Ed25519PrivateKey.generate().public_key()
    sqlite_instance.trust_store.add("RU", "RU HQ", public_key_text(key))
    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    page = log_in(client, "coord", ADMIN_PASSWORD)
    listing = client.get("/trust").text
    assert fingerprint(key) in listing and "in use" in listing and "Revoke" not in listing
    client.post("/logout", data={"csrf_token": csrf_of(page)})
    log_in(client, "admin", ADMIN_PASSWORD)
    page = client.get("/trust").text
    revoked = client.post(
        "/trust/revoke",
        data={"csrf_token": csrf_of(page), "fingerprint": fingerprint(key), "reason": "seized"},
    )
    assert revoked.status_code == 200 and "revoked" in revoked.text and "seized" in revoked.text
    assert sqlite_instance.trust_store.trusted()[0].revoked_at
