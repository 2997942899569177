"""A match run started in a real browser (Debian's Chromium, Playwright): the job page fills its
progress by itself (HTMX, or a reload of the page when HTMX was not fetched), survives a reload,
and links to the run when done."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from parley.domain.accounts.accounts import Actor
from parley.instance import Instance
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.test_jobs_api_cli_console import LIST, register_people

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed; `make test` installs it"
    ),
]


@pytest.fixture
def served(sqlite_instance: Instance, admin: Actor) -> Iterator[str]:
    register_people(sqlite_instance, admin)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(sqlite_instance), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_match_run_is_followed_in_the_browser_across_a_reload(
    served: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    upload = tmp_path / "ru.csv"
    upload.write_text(LIST)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(served + "/matching")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.locator('input[type="file"][name="file"]').set_input_files(str(upload))
        page.get_by_role("button", name="Match", exact=True).first.click()

        expect(page.get_by_role("heading", name="Match run of a file")).to_be_visible(
            timeout=60_000
        )
        job_url = page.url
        page.reload()  # the job does not depend on the page that started it
        assert page.url == job_url
        status = page.locator("#job-status")
        expect(status).to_contain_text("succeeded", timeout=120_000)  # HTMX polled it there
        page.screenshot(path=str(ARTIFACTS / "job-en.png"), full_page=True)
        page.get_by_role("link", name="Open the match run").click()
        expect(page.get_by_role("heading", name="Match run", exact=False).first).to_be_visible()
        assert "/matching/runs/" in page.url

        page.goto(served + "/jobs")
        expect(page.locator("table.list tbody tr").first).to_contain_text("succeeded")
        browser.close()
