"""The console in a real browser: Debian's Chromium driven by Playwright, as a new user would."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from rich.console import Console

from parley.instance import open_instance
from parley.scenarios.demo import build_demo
from parley.scenarios.population import Scale
from parley.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed; `make test` installs it"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def console_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    directory = tmp_path_factory.mktemp("demo")
    logins = build_demo(directory, 11, Scale.SMALL, Console(quiet=True))
    login = logins[0]
    instance = open_instance(directory / "ua")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(instance), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", login.username, login.password
    server.should_exit = True
    thread.join(timeout=10)
    instance.close()


def test_a_new_user_logs_in_finds_a_person_reads_the_history_and_switches_to_ukrainian(
    console_url: tuple[str, str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, username, password = console_url
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Registry")).to_be_visible()

        first = page.locator("table.list tbody tr td a").first
        surname = first.inner_text().split()[0]
        page.get_by_role("searchbox").fill(surname)
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("table.list tbody tr td a").first).to_contain_text(surname)
        page.locator("table.list tbody tr td a").first.click()

        expect(page.get_by_role("heading", name="History")).to_be_visible()
        assert page.locator("table.history tbody tr").count() >= 1
        expect(page.locator("table.history")).to_contain_text("demo-builder")
        page.screenshot(path=str(ARTIFACTS / "person-en.png"), full_page=True)

        page.get_by_role("button", name="Українська").click()
        expect(page.get_by_role("heading", name="Історія")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "person-uk.png"), full_page=True)

        page.goto(url + "/persons")
        expect(page.get_by_role("heading", name="Реєстр")).to_be_visible()
        browser.close()


def test_a_reviewer_works_the_queue_from_the_keyboard(console_url: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, username, password = console_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(url + "/matching")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        english = page.get_by_role("button", name="English")
        if english.is_enabled():  # the account may remember Ukrainian from another test
            english.click()
        expect(page.get_by_role("heading", name="Matching")).to_be_visible()
        page.locator("table.list tbody tr td a").first.click()
        expect(page.locator("span.count-matched")).not_to_have_text("0")
        page.screenshot(path=str(ARTIFACTS / "match-run.png"), full_page=True)

        page.goto(url + "/matching/review")
        if page.get_by_text("Nothing left to review.").count():
            browser.close()
            pytest.skip("the demo's run left nothing to review")
        first = page.locator("#review").get_attribute("data-entry")
        page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
        page.keyboard.press("s")
        expect(page).to_have_url(f"{url}/matching/review?after={first}")
        waiting = page.locator("p.count").inner_text()
        page.keyboard.press("c")
        expect(page.locator("p.count")).not_to_have_text(waiting)
        browser.close()
