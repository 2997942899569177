"""Background jobs end to end: started from the console and the API, followed across page
reloads and a server restart, listed by the CLI; a failed job says why."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.dates import PartialDate
from parley.domain.jobs import JobState
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import Person, PersonCategory, PersonName, Sex
from parley.instance import Instance
from parley.services import accounts, jobs, registry
from parley.web.app import create_app
from parley.web.console import rendering
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, follow_job, log_in, wait_for_job

runner = CliRunner()
PEOPLE = [
    ("Шевченко", "Олександр", "Іванович", "1990-04-02"),
    ("Коваленко", "Андрій", "Петрович", "1985-11-20"),
    ("Бондаренко", "Сергій", "Миколайович", "1999-06-10"),
    ("Ткаченко", "Дмитро", "Олегович", "2001-01-15"),
    ("Кравченко", "Юрій", "Васильович", "1979-03-03"),
    ("Олійник", "Михайло", "Степанович", "1993-08-08"),
    ("Шевчук", "Богдан", "Ігорович", "1996-12-01"),
    ("Поліщук", "Віктор", "Анатолійович", "1988-05-05"),
]
LIST = (
    "full_name,birth_date\n"
    "Шевченко Александр Иванович,1990-04-02\n"
    "KOVALENKO ANDRII,1985-11-20\n"
    "Бондаренко Сергей Николаевич,1999-10-06\n"
    "Невідомий Петро Петрович,1970-01-01\n"
)


def register_people(instance: Instance, admin: Actor) -> None:
    """Prisoners held here, the people a list from the other side is matched against."""
    for surname, given, patronymic, born in PEOPLE:
        registry.register_person(
            instance.uow(),
            admin,
            Person(
                "RU",
                PersonCategory.MILITARY,
                Sex.MALE,
                [PersonName(surname, given, patronymic)],
                PartialDate.parse(born),
            ),
            [
                EventDraft(
                    EventType.DETAINED,
                    PartialDate.parse("2024-05-01").to_date(),
                    Source.OWN_INFORMATION,
                )
            ],
        )


@pytest.fixture
def client(sqlite_instance: Instance, admin: Actor) -> Iterator[TestClient]:
    register_people(sqlite_instance, admin)
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def _token(instance: Instance, username: str) -> dict[str, str]:
    issued = accounts.issue_token(instance.uow(), SYSTEM, username, "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def _finished(client: TestClient, auth: dict[str, str], job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=auth).json()
        if job["state"] in ("succeeded", "failed"):
            return job
        assert job["state"] in ("queued", "running")
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_the_console_starts_a_match_run_that_survives_a_reload(
    client: TestClient, sqlite_instance: Instance
) -> None:
    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    log_in(client, "coord", ADMIN_PASSWORD)
    token = csrf_of(client.get("/matching").text)
    landed = client.post(
        "/matching/runs",
        data={"csrf_token": token},
        files={"file": ("ru.csv", LIST.encode(), "text/csv")},
    )
    assert landed.status_code == 200 and "/jobs/" in str(landed.url)
    assert "Match run of a file" in landed.text and "ru.csv" in landed.text
    reloaded = client.get(str(landed.url))  # the user reloads: the job is still there
    assert reloaded.status_code == 200 and 'id="job-status"' in reloaded.text
    job_id, status = wait_for_job(client, landed)
    assert "succeeded" in status and "Open the match run" in status
    assert "4 entries — 3 matched" in status  # the run's summary is the job's last message
    run_page = follow_job(client, landed)
    assert "/matching/runs/" in str(run_page.url) and "Match run" in run_page.text
    listed = client.get("/jobs").text
    assert f'href="/jobs/{job_id}"' in listed and "succeeded" in listed


def test_the_job_page_is_ukrainian_and_a_refused_list_is_named_at_once(
    client: TestClient, sqlite_instance: Instance
) -> None:
    log_in(client, "admin", ADMIN_PASSWORD)
    token = csrf_of(client.get("/matching").text)
    refused = client.post(
        "/matching/runs",
        data={"csrf_token": token},
        files={"file": ("bad.csv", b"full_name,camp\nX Y,1\n", "text/csv")},
    )
    assert refused.status_code == 422  # a bad file is refused before any job is queued
    assert jobs.list_jobs(sqlite_instance.uow(), SYSTEM) == ([], 0)
    client.post("/language", data={"csrf_token": token, "language": "uk", "back": "/matching"})
    landed = client.post(
        "/matching/runs",
        data={"csrf_token": token},
        files={"file": ("ru.csv", LIST.encode(), "text/csv")},
    )
    _job, status = wait_for_job(client, landed)
    assert "виконано" in status and "Відкрити результати зіставлення" in status
    assert "записів — 4; збігів — 3, на перевірку" in status  # the run's summary, in Ukrainian
    assert "Зіставлення списку з файлу" in client.get("/jobs").text


def test_jobs_through_the_api_a_pdf_a_held_list_and_refusals(
    client: TestClient, sqlite_instance: Instance
) -> None:
    auth = _token(sqlite_instance, "admin")
    built = client.post(
        "/api/v1/lists",
        headers=auth,
        json={"name": "Prisoners", "recipients": ["RU"], "status": "held", "side": "RU"},
    )
    assert built.status_code == 201, built.text
    list_id = built.json()["summary"]["id"]
    started = client.post(
        "/api/v1/jobs",
        headers=auth,
        json={"kind": "lists.document", "params": {"list_id": list_id, "format": "pdf"}},
    )
    assert started.status_code == 202, started.text
    assert started.json()["state"] in ("queued", "running", "succeeded")
    document = _finished(client, auth, started.json()["id"])
    assert document["state"] == "succeeded", document["error"]
    assert document["result_file"].endswith(".pdf")
    pdf = client.get(f"/api/v1/jobs/{document['id']}/result", headers=auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"

    matched = client.post(
        "/api/v1/jobs", headers=auth, json={"kind": "match.list", "params": {"list_id": list_id}}
    ).json()
    run = _finished(client, auth, matched["id"])
    assert run["state"] == "succeeded" and run["total"] == run["done"] == len(PEOPLE)
    run_id = run["result_ref"].removeprefix("match_run/")
    assert client.get(f"/api/v1/match/runs/{run_id}", headers=auth).status_code == 200

    missing = client.post(
        "/api/v1/jobs", headers=auth, json={"kind": "lists.reconcile", "params": {"list_id": 999}}
    ).json()
    failed = _finished(client, auth, missing["id"])
    assert failed["state"] == "failed" and failed["error"] == "list 999 does not exist"

    for body, field in (
        ({"kind": "registry.import"}, None),
        ({"kind": "match.list", "params": {"list_id": "1; DROP"}}, "list_id"),
        ({"kind": "match.list", "params": {"list_id": 1, "path": "/etc"}}, "path"),
        ({"kind": "match.list"}, "list_id"),
        ({"kind": "lists.document", "params": {"list_id": 1, "format": "exe"}}, "format"),
        ({"kind": "agreements.report", "params": {"round": 1, "language": 'x"\r\n'}}, "language"),
        ({"kind": "agreements.report", "params": {"round": 1, "as_of": "soon"}}, "as_of"),
    ):
        refused = client.post("/api/v1/jobs", headers=auth, json=body)
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_input", body
        assert field is None or f"'{field}'" in refused.json()["message"]

    listed = client.get("/api/v1/jobs", headers=auth).json()
    assert listed["total"] == 3 and next(j["id"] for j in listed["items"]) == missing["id"]
    assert client.get("/api/v1/jobs/999", headers=auth).json()["code"] == "job_not_found"

    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    other = _token(sqlite_instance, "coord")
    hidden = client.get(f"/api/v1/jobs/{document['id']}", headers=other)
    assert hidden.status_code == 404 and hidden.json()["code"] == "job_not_found"
    assert client.get(f"/api/v1/jobs/{document['id']}/result", headers=other).status_code == 404
    assert client.get("/api/v1/jobs", headers=other).json()["total"] == 0


def test_the_cli_lists_the_same_jobs_and_a_restart_fails_the_one_it_cut_off(
    client: TestClient, sqlite_instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_in(client, "admin", ADMIN_PASSWORD)
    token = csrf_of(client.get("/import").text)
    content = "surname,given_name,birth_date\n,Іван,1990\n".encode()
    landed = client.post(
        "/import", data={"csrf_token": token}, files={"file": ("list.csv", content, "text/csv")}
    )
    failed_id, _status = wait_for_job(client, landed)
    cut_off = jobs.start(sqlite_instance.uow(), SYSTEM, "match.list", {"list_id": 1})
    with sqlite_instance.uow() as uow:  # a worker of a process that no longer exists took it
        uow.jobs.claim(cut_off.id, "nowhere:1:gone", jobs.jobs.now() - jobs.jobs.STALE_AFTER * 2)
        uow.commit()

    monkeypatch.setenv("PARLEY_INSTANCE", str(sqlite_instance.directory))
    monkeypatch.setenv("PARLEY_USER", "admin")
    shown = runner.invoke(cli, ["jobs", "show", str(failed_id)])
    assert shown.exit_code == 0, shown.output
    job = json.loads(shown.output)
    assert job["state"] == "failed" and "import refused" in job["error"]
    listed = runner.invoke(cli, ["jobs", "list"])
    assert listed.exit_code == 0 and "running" in listed.output and "failed" in listed.output
    assert runner.invoke(cli, ["jobs", "show", "999"]).exit_code == 1

    with TestClient(create_app(sqlite_instance)) as restarted:  # the server starts again
        log_in(restarted, "admin", ADMIN_PASSWORD)
        page = restarted.get(f"/jobs/{cut_off.id}").text
        assert "interrupted by restart" in page and "hx-trigger" not in page
    as_json = runner.invoke(cli, ["jobs", "list", "--json"])
    states = {j["id"]: (j["state"], j["error"]) for j in json.loads(as_json.output)}
    assert states[cut_off.id] == ("failed", "interrupted by restart")


@pytest.mark.parametrize("htmx", [True, False])
def test_the_job_page_follows_a_running_job_with_or_without_htmx(
    sqlite_instance: Instance, monkeypatch: pytest.MonkeyPatch, htmx: bool
) -> None:
    """HTMX is fetched by `make test`, not by `make install`: without it the status fragment
    never polls, so the page reloads itself until the job is done (the browser test of
    2026-12-07 saw a job stay "running" on a page nobody asked the server about again)."""
    monkeypatch.setattr(rendering, "htmx_available", lambda: htmx)
    queued = jobs.start(sqlite_instance.uow(), SYSTEM, "match.list", {"list_id": 1})
    with sqlite_instance.uow() as uow:  # a worker of this process runs it (not started here)
        uow.jobs.claim(queued.id, "here:1:busy", jobs.jobs.now())
        uow.commit()
    client = TestClient(create_app(sqlite_instance))
    log_in(client, "admin", ADMIN_PASSWORD)
    refresh = '<meta http-equiv="refresh"'
    running = client.get(f"/jobs/{queued.id}").text
    assert "job-running" in running and 'hx-trigger="every 1s"' in running  # inert without HTMX
    assert ("/static/vendor/htmx.min.js" in running) is htmx
    assert (refresh in running) is not htmx
    with sqlite_instance.uow() as uow:
        uow.jobs.finish(queued.id, JobState.SUCCEEDED, "", jobs.JobResult(), jobs.jobs.now())
        uow.commit()
    done = client.get(f"/jobs/{queued.id}").text
    assert "job-succeeded" in done and refresh not in done and "hx-trigger" not in done
