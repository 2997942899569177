"""The console in a real browser: Debian's Chromium driven by Playwright, as a new user would."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Page
from rich.console import Console

from parley.instance import open_instance
from parley.scenarios.demo import DemoLogin, build_demo
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
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DemoLogin]]:
    directory = tmp_path_factory.mktemp("demo")
    return directory, build_demo(directory, 11, Scale.SMALL, Console(quiet=True))


def _serve(directory: Path) -> Iterator[str]:
    instance = open_instance(directory)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(instance), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    instance.close()


@pytest.fixture(scope="module")
def console_url(demo: tuple[Path, list[DemoLogin]]) -> Iterator[tuple[str, str, str]]:
    directory, logins = demo
    login = logins[0]
    for url in _serve(directory / "ua"):
        yield url, login.username, login.password


@pytest.fixture(scope="module")
def ru_console_url(demo: tuple[Path, list[DemoLogin]]) -> Iterator[tuple[str, str, str]]:
    directory, logins = demo
    login = next(x for x in logins if x.instance == "ru" and x.role == "coordinator")
    for url in _serve(directory / "ru"):
        yield url, login.username, login.password


def _browser(playwright: Any) -> Any:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def _log_in(page: Page, url: str, username: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto(url + "/lists")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    english = page.get_by_role("button", name="English")
    if english.is_enabled():  # the account may remember Ukrainian from another test
        english.click()
    expect(page.get_by_role("heading", name="Lists", exact=True)).to_be_visible()


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
        expect(page.get_by_role("heading", name="What needs attention today")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "dashboard-en.png"), full_page=True)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Registry").click()
        expect(page.get_by_role("heading", name="Registry")).to_be_visible()

        first = page.locator("table.list tbody tr td a").first
        surname = first.inner_text().split()[0]
        page.get_by_role("searchbox").fill(surname)
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("table.list tbody tr td a").first).to_contain_text(surname)
        page.locator("table.list tbody tr td a").first.click()

        expect(page.get_by_role("heading", name="History")).to_be_visible()
        assert page.locator("table.history tbody tr").count() >= 1
        expect(page.locator("table.history")).to_contain_text("the demo builder")
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
        before = page.locator("p.count").inner_text()
        page.keyboard.press("s")
        expect(page).to_have_url(f"{url}/matching/review?after={first}")
        if before.startswith("1 "):  # the only entry was skipped: nothing after it
            expect(page.get_by_text("Nothing left to review.")).to_be_visible()
            page.goto(url + "/matching/review")
        waiting = page.locator("p.count").inner_text()
        page.keyboard.press("c")
        expect(page.locator("p.count, p.notice").first).not_to_have_text(waiting)
        browser.close()


def test_lists_were_acknowledged_and_a_received_list_is_reconciled_and_answered(
    console_url: tuple[str, str, str], ru_console_url: tuple[str, str, str]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        url, username, password = console_url
        _log_in(page, url, username, password)
        acks = page.locator("table.acks")
        expect(acks).to_contain_text("RU · recipient")
        expect(acks).to_contain_text("TR · relay")
        page.screenshot(path=str(ARTIFACTS / "lists-ua.png"), full_page=True)
        page.get_by_role("link", name="Russian prisoners aged 18-25", exact=True).click()
        expect(page.locator("code.digest")).to_have_count(1)
        with page.expect_download() as download:
            page.get_by_role("link", name="PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")

        url, username, password = ru_console_url
        ru = browser.new_page(viewport={"width": 1400, "height": 1000})
        _log_in(ru, url, username, password)
        ru.get_by_role("link", name="Russian prisoners aged 18-25", exact=True).click()
        ru.get_by_role("link", name="Reconciliation report").click()
        expect(ru.locator("td.finding-count-known_missing")).not_to_have_text("0")
        ru.screenshot(path=str(ARTIFACTS / "reconciliation-ru.png"), full_page=True)
        first = ru.locator("table.reconciliation tbody tr").first
        first.locator("select").select_option("dispute")
        first.locator("input").fill("not on our lists of missing")
        ru.get_by_role("button", name="Make the response list").click()
        expect(ru.locator("table.entries")).to_contain_text("not on our lists of missing")
        ru.screenshot(path=str(ARTIFACTS / "response-ru.png"), full_page=True)
        browser.close()


def test_stages_progress_and_commissions_show_the_replayed_campaign(
    console_url: tuple[str, str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, username, password = console_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _log_in(page, url, username, password)
        page.goto(url + "/stages")
        page.get_by_role("link", name="1,000 for 1,000, day 1").first.click()
        expect(page.get_by_text("Balanced", exact=False).first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "stage-ua.png"), full_page=True)
        page.goto(url + "/progress")
        expect(page.locator("figure.chart svg")).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / "progress-ua.png"), full_page=True)
        page.goto(url + "/medical")
        expect(page.get_by_role("heading", name="Medical commissions")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "medical-ua.png"), full_page=True)
        browser.close()


AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe-core-4.11.0" / "axe.min.js"
SHOTS = ARTIFACTS / "screens"
MAIN_SCREENS = [
    ("dashboard", "/"),
    ("persons", "/persons"),
    ("person", "/persons#first"),
    ("matching", "/matching"),
    ("match-run", "/matching#first:/matching/runs/"),
    ("review", "/matching/review"),
    ("lists", "/lists"),
    ("list", "/lists#first:/lists/"),
    ("reconciliation", "/lists#reconciliation"),
    ("stages", "/stages"),
    ("stage", "/stages#first:/stages/"),
    ("progress", "/progress"),
    ("medical", "/medical"),
    ("agreements", "/agreements"),
    ("commitment", "/agreements#first:/agreements/commitments/"),
    ("round-report", "/agreements#first:/agreements/rounds/"),
    ("remains", "/remains"),
    ("bodies", "/remains/bodies"),
    ("body", "/remains/bodies#first:/remains/bodies/"),
    ("children", "/children"),
    ("child", "/children#first:/children/"),
    ("jobs", "/jobs"),
    ("job", "/jobs#first:/jobs/"),
    ("audit", "/audit"),
    ("public", "/public"),
]
"""Every main screen, by the name its screenshot gets: a path, or `page#first:prefix` for the
first link on `page` under `prefix` (a detail screen of the demo), or `/lists#reconciliation`
for the first list that has a reconciliation report."""
OPTIONAL_SCREENS = {"job"}
"""A job's page exists once somebody started one (the demo leaves none; other tests do)."""


def _axe_violations(page: Page, source: str) -> list[str]:
    """axe-core's serious and critical findings on the page as rendered, one line each."""
    page.add_script_tag(content=source)
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target}`)"""
    )
    return [str(line) for line in found]


def _first_link(page: Page, url: str, prefix: str) -> str | None:
    page.goto(url)
    for href in page.locator(f'main a[href^="{prefix}"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ):
        rest = str(href)[len(prefix) :].split("?")[0]
        if rest and "/" not in rest and "." not in rest:
            return str(href)
    return None


def _screens(page: Page, url: str, screens: list[tuple[str, str]]) -> dict[str, str]:
    """Each screen's path on this demo, found the way a user would, by following links."""
    paths: dict[str, str] = {}
    for name, where in screens:
        found: str | None = where
        if where == "/persons#first":
            found = _first_link(page, url + "/persons", "/persons/")
        elif where == "/lists#reconciliation":
            for link in page.locator('main a[href^="/lists/"]').evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            ):
                page.goto(url + str(link))
                found = page.locator('a[href$="/reconciliation"]')
                if found.count():
                    paths[name] = str(found.first.get_attribute("href"))
                    break
            else:
                raise AssertionError("no list with a reconciliation report")
            continue
        elif "#first:" in where:
            on, prefix = where.split("#first:")
            found = _first_link(page, url + on, prefix)
        if found is None and name not in OPTIONAL_SCREENS:
            raise AssertionError(f"no {name} screen linked from {where}")
        if found is not None:
            paths[name] = found
        if name == "lists":
            page.goto(url + "/lists")
    return paths


def _photograph(
    page: Page, url: str, paths: dict[str, str], source: str, problems: dict[str, list[str]]
) -> None:
    """Each screen in English then Ukrainian: a screenshot, and what a reader must not see."""
    from playwright.sync_api import expect

    from tests.e2e.test_console_languages import ISO_TIMESTAMP, KEY, english_words, visible_text

    for language, button in (("en", "English"), ("uk", "Українська")):
        page.goto(url + "/")
        switch = page.get_by_role("button", name=button)
        if switch.is_enabled():
            switch.click()
        expect(page.get_by_role("button", name=button)).to_be_disabled(timeout=20_000)
        for name, path in paths.items():
            page.goto(url + path)
            assert page.locator("html").get_attribute("lang") == language, path
            page.screenshot(path=str(SHOTS / f"{name}-{language}.png"), full_page=True)
            text = visible_text(page.content(), skip_code=path == "/audit")
            found = sorted(set(KEY.findall(text)) | set(ISO_TIMESTAMP.findall(text)))
            if language == "uk" and not path.startswith(("/agreements", "/public")):
                found += sorted(english_words(text))
            if source:
                found += _axe_violations(page, source)
            if found:
                problems[f"{path} ({language})"] = found
    page.goto(url + "/")
    page.get_by_role("button", name="English").click()


def test_every_main_screen_in_both_languages_is_photographed_shows_no_key_and_passes_axe(
    demo: tuple[Path, list[DemoLogin]],
    console_url: tuple[str, str, str],
    ru_console_url: tuple[str, str, str],
) -> None:
    """A full-page screenshot of every main screen in English and Ukrainian under
    `test-artifacts/screens/` (NAME-en.png, NAME-uk.png); none shows an internal key or a raw
    timestamp, a Ukrainian one no English sentence; no serious or critical axe-core violation
    (when axe-core is fetched). The reconciliation report is the Russian instance's, which
    reconciled the list Ukraine sent it. Ukraine's screens are seen by its administrator, who
    may open every one of them."""
    from playwright.sync_api import sync_playwright

    admin = next(x for x in demo[1] if x.instance == "ua" and x.role == "admin")

    source = AXE.read_text() if AXE.exists() else ""
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        for served, screens in (
            (
                (console_url[0], admin.username, admin.password),
                [s for s in MAIN_SCREENS if s[0] != "reconciliation"],
            ),
            (ru_console_url, [s for s in MAIN_SCREENS if s[0] in ("lists", "reconciliation")]),
        ):
            url, username, password = served
            page = browser.new_context(
                viewport={"width": 1366, "height": 900}, bypass_csp=True
            ).new_page()
            _log_in(page, url, username, password)
            paths = _screens(page, url, screens)
            if url == ru_console_url[0]:
                paths = {"reconciliation": paths["reconciliation"]}
            _photograph(page, url, paths, source, problems)
        browser.close()
    taken = {p.name for p in SHOTS.glob("*.png")}
    wanted = [name for name, _ in MAIN_SCREENS if name not in OPTIONAL_SCREENS]
    assert {f"{name}-{lang}.png" for name in wanted for lang in ("en", "uk")} <= taken
    assert problems == {}


def test_from_login_to_a_search_result_by_keyboard_only(
    console_url: tuple[str, str, str],
) -> None:
    """Tab and Enter only: log in, skip to the content, open the registry, search, open."""
    from playwright.sync_api import expect, sync_playwright

    url, username, password = console_url
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        setup = browser.new_page()
        _log_in(setup, url, username, password)  # the account speaks English again
        setup.close()
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(url + "/login")

        def tab_to(check: str, limit: int = 40) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                if page.evaluate(check):
                    return
            raise AssertionError(f"Tab never reached: {check}")

        tab_to("document.activeElement.name === 'username'")
        page.keyboard.type(username)
        tab_to("document.activeElement.name === 'password'")
        page.keyboard.type(password)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="What needs attention today")).to_be_visible()
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused in ("Skip to content", "Перейти до вмісту"), focused
        tab_to("document.activeElement.getAttribute('href') === '/persons'")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Registry")).to_be_visible()
        surname = page.locator("table.list tbody tr td a").first.inner_text().split()[0]
        tab_to("document.activeElement.type === 'search'")
        page.keyboard.type(surname)
        page.keyboard.press("Enter")
        expect(page.locator("table.list tbody tr td a").first).to_contain_text(surname)
        # past the filters and the sortable column headers (each a link), then the first row
        tab_to("document.activeElement.closest('table.list tbody') !== null", limit=120)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="History")).to_be_visible()
        browser.close()
