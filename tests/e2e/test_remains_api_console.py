"""The remains track through the API and the console: batches with the difference flagged,
custody, a body's steps, and the second-person confirmation refused to the same account."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import SYSTEM, Role
from parley.instance import Instance
from parley.services import accounts
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in

BATCH = {
    "handed_over_on": "2025-06-13",
    "place": "border",
    "from_party": "RU",
    "to_party": "UA",
    "intermediary": "ICRC",
    "declared": 1200,
    "received": 1198,
}


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def _token(instance: Instance, username: str) -> dict[str, str]:
    make_account(instance, username, Role.FORENSIC)
    issued = accounts.issue_token(instance.uow(), SYSTEM, username, "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def _walk_to_preliminary(client: TestClient, ana: dict[str, str]) -> str:
    batch = client.post("/api/v1/remains/batches", json=BATCH, headers=ana)
    assert batch.status_code == 201, batch.text
    assert batch.json()["flagged"] and batch.json()["difference"] == -2
    batch_id = batch.json()["id"]
    custody = {
        "bag": "bag-7",
        "received_by": "ICRC",
        "handed_at": "2025-06-13T09:00:00Z",
        "place": "border",
        "seal": "S-77",
    }
    shown = client.post(f"/api/v1/remains/batches/{batch_id}/custody", json=custody, headers=ana)
    assert shown.status_code == 201 and shown.json()["custody"][0]["seal"] == "S-77"
    body = {"tag": "UA-25-0042", "bag": "bag-7", "disc_halves": 1}
    added = client.post(f"/api/v1/remains/batches/{batch_id}/bodies", json=body, headers=ana)
    assert added.status_code == 201 and added.json()["status"] == "received"
    for status in ("sampled", "profiled", "candidate", "preliminary"):
        step = {"status": status, "missing_ref": "P-12" if status != "sampled" else ""}
        done = client.post("/api/v1/remains/bodies/UA-25-0042/steps", json=step, headers=ana)
        assert done.status_code == 201, done.text
    return "UA-25-0042"


def test_api_second_person_confirms(client: TestClient, sqlite_instance: Instance) -> None:
    ana, boris = _token(sqlite_instance, "ana"), _token(sqlite_instance, "boris")
    tag = _walk_to_preliminary(client, ana)
    confirm = {"status": "confirmed", "missing_ref": "P-12"}
    refused = client.post(f"/api/v1/remains/bodies/{tag}/steps", json=confirm, headers=ana)
    assert refused.status_code == 409 and refused.json()["code"] == "second_person_required"
    done = client.post(f"/api/v1/remains/bodies/{tag}/steps", json=confirm, headers=boris)
    assert done.status_code == 201 and done.json()["status"] == "confirmed"
    skipped = client.post(
        f"/api/v1/remains/bodies/{tag}/steps", json={"status": "released"}, headers=boris
    )
    assert skipped.status_code == 400 and skipped.json()["code"] == "invalid_remains_step"
    assert client.get("/api/v1/remains/bodies/none", headers=ana).status_code == 404
    rate = client.get("/api/v1/remains/identification-rate", headers=ana).json()
    assert rate[-1]["identified"] == 1


def test_console_batches_body_and_confirmation(
    client: TestClient, sqlite_instance: Instance
) -> None:
    ana = _token(sqlite_instance, "ana")
    _token(sqlite_instance, "boris")
    tag = _walk_to_preliminary(client, ana)
    log_in(client, "ana", ADMIN_PASSWORD)
    batches = client.get("/remains")
    assert batches.status_code == 200 and "1198" in batches.text and "−2" in batches.text
    page = client.get(f"/remains/bodies/{tag}")
    assert page.status_code == 200 and "P-12" in page.text
    form = {"csrf_token": csrf_of(page.text), "missing_ref": "P-12"}
    refused = client.post(f"/remains/bodies/{tag}/confirm", data=form)
    assert refused.status_code == 409
    # said inside the confirmation form it refuses, not above the page
    confirm_form = refused.text[refused.text.index(f'action="/remains/bodies/{tag}/confirm"') :]
    assert '<p class="error full" role="alert">' in confirm_form.split("</form>")[0]
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/remains").text)})
    log_in(client, "boris", ADMIN_PASSWORD)
    page = client.get(f"/remains/bodies/{tag}")
    form = {"csrf_token": csrf_of(page.text), "missing_ref": "P-12"}
    done = client.post(f"/remains/bodies/{tag}/confirm", data=form)
    assert done.status_code == 200 and "confirmed" in done.text
    assert "bag-7" in client.get("/remains/batches/1").text
    assert client.get("/remains/rate").status_code == 200
