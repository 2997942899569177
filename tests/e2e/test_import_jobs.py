"""Imports as background jobs through the API, and jobs run by a `parley jobs work` process
beside a server started with `--no-jobs` (issue 12: reads stay quick while imports run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from parley.domain.accounts.accounts import SYSTEM
from parley.instance import Instance
from parley.services import accounts
from parley.store import tables as t
from parley.web.app import create_app

GOOD = "surname,given_name,birth_date,service_number\nКоваль,Іван,1990,S-1\nМороз,Петро,1991,S-2\n"
BAD = "surname,given_name,birth_date\nКоваль,,1990\n,Петро,31.02.1991\n"


def _auth(instance: Instance) -> dict[str, str]:
    issued = accounts.issue_token(instance.uow(), SYSTEM, "admin", "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def _finished(client: TestClient, auth: dict[str, str], job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 120  # a guard against a job never run, not a timing
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=auth).json()
        if job["state"] in ("succeeded", "failed"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def _persons(instance: Instance) -> int:
    with instance.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(t.persons)) or 0)


def _queue(client: TestClient, auth: dict[str, str], content: str) -> dict[str, Any]:
    files = {"file": ("list.csv", content.encode(), "text/csv")}
    response = client.post("/api/v1/jobs/persons-import", headers=auth, files=files)
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    assert job["kind"] == "registry.import"
    return job


@pytest.fixture
def client(instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(instance)) as test_client:
        yield test_client


def test_an_import_job_stores_the_file_or_names_every_problem(
    client: TestClient, instance: Instance
) -> None:
    auth = _auth(instance)
    done = _finished(client, auth, _queue(client, auth, GOOD)["id"])
    assert done["state"] == "succeeded" and done["result_ref"].startswith("import/")
    assert _persons(instance) == 2
    refused = _finished(client, auth, _queue(client, auth, BAD)["id"])
    assert refused["state"] == "failed"
    assert "row 2" in refused["error"] and "given_name" in refused["error"]
    assert "row 3" in refused["error"] and "birth_date" in refused["error"]
    assert _persons(instance) == 2  # the refused file changed nothing


def test_an_import_job_needs_the_import_permission(client: TestClient, instance: Instance) -> None:
    from parley.domain.accounts.accounts import Role
    from tests.conftest import make_account

    make_account(instance, "analyst", Role.ANALYST)
    issued = accounts.issue_token(instance.uow(), SYSTEM, "analyst", "tests")
    files = {"file": ("list.csv", GOOD.encode(), "text/csv")}
    headers = {"Authorization": f"Bearer {issued.secret}"}
    response = client.post("/api/v1/jobs/persons-import", headers=headers, files=files)
    assert response.status_code == 403
    assert _persons(instance) == 0


def test_a_no_jobs_server_leaves_jobs_to_a_jobs_work_process(instance: Instance) -> None:
    """Served `--no-jobs`, a queued import waits for a worker; `parley jobs work` (another
    process, as in production) runs it and stops cleanly on SIGTERM."""
    auth = _auth(instance)
    with TestClient(create_app(instance, run_jobs=False)) as client:
        job = _queue(client, auth, GOOD)
        assert client.app.state.jobs is None  # type: ignore[attr-defined]
        assert client.get(f"/api/v1/jobs/{job['id']}", headers=auth).json()["state"] == "queued"
        worker = subprocess.Popen(
            [sys.executable, "-m", "parley.cli.main", "jobs", "work", "--nice", "0"],
            env={**os.environ, "PARLEY_INSTANCE": str(instance.directory)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            done = _finished(client, auth, job["id"])
        finally:
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=60)
    assert done["state"] == "succeeded", output
    assert worker.returncode == 0, output
    assert "running jobs of UA" in output
    assert _persons(instance) == 2
