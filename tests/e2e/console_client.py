"""Logging in to the console the way a browser does, for TestClient-based tests."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    tokens = [token for token in CSRF.findall(html) if token]
    assert tokens, "page has no CSRF field"
    return tokens[0]


def log_in(client: TestClient, username: str, password: str) -> str:
    """Returns the page landed on after login."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": "/",
        },
    )
    assert response.status_code == 200, response.text
    return response.text


JOB_PAGE = re.compile(r"/jobs/(\d+)$")
RESULT_LINK = re.compile(r'<a href="([^"]+)" class="result">')


def wait_for_job(client: TestClient, landed: Any, timeout: float = 120.0) -> tuple[int, str]:
    """A console action that queued a job lands on its page; wait for the worker to finish it.

    Returns the job's id and its final status fragment (which holds the result link or why it
    failed). `landed` is the response of the request that queued it (redirects followed).
    """
    import time

    url = str(landed.url)
    found = JOB_PAGE.search(url.split("?")[0])
    assert found, f"not a job page: {url}"
    job_id = int(found.group(1))
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(f"/jobs/{job_id}/status")
        assert status.status_code == 200, status.text
        if "hx-trigger" not in status.text:  # finished: the fragment stops polling
            return job_id, status.text
        assert time.monotonic() < deadline, f"job {job_id} still running: {status.text}"
        time.sleep(0.1)


def follow_job(client: TestClient, landed: Any, timeout: float = 120.0) -> Any:
    """Wait for the job, then open what it made (a match run, a reconciliation) like a user
    clicking its link; a failed job answers its own page."""
    job_id, status = wait_for_job(client, landed, timeout)
    link = RESULT_LINK.search(status)
    return client.get(link.group(1) if link else f"/jobs/{job_id}")
