"""The registry table and a refused form in a real browser (Debian's Chromium, Playwright): the
server pages, sorts and filters, every link keeps the filters, and a refused field says why
beside itself, announced to a screen reader (aria-invalid, aria-describedby)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from parley.domain.accounts.accounts import Actor
from parley.instance import Instance
from parley.services import registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.test_browser import AXE, _axe_violations
from tests.factories import a_person, missing_since

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PEOPLE = 60  # three pages of 25

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed; `make test` installs it"
    ),
]


@pytest.fixture
def served(sqlite_instance: Instance, admin: Actor) -> Iterator[str]:
    """Sixty persons born 1960..2019, one a year; every third on the RU side."""
    for n in range(PEOPLE):
        person = a_person(
            surname=f"Тестенко{n:02d}", born=f"{1960 + n}-05-01", side="RU" if n % 3 == 0 else "UA"
        )
        registry.register_person(sqlite_instance.uow(), admin, person, missing_since())
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


def _page(playwright: Any, url: str) -> Any:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    # bypass_csp: axe-core is injected as an inline script, as in test_browser.py
    page = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
    page.goto(url + "/persons")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def _born_years(page: Any) -> list[int]:
    """The birth years shown: each cell writes the date as the language does (`May 3, 1990`),
    its `<time datetime>` as recorded."""
    cells = page.locator("table.persons tbody tr td:nth-child(2) time")
    return [int(str(when)[:4]) for when in cells.evaluate_all("ts => ts.map(t => t.dateTime)")]


def test_the_registry_pages_sorts_and_filters_on_the_server(served: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        page = _page(playwright, served)
        expect(page.get_by_role("heading", name="Registry")).to_be_visible()
        pager = page.get_by_role("navigation", name="Pages").first
        expect(pager).to_contain_text("Page 1 of 3")
        expect(page.locator("table.persons tbody tr")).to_have_count(25)

        # sort by birth: a header link; a second click reverses
        page.locator("table.persons thead").get_by_role("link", name="Born").click()
        expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Born")
        assert _born_years(page)[:3] == [1960, 1961, 1962]
        page.locator("table.persons thead").get_by_role("link", name="Born").click()
        expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Born")
        assert _born_years(page)[:3] == [2019, 2018, 2017]

        # the next page keeps the sort
        pager.get_by_role("link", name="Next").click()
        expect(page.get_by_role("navigation", name="Pages").first).to_contain_text("Page 2 of 3")
        assert _born_years(page)[0] == 1994

        # a filter narrows on the server and keeps the sort; the side is a select
        page.get_by_label("Side").select_option("RU")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("p.count")).to_contain_text("20 persons")
        years = _born_years(page)
        assert years == sorted(years, reverse=True) and all((y - 1960) % 3 == 0 for y in years)
        assert "side=RU" in page.url and "sort=born" in page.url
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "persons-sorted-filtered-en.png"), full_page=True)
        if AXE.exists():  # sortable headers and the pager pass axe-core
            assert _axe_violations(page, AXE.read_text()) == []

        # a hostile page number is a clear 400 page, not a crash
        answer = page.goto(served + f"/persons?page={2**63}")
        assert answer is not None and answer.status == 400
        expect(page.get_by_role("alert")).to_contain_text("too large")
        page.context.browser.close()


def test_a_refused_form_shows_the_error_beside_its_field(served: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        page = _page(playwright, served)
        page.locator("table.persons tbody tr td a").first.click()
        form = page.locator("form.event-form")
        form.locator('select[name="type"]').select_option("capture_confirmed")
        form.locator('input[name="effective_date"]').fill("2100-01-01")
        form.locator('select[name="source"]').select_option("icrc")
        form.locator('input[name="note"]').fill("seen in a video")
        form.get_by_role("button", name="Record event").click()

        date = form.locator('input[name="effective_date"]')
        expect(date).to_have_attribute("aria-invalid", "true")
        described = date.get_attribute("aria-describedby")
        assert described
        error = page.locator(f"#{described}")
        expect(error).to_contain_text("in the future")
        # the message sits inside the field's own label, right after it
        beside = page.locator('input[name="effective_date"]')
        expect(form.locator("label", has=beside)).to_contain_text("in the future")
        # what was typed is kept
        expect(form.locator('input[name="note"]')).to_have_value("seen in a video")
        expect(form.locator('select[name="type"]')).to_have_value("capture_confirmed")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "event-form-error-en.png"), full_page=True)
        if AXE.exists():  # the refused form, error and all, passes axe-core
            assert _axe_violations(page, AXE.read_text()) == []
        page.context.browser.close()
