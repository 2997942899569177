"""Agreements through each door: the CLI (including the round report), the API with its
permissions, the console pages and the public page (counts only, no names)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Role
from parley.domain.exchange.handover import StageOutcome
from parley.domain.exchange.stages import Parity
from parley.instance import Instance, open_instance
from parley.scenarios.agreements import record_istanbul
from parley.services import accounts
from parley.services import exchange as stages
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in
from tests.integration.test_stages_service import ADMIN, ON, PEOPLE, WOUNDED, YOUNG, populate

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def _pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


@pytest.fixture
def instance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "ua"
    code, out = run("init", str(directory), "--party", "UA", "--name", "HQ")
    assert code == 0, out
    monkeypatch.setenv("PARLEY_INSTANCE", str(directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    opened = open_instance(directory)
    try:
        record_istanbul(opened.uow, ADMIN)
    finally:
        opened.close()
    return directory


def test_cli_compare_commitments_as_of_and_the_round_report(
    instance_dir: Path, tmp_path: Path
) -> None:
    code, out = run("agreement", "compare", "-t", "alliances_neutrality", "--json")
    assert code == 0, out
    view = json.loads(out)
    assert {p["party"] for ps in view["topics"][0]["points"].values() for p in ps} == {"UA", "RU"}
    code, out = run("agreement", "commitments", "--round", "2", "--as-of", "2025-07-31", "--json")
    assert code == 0, out
    found = {c["label"]: c for c in json.loads(out)}
    assert found["6,000 bodies"]["status"] == "disputed"  # no batch recorded in this instance
    assert found["All for all: wounded and sick, aged 18-25"]["claims"][0]["value"] == 1000
    code, out = run("agreement", "claim", "5", "--party", "RU", "--value", "1200",
                    "--on", "2025-08-24", "--source", "RU MoD")  # fmt: skip
    assert code == 0, out
    for language in ("en", "uk"):
        target = tmp_path / f"round-2-{language}.pdf"
        code, out = run("report", "round", "2", "-o", str(target), "--as-of", "2025-07-31",
                        "-l", language)  # fmt: skip
        assert code == 0, out
        text = _pdf_text(target.read_bytes())
        assert "6,000" in text
        assert ("Раунд 2" in text) == (language == "uk")
    md = tmp_path / "round-2.md"
    code, out = run("report", "round", "2", "-o", str(md), "--as-of", "2025-07-31")
    assert code == 0 and "## Proposals and their fate" in md.read_text()
    code, out = run("report", "round", "9", "-o", str(md))
    assert code == 1 and "error[round_not_found]" in out  # a NotFound: exit 1, its own code
    memo = tmp_path / "memo.json"
    memo.write_text(json.dumps({
        "party": "UA", "round_number": 3, "title": "Working groups", "presented_on": "2025-07-23",
        "sections": [{"number": 1, "title": "Humanitarian"}],
        "points": [{"section": 1, "number": 1, "text": "Three online working groups.",
                    "topics": ["sequencing", "prisoners"], "stance": "supports",
                    "position": "working_groups"}],
    }))  # fmt: skip
    code, out = run("agreement", "add-memorandum", str(memo))
    assert code == 0 and "memorandum 3 recorded: UA, 1 points" in out
    memo.write_text(json.dumps({"party": "UA", "title": "x", "presented_on": "2025-07-23",
                                "sections": [{"number": 1, "title": "s"}],
                                "points": [{"section": 2, "number": 1, "text": "t",
                                            "topics": ["weather"]}]}))  # fmt: skip
    code, out = run("agreement", "add-memorandum", str(memo))
    assert code == 1 and "error[invalid_input]" in out
    bundle = tmp_path / "ua-memorandum.json"
    code, out = run("agreement", "export", "memorandum", "1", "--to", "TR", "-o", str(bundle))
    assert code == 0 and json.loads(bundle.read_bytes())["kind"] == "agreement"


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    record_istanbul(sqlite_instance.uow, ADMIN)
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def _token(instance: Instance, username: str) -> dict[str, str]:
    issued = accounts.issue_token(instance.uow(), SYSTEM, username, "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def test_api_reads_for_analysts_records_for_coordinators_and_follows_the_records(
    sqlite_instance: Instance, client: TestClient
) -> None:
    make_account(sqlite_instance, "analyst", Role.ANALYST)
    make_account(sqlite_instance, "coordinator", Role.COORDINATOR)
    analyst, coordinator = (
        _token(sqlite_instance, "analyst"),
        _token(sqlite_instance, "coordinator"),
    )
    assert client.get("/api/v1/agreements/rounds").status_code == 401
    assert len(client.get("/api/v1/agreements/rounds", headers=analyst).json()) == 3
    side = client.get(
        "/api/v1/agreements/side-by-side?topic=ceasefire&topic=alliances_neutrality",
        headers=analyst,
    ).json()
    ceasefire = next(t for t in side["topics"] if t["topic"] == "ceasefire")
    assert {"option 1", "option 2"} <= {p["option"] for p in ceasefire["points"]["RU"]}
    claim = {"party": "UA", "value": 5, "claimed_on": "2025-08-01", "source": "test"}
    refused = client.post("/api/v1/agreements/commitments/5/claims", json=claim, headers=analyst)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    kept = client.post("/api/v1/agreements/commitments/5/claims", json=claim, headers=coordinator)
    assert kept.status_code == 201 and kept.json()["claims"][0]["value"] == 5
    bad = {**claim, "party": "Ukraine!"}
    assert (
        client.post(
            "/api/v1/agreements/commitments/5/claims", json=bad, headers=coordinator
        ).json()["code"]
        == "invalid_input"
    )

    def all_for_all(day: str) -> dict[str, object]:
        found: dict[str, object] = client.get(
            f"/api/v1/agreements/commitments/2?as_of={day}", headers=analyst
        ).json()
        return found

    assert all_for_all("2025-07-31")["value"] == 0
    for terms in ({"duration_days": "a month"}, {"domains": ["space"]}):
        bad_proposal = {"kind": "ceasefire", "party": "UA", "title": "t",
                        "proposed_on": "2025-06-02", "source": "s", "terms": terms}  # fmt: skip
        answer = client.post("/api/v1/agreements/proposals", json=bad_proposal, headers=coordinator)
        assert answer.status_code == 400 and answer.json()["code"] == "invalid_input"
    populate(sqlite_instance)
    plan = stages.plan(
        sqlite_instance.uow(), ADMIN, "UA", "Stage 1", ON, (WOUNDED, YOUNG), 10,
        Parity.EQUAL_PER_CATEGORY,
    )  # fmt: skip
    stages.record_outcomes(
        sqlite_instance.uow(), ADMIN, plan.summary.id, {}, ON,
        everyone_else=StageOutcome.TRANSFERRED,
    )  # fmt: skip
    assert all_for_all("2025-07-31")["by_side"] == {"RU": 3, "UA": 3}
    assert all_for_all("2025-06-08")["value"] == 0
    svg = client.get(
        "/api/v1/agreements/commitments/2?format=svg&as_of=2025-07-31", headers=analyst
    )
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    pdf = client.get("/api/v1/agreements/rounds/2/report?format=pdf&language=uk", headers=analyst)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    public = client.get("/api/v1/public/agreements?as_of=2025-07-31").json()
    shown = {c["label"]: c for c in public["commitments"]}
    assert shown["All for all: wounded and sick, aged 18-25"]["figure"] == "< 10"
    assert all(r["delegations"] == [] for r in public["rounds"])


def test_console_pages_and_a_public_page_without_names(
    sqlite_instance: Instance, client: TestClient
) -> None:
    populate(sqlite_instance)
    public = client.get("/public")
    assert public.status_code == 200
    assert "1,000 for 1,000" in public.text and "6,057" in public.text
    for surname, given, *_rest in (v[1:] for v in PEOPLE.values()):
        assert surname not in public.text and given not in public.text
    assert "Umerov" not in public.text
    make_account(sqlite_instance, "analyst", Role.ANALYST)
    log_in(client, "analyst", ADMIN_PASSWORD)
    page = client.get("/agreements?as_of=2025-07-31")
    assert page.status_code == 200 and "All for all" in page.text
    topics = client.get("/agreements/side-by-side?topic=alliances_neutrality")
    assert "Neutrality of Ukraine" in topics.text and "No obligation of neutrality" in topics.text
    assert "exclude each other" in topics.text
    proposals = client.get("/agreements/proposals")
    assert "option 1" in proposals.text and "option 2" in proposals.text
    shown = client.get("/agreements/commitments/2?as_of=2025-07-31")
    assert shown.status_code == 200 and "<svg" in shown.text and "Keep a claim" not in shown.text
    report = client.get("/agreements/rounds/2?as_of=2025-07-31")
    assert report.status_code == 200 and "Proposals and their fate" in report.text
    client.post("/language", data={"language": "uk", "back": "/agreements",
                                   "csrf_token": csrf_of(page.text)})  # fmt: skip
    assert "Зобов'язання" in client.get("/agreements").text
    pdf = client.get("/agreements/rounds/2/report.pdf?as_of=2025-07-31")
    assert pdf.content.startswith(b"%PDF") and "Раунд 2" in _pdf_text(pdf.content)


def test_a_coordinator_keeps_a_claim_through_the_console(
    sqlite_instance: Instance, client: TestClient
) -> None:
    make_account(sqlite_instance, "coordinator", Role.COORDINATOR)
    log_in(client, "coordinator", ADMIN_PASSWORD)
    page = client.get("/agreements/commitments/5")
    assert "Keep a claim" in page.text
    form = {"csrf_token": csrf_of(page.text), "party": "RU", "value": "1200",
            "claimed_on": date(2025, 8, 24).isoformat(), "source": "RU MoD"}  # fmt: skip
    done = client.post("/agreements/commitments/5/claims", data=form)
    assert done.status_code == 200 and "RU MoD" in done.text
    form["party"] = "?"
    refused = client.post("/agreements/commitments/5/claims", data=form)
    assert refused.status_code == 422
