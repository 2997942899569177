"""Stages through the three doors: the CLI, the API and the console, on a synthetic registry.

The registry (and its match run) is built once and copied for each test, so every door starts
from the same instance and no test sees another's stages.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Role
from parley.instance import Instance, init_instance, open_instance
from parley.services import accounts, exchange
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in
from tests.integration.test_stages_service import WOUNDED, YOUNG, populate

runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    directory = tmp_path_factory.mktemp("stages") / "ua"
    instance, _ = init_instance(directory, "UA", "UA HQ", None, ADMIN_PASSWORD)
    ids = populate(instance)
    instance.close()
    return directory, ids


@pytest.fixture
def copied(tmp_path: Path, template: tuple[Path, dict[str, int]]) -> Iterator[Instance]:
    target = tmp_path / "ua"
    shutil.copytree(template[0], target)
    # the copy's database URL still names the template's file: point it at the copy
    config = target / "parley.toml"
    config.write_text(config.read_text().replace(str(template[0]), str(target)))
    opened = open_instance(target)
    yield opened
    opened.close()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_cli_plans_records_reconciles_and_counts(
    copied: Instance,
    template: tuple[Path, dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    ids = template[1]
    monkeypatch.setenv("PARLEY_INSTANCE", str(copied.directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    code, out = run(
        "stage", "plan", "--name", "Stage 1", "--on", "2025-06-09", "--capacity", "10",
        "-c", WOUNDED, "-c", YOUNG,
    )  # fmt: skip
    assert code == 0, out
    assert "balanced: yes" in out and "consent refused" in out
    assert re.search(rf"{YOUNG}\s+│\s+2\s+│\s+2", out), out
    code, out = run("stage", "show", "1", "--code", "legal_hold")
    assert code == 0, out
    assert "case 12-345" in out and "refused repatriation" not in out
    code, out = run("stage", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["summary"]["balanced"] and len(shown["release"]) == 3
    code, out = run("stage", "list")
    assert code == 0 and "Stage 1" in out

    bundles = tmp_path / "out"
    code, out = run("stage", "export", "1", "-o", str(bundles))
    assert code == 0, out
    assert sorted(p.name for p in bundles.iterdir()) == [
        "stage-1-expect-manifest-to-RU.json",
        "stage-1-held-back-to-RU.json",
        "stage-1-release-manifest-to-RU.json",
    ]

    code, out = run(
        "stage", "outcome", "1", "--set", f"{ids['R1']}=refused:changed his mind",
        "--all", "transferred",
    )  # fmt: skip
    assert code == 0, out
    assert "6 outcomes recorded (1 refused, 5 transferred)" in out
    code, out = run("stage", "outcome", "1", "--set", f"{ids['R1']}=transferred")
    assert code == 1 and "outcome_already_recorded" in out
    code, out = run("stage", "claim", "1", "--party", "RU", "--count", "3", "--source", "MoD")
    assert code == 0, out
    code, out = run("stage", "reconcile", "1")
    assert code == 0, out
    assert "planned but not transferred" in out and "changed his mind" in out
    assert "+1" in out  # RU says 3 came home, we recorded 2

    chart = tmp_path / "chart.svg"
    code, out = run("stage", "progress", "--on", "2025-06-09", "-o", str(chart))
    assert code == 0, out
    assert chart.read_text().startswith("<svg") and YOUNG in out
    code, out = run("stage", "export", "1", "-o", str(bundles), "--record")
    assert code == 0, out
    record = json.loads((bundles / "stage-1-record-to-RU.json").read_bytes())
    assert record["kind"] == "list" and record["payload"]["list"]["name"] == "Stage 1: executed"


def test_the_api_plans_records_and_reconciles(copied: Instance) -> None:
    token = accounts.issue_token(copied.uow(), SYSTEM, "admin", "tests").secret
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(copied)) as client:
        refused = client.post(
            "/api/v1/stages",
            headers=auth,
            json={"name": "x", "on": "2025-06-09", "categories": ["officers"], "capacity": 5},
        )
        assert refused.status_code == 400 and refused.json()["code"] == "unknown_category"
        planned = client.post(
            "/api/v1/stages",
            headers=auth,
            json={
                "name": "Stage 1",
                "on": "2025-06-09",
                "categories": [WOUNDED, YOUNG],
                "capacity": 10,
                "parity": "equal_totals",
            },
        )
        assert planned.status_code == 201, planned.text
        detail = planned.json()
        stage_id = detail["summary"]["id"]
        assert detail["summary"]["balanced"] and detail["exclusion_counts"]["legal_hold"] == 1
        assert client.get("/api/v1/stages", headers=auth).json()[0]["id"] == stage_id
        shown = client.get(f"/api/v1/stages/{stage_id}", headers=auth).json()
        assert shown["exclusions"] == detail["exclusions"]

        first = detail["release"][0]["person_id"]
        recorded = client.post(
            f"/api/v1/stages/{stage_id}/outcomes",
            headers=auth,
            json={
                "outcomes": [{"person_id": first, "outcome": "absent", "note": "in hospital"}],
                "everyone_else": "transferred",
            },
        )
        assert recorded.status_code == 201, recorded.text
        assert recorded.json()["counts"] == {"absent": 1, "transferred": 5}
        lines = client.get(f"/api/v1/stages/{stage_id}/outcomes", headers=auth).json()
        assert {line["outcome"] for line in lines} == {"absent", "transferred"}
        claim = client.post(
            f"/api/v1/stages/{stage_id}/claims",
            headers=auth,
            json={"party": "UA", "count": 3, "source": "HQ statement"},
        )
        assert claim.status_code == 201 and claim.json()["category"] == "total"
        assert len(client.get(f"/api/v1/stages/{stage_id}/claims", headers=auth).json()) == 1
        report = client.get(f"/api/v1/stages/{stage_id}/reconciliation", headers=auth).json()
        assert [s["outcome"] for s in report["shortfalls"]] == ["absent"]
        assert report["claims"][0]["difference"] == 0

        sent = client.post(f"/api/v1/stages/{stage_id}/manifests", headers=auth)
        assert sent.status_code == 201 and len(sent.json()) == 3  # with the held-back list
        raw = client.get(sent.json()[0]["href"], headers=auth)
        assert raw.status_code == 200 and json.loads(raw.content)["recipient"] == "RU"
        record = client.post(f"/api/v1/stages/{stage_id}/record", headers=auth)
        assert record.status_code == 201 and record.headers["X-Bundle-SHA256"]

        progress = client.get("/api/v1/progress?on=2025-06-09", headers=auth).json()
        assert {r["category"] for r in progress["rows"]} == {WOUNDED, YOUNG}
        svg = client.get("/api/v1/progress?on=2025-06-09&format=svg", headers=auth)
        assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
        assert svg.text.startswith("<svg")


def test_the_console_plans_filters_exclusions_records_the_day_and_draws_progress(
    copied: Instance, template: tuple[Path, dict[str, int]]
) -> None:
    ids = template[1]
    make_account(copied, "coord", Role.COORDINATOR)
    make_account(copied, "analyst", Role.ANALYST)
    with TestClient(create_app(copied)) as client:
        log_in(client, "coord", ADMIN_PASSWORD)
        page = client.get("/stages")
        assert page.status_code == 200 and 'action="/stages"' in page.text
        assert 'href="/stages"' in page.text and 'href="/progress"' in page.text
        bad = client.post(
            "/stages",
            data={"csrf_token": csrf_of(page.text), "name": "S", "on": "2025-06-09",
                  "capacity": "5", "parity": "equal_totals"},
        )  # fmt: skip
        assert bad.status_code == 422 and "at least one agreed category" in bad.text
        made = client.post(
            "/stages",
            data={
                "csrf_token": csrf_of(page.text),
                "name": "Stage 1",
                "on": "2025-06-09",
                "capacity": "10",
                "parity": "equal_per_category",
                "category": [WOUNDED, YOUNG],
                f"order:{YOUNG}": "1",
            },
            follow_redirects=False,
        )
        assert made.status_code == 303, made.text
        where = made.headers["location"]
        planned = exchange.show_stage(copied.uow(), SYSTEM, int(where.rsplit("/", 1)[1]))
        assert planned.summary.categories == [YOUNG, WOUNDED], "the order typed beside them"

        stage = client.get(where)
        assert stage.status_code == 200
        assert "✔ Balanced" in stage.text
        assert "case 12-345" in stage.text and "art. 109" in stage.text
        only = client.get(f"{where}?code=consent_refused")
        assert "art. 109" in only.text and "case 12-345" not in only.text

        recorded = client.post(
            f"{where}/outcomes",
            data={
                "csrf_token": csrf_of(stage.text),
                f"outcome:{ids['R2']}": "died",
                f"note:{ids['R2']}": "died before the handover",
                "everyone_else": "transferred",
                "on": "2025-06-09",
            },
            follow_redirects=False,
        )
        assert recorded.status_code == 303, recorded.text
        after = client.get(where)
        assert "Every outcome is recorded." in after.text
        assert "died before the handover" in after.text
        claimed = client.post(
            f"{where}/claims",
            data={"csrf_token": csrf_of(after.text), "party": "UA", "count": "3",
                  "category": "total", "source": "HQ", "claimed_on": "2025-06-09"},
            follow_redirects=False,
        )  # fmt: skip
        assert claimed.status_code == 303
        signed = client.post(
            f"{where}/manifests", data={"csrf_token": csrf_of(after.text)}, follow_redirects=False
        )
        assert signed.status_code == 303
        record = client.post(f"{where}/record", data={"csrf_token": csrf_of(after.text)})
        assert record.status_code == 200 and json.loads(record.content)["kind"] == "list"

        progress = client.get("/progress?on=2025-06-09")
        assert progress.status_code == 200 and "<svg" in progress.text
        assert "script-src 'self'" in progress.headers["content-security-policy"]
        assert "<script>" not in progress.text.split("<main")[1]

    with TestClient(create_app(copied)) as client:
        log_in(client, "analyst", ADMIN_PASSWORD)
        assert client.get("/progress?on=2025-06-09").status_code == 200
        assert client.get(where).status_code == 403
