"""PFIF through the doors: the CLI and the API move persons between instances, once only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app
from parley.domain.accounts.accounts import SYSTEM
from parley.instance import Instance, init_instance
from parley.services import accounts
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def instances(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.delenv("PARLEY_INSTANCE", raising=False)
    monkeypatch.delenv("PARLEY_USER", raising=False)
    monkeypatch.delenv("PARLEY_PFIF_DOMAIN", raising=False)
    made = []
    for party in ("UA", "RU"):
        directory = tmp_path / party.lower()
        code, out = run("init", str(directory), "--party", party, "--name", f"{party} HQ")
        assert code == 0, out
        made.append(directory)
    return made[0], made[1]


def test_cli_round_trip_adds_nobody_twice(instances: tuple[Path, Path], tmp_path: Path) -> None:
    ua, ru = instances
    for surname, given, born in (("Шевченко", "Олександр", "1990-05"), ("Мороз", "Олена", "1987")):
        code, out = run(
            "person", "add", "--instance", str(ua), "--surname", surname, "--given", given,
            "--patronymic", "Іванович" if given == "Олександр" else "Іванівна",
            "--birth-date", born, "--status", "reported_missing", "--status-date", "2024-05-01",
            "--passport", f"АА{len(surname)}0000",
        )  # fmt: skip
        assert code == 0, out
    exported = tmp_path / "ua.pfif.xml"
    code, out = run("person", "export-pfif", "--instance", str(ua), "-o", str(exported))
    assert code == 0, out
    text = exported.read_text(encoding="utf-8")
    assert "<pfif:full_name>Шевченко Олександр Іванович</pfif:full_name>" in text
    assert "АА" not in text and "ua.parley.invalid/person.1." in text

    code, out = run("person", "import-pfif", "--instance", str(ru), str(exported))
    assert code == 0, out
    assert "2 persons imported, 0 already present" in out
    code, out = run("person", "import-pfif", "--instance", str(ru), str(exported), "--json")
    assert code == 0, out
    again = json.loads(out)
    assert again["imported"] == [] and [p["row"] for p in again["already_present"]] == [1, 2]
    code, out = run("person", "list", "--instance", str(ru), "--status", "missing", "--json")
    assert code == 0 and json.loads(out)["total"] == 2
    code, out = run("person", "show", "1", "--instance", str(ru))
    assert "external_record" in out and "mediator" in out

    code, out = run("person", "export-pfif", "--instance", str(ru), "--domain", "ru.example.org")
    assert code == 0 and out.startswith("<?xml") and "ua.parley.invalid/person.2." in out


def test_cli_refusal_names_record_and_field(instances: tuple[Path, Path], tmp_path: Path) -> None:
    ua, _ = instances
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>'
        "<pfif:person_record_id>a.example/p.1</pfif:person_record_id>"
        "<pfif:full_name>Коваль Петро</pfif:full_name>"
        "<pfif:date_of_birth>14.03.1990</pfif:date_of_birth></pfif:person></pfif:pfif>",
        encoding="utf-8",
    )
    code, out = run("person", "import-pfif", "--instance", str(ua), str(bad))
    assert code == 3
    assert "error[import_rejected]" in out and "row 1, field 'date_of_birth'" in out
    code, out = run("person", "list", "--instance", str(ua), "--json")
    assert json.loads(out)["total"] == 0
    code, out = run("person", "export-pfif", "--instance", str(ua), "--domain", "not a domain")
    assert code == 1 and "error[invalid_input]" in out


@pytest.fixture
def two_apps(tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    made: list[Instance] = []
    for party in ("UA", "RU"):
        created, _ = init_instance(tmp_path / party, party, f"{party} HQ", None, ADMIN_PASSWORD)
        made.append(created)
    tokens = [accounts.issue_token(i.uow(), SYSTEM, "admin", "tests").secret for i in made]
    with TestClient(create_app(made[0])) as ua, TestClient(create_app(made[1])) as ru:
        ua.headers["Authorization"] = f"Bearer {tokens[0]}"
        ru.headers["Authorization"] = f"Bearer {tokens[1]}"
        yield ua, ru
    for instance in made:
        instance.close()


PERSON = {
    "names": [
        {"surname": "Шевченко", "given": "Олександр", "patronymic": "Іванович", "primary": True},
        {"surname": "Shevchenko", "given": "Oleksandr", "script": "Latn", "language": "en"},
    ],
    "sex": "male",
    "birth_date": "1990",
    "identifiers": [{"kind": "service_number", "value": "S-777"}],
    "notes": "do not share",
    "events": [{"type": "capture_confirmed", "effective_date": "2024-05-01", "source": "icrc"}],
}


def test_api_round_trip(
    two_apps: tuple[TestClient, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    ua, ru = two_apps
    assert ua.post("/api/v1/persons", json=PERSON).status_code == 201
    monkeypatch.setenv("PARLEY_PFIF_DOMAIN", "hq.ua.example")
    exported = ua.get("/api/v1/persons.pfif")
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("application/xml")
    assert b"hq.ua.example/person.1." in exported.content
    assert b"S777" not in exported.content and b"do not share" not in exported.content
    assert b"<pfif:status>believed_alive</pfif:status>" in exported.content

    upload = {"file": ("ua.xml", exported.content, "application/xml")}
    first = ru.post("/api/v1/persons.pfif", files=upload, params={"source": "icrc"})
    assert first.status_code == 200, first.text
    assert len(first.json()["imported"]) == 1 and first.json()["already_present"] == []
    person = ru.get(f"/api/v1/persons/{first.json()['imported'][0]}").json()
    assert person["status"] == "in_captivity"
    assert [n["surname"] for n in person["names"]] == ["Шевченко", "Shevchenko"]
    second = ru.post("/api/v1/persons.pfif", files=upload).json()
    assert second["imported"] == [] and len(second["already_present"]) == 1
    home = ua.post("/api/v1/persons.pfif", files=upload).json()
    assert home["imported"] == [] and home["already_present"][0]["person_id"] == 1
    assert ru.get("/api/v1/persons").json()["total"] == 1


def test_api_refusals(two_apps: tuple[TestClient, TestClient]) -> None:
    ua, _ = two_apps
    bad = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"/>'
    )
    response = ua.post("/api/v1/persons.pfif", files={"file": ("x.xml", bad, "application/xml")})
    assert response.status_code == 422
    assert response.json()["code"] == "import_rejected"
    assert [(p["row"], p["field"]) for p in response.json()["problems"]] == [(0, "(document)")]
    anonymous = ua.get("/api/v1/persons.pfif", headers={"Authorization": ""})
    assert anonymous.status_code == 401
