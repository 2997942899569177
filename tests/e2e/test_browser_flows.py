"""Issue 16's end-to-end flows in a real browser (Debian's Chromium, Playwright) that
`test_browser.py` does not walk: a person found by a Latin spelling of a Cyrillic name, a signed
list imported and reconciled, a stage planned, an identification confirmed by a second person,
a child's case followed, a round's report opened. docs/console.md lists which test covers
which flow."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import translitua
from playwright.sync_api import Page
from rich.console import Console

from parley.domain.lists import ListPurpose
from parley.domain.matching import Thresholds
from parley.domain.registry.events import Status
from parley.domain.remains.bodies import BodyStatus
from parley.instance import open_instance
from parley.scenarios.demo import DemoLogin, build_demo
from parley.scenarios.population import Scale
from parley.services import accounts, lists, matching, remains
from parley.services.lists import bundles
from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, _browser, _serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed; `make test` installs it"
    ),
]
FLOWS = ARTIFACTS / "flows"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DemoLogin]]:
    directory = tmp_path_factory.mktemp("demo")
    return directory, build_demo(directory, 13, Scale.SMALL, Console(quiet=True))


def _login(demo: tuple[Path, list[DemoLogin]], instance: str, role: str) -> DemoLogin:
    return next(x for x in demo[1] if x.instance == instance and x.role == role)


@pytest.fixture(scope="module")
def ua_url(demo: tuple[Path, list[DemoLogin]]) -> Iterator[str]:
    yield from _serve(demo[0] / "ua")


@pytest.fixture(scope="module")
def ru_url(demo: tuple[Path, list[DemoLogin]]) -> Iterator[str]:
    yield from _serve(demo[0] / "ru")


def _enter(page: Page, url: str, login: DemoLogin, landing: str = "/") -> None:
    """Log in from the login page, in English whatever the account remembered."""
    from playwright.sync_api import expect

    page.goto(url + landing)
    page.get_by_label("Username").fill(login.username)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Log in").click()
    english = page.get_by_role("button", name="English")
    if english.is_enabled():
        english.click()
    expect(page.get_by_role("button", name="English")).to_be_disabled()


def _shot(page: Page, name: str) -> None:
    FLOWS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FLOWS / f"{name}.png"), full_page=True)


def test_a_person_is_found_by_a_latin_spelling_of_a_cyrillic_name(
    demo: tuple[Path, list[DemoLogin]], ua_url: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _enter(page, ua_url, _login(demo, "ua", "coordinator"), "/persons")
        names = page.locator("table.list tbody tr td a").all_inner_texts()
        surnames = [n.split()[0] for n in names if re.match(r"^[А-ЯЁІЇЄҐ][а-яёыэіїєґʼ']+ ", n)]
        spelt = {s: translitua.translit(s, translitua.UkrainianKMU) for s in surnames}
        surname, latin = next((c, x) for c, x in spelt.items() if x.isascii() and len(c) > 3)
        page.get_by_role("searchbox").fill(latin)
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("table.list tbody")).to_contain_text(surname)
        _shot(page, "search-by-latin-spelling")
        browser.close()


def test_a_signed_list_is_imported_and_its_reconciliation_seen(
    demo: tuple[Path, list[DemoLogin]], ru_url: str, tmp_path: Path
) -> None:
    """Ukraine signs a new offer; Russia's coordinator uploads the file, reconciles it (a job)
    and reads the report."""
    from playwright.sync_api import expect, sync_playwright

    ua = open_instance(demo[0] / "ua")
    try:
        actor = accounts.actor_for_username(ua.uow(), "coordinator", "system")
        offer = lists.build_list(
            ua.uow(),
            actor,
            "UA",
            lists.ListDraft(
                "Russian prisoners aged 26-40", ListPurpose.OFFER, ("RU",), "aged 26-40", "test"
            ),
            lists.RegistrySelection(Status.HELD, None, "RU", (26, 40), None),
        ).stored
        _, signed = bundles.export_bundle(ua.uow(), actor, ua.keyring(), offer.id)
    finally:
        ua.close()
    file = tmp_path / "offer-26-40.json"
    file.write_bytes(signed)
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _enter(page, ru_url, _login(demo, "ru", "coordinator"), "/lists")
        page.get_by_label("Bundle received (JSON)").set_input_files(str(file))
        page.locator("form.import-form button[type=submit]").last.click()
        expect(page.get_by_text("Our signed receipt, to send back:")).to_be_visible()
        _shot(page, "imported-bundle-checks")
        page.get_by_role("link", name="Open the received list").click()
        expect(page.get_by_role("heading", name="Russian prisoners aged 26-40")).to_be_visible()
        page.get_by_role("button", name="Reconcile against our registry").click()
        expect(page.get_by_role("heading", name=re.compile("List reconciliation"))).to_be_visible()
        deadline = time.monotonic() + 300  # a match run; slow on a busy machine
        while not page.locator("a.result").count():  # the job page survives a reload
            assert time.monotonic() < deadline, page.locator("main").inner_text()
            time.sleep(2)
            page.reload()
        page.locator("a.result").click()
        expect(page.locator("table.reconciliation")).to_be_visible()
        _shot(page, "imported-list-reconciliation")
        browser.close()


def test_a_match_is_confirmed_from_the_review_queue(
    demo: tuple[Path, list[DemoLogin]], ua_url: str
) -> None:
    """A list matched with a bar no pair reaches (accept 0.999999) sends its pairs to review;
    the reviewer confirms the first with its button, and the queue moves on."""
    from playwright.sync_api import expect, sync_playwright

    ua = open_instance(demo[0] / "ua")
    try:
        actor = accounts.actor_for_username(ua.uow(), "coordinator", "api")
        listed = (demo[0] / "lists" / "ru-holds-ua.csv").read_bytes()
        outcome = matching.run_match(
            ua.uow(), actor, "to-review.csv", listed, Thresholds(0.999999, 0.01, 1000.0)
        )
        assert sum(n for kind, n in outcome.run.counts.items() if "review" in kind) > 0, outcome.run
    finally:
        ua.close()
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        _enter(page, ua_url, _login(demo, "ua", "reviewer"), "/matching/review")
        page.goto(ua_url + "/matching/review")
        first = page.locator("#review").get_attribute("data-entry")
        _shot(page, "review-before-confirming")
        page.locator("button.decision-confirmed").click()
        expect(page.locator("#review")).not_to_have_attribute("data-entry", str(first))
        _shot(page, "review-after-confirming")
        browser.close()


def test_a_stage_is_planned_from_the_form(demo: tuple[Path, list[DemoLogin]], ua_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _enter(page, ua_url, _login(demo, "ua", "coordinator"), "/stages")
        form = page.locator("form.stage-plan")
        form.locator('input[name="name"]').fill("Browser stage")
        form.locator('input[name="on"]').fill("2025-07-01")
        form.locator('input[name="capacity"]').fill("5")
        form.locator('input[type=checkbox][name="category"]').first.check()
        form.get_by_role("button", name="Plan").click()
        expect(page.get_by_role("heading", name=re.compile("Browser stage"))).to_be_visible(
            timeout=60_000
        )
        expect(page.get_by_role("heading", name="Left out, and why", exact=False)).to_be_visible()
        _shot(page, "stage-planned")
        browser.close()


def test_an_identification_is_confirmed_by_a_second_person(
    demo: tuple[Path, list[DemoLogin]], ua_url: str
) -> None:
    """The forensic examiner's preliminary identification (recorded as the API would) cannot
    be confirmed by them; the administrator, a second person, confirms it in the console."""
    from playwright.sync_api import expect, sync_playwright

    ua = open_instance(demo[0] / "ua")
    try:
        forensic = accounts.actor_for_username(ua.uow(), "forensic", "api")
        bodies = remains.bodies(ua.uow(), forensic)
        known = next(b for b in bodies if b.missing_ref)
        body = next(b for b in bodies if b.status == BodyStatus.PROFILED.value)
        remains.record_step(ua.uow(), forensic, body.tag, BodyStatus.CANDIDATE)
        remains.record_step(
            ua.uow(), forensic, body.tag, BodyStatus.PRELIMINARY, missing_ref=known.missing_ref
        )
    finally:
        ua.close()
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        first = browser.new_page(viewport={"width": 1280, "height": 900})
        _enter(first, ua_url, _login(demo, "ua", "forensic"), f"/remains/bodies/{body.tag}")
        first.goto(f"{ua_url}/remains/bodies/{body.tag}")
        expect(first.get_by_text("another person must confirm it", exact=False)).to_be_visible()
        second = browser.new_context().new_page()
        _enter(second, ua_url, _login(demo, "ua", "admin"), "/")
        second.goto(f"{ua_url}/remains/bodies/{body.tag}")
        second.get_by_role("button", name="Confirm the identification").click()
        expect(second.locator("main")).to_contain_text("confirmed")
        expect(second.get_by_role("button", name="Confirm the identification")).to_have_count(0)
        _shot(second, "identification-confirmed")
        browser.close()


def test_a_childs_case_is_followed(demo: tuple[Path, list[DemoLogin]], ua_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _enter(page, ua_url, _login(demo, "ua", "ombudsman"), "/children")
        page.goto(ua_url + "/children")
        page.locator('main table a[href^="/children/"]').first.click()
        expect(page).to_have_url(re.compile(r"/children/\d+$"))
        expect(page.get_by_role("heading", name="Events", exact=False).first).to_be_visible()
        assert page.locator("main table tbody tr").count() >= 1
        _shot(page, "child-case")
        browser.close()


def test_a_rounds_report_is_opened(demo: tuple[Path, list[DemoLogin]], ua_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _enter(page, ua_url, _login(demo, "ua", "coordinator"), "/agreements")
        page.goto(ua_url + "/agreements")
        page.locator('main a[href^="/agreements/rounds/"]').first.click()
        expect(page).to_have_url(re.compile(r"/agreements/rounds/\d+"))
        expect(page.locator("main h1")).to_be_visible()
        with page.expect_download() as download:
            page.locator('main a[href*="/report.pdf"]').first.click()
        assert download.value.suggested_filename.endswith(".pdf")
        _shot(page, "round-report")
        browser.close()
