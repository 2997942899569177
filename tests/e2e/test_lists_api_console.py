"""Lists and bundles through the API and the console: two instances, UA and RU, on SQLite."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from faker import Faker
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.dates import PartialDate
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import Person, PersonCategory, PersonName, Sex
from parley.instance import Instance, init_instance
from parley.interchange.bundles import canonical_json
from parley.interchange.keys import load_public_key, public_key_text
from parley.services import accounts, registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, follow_job, log_in
from tests.e2e.test_console_languages import ISO_TIMESTAMP, english_words, visible_text

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
# (surname UA form, given UA, patronymic UA, RU forms, born)
SOLDIERS = [
    ("Кузьмін", "Ілля", "Анатолійович", ("Кузьмин", "Илья", "Анатольевич"), "2001-12-04"),
    ("Никитін", "Дмитро", "Вікторович", ("Никитин", "Дмитрий", "Викторович"), "2004-05-24"),
    ("Данілов", "Володимир", "Євгенович", ("Данилов", "Владимир", "Евгеньевич"), "2003-03-28"),
    ("Іванов", "Сергій", "Петрович", ("Иванов", "Сергей", "Петрович"), "1980-01-01"),
]


@dataclass
class Pair:
    ua: Instance
    ru: Instance
    ua_client: TestClient
    ru_client: TestClient
    ua_auth: dict[str, str]
    ru_auth: dict[str, str]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    ua, _ = init_instance(tmp_path / "ua", "UA", "UA HQ", None, ADMIN_PASSWORD)
    ru, _ = init_instance(tmp_path / "ru", "RU", "RU commission", None, ADMIN_PASSWORD)
    for one, other in ((ua, ru), (ru, ua)):
        one.trust_store.add(
            other.config.party, other.config.name, public_key_text(load_public_key(other.directory))
        )
    for surname, given, patronymic, russian, born in SOLDIERS:
        held = Person(
            "RU",
            PersonCategory.MILITARY,
            Sex.MALE,
            [PersonName(surname, given, patronymic)],
            PartialDate.parse(born),
        )
        registry.register_person(
            ua.uow(),
            ADMIN,
            held,
            [
                EventDraft(
                    EventType.DETAINED,
                    PartialDate.parse("2024-05-01").to_date(),
                    Source.OWN_INFORMATION,
                )
            ],
        )
        missing = Person(
            "RU",
            PersonCategory.MILITARY,
            Sex.MALE,
            [PersonName(*russian, language="ru")],
            PartialDate.parse(born),
        )
        registry.register_person(
            ru.uow(),
            ADMIN,
            missing,
            [
                EventDraft(
                    EventType.REPORTED_MISSING,
                    PartialDate.parse("2024-05-02").to_date(),
                    Source.FAMILY,
                )
            ],
        )
    faker = Faker("ru_RU")
    faker.seed_instance(5)
    fillers = [
        (
            Person(
                "RU",
                PersonCategory.MILITARY,
                Sex.MALE,
                [PersonName(faker.last_name_male(), faker.first_name_male(), "", language="ru")],
                PartialDate.of(faker.date_of_birth(minimum_age=30, maximum_age=60)),
            ),
            [],
        )
        for _ in range(20)
    ]
    registry.register_many(ru.uow(), ADMIN, fillers)
    ua_token = accounts.issue_token(ua.uow(), SYSTEM, "admin", "tests").secret
    ru_token = accounts.issue_token(ru.uow(), SYSTEM, "admin", "tests").secret
    with TestClient(create_app(ua)) as ua_client, TestClient(create_app(ru)) as ru_client:
        yield Pair(
            ua,
            ru,
            ua_client,
            ru_client,
            {"Authorization": f"Bearer {ua_token}"},
            {"Authorization": f"Bearer {ru_token}"},
        )
    ua.close()
    ru.close()


def _offer(pair: Pair) -> dict[str, object]:
    built = pair.ua_client.post(
        "/api/v1/lists",
        headers=pair.ua_auth,
        json={
            "name": "Prisoners 18-25",
            "recipients": ["RU"],
            "status": "held",
            "side": "RU",
            "ages": [18, 25],
            "as_of": "2025-06-09",
            "category_label": "aged 18-25",
        },
    )
    assert built.status_code == 201, built.text
    summary: dict[str, object] = built.json()["summary"]
    return summary


def test_a_list_is_built_signed_verified_reconciled_and_answered_through_the_api(
    pair: Pair,
) -> None:
    offer = _offer(pair)
    assert offer["entries"] == 3  # the man born in 1980 is not 18-25
    shown = pair.ua_client.get(f"/api/v1/lists/{offer['id']}", headers=pair.ua_auth).json()
    assert {e["surname"] for e in shown["entries"]} == {"Кузьмін", "Никитін", "Данілов"}
    pdf = pair.ua_client.get(
        f"/api/v1/lists/{offer['id']}/document?format=pdf", headers=pair.ua_auth
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    signed = pair.ua_client.post(
        "/api/v1/bundles/export", headers=pair.ua_auth, json={"list_id": offer["id"]}
    )
    assert signed.status_code == 200
    raw = signed.content
    upload = {"file": ("offer.json", raw, "application/json")}
    taken = pair.ru_client.post("/api/v1/bundles", headers=pair.ru_auth, files=upload)
    assert taken.status_code == 201, taken.text
    body = taken.json()
    assert [c["check"] for c in body["checks"]] == [
        "format", "schema", "digest", "signature", "trusted key", "recipient", "created at",
    ]  # fmt: skip
    assert all(c["passed"] for c in body["checks"]) and body["receipt"]
    again = pair.ru_client.post("/api/v1/bundles", headers=pair.ru_auth, files=upload)
    assert again.status_code == 200 and again.json()["already"]

    received = body["received_list"]["id"]
    reconciled = pair.ru_client.post(
        f"/api/v1/lists/{received}/reconciliation", headers=pair.ru_auth
    )
    assert reconciled.status_code == 200, reconciled.text
    report = reconciled.json()
    assert report["counts"]["known_missing"] == 3
    response = pair.ru_client.post(
        f"/api/v1/lists/{received}/response",
        headers=pair.ru_auth,
        json={"answers": [{"ref": "E1", "verdict": "dispute", "reason": "already exchanged"}]},
    )
    assert response.status_code == 201
    answer = pair.ru_client.post(
        "/api/v1/bundles/export",
        headers=pair.ru_auth,
        json={"list_id": response.json()["summary"]["id"]},
    ).content
    for name, content in (("receipt.json", body["receipt"].encode()), ("answer.json", answer)):
        done = pair.ua_client.post(
            "/api/v1/bundles",
            headers=pair.ua_auth,
            files={"file": (name, content, "application/json")},
        )
        assert done.status_code == 201, done.text
    acks = pair.ua_client.get("/api/v1/acknowledgments", headers=pair.ua_auth).json()
    assert acks[0]["acknowledged"] and acks[0]["receipts"][0]["by"] == "RU"


def test_a_tampered_bundle_is_refused_with_the_failed_check_and_nothing_changes(
    pair: Pair,
) -> None:
    offer = _offer(pair)
    raw = pair.ua_client.post(
        "/api/v1/bundles/export", headers=pair.ua_auth, json={"list_id": offer["id"]}
    ).content
    document = json.loads(raw)
    document["recipient"] = "TR"
    forged = canonical_json(document)
    refused = pair.ru_client.post(
        "/api/v1/bundles",
        headers=pair.ru_auth,
        files={"file": ("forged.json", forged, "application/json")},
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "bundle_refused" and not body["accepted"]
    assert body["checks"][-1]["passed"] is False
    assert "check failed" in body["message"]
    assert pair.ru_client.get("/api/v1/lists", headers=pair.ru_auth).json()["total"] == 0
    assert pair.ru_client.get("/api/v1/bundles", headers=pair.ru_auth).json()["total"] == 0


def test_the_console_builds_a_list_and_shows_each_check_of_an_uploaded_bundle(
    pair: Pair,
) -> None:
    make_account(pair.ua, "coord", Role.COORDINATOR)
    log_in(pair.ua_client, "coord", ADMIN_PASSWORD)
    page = pair.ua_client.get("/lists")
    assert page.status_code == 200 and "Build a list from the registry" in page.text
    built = pair.ua_client.post(
        "/lists",
        data={
            "csrf_token": csrf_of(page.text),
            "name": "From the console",
            "recipients": "RU",
            "status": "held",
            "ages": "18-25",
            "as_of": "2025-06-09",
        },
    )
    assert built.status_code == 200 and "From the console" in built.text
    assert "Кузьмін" in built.text and "Іванов" not in built.text
    bundle = pair.ua_client.post(
        str(built.url) + "/bundle", data={"csrf_token": csrf_of(built.text), "recipient": "RU"}
    )
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/json"

    make_account(pair.ru, "coord", Role.COORDINATOR)
    page = log_in(pair.ru_client, "coord", ADMIN_PASSWORD)
    lists_page = pair.ru_client.get("/lists")
    tampered = bundle.content.replace("Кузьмін".encode(), "Кузьмин".encode())
    shown = pair.ru_client.post(
        "/bundles",
        data={"csrf_token": csrf_of(lists_page.text)},
        files={"file": ("tampered.json", tampered, "application/json")},
    )
    assert shown.status_code == 422 and "Refused: nothing was stored." in shown.text
    accepted = pair.ru_client.post(
        "/bundles",
        data={"csrf_token": csrf_of(lists_page.text)},
        files={"file": ("offer.json", bundle.content, "application/json")},
    )
    assert accepted.status_code == 200 and accepted.text.count("✔") == 7


def test_a_held_list_is_matched_from_the_cli_the_api_and_the_console(pair: Pair) -> None:
    from typer.testing import CliRunner

    from parley.cli.main import app

    offer = _offer(pair)
    raw = pair.ua_client.post(
        "/api/v1/bundles/export", headers=pair.ua_auth, json={"list_id": offer["id"]}
    ).content
    received = pair.ru_client.post(
        "/api/v1/bundles",
        headers=pair.ru_auth,
        files={"file": ("offer.json", raw, "application/json")},
    ).json()["received_list"]["id"]

    run = pair.ru_client.post(
        "/api/v1/match/runs", headers=pair.ru_auth, data={"list_id": str(received)}
    )
    assert run.status_code == 201, run.text
    assert run.json()["entries"] == 3 and run.json()["counts"].get("matched") == 3

    result = CliRunner().invoke(
        app, ["match", "run", "--list", str(received), "--instance", str(pair.ru.directory)]
    )
    assert result.exit_code == 0, result.output
    assert "3 entries — matched 3" in result.output

    make_account(pair.ru, "coord", Role.COORDINATOR)
    log_in(pair.ru_client, "coord", ADMIN_PASSWORD)
    page = pair.ru_client.get("/matching")
    assert "Or a list held here" in page.text
    shown = follow_job(
        pair.ru_client,
        pair.ru_client.post(
            "/matching/list-runs",
            data={"csrf_token": csrf_of(page.text), "list_id": str(received)},
        ),
    )
    assert shown.status_code == 200 and "/matching/runs/" in str(shown.url)
    assert "Match run" in shown.text


def test_the_cli_prints_the_json_the_api_returns(pair: Pair) -> None:
    """One shape per answer: `list report`, `match results`, `match runs` and `list all` print
    with `--json` exactly what the API returns."""
    from typer.testing import CliRunner

    from parley.cli.main import app

    offer = _offer(pair)
    raw = pair.ua_client.post(
        "/api/v1/bundles/export", headers=pair.ua_auth, json={"list_id": offer["id"]}
    ).content
    received = pair.ru_client.post(
        "/api/v1/bundles",
        headers=pair.ru_auth,
        files={"file": ("offer.json", raw, "application/json")},
    ).json()["received_list"]["id"]
    api = pair.ru_client.post(f"/api/v1/lists/{received}/reconciliation", headers=pair.ru_auth)
    assert api.status_code == 200, api.text
    where = ["--json", "--instance", str(pair.ru.directory)]
    printed = CliRunner().invoke(app, ["list", "report", str(received), *where])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == api.json()
    run_id = api.json()["run_id"]
    entries = pair.ru_client.get(f"/api/v1/match/runs/{run_id}/entries", headers=pair.ru_auth)
    printed = CliRunner().invoke(app, ["match", "results", str(run_id), *where])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == entries.json() and entries.json()["total"] == 3
    for command, path in (
        (["match", "runs"], "/api/v1/match/runs"),
        (["list", "all"], "/api/v1/lists"),
    ):
        returned = pair.ru_client.get(path, headers=pair.ru_auth)
        assert returned.status_code == 200, returned.text
        printed = CliRunner().invoke(app, [*command, *where])
        assert printed.exit_code == 0, printed.output
        assert json.loads(printed.stdout) == returned.json(), command
    assert returned.json()["total"] >= 1


def test_a_bundles_checks_read_in_ukrainian_with_their_time_as_the_language_writes_it(
    pair: Pair,
) -> None:
    """The check page showed each check's detail in English and `created at 2026-…Z` raw."""
    offer = _offer(pair)
    exported = pair.ua_client.post(
        "/api/v1/bundles/export", headers=pair.ua_auth, json={"list_id": offer["id"]}
    )
    raw = exported.content
    make_account(pair.ru, "coord", Role.COORDINATOR)
    log_in(pair.ru_client, "coord", ADMIN_PASSWORD)
    page = pair.ru_client.get("/lists")
    pair.ru_client.post("/language", data={"language": "uk", "csrf_token": csrf_of(page.text)})
    page = pair.ru_client.get("/lists")
    shown = {}
    for name, content in (
        ("tampered.json", raw.replace("Кузьмін".encode(), "Кузьмин".encode())),
        ("offer.json", raw),
        ("offer.json", raw),  # again: already received
    ):
        response = pair.ru_client.post(
            "/bundles",
            data={"csrf_token": csrf_of(page.text)},
            files={"file": (name, content, "application/json")},
        )
        shown[name if response.status_code != 200 or name not in shown else "again"] = response
    assert shown["tampered.json"].status_code == 422
    refused = visible_text(shown["tampered.json"].text)
    assert "підпис не перевіряється ключем" in refused or "хеш вмісту" in refused, refused
    accepted = visible_text(shown["offer.json"].text)
    assert "канонічний JSON" in accepted and "адресовано стороні RU" in accepted
    assert "створено " in accepted and "вид список" in accepted
    for page_text in (refused, accepted, visible_text(shown["again"].text)):
        text = page_text.replace("RU commission", "")  # the instance's name, as configured
        assert ISO_TIMESTAMP.findall(text) == [] and english_words(text) == set(), text
        assert re.findall(r"\b\d{4}-\d{2}-\d{2}\b|T\d{2}:\d{2}:\d{2}Z", text) == []
    # our receipt links to the stored receipt bundle (it linked to an empty data: address)
    receipt = re.search(r'назад: <a href="(/bundles/\d+)">', shown["offer.json"].text)
    assert receipt is not None
    downloaded = pair.ru_client.get(receipt.group(1))
    assert json.loads(downloaded.content)["kind"] == "receipt"
    # the received list, its reconciliation and its match run read in Ukrainian too
    opened = re.search(r'href="(/lists/\d+)">', shown["offer.json"].text.split("SHA-256")[-1])
    assert opened is not None
    listed = pair.ru_client.get(opened.group(1))
    report = follow_job(
        pair.ru_client,
        pair.ru_client.post(
            opened.group(1) + "/reconciliation", data={"csrf_token": csrf_of(listed.text)}
        ),
    )
    assert report.status_code == 200 and "/reconciliation" in str(report.url)
    run = re.search(r'href="(/matching/runs/\d+)"', report.text)
    assert run is not None
    for html in (listed.text, report.text, pair.ru_client.get(run.group(1)).text):
        text = re.sub(r"\s", " ", visible_text(html)).replace("RU commission", "")
        assert re.findall(r"\b\d{4}-\d{2}(?:-\d{2})?\b", text) == [], text
        assert ISO_TIMESTAMP.findall(text) == [] and english_words(text) == set(), text


def test_the_api_pages_a_lists_entries_in_list_order(pair: Pair) -> None:
    """`GET /lists/{id}` still returns every entry; `/entries` gives them a window at a time."""
    offer = _offer(pair)
    whole = pair.ua_client.get(f"/api/v1/lists/{offer['id']}", headers=pair.ua_auth).json()
    count = whole["summary"]["entries"]
    assert len(whole["entries"]) == count >= 3
    path = f"/api/v1/lists/{offer['id']}/entries"
    seen = []
    for offset in range(0, count, 2):
        page = pair.ua_client.get(path, headers=pair.ua_auth, params={"offset": offset, "limit": 2})
        assert page.status_code == 200, page.text
        body = page.json()
        assert (body["total"], body["offset"], body["limit"]) == (count, offset, 2)
        assert body["list_id"] == offer["id"] and 1 <= len(body["items"]) <= 2
        seen += body["items"]
    assert seen == whole["entries"]
    default = pair.ua_client.get(path, headers=pair.ua_auth).json()
    assert default["items"] == whole["entries"][:50] and default["limit"] == 50
    past = pair.ua_client.get(path, headers=pair.ua_auth, params={"offset": 10_000}).json()
    assert past["items"] == [] and past["total"] == count
    for hostile in ({"limit": 0}, {"limit": 501}, {"offset": -1}):
        refused = pair.ua_client.get(path, headers=pair.ua_auth, params=hostile)
        assert refused.status_code in (400, 422), hostile
    missing = pair.ua_client.get("/api/v1/lists/999/entries", headers=pair.ua_auth)
    assert missing.status_code == 404 and missing.json()["code"] == "list_not_found"


def test_a_built_lists_selection_reads_as_words_in_ukrainian(pair: Pair) -> None:
    """The selection showed as `status=held ages=18-25 as_of=2025-06-09`."""
    offer = _offer(pair)
    make_account(pair.ua, "coord", Role.COORDINATOR)
    log_in(pair.ua_client, "coord", ADMIN_PASSWORD)
    page = pair.ua_client.get("/lists")
    pair.ua_client.post("/language", data={"language": "uk", "csrf_token": csrf_of(page.text)})
    html = pair.ua_client.get(f"/lists/{offer['id']}").text
    selection = html.split('<dd class="selection">', 1)[1].split("</dd>", 1)[0]
    text = re.sub(r"\s", " ", visible_text(selection))
    assert "утримується нами" in text and "18-25" in text and "9 черв. 2025 р." in text
    page_text = re.sub(r"\s", " ", visible_text(html)).replace("UA HQ", "")
    assert re.findall(r"\b\d{4}-\d{2}(?:-\d{2})?\b", page_text) == [], page_text
    assert ISO_TIMESTAMP.findall(page_text) == [] and english_words(page_text) == set()


def test_a_ukrainian_reconciliation_prefills_its_reasons_in_ukrainian_and_sends_them_as_proposed(
    pair: Pair,
) -> None:
    """Issue 16, part 3: the reasons the reconciliation proposes read in the page's language;
    one left as shown is sent in the services' words, one typed over is sent as typed."""
    offer = _offer(pair)
    signed = pair.ua_client.post(
        "/api/v1/bundles/export", headers=pair.ua_auth, json={"list_id": offer["id"]}
    ).content
    upload = {"file": ("offer.json", signed, "application/json")}
    received = pair.ru_client.post("/api/v1/bundles", headers=pair.ru_auth, files=upload).json()[
        "received_list"
    ]["id"]
    pair.ru_client.post(f"/api/v1/lists/{received}/reconciliation", headers=pair.ru_auth)
    log_in(pair.ru_client, "admin", ADMIN_PASSWORD)
    token = csrf_of(pair.ru_client.get("/lists").text)
    pair.ru_client.post("/language", data={"csrf_token": token, "language": "uk", "back": "/"})
    page = pair.ru_client.get(f"/lists/{received}/reconciliation").text
    assert 'value="відомо нам: зниклий безвісти з 2 трав. 2024 р."' in page
    assert "known to us" not in page
    answered = pair.ru_client.post(
        f"/lists/{received}/response",
        data={
            "csrf_token": token,
            "reason:E1": "уже обміняно",
            "verdict:E1": "dispute",
            "reason:E2": "відомо нам: зниклий безвісти з 2 трав. 2024 р.",
            "reason:E3": "відомо нам: зниклий безвісти з 2 трав. 2024 р.",
        },
    )
    assert answered.status_code == 200 and "/lists/" in str(answered.url)
    assert "Відповідь на список UA Prisoners 18-25, версія 1" in answered.text
    response_id = int(str(answered.url).rstrip("/").rsplit("/", 1)[1])
    sent = pair.ru_client.get(f"/api/v1/lists/{response_id}", headers=pair.ru_auth).json()
    assert sent["summary"]["name"] == "Response to UA Prisoners 18-25 v1"  # stored in English
    reasons = {e["ref"]: e["response"]["reason"] for e in sent["entries"]}
    assert reasons == {
        "E1": "уже обміняно",
        "E2": "known to us: missing since 2024-05-02",
        "E3": "known to us: missing since 2024-05-02",
    }


def test_a_received_bundles_checks_read_in_ukrainian(pair: Pair) -> None:
    """Issue 16, part 3: each check's detail on the bundle page is in the page's language."""
    offer = _offer(pair)
    signed = pair.ua_client.post(
        "/api/v1/bundles/export", headers=pair.ua_auth, json={"list_id": offer["id"]}
    ).content
    log_in(pair.ru_client, "admin", ADMIN_PASSWORD)
    token = csrf_of(pair.ru_client.get("/lists").text)
    pair.ru_client.post("/language", data={"csrf_token": token, "language": "uk", "back": "/"})
    tampered = signed.replace("Кузьмін".encode(), "Кузьмин".encode())
    refused = pair.ru_client.post(
        "/bundles",
        data={"csrf_token": token},
        files={"file": ("tampered.json", tampered, "application/json")},
    )
    assert refused.status_code == 422
    assert "але хеш вмісту —" in refused.text and "hashes to" not in refused.text
    accepted = pair.ru_client.post(
        "/bundles",
        data={"csrf_token": token},
        files={"file": ("offer.json", signed, "application/json")},
    ).text
    assert "підписано стороною UA ключем" in accepted and "адресовано стороні RU" in accepted
    assert "signed by" not in accepted and "addressed to" not in accepted
