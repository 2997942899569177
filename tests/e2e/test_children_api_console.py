"""The children track through the API and the console: the ombudsman sees a child's record,
anyone else gets 403 and the refusal is in the audit log; the console shows cases and lists."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.children import AnswerKind, Identity, Relative
from parley.domain.paging import PageRequest
from parley.instance import Instance
from parley.services import accounts, children
from parley.store.audit_spool import drain
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import log_in

LIST = "UA-RU-2025-06"
runner = CliRunner()


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as c:
        yield c


def _case(instance: Instance, ombudsman: Actor) -> int:
    case = children.open_case(
        instance.uow(),
        ombudsman,
        "C-0001",
        Identity("Марія", "Коваленко", born=date(2016, 4, 2), place_of_birth="Маріуполь"),
        on=date(2022, 5, 1),
        source="mother's report",
        relatives=[Relative("Олена Коваленко", "mother", "DNA", "forensic lab")],
    )
    children.send_list(
        instance.uow(), ombudsman, LIST, [case.id], addressee="RU", mediator="QA",
        on=date(2025, 6, 2), source="letter",
    )  # fmt: skip
    return case.id


def _bearer(instance: Instance, username: str) -> dict[str, str]:
    secret = accounts.issue_token(instance.uow(), SYSTEM, username, "tests").secret
    return {"Authorization": f"Bearer {secret}"}


def test_only_the_ombudsman_reads_a_childs_record_and_a_refusal_is_audited(
    sqlite_instance: Instance, client: TestClient
) -> None:
    ombudsman = make_account(sqlite_instance, "ombudsman1", Role.OMBUDSMAN)
    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    case_id = _case(sqlite_instance, ombudsman)
    seen = client.get(
        f"/api/v1/children/cases/{case_id}", headers=_bearer(sqlite_instance, "ombudsman1")
    )
    assert seen.status_code == 200, seen.text
    assert seen.json()["identities"][0]["family_name"] == "Коваленко"
    refused = client.get(
        f"/api/v1/children/cases/{case_id}", headers=_bearer(sqlite_instance, "coord")
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    counts = client.get("/api/v1/children/counts", headers=_bearer(sqlite_instance, "coord"))
    assert counts.status_code == 200 and counts.json()["listed"] == 1
    drain(sqlite_instance.engine)
    admin = Actor("admin", frozenset({Role.ADMIN}))
    entries = accounts.recent_entries(sqlite_instance.uow(), admin, PageRequest(0, 100)).items
    denied = [e for e in entries if e.action == "children.denied"]
    assert denied and denied[0].actor == "api:coord" and denied[0].record_ids == (str(case_id),)


def test_answers_posted_change_the_lists_progress(
    sqlite_instance: Instance, client: TestClient
) -> None:
    ombudsman = make_account(sqlite_instance, "ombudsman1", Role.OMBUDSMAN)
    _case(sqlite_instance, ombudsman)
    auth = _bearer(sqlite_instance, "ombudsman1")
    url = f"/api/v1/children/lists/{LIST}/progress?as_of=2025-09-01"
    assert client.get(url, headers=auth).json()["answered"] == 0
    body = {
        "on": "2025-07-01",
        "source": "RU ombudsman's answer",
        "answers": [
            {
                "answer": AnswerKind.LOCATED,
                "surname": "Иванова",
                "given": "Мария",
                "born": "2016-04-03",
                "place_of_birth": "Маріуполь",
                "relative": "Олена Коваленко",
            }
        ],
    }
    posted = client.post(f"/api/v1/children/lists/{LIST}/answers", json=body, headers=auth)
    assert posted.status_code == 201 and posted.json()["matched"] == 1, posted.text
    after = client.get(url, headers=auth).json()
    assert (after["answered"], after["located"]) == (1, 1)


def test_the_console_shows_cases_to_the_ombudsman_and_counts_to_others(
    sqlite_instance: Instance, client: TestClient
) -> None:
    ombudsman = make_account(sqlite_instance, "ombudsman1", Role.OMBUDSMAN)
    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    case_id = _case(sqlite_instance, ombudsman)
    log_in(client, "ombudsman1", ADMIN_PASSWORD)
    page = client.get("/children")
    assert page.status_code == 200 and "C-0001" in page.text and LIST in page.text
    for params in ({"sort": "reference", "order": "desc"}, {"status": "listed"}):
        assert client.get("/children", params=params).status_code == 200, params
    for hostile in ("²", "9" * 30, "0"):  # refused beside the field, never a 500
        refused = client.get("/children", params={"unanswered": hostile})
        assert refused.status_code == 422 and 'id="unanswered-error"' in refused.text, hostile
    for params, named in (({"page": "5"}, "past the last page"), ({"sort": "x"}, "sort by")):
        answer = client.get("/children", params=params)
        assert answer.status_code == 400 and named in answer.text, params
    detail = client.get(f"/children/{case_id}")
    assert "Олена Коваленко" in detail.text and "DNA" in detail.text
    client.cookies.clear()
    log_in(client, "coord", ADMIN_PASSWORD)
    page = client.get("/children")
    assert page.status_code == 200 and "C-0001" not in page.text
    assert client.get(f"/children/{case_id}").status_code == 403


def test_the_cli_opens_lists_answers_and_counts(
    sqlite_instance: Instance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_account(sqlite_instance, "ombudsman1", Role.OMBUDSMAN)
    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    monkeypatch.setenv("PARLEY_INSTANCE", str(sqlite_instance.directory))
    monkeypatch.setenv("PARLEY_USER", "ombudsman1")
    opened = runner.invoke(
        cli,
        ["child", "open", "C-7", "--surname", "Бондар", "--given", "Олег", "--born", "2015-02-03",
         "--place-of-birth", "Ізюм", "--relative", "Ірина Бондар|mother|DNA|lab",
         "--on", "2022-09-01", "--source", "report"],
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    sent = runner.invoke(
        cli,
        ["child", "send", LIST, "--case", "1", "--to", "RU", "--mediator", "QA",
         "--on", "2025-06-02", "--source", "letter"],
    )  # fmt: skip
    assert sent.exit_code == 0, sent.output
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {"on": "2025-07-01", "source": "RU", "answers": [
                {"answer": "located", "surname": "Бондаренко", "given": "Олег",
                 "born": "2015-02-03", "place_of_birth": "Ізюм", "relative": "Ірина Бондар"}]},
            ensure_ascii=False,
        )
    )  # fmt: skip
    taken = runner.invoke(cli, ["child", "answers", LIST, str(answers)])
    assert taken.exit_code == 0 and "1 matched" in taken.output, taken.output
    shown = runner.invoke(cli, ["child", "progress", LIST, "--as-of", "2025-09-01", "--json"])
    assert json.loads(shown.output)["located"] == 1
    refused = runner.invoke(cli, ["child", "show", "1", "--user", "coord"])
    assert refused.exit_code == 4 and "permission_denied" in refused.output


def test_the_cli_prints_the_json_the_api_returns(
    sqlite_instance: Instance, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One shape per answer: `child cases --json`, `child show` and `child progress --json`
    print exactly what the API returns for the same case and list."""
    ombudsman = make_account(sqlite_instance, "ombudsman1", Role.OMBUDSMAN)
    case_id = _case(sqlite_instance, ombudsman)
    monkeypatch.setenv("PARLEY_INSTANCE", str(sqlite_instance.directory))
    monkeypatch.setenv("PARLEY_USER", "ombudsman1")
    auth = _bearer(sqlite_instance, "ombudsman1")
    for command, path in (
        (["child", "cases", "--json"], "/api/v1/children/cases"),
        (["child", "show", str(case_id)], f"/api/v1/children/cases/{case_id}"),
        (
            ["child", "progress", LIST, "--as-of", "2025-09-01", "--json"],
            f"/api/v1/children/lists/{LIST}/progress?as_of=2025-09-01",
        ),
    ):
        returned = client.get(path, headers=auth)
        assert returned.status_code == 200, returned.text
        printed = runner.invoke(cli, command)
        assert printed.exit_code == 0, printed.output
        assert json.loads(printed.stdout) == returned.json(), command
    listed = runner.invoke(cli, ["child", "cases"])
    assert listed.exit_code == 0 and "C-0001" in listed.output and "1 case\n" in listed.output
