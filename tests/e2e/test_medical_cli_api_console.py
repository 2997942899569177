"""Mixed Medical Commissions through each door: the CLI, the API and the console, one flow each.

Doctors and prisoners are invented; visits are dated in 2025 so deadlines can be checked with
`as_of` whatever day the tests run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.instance import Instance
from parley.services import accounts, registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in
from tests.factories import a_person

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
CHAIR, SECOND, DETAINING = "Dr Mirela Vasquez", "Dr Tobias Lindqvist", "Dr Oksana Hrytsenko"
MEMBERS = [
    {"name": CHAIR, "party": "CH", "role": "neutral", "chair": True, "specialty": "surgeon"},
    {"name": SECOND, "party": "SE", "role": "neutral", "specialty": "physician"},
    {"name": DETAINING, "party": "UA", "role": "detaining_power"},
]
runner = CliRunner()


def _prisoner(instance: Instance, surname: str) -> int:
    person = a_person(surname=surname, given="Павел", patronymic="Ильич", side="RU")
    drafts = [EventDraft(EventType.DETAINED, date(2024, 3, 1), Source.OWN_INFORMATION)]
    return registry.register_person(instance.uow(), ADMIN, person, drafts).id


def _pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


# CLI ------------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def instance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "ua"
    code, out = run("init", str(directory), "--party", "UA", "--name", "HQ")
    assert code == 0, out
    monkeypatch.setenv("PARLEY_INSTANCE", str(directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    return directory


def test_cli_commission_examination_deadlines_and_certificate(
    instance_dir: Path, tmp_path: Path
) -> None:
    code, out = run(
        "person", "add", "--surname", "Сорокин", "--given", "Павел", "--side", "RU",
        "--status", "detained", "--status-date", "2024-03-01",
    )  # fmt: skip
    assert code == 0, out
    code, out = run(
        "medical", "commission", "add", "MMC-bad",
        "--member", f"{CHAIR}|CH|neutral|chair",
        "--member", f"{SECOND}|UA|detaining_power",
        "--member", f"{DETAINING}|UA|detaining_power",
    )  # fmt: skip
    assert code == 1 and "error[invalid_commission]" in out
    code, out = run(
        "medical", "commission", "add", "MMC-1",
        "--member", f"{CHAIR}|CH|neutral|chair|surgeon",
        "--member", f"{SECOND}|SE|neutral|physician",
        "--member", f"{DETAINING}|UA|detaining_power",
    )  # fmt: skip
    assert code == 0, out
    assert "commission 1 'MMC-1' set up" in out and "no deputies named" in out
    code, out = run("medical", "commission", "list", "--json")
    assert code == 0 and json.loads(out)[0]["members"][0]["chair"] is True
    code, out = run(
        "medical", "examine", "1", "--commission", "MMC-1", "--visited", "2025-01-10",
        "--findings", "metal fragment on the chest X-ray",
        "--vote", f"{CHAIR}=repatriate", "--vote", f"{SECOND}=repatriate",
        "--vote", f"{DETAINING}=repatriate", "--proposed-by", "detaining_power_doctors",
    )  # fmt: skip
    assert code == 1 and "error[invalid_examination]" in out and "condition" in out
    code, out = run(
        "medical", "examine", "1", "--commission", "MMC-1", "--visited", "2025-01-10",
        "--findings", "metal fragment on the chest X-ray",
        "--condition", "A2: splinter in the lungs",
        "--vote", f"{CHAIR}=repatriate", "--vote", f"{SECOND}=repatriate",
        "--vote", f"{DETAINING}=reject", "--proposed-by", "detaining_power_doctors",
    )  # fmt: skip
    assert code == 0, out
    assert "examination 1" in out and "decision repatriate (2 of 3 votes for repatriate)" in out
    code, out = run("medical", "list", "--overdue", "--as-of", "2025-03-01", "--json")
    assert code == 0, out
    listed = json.loads(out)
    assert listed["overdue"] == 1
    assert listed["items"][0]["overdue"][0] == {
        "what": "notification",
        "due": "2025-02-10",
        "days_late": 19,
    }
    code, out = run("medical", "list", "--as-of", "2025-03-01")
    assert code == 0 and "19d" in out and "1 overdue" in out
    code, out = run("medical", "carried-out", "1", "--on", "2025-02-01")
    assert code == 1 and "error[invalid_examination]" in out
    code, out = run("medical", "notify", "1", "--on", "2025-02-05")
    assert code == 0 and "carry out by 2025-05-05" in out
    code, out = run("medical", "notify", "1", "--on", "2025-02-06")
    assert code == 1 and "error[step_already_recorded]" in out
    code, out = run("medical", "carried-out", "1", "--on", "2025-04-01")
    assert code == 0, out
    code, out = run("medical", "show", "1", "--json")
    assert json.loads(out)["carried_out_on"] == "2025-04-01"
    target = tmp_path / "certificate.pdf"
    code, out = run("medical", "certificate", "1", "-o", str(target), "--issued-on", "2025-01-12")
    assert code == 0, out
    text = _pdf_text(target.read_bytes())
    assert "Сорокин Павел" in text and "REPATRIATE" in text


# API ------------------------------------------------------------------------------------------


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


@pytest.fixture
def auth(sqlite_instance: Instance) -> dict[str, str]:
    issued = accounts.issue_token(sqlite_instance.uow(), SYSTEM, "admin", "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def test_api_commission_examination_steps_and_certificate(
    client: TestClient, auth: dict[str, str], sqlite_instance: Instance
) -> None:
    held = _prisoner(sqlite_instance, "Сорокин")
    other = _prisoner(sqlite_instance, "Мельников")
    assert client.get("/api/v1/commissions").status_code == 401
    bad = [MEMBERS[0], {**MEMBERS[1], "party": "UA", "role": "detaining_power"}, MEMBERS[2]]
    refused = client.post(
        "/api/v1/commissions", json={"name": "MMC-bad", "members": bad}, headers=auth
    )
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_commission"
    made = client.post(
        "/api/v1/commissions", json={"name": "MMC-1", "members": MEMBERS}, headers=auth
    )
    assert made.status_code == 201, made.text
    assert [m["role"] for m in made.json()["members"]] == ["neutral", "neutral", "detaining_power"]
    exam = {
        "person_id": held,
        "commission": "MMC-1",
        "visited_on": "2025-01-10",
        "findings": "metal fragment on the chest X-ray",
        "condition": {"category": "A2", "item": "splinter in the lungs"},
        "votes": {CHAIR: "repatriate", SECOND: "reject", DETAINING: "repatriate"},
        "proposed_by": "camp_doctor_own_nationality",
    }
    recorded = client.post("/api/v1/examinations", json=exam, headers=auth)
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert body["decision"] == "repatriate" and body["notify_by"] == "2025-02-10"
    exam_id = body["id"]
    rejected = client.post(
        "/api/v1/examinations",
        json={
            **exam,
            "person_id": other,
            "votes": dict.fromkeys((CHAIR, SECOND, DETAINING), "reject"),
        },
        headers=auth,
    )
    assert rejected.json()["decision"] == "reject"
    late = client.get(
        "/api/v1/examinations", params={"overdue": "true", "as_of": "2025-03-01"}, headers=auth
    ).json()
    assert [e["id"] for e in late["items"]] == [exam_id, rejected.json()["id"]]
    assert late["overdue"] == 2
    step = client.post(
        f"/api/v1/examinations/{exam_id}/steps",
        json={"step": "notified", "done_on": "2025-02-05"},
        headers=auth,
    )
    assert step.status_code == 200 and step.json()["carry_out_by"] == "2025-05-05"
    twice = client.post(
        f"/api/v1/examinations/{exam_id}/steps",
        json={"step": "notified", "done_on": "2025-02-05"},
        headers=auth,
    )
    assert twice.status_code == 409 and twice.json()["code"] == "step_already_recorded"
    assert client.get(f"/api/v1/examinations/{exam_id}", headers=auth).json()["next_step"] == (
        "carried_out"
    )
    pdf = client.get(
        f"/api/v1/examinations/{exam_id}/certificate",
        params={"issued_on": "2025-02-05"},
        headers=auth,
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "Сорокин Павел Ильич" in _pdf_text(pdf.content)
    none = client.get(f"/api/v1/examinations/{rejected.json()['id']}/certificate", headers=auth)
    assert none.status_code == 400 and none.json()["code"] == "invalid_examination"
    assert client.get("/api/v1/examinations/999", headers=auth).status_code == 404
    assert client.get("/api/v1/examinations/queue", headers=auth).json() == []


# Console --------------------------------------------------------------------------------------


def test_console_commission_examination_overdue_and_certificate(
    client: TestClient, sqlite_instance: Instance
) -> None:
    held = _prisoner(sqlite_instance, "Сорокин")
    page = log_in(client, "admin", ADMIN_PASSWORD)
    assert 'href="/medical"' in page
    page = client.get("/medical").text
    added = client.post(
        "/medical/commissions",
        data={
            "csrf_token": csrf_of(page),
            "name": "MMC 1",
            "members": "\n".join(
                (
                    f"{CHAIR}|CH|neutral|chair|surgeon",
                    f"{SECOND}|SE|neutral",
                    f"{DETAINING}|UA|detaining",
                )
            ),
        },
    )
    assert added.status_code == 200 and "Commission set up." in added.text
    assert "no physician on the commission" in added.text
    form = {
        "csrf_token": csrf_of(added.text),
        "commission": "MMC 1",
        "person_id": str(held),
        "visited_on": "2025-01-10",
        "findings": "metal fragment on the chest X-ray",
        "proposed_by": "detaining_power_doctors",
        f"vote:{CHAIR}": "repatriate",
        f"vote:{SECOND}": "repatriate",
        f"vote:{DETAINING}": "reject",
    }
    refused = client.post("/medical/examinations", data=form)
    assert refused.status_code == 422 and "must name the Annex I condition" in refused.text
    assert 'name="condition_category" aria-invalid="true"' in refused.text
    recorded = client.post(
        "/medical/examinations",
        data={**form, "condition_category": "A2", "condition_item": "splinter in the lungs"},
    )
    assert recorded.status_code == 200 and "Examination 1 recorded." in recorded.text
    overdue = client.get("/medical", params={"as_of": "2025-03-01", "overdue": "1"}).text
    row = re.search(r'<tr id="examination-1"[^>]*>', overdue)
    assert row is not None and 'class="overdue"' in row.group(0)
    assert "OVERDUE" in overdue and "19 days late" in overdue
    stepped = client.post(
        "/medical/examinations/1/steps",
        data={"csrf_token": csrf_of(overdue), "step": "notified", "done_on": "2025-02-05"},
    )
    assert stepped.status_code == 200 and "Step recorded for examination 1." in stepped.text
    assert "Record carrying out" in stepped.text
    again = client.post(
        "/medical/examinations/1/steps",
        data={"csrf_token": csrf_of(stepped.text), "step": "notified", "done_on": "2025-02-06"},
    )
    assert again.status_code == 422 and "already notified" in again.text
    assert 'href="/medical/examinations/1/certificate"' in stepped.text
    pdf = client.get("/medical/examinations/1/certificate")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "REPATRIATE" in _pdf_text(pdf.content)
    forged = client.post(
        "/medical/examinations/1/steps",
        data={"csrf_token": "forged", "step": "carried_out", "done_on": "2025-03-01"},
    )
    assert forged.status_code == 403


def test_console_readers_see_decisions_but_no_forms(
    client: TestClient, sqlite_instance: Instance
) -> None:
    make_account(sqlite_instance, "reviewer", Role.REVIEWER)
    page = log_in(client, "reviewer", ADMIN_PASSWORD)
    assert 'href="/medical"' in page
    medical = client.get("/medical").text
    assert "Medical commissions" in medical and 'action="/medical/commissions"' not in medical
    make_account(sqlite_instance, "analyst", Role.ANALYST)
    client.cookies.clear()
    page = log_in(client, "analyst", ADMIN_PASSWORD)
    assert 'href="/medical"' not in page
    assert client.get("/medical").status_code == 403
