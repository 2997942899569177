"""Issue 16, part 3: the console speaks the browser's language on the first visit, and no main
screen shows an internal key (`military_prisoners`) or a raw ISO timestamp, in either language.

The pages are those of a built small demo, rendered for several roles; every link to a detail
page (a person, a list, a stage, a round...) is followed once per kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from parley.domain.accounts.accounts import SYSTEM
from parley.instance import open_instance
from parley.scenarios.demo import DemoLogin, build_demo
from parley.scenarios.population import Scale
from parley.services import exchange
from parley.web.app import create_app
from parley.web.console import i18n
from tests.e2e.console_client import csrf_of, log_in
from tests.e2e.test_browser import ARTIFACTS, CHROMIUM, _serve

KEY = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
ISO_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
MAIN = (
    "/",
    "/jobs",
    "/persons",
    "/matching",
    "/matching/review",
    "/lists",
    "/children",
    "/medical",
    "/stages",
    "/progress",
    "/remains",
    "/remains/rate",
    "/agreements",
    "/agreements/side-by-side",
    "/agreements/proposals",
    "/import",
    "/audit",
    "/trust",
    "/public",
)
DETAILS = "persons|lists|bundles|stages|children|remains/batches|remains/bodies|matching/runs"
DETAIL = re.compile(rf'href="(/(?:{DETAILS}|agreements/(?:rounds|commitments))/[^"/?#]+)"')
NOT_PAGES = (".pdf", ".csv", ".md", ".json", ".xlsx")
ENGLISH = frozenset(
    re.findall(
        r"\w+",
        """
        not is are was were has have had only will would their this that been nobody yet since
        because must should cannot custody consent capacity priority eligible ineligible
        uncertain recorded votes deputies repatriation repatriated transferred confirmed matched
        commission decided rejected pending unknown none page next previous planned returned
        waiting reason released expected executed response known already duplicate
        """,
    )
)
"""English words a sentence the services build would carry (`status is missing, not in
custody`, `2 of 3 votes for repatriate`), none of which is a name, a code or a title a person
typed: on a Ukrainian page they mean a sentence reached it untranslated."""
AS_WRITTEN = ("/agreements", "/public")
"""Pages quoting the negotiators' own texts (memoranda, proposals, press statements) as they
were recorded, in whatever language they were written; they are checked for keys only."""
ALLOWED_IN_CODE = {"/audit"}
"""The audit log shows each entry's action and record type as the hash chain stores them
(`match.results`, `match_run`), in `<code>`: they are what an auditor searches for."""


class _Visible(HTMLParser):
    """The text a person sees or hears: text nodes (SVG included), and the attributes read
    out (title, aria-label, placeholder, alt); not scripts, styles, or `<code>` where allowed."""

    def __init__(self, skip_code: bool) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.skip = {"script", "style"} | ({"code"} if skip_code else set())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.skip:
            self.hidden += 1
        self.parts += [
            v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def english_words(text: str) -> set[str]:
    return {word for word in re.findall(r"\b[a-z]+\b", text) if word in ENGLISH}


def visible_text(html: str, skip_code: bool = False) -> str:
    parser = _Visible(skip_code)
    parser.feed(html)
    return " ".join(p.strip() for p in parser.parts if p.strip())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DemoLogin]]:
    directory = tmp_path_factory.mktemp("demo")
    return directory, build_demo(directory, 11, Scale.SMALL, Console(quiet=True))


@pytest.fixture(scope="module")
def ua(demo: tuple[Path, list[DemoLogin]]) -> Iterator[TestClient]:
    instance = open_instance(demo[0] / "ua")
    with TestClient(create_app(instance)) as client:
        yield client
    instance.close()


def _login(demo: tuple[Path, list[DemoLogin]], role: str) -> DemoLogin:
    return next(x for x in demo[1] if x.instance == "ua" and x.role == role)


def _choose(client: TestClient, language: str) -> None:
    page = client.get("/import")
    client.post("/language", data={"language": language, "csrf_token": csrf_of(page.text)})


def _crawl(client: TestClient) -> dict[str, str]:
    """Each main page, and the first detail page of each kind linked from them."""
    pages: dict[str, str] = {}
    queue, kinds = list(MAIN), set()
    while queue:
        path = queue.pop(0)
        if path in pages or path.endswith(NOT_PAGES):
            continue
        response = client.get(path)
        if response.status_code == 403 or "html" not in response.headers["content-type"]:
            continue
        assert response.status_code == 200, path
        pages[path] = response.text
        for link in DETAIL.findall(response.text):
            kind = link.rsplit("/", 1)[0]
            if kind not in kinds:
                kinds.add(kind)
                queue.append(link)
    return pages


@pytest.mark.parametrize(
    ("role", "language"),
    [
        ("coordinator", "en"),
        ("coordinator", "uk"),
        ("admin", "uk"),
        ("forensic", "uk"),
        ("ombudsman", "uk"),
    ],
)
def test_no_main_screen_shows_an_internal_key_or_a_raw_timestamp(
    demo: tuple[Path, list[DemoLogin]], ua: TestClient, role: str, language: str
) -> None:
    login = _login(demo, role)
    ua.cookies.clear()
    log_in(ua, login.username, login.password)
    _choose(ua, language)
    pages = _crawl(ua)
    assert len(pages) >= 12 if role == "coordinator" else len(pages) >= 6
    leaks = {}
    for path, html in pages.items():
        text = visible_text(html, skip_code=path in ALLOWED_IN_CODE)
        found = set(KEY.findall(text)) | set(ISO_TIMESTAMP.findall(text))
        if language == "uk" and not path.startswith(AS_WRITTEN):
            found |= english_words(text)
        if found:
            leaks[path] = sorted(found)
    assert leaks == {}
    assert all(f'<html lang="{language}">' in html for html in pages.values())


def test_the_crawl_catches_an_english_sentence_but_not_names_or_titles() -> None:
    page = (
        "<td>Mielnikov Kyrylo</td><td>status is missing, not in custody</td><td>ru-holds.csv</td>"
    )
    assert english_words(visible_text(page)) == {"is", "not", "custody"}
    assert (
        english_words(visible_text("<p>Ministry of Defence statement, 1,000 for 1,000</p>"))
        == set()
    )


def test_the_crawl_catches_a_key_and_a_timestamp() -> None:
    html = "<p>military_prisoners <code>x_y</code></p><svg><text>2026-12-06T18:26:17Z</text></svg>"
    assert KEY.findall(visible_text(html)) == ["military_prisoners", "x_y"]
    assert KEY.findall(visible_text(html, skip_code=True)) == ["military_prisoners"]
    assert ISO_TIMESTAMP.findall(visible_text(html)) == ["2026-12-06T18:26"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("uk-UA,uk;q=0.9,en-US;q=0.8,en;q=0.7", "uk"),
        ("uk", "uk"),
        ("en-US,en;q=0.9,uk;q=0.8", "en"),
        ("de-DE,de;q=0.9,uk;q=0.5", "uk"),
        ("ru-RU,ru;q=0.9", None),
        ("en;q=0.2, uk;q=0.8", "uk"),
        ("uk;q=0, en", "en"),
        ("*", None),
        ("uk;q=abc", None),
        ("", None),
        (None, None),
    ],
)
def test_accept_language_is_read_with_its_q_values(header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_the_first_visit_follows_the_browser_and_the_toggle_wins(ua: TestClient) -> None:
    ua.cookies.clear()
    ukrainian = {"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.8"}
    page = ua.get("/login", headers=ukrainian)
    assert page.headers["content-language"] == "uk"
    assert 'name="username"' in page.text and "Увійти" in page.text
    assert ua.get("/login", headers={"Accept-Language": "ru, de"}).headers["content-language"] == (
        "en"
    )
    ua.post("/language", data={"language": "en", "back": "/login"}, headers=ukrainian)
    assert ua.get("/login", headers=ukrainian).headers["content-language"] == "en"


def test_an_account_without_a_language_follows_the_browser_after_login(
    demo: tuple[Path, list[DemoLogin]], ua: TestClient
) -> None:
    login = _login(demo, "analyst")  # no other test toggles this account's language
    ua.cookies.clear()
    ua.headers["Accept-Language"] = "uk-UA,uk;q=0.9"
    try:
        landed = log_in(ua, login.username, login.password)
        assert '<html lang="uk">' in landed
        _choose(ua, "en")  # pressed: the account remembers it over the browser
        ua.cookies.clear()
        assert '<html lang="en">' in log_in(ua, login.username, login.password)
    finally:
        del ua.headers["Accept-Language"]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_a_chromium_asking_for_ukrainian_sees_ukrainian_on_the_first_visit(
    demo: tuple[Path, list[DemoLogin]],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    login = _login(demo, "reviewer")  # an account with no language of its own
    for url in _serve(demo[0] / "ua"):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            context = browser.new_context(
                locale="uk-UA",
                extra_http_headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"},
                viewport={"width": 1280, "height": 900},
            )
            page = context.new_page()
            page.goto(url + "/matching")
            expect(page.locator("html")).to_have_attribute("lang", "uk")
            page.get_by_label("Імʼя користувача").fill(login.username)
            page.get_by_label("Пароль").fill(login.password)
            page.get_by_role("button", name="Увійти").click()
            expect(
                page.get_by_role("heading", name="Зіставлення", exact=True, level=1)
            ).to_be_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "matching-uk-first-visit.png"), full_page=True)
            page.get_by_role("button", name="English").click()  # the toggle wins from now on
            expect(
                page.get_by_role("heading", name="Matching", exact=True, level=1)
            ).to_be_visible()
            page.goto(url + "/progress")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            browser.close()


def _exclusion_rows(html: str) -> int:
    table = html.split('class="list exclusions"', 1)[1].split("</table>", 1)[0]
    return table.split("<tbody>", 1)[1].count("<tr>")


def test_a_stage_shows_its_exclusions_a_page_at_a_time(
    demo: tuple[Path, list[DemoLogin]], ua: TestClient
) -> None:
    """A full stage leaves thousands out: the page shows 50 of them, the filter still counts
    every one, and each code's tab pages on its own."""
    instance = ua.app.state.instance  # type: ignore[attr-defined]
    detail = exchange.show_stage(instance.uow(), SYSTEM, 1)
    total = len(detail.exclusions)
    assert total > 100, "the small demo's first stage leaves out more than two pages"
    login = _login(demo, "coordinator")
    ua.cookies.clear()
    log_in(ua, login.username, login.password)
    first = ua.get("/stages/1").text
    assert _exclusion_rows(first) == 50 and f"({total})" in first
    assert 'href="/stages/1?page=2&amp;' in first and 'rel="next"' in first
    pages = -(-total // 50)
    last = ua.get(f"/stages/1?page={pages}").text
    assert _exclusion_rows(last) == total - 50 * (pages - 1) and 'rel="next"' not in last
    code, count = min(detail.exclusion_counts.items(), key=lambda item: item[1])
    only = ua.get(f"/stages/1?code={code}").text
    assert _exclusion_rows(only) == count and 'class="pager"' not in only.split("exclusions")[-1]
    assert ua.get("/stages/1?page=0").status_code in (400, 422)  # refused, named, never a 500


@pytest.mark.parametrize(
    ("language", "recorded_by", "scheme", "expected"),
    [
        ("en", "system:demo-builder", "translitua:UkrainianKMU", ("the demo builder", "KMU 2010")),
        ("uk", "console:olena", "iuliia:icao_doc_9303", ("olena (консоль)", "ICAO Doc 9303")),
        (
            "uk",
            "cli:admin",
            "translitua:UkrainianPassport2007",
            ("admin (командний", "паспорт 2007"),
        ),
        ("en", "someone", "home-made", ("someone", "home-made")),
        ("uk", "demo-builder", "", ("генератор", "")),
    ],
)
def test_who_recorded_it_and_the_romanisation_read_as_words(
    language: str, recorded_by: str, scheme: str, expected: tuple[str, str]
) -> None:
    """`system:demo-builder` and `translitua` showed raw on person pages."""
    token = i18n.current_language.set(language)
    try:
        assert i18n.who(recorded_by).startswith(expected[0])
        assert i18n.scheme(scheme).startswith(expected[1])
    finally:
        i18n.current_language.reset(token)
