"""Need to know through each door: the API, the CLI (text and --json) and the console show
every role the same thing, a restricted field's value or its marker (docs/accounts.md)."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli import _common as cli_common
from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Role
from parley.instance import Instance
from parley.services import accounts
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import log_in
from tests.need_to_know_seed import (
    CONDITION_ITEM,
    FINDINGS,
    MEDICAL_MARK,
    NON_READERS,
    PERSON_MEDICAL,
    Seeded,
    check_text,
    seed,
)

READERS = [r for r in Role if r not in NON_READERS]
runner = CliRunner()
WIDE = {"COLUMNS": "400"}


def _name(role: Role) -> str:
    return f"u-{role.value.replace('_', '-')}"


@pytest.fixture
def seeded(sqlite_instance: Instance) -> Seeded:
    found = seed(sqlite_instance)
    for role in Role:
        make_account(sqlite_instance, _name(role), role)
    return found


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def test_the_api_redacts_for_each_role(
    client: TestClient, sqlite_instance: Instance, seeded: Seeded
) -> None:
    for role in Role:
        secret = accounts.issue_token(sqlite_instance.uow(), SYSTEM, _name(role), "t").secret
        auth = {"Authorization": f"Bearer {secret}"}
        person = client.get(f"/api/v1/persons/{seeded.person_id}", headers=auth)
        exams = client.get("/api/v1/examinations", params={"as_of": "2025-02-01"}, headers=auth)
        queue = client.get(
            "/api/v1/examinations/queue", params={"as_of": "2025-02-01"}, headers=auth
        )
        if role in NON_READERS:
            assert {person.status_code, exams.status_code, queue.status_code} == {403}, role
            continue
        assert person.status_code == exams.status_code == queue.status_code == 200, role
        check_text(person.text, role, medical=PERSON_MEDICAL)
        check_text(exams.text, role, medical=(FINDINGS, CONDITION_ITEM), contacts=())
        check_text(queue.text, role, medical=(CONDITION_ITEM,), contacts=())
        one = client.get(f"/api/v1/examinations/{seeded.examination_id}", headers=auth)
        check_text(one.text, role, medical=(FINDINGS, CONDITION_ITEM), contacts=())
        assert one.json()["decision"] == "reexamine"


def test_the_cli_redacts_for_each_role_in_text_and_json(
    sqlite_instance: Instance, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rich wraps table cells at the console's width, fixed when the console is made; a wide
    # one keeps each value on one line whatever terminal (or none) the tests run in.
    monkeypatch.setattr(cli_common.out, "_width", 400)
    where = ["--instance", str(sqlite_instance.directory)]
    for role in READERS:
        user = ["--user", _name(role)]
        for extra in ([], ["--json"]):
            shown = runner.invoke(
                cli, ["person", "show", str(seeded.person_id), *extra, *where, *user], env=WIDE
            )
            assert shown.exit_code == 0, shown.output
            # the text shows an event's note, not its details
            check_text(shown.output, role, medical=PERSON_MEDICAL if extra else PERSON_MEDICAL[:2])
            exam = runner.invoke(
                cli,
                ["medical", "show", str(seeded.examination_id), *extra, *where, *user],
                env=WIDE,
            )
            assert exam.exit_code == 0, exam.output
            check_text(exam.output, role, medical=(FINDINGS, CONDITION_ITEM), contacts=())
            queue = runner.invoke(
                cli,
                ["medical", "queue", "--as-of", "2025-02-01", *extra, *where, *user],
                env=WIDE,
            )
            assert queue.exit_code == 0, queue.output
            check_text(queue.output, role, medical=(CONDITION_ITEM,), contacts=())
    refused = runner.invoke(
        cli, ["person", "show", str(seeded.person_id), *where, "--user", _name(Role.AUDITOR)]
    )
    assert refused.exit_code == 4


def test_the_console_redacts_for_each_role(
    client: TestClient, sqlite_instance: Instance, seeded: Seeded
) -> None:
    for role in READERS:
        client.cookies.clear()
        log_in(client, _name(role), ADMIN_PASSWORD)
        page = client.get(f"/persons/{seeded.person_id}")
        assert page.status_code == 200, role
        # the page shows an event's note, not its details
        check_text(html.unescape(page.text), role, medical=PERSON_MEDICAL[:2])
        medical = client.get("/medical")
        assert medical.status_code == 200, role
        check_text(html.unescape(medical.text), role, medical=(CONDITION_ITEM,), contacts=())


def test_the_console_words_the_marker_in_the_readers_language(
    client: TestClient, sqlite_instance: Instance, seeded: Seeded
) -> None:
    reviewer = accounts.actor_for_username(sqlite_instance.uow(), _name(Role.REVIEWER), "test")
    accounts.set_language(sqlite_instance.uow(), reviewer, "uk")
    log_in(client, _name(Role.REVIEWER), ADMIN_PASSWORD)
    page = html.unescape(client.get(f"/persons/{seeded.person_id}").text)
    check_text(
        page,
        Role.REVIEWER,
        medical=PERSON_MEDICAL[:2],
        marks=("[обмежено: медичні дані]", "[обмежено: контакти]"),
    )
    assert "[restricted:" not in page


def test_an_event_recorded_through_the_api_comes_back_as_its_author_may_read_it(
    client: TestClient, sqlite_instance: Instance, seeded: Seeded
) -> None:
    note = "commission visit: fragment still in the lung"
    for role, shown in ((Role.COORDINATOR, MEDICAL_MARK), (Role.MEDICAL, note)):
        secret = accounts.issue_token(sqlite_instance.uow(), SYSTEM, _name(role), "t").secret
        made = client.post(
            f"/api/v1/persons/{seeded.person_id}/events",
            json={
                "type": "examined",
                "effective_date": "2025-01-10",
                "source": "own_information",
                "note": note,
            },
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert made.status_code == 201, made.text
        assert made.json()["note"] == shown, role


def test_the_cli_prints_the_person_the_api_returns_for_each_role(
    client: TestClient, sqlite_instance: Instance, seeded: Seeded
) -> None:
    """The registry's views are redacted in the service for the actor asking, so `person show
    --json`, `person search --json` and `person list --json` print, for every role, exactly
    what the API returns to that role's token."""
    where = ["--instance", str(sqlite_instance.directory)]
    name = client.get(
        f"/api/v1/persons/{seeded.person_id}",
        headers={"Authorization": f"Bearer {_token(sqlite_instance, Role.ADMIN)}"},
    ).json()["names"][0]["surname"]
    for role in READERS:
        auth = {"Authorization": f"Bearer {_token(sqlite_instance, role)}"}
        for command, path in (
            (["person", "show", str(seeded.person_id)], f"/api/v1/persons/{seeded.person_id}"),
            (["person", "search", name], f"/api/v1/persons/search?q={name}"),
            (["person", "list"], "/api/v1/persons"),
        ):
            returned = client.get(path, headers=auth)
            assert returned.status_code == 200, (role, returned.text)
            printed = runner.invoke(cli, [*command, "--json", *where, "--user", _name(role)])
            assert printed.exit_code == 0, printed.output
            assert json.loads(printed.stdout) == returned.json(), (role, command)
        assert returned.json()["total"] >= 1


def _token(instance: Instance, role: Role) -> str:
    return accounts.issue_token(instance.uow(), SYSTEM, _name(role), "tests").secret
