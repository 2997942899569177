"""The category check through all three doors: `parley list check`, the API and the console.

Consent, art. 112 certification and a legal hold are recorded with `parley event add`, as an
operator would; the list is one typed elsewhere and reconciled with our registry. Synthetic
people only.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from faker import Faker
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.cli.main import app as cli
from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.dates import PartialDate
from parley.domain.lists import ListPurpose
from parley.domain.matching import Decision
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import Person, PersonCategory, PersonName, Sex
from parley.instance import Instance, init_instance
from parley.services import accounts, lists, matching, registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import log_in

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
runner = CliRunner()
DETAINED = EventDraft(EventType.DETAINED, date(2024, 2, 1), Source.OWN_INFORMATION)
# ref, surname, given, patronymic, born as listed, born in our registry (None: not ours)
LISTED = [
    ("K1", "Вербицький", "Остап", "Андрійович", "1999-06-10", "1999-06-10"),
    ("K2", "Павлюченко", "Гліб", "Назарович", "1999-06-09", "1999-06-09"),
    ("K3", "Стецюк", "Захар", "Олексійович", "1999", None),
    ("K4", "Сидоренко", "Марко", "Петрович", "2001-02-03", "2001-02-03"),
]
AGREED = ("aged_18_25", "seriously_wounded_or_sick")
QUERY = "category=aged_18_25&category=seriously_wounded_or_sick&on=2025-06-09"


@dataclass
class Setup:
    instance: Instance
    client: TestClient
    auth: dict[str, str]
    list_id: int
    people: dict[str, int]


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    instance, _ = init_instance(tmp_path / "ua", "UA", "UA HQ", None, ADMIN_PASSWORD)
    monkeypatch.setenv("PARLEY_INSTANCE", str(instance.directory))
    monkeypatch.delenv("PARLEY_USER", raising=False)
    people: dict[str, int] = {}
    for ref, surname, given, patronymic, _listed, ours in LISTED:
        if ours is not None:
            person = Person(
                "RU",
                PersonCategory.MILITARY,
                Sex.MALE,
                [PersonName(surname, given, patronymic)],
                PartialDate.parse(ours),
            )
            record = registry.register_person(instance.uow(), ADMIN, person, [DETAINED])
            people[ref] = record.id or 0
    faker = Faker("uk_UA")
    faker.seed_instance(609)
    registry.register_many(
        instance.uow(),
        ADMIN,
        [
            (
                Person(
                    "RU",
                    PersonCategory.MILITARY,
                    Sex.MALE,
                    [PersonName(faker.last_name_male(), faker.first_name_male(), "")],
                    PartialDate.of(faker.date_of_birth(minimum_age=45, maximum_age=60)),
                ),
                [DETAINED],
            )
            for _ in range(12)
        ],
    )
    rows = ["ref;surname;given_name;patronymic;birth_date;sex;category_evidence"]
    rows += [";".join([*row[:5], "male", "wounded" if row[0] == "K1" else ""]) for row in LISTED]
    imported = lists.import_list(
        instance.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Their list of 9 June", ListPurpose.OFFER, ("RU",)),
        "their.csv",
        ("\n".join(rows) + "\n").encode(),
    )
    list_id = imported.stored.id
    report = lists.reconcile(instance.uow(), ADMIN, list_id)
    found, _ = matching.run_entries(instance.uow(), ADMIN, report.run_id, None, 0, 100)
    for row, _candidates in found:
        wanted = people.get(LISTED[row.row - 1][0])
        if wanted is not None and row.person_id != wanted:
            matching.decide(instance.uow(), ADMIN, row.id, wanted, Decision.CONFIRMED)
        elif wanted is None and row.person_id is not None:
            matching.decide(instance.uow(), ADMIN, row.id, row.person_id, Decision.REJECTED)
    token = accounts.issue_token(instance.uow(), SYSTEM, "admin", "tests").secret
    with TestClient(create_app(instance)) as client:
        yield Setup(instance, client, {"Authorization": f"Bearer {token}"}, list_id, people)
    instance.close()


def _record_events(people: dict[str, int]) -> None:
    wounded, refused, held = (str(people[r]) for r in ("K1", "K2", "K4"))
    for args in (
        (wounded, "--type", "manifest_certified", "--date", "2025-05-20", "--note", "camp doctors",
         "--detail", "condition.category=A1", "--detail", "condition.item=loss of a hand",
         "--detail", "condition.unquestionable=true"),
        (wounded, "--type", "consent_given", "--date", "2025-05-22"),
        (refused, "--type", "consent_refused", "--date", "2025-06-01", "--note", "asked by ICRC"),
        (held, "--type", "legal_hold", "--date", "2025-04-01", "--note", "case 12/2025",
         "--detail", "kind=serving_sentence"),
    ):  # fmt: skip
        code, out = _cli("event", "add", *args, "--source", "own_information")
        assert code == 0, out


def test_parley_event_add_checks_details_before_they_are_kept_for_good(setup: Setup) -> None:
    person = str(setup.people["K1"])
    code, out = _cli(
        "event", "add", person, "--type", "legal_hold", "--date", "2025-04-01",
        "--source", "own_information", "--detail", "kind=disciplinary",
    )  # fmt: skip
    assert code == 2 and "serving_sentence" in out
    code, out = _cli(
        "event", "add", person, "--type", "manifest_certified", "--date", "2025-04-01",
        "--source", "own_information", "--detail", "condition.category=A9",
    )  # fmt: skip
    assert code == 2 and "--detail" in out
    code, out = _cli(
        "event", "add", person, "--type", "note", "--date", "2025-04-01",
        "--source", "own_information", "--detail", "no-equals-sign",
    )  # fmt: skip
    assert code == 2 and "KEY=VALUE" in out


def test_parley_list_check_prints_every_answer_and_writes_the_report(
    setup: Setup, tmp_path: Path
) -> None:
    _record_events(setup.people)
    report = tmp_path / "report.csv"
    code, out = _cli(
        "list", "check", str(setup.list_id), "--category", "aged_18_25",
        "--category", "seriously_wounded_or_sick", "--on", "2025-06-09", "-o", str(report),
    )  # fmt: skip
    assert code == 0, out
    assert "checked on 2025-06-09" in out
    assert "satisfying at least one agreed category: 2; failing them: 2" in " ".join(out.split())
    assert "consent_refused 1" in out and "legal_hold 1" in out
    with report.open(encoding="utf-8-sig") as handle:
        rows = {r["ref"]: r for r in csv.DictReader(handle)}
    assert rows["K1"]["aged_18_25"] == "yes" and rows["K1"]["seriously_wounded_or_sick"] == "yes"
    assert "manifest case certified" in rows["K1"]["seriously_wounded_or_sick_reason"]
    assert rows["K2"]["standing"] == "fails" and "consent_refused" in rows["K2"]["manifest_flags"]
    assert rows["K3"]["aged_18_25"] == "uncertain" and rows["K3"]["our_person_id"] == ""
    assert "serving a sentence: case 12/2025" in rows["K4"]["manifest_reasons"]

    only = tmp_path / "failing.json"
    code, out = _cli(
        "list", "check", str(setup.list_id), "--category", "aged_18_25", "--on", "2025-06-09",
        "--only-failing", "-o", str(only),
    )  # fmt: skip
    assert code == 0, out
    assert [r["ref"] for r in json.loads(only.read_text())] == ["K2", "K3"]

    code, out = _cli("list", "check", str(setup.list_id), "--category", "aged_18_30")
    assert code == 1 and "error[unknown_category]" in out and "aged_18_25" in out

    (setup.instance.directory / "categories.toml").write_text(
        "[categories.long_held]\nheld_longer_than_months = 12\n"
    )
    code, out = _cli(
        "list", "check", str(setup.list_id), "--category", "long_held", "--on", "2025-06-09"
    )
    assert code == 0, out
    assert "long_held: held longer than 12 months" in out
    assert "satisfying at least one agreed category: 3" in " ".join(out.split())
    (setup.instance.directory / "categories.toml").write_text(
        "[categories.long_held]\nheld_longer_than_months = -1\n"
    )
    code, out = _cli("list", "check", str(setup.list_id), "--category", "long_held")
    assert code == 1 and "categories.toml" in out and "categories.long_held" in out


def test_the_api_answers_in_json_csv_and_xlsx(setup: Setup) -> None:
    _record_events(setup.people)
    url = f"/api/v1/lists/{setup.list_id}/category-check"
    got = setup.client.get(f"{url}?{QUERY}", headers=setup.auth)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["on"] == "2025-06-09" and [c["name"] for c in body["categories"]] == list(AGREED)
    assert body["counts"]["aged_18_25"] == {"yes": 2, "no": 1, "uncertain": 1}
    assert body["standings"] == {"satisfies": 2, "uncertain": 1, "fails": 1}
    assert body["satisfying"] == 2 and body["failing"] == 2
    assert body["flagged"]["consent_refused"] == 1
    entries = {e["ref"]: e for e in body["entries"]}
    answers = {a["category"]: a for a in entries["K2"]["answers"]}
    assert answers["aged_18_25"]["answer"] == "no"
    assert "aged 26 on 2025-06-09" in answers["aged_18_25"]["reason"]
    assert entries["K2"]["fails"] and entries["K2"]["person_id"] == setup.people["K2"]
    assert entries["K1"]["matched_by"] == "reconciliation"

    failing = setup.client.get(f"{url}?{QUERY}&only_failing=true", headers=setup.auth).json()
    assert [e["ref"] for e in failing["entries"]] == ["K2", "K3"]
    spreadsheet = setup.client.get(f"{url}?{QUERY}&format=xlsx", headers=setup.auth)
    assert spreadsheet.status_code == 200 and spreadsheet.content.startswith(b"PK")
    assert "attachment" in spreadsheet.headers["content-disposition"]
    table = setup.client.get(f"{url}?{QUERY}&format=csv", headers=setup.auth)
    assert table.headers["content-type"].startswith("text/csv")
    assert "seriously_wounded_or_sick_reason" in table.content.decode("utf-8-sig")

    unknown = setup.client.get(f"{url}?category=aged_18_30", headers=setup.auth)
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_category"
    missing = setup.client.get(f"/api/v1/lists/999/category-check?{QUERY}", headers=setup.auth)
    assert missing.status_code == 404


def test_the_console_shows_badges_reasons_the_failing_filter_and_downloads(
    setup: Setup,
) -> None:
    _record_events(setup.people)
    make_account(setup.instance, "coord", Role.COORDINATOR)
    log_in(setup.client, "coord", ADMIN_PASSWORD)
    page = setup.client.get(f"/lists/{setup.list_id}")
    assert f'href="/lists/{setup.list_id}/category-check"' in page.text

    form = setup.client.get(f"/lists/{setup.list_id}/category-check")
    assert form.status_code == 200
    assert 'name="category" value="aged_18_25"' in form.text and "answer-yes" not in form.text

    shown = setup.client.get(f"/lists/{setup.list_id}/category-check?{QUERY}")
    assert shown.status_code == 200
    html = shown.text
    assert 'value="aged_18_25" checked' in html
    assert 'standing-count-satisfies">2<' in html and 'standing-count-failing">2<' in html
    assert html.count('class="status answer-yes"') == 3  # K1 twice, K4's age
    assert 'class="status answer-uncertain"' in html and 'class="status answer-no"' in html
    assert 'id="entry-K2"' in html and "aged 26 on Jun 9, 2025" in html
    assert "refused repatriation on Jun 1, 2025" in html  # dates as people write them
    assert f"/lists/{setup.list_id}/category-check?category=aged_18_25" in html

    failing = setup.client.get(
        f"/lists/{setup.list_id}/category-check?{QUERY}&only_failing=on"
    ).text
    assert 'id="entry-K2"' in failing and 'id="entry-K1"' not in failing

    download = setup.client.get(f"/lists/{setup.list_id}/category-check?{QUERY}&format=csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "Вербицький" in download.content.decode("utf-8-sig")

    wrong = setup.client.get(f"/lists/{setup.list_id}/category-check?category=x&on=2025-06-09")
    assert wrong.status_code == 422 and "no category named" in wrong.text
