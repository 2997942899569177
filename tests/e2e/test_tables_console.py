"""The console's long tables answer hostile paging with a clear 400 and refused filters beside
their field; pages, sorts and filters reach the database (see tests/integration/
test_table_queries.py for the queries themselves)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.remains.batches import Batch
from parley.domain.remains.bodies import BodyStatus
from parley.instance import Instance
from parley.scenarios.agreements import record_istanbul
from parley.services import registry, remains
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in
from tests.e2e.test_category_check_cli_api_console import Setup
from tests.e2e.test_category_check_cli_api_console import setup as setup  # a fixture
from tests.factories import a_person, missing_since

SURNAMES = ["Бойко", "Андрієнко", "Гнатюк", "Вакуленко"]


@pytest.fixture
def client(sqlite_instance: Instance, admin: Actor) -> Iterator[TestClient]:
    for n, surname in enumerate(SURNAMES):
        person = a_person(surname=surname, born=f"{1990 + n}-01-01", side="RU" if n else "UA")
        registry.register_person(sqlite_instance.uow(), admin, person, missing_since())
    with TestClient(create_app(sqlite_instance), raise_server_exceptions=False) as test_client:
        log_in(test_client, "admin", ADMIN_PASSWORD)
        yield test_client


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/persons/\d+">(\S+) ', html)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sort": "password"}, "cannot sort by"),
        ({"page": str(2**63)}, "too large"),
        ({"page": "7"}, "past the last page"),
        ({"per_page": "3"}, "per_page"),
        ({"order": "sideways"}, "order"),
    ],
)
def test_hostile_paging_is_a_clear_400_never_a_500(
    client: TestClient, params: dict[str, str], named: str
) -> None:
    response = client.get("/persons", params=params)
    assert response.status_code == 400, response.text
    assert named in response.text


def test_the_registry_sorts_pages_and_filters_on_the_server(client: TestClient) -> None:
    assert _names(client.get("/persons").text) == sorted(SURNAMES)
    newest = client.get("/persons", params={"sort": "born", "order": "desc"}).text
    assert _names(newest) == list(reversed(SURNAMES))
    assert 'aria-sort="descending"' in newest
    ru = client.get("/persons", params={"side": "RU", "sort": "born", "per_page": "25"}).text
    assert _names(ru) == SURNAMES[1:]
    # the side is a select of known parties, never a typed code
    assert re.search(r'<select name="side">', ru) and '<option value="UA"' in ru


def test_a_refused_filter_is_shown_beside_its_field(client: TestClient) -> None:
    response = client.get("/persons", params={"category": "wizard", "born_from": "1999-02-30"})
    assert response.status_code == 422
    html = response.text
    assert 'name="category" aria-invalid="true" aria-describedby="category-error"' in html
    assert 'id="category-error"' in html and "Choose a category from the list." in html
    assert 'aria-describedby="born_from-error"' in html and 'id="born_from-error"' in html
    assert 'value="1999-02-30"' in html  # what was typed is kept


def test_the_audit_log_pages_sorts_and_filters(client: TestClient) -> None:
    page = client.get("/audit", params={"action": "person.", "sort": "actor", "order": "asc"}).text
    assert 'aria-sort="ascending"' in page and "<code>person." in page
    assert "<code>account." not in page
    assert client.get("/audit", params={"sort": "hash"}).status_code == 400
    assert client.get("/audit", params={"page": str(2**63)}).status_code == 400


def test_the_medical_forms_show_each_error_beside_its_field_and_keep_the_values(
    client: TestClient,
) -> None:
    page = client.get("/medical").text
    members = "Dr Amsel|CH|neutral|chair|surgeon\nDr Berg|SE|neutral\nDr Koval|UA|detaining"
    bad = client.post(
        "/medical/commissions",
        data={"csrf_token": csrf_of(page), "name": "MMC 9", "members": "Dr Amsel|??|neutral"},
    )
    assert bad.status_code == 422
    assert 'name="members"' in bad.text and 'aria-describedby="members-error"' in bad.text
    error = re.search(
        r'<span class="field-error" id="members-error" role="alert">([^<]*)<', bad.text
    )
    assert error is not None and "Dr Amsel|??|neutral" in error.group(1)
    assert 'value="MMC 9"' in bad.text  # kept
    made = client.post(
        "/medical/commissions",
        data={"csrf_token": csrf_of(page), "name": "MMC 9", "members": members},
    )
    assert made.status_code == 200
    refused = client.post(
        "/medical/examinations",
        data={
            "csrf_token": csrf_of(made.text),
            "commission": "MMC 9",
            "person_id": "²",
            "visited_on": "2025-01-10",
            "findings": "fragment",
        },
    )
    assert refused.status_code == 422
    html = refused.text
    assert (
        'name="person_id" inputmode="numeric" size="8" required value="²" aria-invalid="true"'
        in html
    )
    assert 'id="person_id-error"' in html and "is not a registry id" in html
    assert 'value="fragment"' in html


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/matching?kind=everything", 400, "kind must be one of"),
        ("/matching?sort=model_id", 400, "cannot sort by"),
        (f"/matching?page={2**63}", 400, "too large"),
        (f"/matching/runs/{2**63}", 400, "out of range"),
    ],
)
def test_the_match_tables_refuse_hostile_input_by_name(
    client: TestClient, path: str, status: int, named: str
) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert named in response.text


def test_the_runs_table_pages_and_offers_its_kinds_as_a_select(client: TestClient) -> None:
    page = client.get("/matching", params={"kind": "duplicates", "sort": "entries"}).text
    assert '<select name="kind">' in page and '<option value="duplicates" selected>' in page
    assert "No runs yet." in page and "Page 1 of 1" in page


def test_the_lists_table_pages_sorts_and_refuses_an_unknown_purpose(client: TestClient) -> None:
    page = client.get("/lists", params={"sender": "UA", "sort": "entries", "order": "asc"})
    assert page.status_code == 200
    assert '<select name="sender">' in page.text and '<option value="UA" selected>' in page.text
    assert 'aria-sort="ascending"' in page.text and "Page 1 of 1" in page.text
    refused = client.get("/lists", params={"purpose": "gossip"})
    assert refused.status_code == 400 and "not a list purpose" in refused.text
    assert client.get("/lists", params={"sort": "list_sha256"}).status_code == 400


def test_a_commitment_claim_picks_a_known_party_and_shows_its_error_beside_the_field(
    sqlite_instance: Instance, admin: Actor, client: TestClient
) -> None:
    record_istanbul(sqlite_instance.uow, admin)
    page = client.get("/agreements/commitments/5").text
    assert '<select name="party" required>' in page and '<input name="party"' not in page
    refused = client.post(
        "/agreements/commitments/5/claims",
        data={"csrf_token": csrf_of(page), "party": "UA", "value": "many", "source": "TV"},
    )
    assert refused.status_code == 422
    html = refused.text
    assert 'name="value" type="number" min="0" required value="many" aria-invalid="true"' in html
    assert 'id="value-error"' in html and "whole number" in html
    assert 'value="TV"' in html and '<option value="UA" selected>' in html


def test_a_hostile_outcome_field_is_a_named_refusal_not_a_crash(client: TestClient) -> None:
    page = client.get("/persons").text
    response = client.post(
        "/stages/1/outcomes", data={"csrf_token": csrf_of(page), "outcome:abc": "released"}
    )
    assert response.status_code in {404, 422} and response.status_code != 500


def test_a_refused_category_check_names_its_field(setup: Setup) -> None:
    make_account(setup.instance, "coord", Role.COORDINATOR)
    log_in(setup.client, "coord", ADMIN_PASSWORD)
    path = f"/lists/{setup.list_id}/category-check"
    wizard = setup.client.get(path, params={"category": "wizards", "on": "2025-06-09"})
    assert wizard.status_code == 422
    assert (
        'aria-describedby="category-error"' in wizard.text and 'id="category-error"' in wizard.text
    )
    bad_day = setup.client.get(path, params={"category": "aged_18_25", "on": "2025-13-01"})
    assert bad_day.status_code == 422
    assert 'name="on" value="2025-13-01" required aria-invalid="true"' in bad_day.text
    assert 'id="on-error"' in bad_day.text


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sort": "recorded_by"}, "cannot sort by"),
        ({"page": "2"}, "past the last page"),
        ({"page": "0"}, "page must be a whole number"),
        ({"per_page": "3"}, "per_page"),
        ({"order": "sideways"}, "order"),
    ],
)
def test_the_bodies_table_refuses_hostile_paging_by_name(
    client: TestClient, sqlite_instance: Instance, admin: Actor, params: dict[str, str], named: str
) -> None:
    _two_bodies(sqlite_instance, admin)
    response = client.get("/remains/bodies", params=params)
    assert response.status_code == 400, response.text
    assert named in response.text


def test_the_bodies_table_sorts_and_filters_in_the_database(
    client: TestClient, sqlite_instance: Instance, admin: Actor
) -> None:
    batch = _two_bodies(sqlite_instance, admin)
    tags = re.compile(r'<a href="/remains/bodies/([^"]+)">')
    assert tags.findall(client.get("/remains/bodies").text) == ["B-1", "B-2"]
    by_status = client.get("/remains/bodies", params={"sort": "status", "order": "desc"})
    assert tags.findall(by_status.text) == ["B-2", "B-1"]  # sampled after received
    sampled = client.get("/remains/bodies", params={"status": "sampled", "batch": str(batch)})
    assert tags.findall(sampled.text) == ["B-2"] and 'value="sampled" selected' in sampled.text
    assert tags.findall(client.get("/remains/bodies", params={"q": "b-1"}).text) == ["B-1"]
    for hostile in ("²", "9" * 30, "-1"):
        refused = client.get("/remains/bodies", params={"batch": hostile})
        assert refused.status_code == 422, hostile
        assert 'aria-invalid="true" aria-describedby="batch-error"' in refused.text
    unknown = client.get("/remains/bodies", params={"status": "lost"})
    assert unknown.status_code == 422 and 'id="status-error"' in unknown.text


def _two_bodies(instance: Instance, admin: Actor) -> int:
    batch = remains.record_batch(
        instance.uow(), admin, Batch(date(2025, 6, 11), "border", "RU", "UA", 2, 2, "ICRC")
    ).id
    for tag in ("B-2", "B-1"):
        remains.receive_body(instance.uow(), admin, batch, tag)
    remains.record_step(instance.uow(), admin, "B-2", BodyStatus.SAMPLED)
    return batch
