"""Reference families end to end: import through the API and the CLI, screening from the
console, a body's page with its profile and candidates, consent withdrawn from the console,
notification and release, and the death list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import SYSTEM, Role
from parley.instance import Instance
from parley.services import accounts
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in
from tests.e2e.test_remains_cli import instance_dir as instance_dir
from tests.e2e.test_remains_cli import run

ORACLE = Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "dvir"
pytestmark = pytest.mark.skipif(not ORACLE.is_dir(), reason=f"dvir oracle not at {ORACLE}")
PLANECRASH = ORACLE / "planecrash" / "input"
BATCH = {
    "handed_over_on": "2025-06-13",
    "place": "border",
    "from_party": "RU",
    "to_party": "UA",
    "declared": 8,
    "received": 8,
}


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def _token(instance: Instance, username: str, role: Role = Role.FORENSIC) -> dict[str, str]:
    make_account(instance, username, role)
    issued = accounts.issue_token(instance.uow(), SYSTEM, username, "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def _files() -> dict[str, str]:
    return {p.name: p.read_text() for p in PLANECRASH.glob("*.csv")}


def test_api_import_screen_and_the_body(client: TestClient, sqlite_instance: Instance) -> None:
    ana = _token(sqlite_instance, "ana")
    batch = client.post("/api/v1/remains/batches", json=BATCH, headers=ana).json()
    bad = {**_files(), "pedigree.csv": "component,id\nF1,X\n"}
    refused = client.post(
        "/api/v1/remains/references",
        json={"files": bad, "received_on": "2025-06-20", "batch_id": batch["id"]},
        headers=ana,
    )
    assert refused.status_code == 422 and refused.json()["code"] == "import_rejected"
    assert client.get("/api/v1/remains/references", headers=ana).json() == []
    done = client.post(
        "/api/v1/remains/references",
        json={
            "files": _files(),
            "received_on": "2025-06-20",
            "consent_by": "lab",
            "batch_id": batch["id"],
        },
        headers=ana,
    )
    assert done.status_code == 201, done.text
    assert done.json()["families"] == 5 and len(done.json()["bodies_profiled"]) == 8
    family = client.get("/api/v1/remains/references/F1", headers=ana).json()
    assert family["missing"] == ["M1"] and family["donors"][0]["relationship"] == "father"
    screened = client.post("/api/v1/remains/screenings", headers=ana)
    assert screened.status_code == 201 and screened.json()["candidates"] > 0
    body = client.get("/api/v1/remains/bodies/V4", headers=ana).json()
    assert body["status"] == "candidate" and body["candidates"][0]["missing_ref"] == "M5"
    assert body["candidates"][0]["posterior"] > 0.9995 and len(body["profile"]) == 15
    withdrawn = client.post(
        "/api/v1/remains/references/F1/R1/consent",
        json={"state": "withdrawn", "given_by": "R1", "on": "2025-06-21"},
        headers=ana,
    )
    assert withdrawn.status_code == 201 and not withdrawn.json()["donors"][0]["used"]


def test_console_screen_body_page_notify_release(
    client: TestClient, sqlite_instance: Instance
) -> None:
    ana = _token(sqlite_instance, "ana")
    boris = _token(sqlite_instance, "boris")
    batch = client.post("/api/v1/remains/batches", json=BATCH, headers=ana).json()
    client.post(
        "/api/v1/remains/references",
        json={"files": _files(), "received_on": "2025-06-20", "batch_id": batch["id"]},
        headers=ana,
    )
    log_in(client, "ana", ADMIN_PASSWORD)
    refs = client.get("/remains/references")
    assert refs.status_code == 200 and "no consent recorded" in refs.text and "father" in refs.text
    given = client.post(
        "/remains/references/F5/R5/consent",
        data={"csrf_token": csrf_of(refs.text), "state": "given", "given_by": "R5"},
    )
    assert given.status_code == 200 and "consent given" in given.text
    blank = client.post(
        "/remains/references/F5/R5/consent",
        data={"csrf_token": csrf_of(refs.text), "state": "withdrawn", "given_by": "   "},
    )
    assert blank.status_code == 422
    # beside the row's own field, which is marked; no error above the table
    assert 'aria-invalid="true" aria-describedby="given_by-error"' in blank.text
    assert blank.text.count('id="given_by-error"') == 1
    assert "say who gave or withdrew the consent" in blank.text
    assert '<p class="error" role="alert">' not in blank.text
    stranger = client.post(
        "/remains/references/F5/nobody/consent",
        data={"csrf_token": csrf_of(refs.text), "state": "given", "given_by": "R5"},
    )
    assert stranger.status_code == 422 and '<p class="error" role="alert">' in stranger.text
    overview = client.get("/remains")
    screened = client.post("/remains/screen", data={"csrf_token": csrf_of(overview.text)})
    assert screened.status_code == 200 and "Screened 8 bodies against 1 missing persons" in (
        screened.text
    )
    page = client.get("/remains/bodies/V4")
    assert "preliminary identification" not in page.text and "candidate" in page.text
    assert "M5" in page.text and "99.95 %" in page.text and "D21S11" in page.text
    for who, status in ((ana, "preliminary"), (boris, "confirmed")):
        step = {"status": status, "missing_ref": "M5"}
        done = client.post("/api/v1/remains/bodies/V4/steps", json=step, headers=who)
        assert done.status_code == 201, done.text
    page = client.get("/remains/bodies/V4")
    assert "Record the family notification" in page.text
    form = {
        "csrf_token": csrf_of(page.text),
        "whom": "the mother",
        "notified_by": "liaison",
        "how": "in person",
    }
    refused = client.post("/remains/bodies/V4/notify", data={**form, "notified_by": "  "})
    assert refused.status_code == 422
    # the refusal sits beside "Notified by", which is marked; what was typed is kept
    assert 'name="notified_by" required maxlength="200" value="  " aria-invalid="true"' in (
        refused.text
    )
    assert 'id="notified_by-error"' in refused.text and "say notified by" in refused.text
    assert 'value="the mother"' in refused.text and 'value="in person"' in refused.text
    assert '<p class="error' not in refused.text
    told = client.post("/remains/bodies/V4/notify", data=form)
    assert told.status_code == 200 and "family notified" in told.text and "the mother" in told.text
    blank = client.post(
        "/remains/bodies/V4/release", data={"csrf_token": csrf_of(told.text), "to": " "}
    )
    assert blank.status_code == 422 and 'aria-describedby="to-error"' in blank.text
    assert "say to whom the body is released" in blank.text
    released = client.post(
        "/remains/bodies/V4/release", data={"csrf_token": csrf_of(told.text), "to": "family"}
    )
    assert released.status_code == 200 and "released for burial" in released.text
    admin = _token(sqlite_instance, "carla", Role.ADMIN)
    listed = client.post("/api/v1/remains/death-list", json={"to": "RU"}, headers=admin)
    assert listed.status_code == 201 and listed.json()["purpose"] == "death_list"


def test_cli_references_screen_and_consent(instance_dir: Path) -> None:
    code, out = run(
        "remains", "batch", "--on", "2025-06-11", "--place", "border", "--from", "RU",
        "--to", "UA", "--declared", "8", "--received", "8", "--user", "ana",
    )  # fmt: skip
    assert code == 0, out
    code, out = run(
        "remains", "references", "import", "--dir", str(ORACLE / "example1" / "input"),
        "--received-on", "2025-06-20", "--user", "ana",
    )  # fmt: skip
    assert code == 3 and "genotypes.csv" in out and "marker" in out, out
    code, out = run(
        "remains", "references", "import", "--dir", str(PLANECRASH), "--received-on",
        "2025-06-20", "--batch", "1", "--user", "ana",
    )  # fmt: skip
    assert code == 0 and "5 relatives have no consent recorded" in out, out
    code, out = run(
        "remains", "consent", "F4", "R4", "given", "--by", "R4", "--on", "2025-06-20",
        "--user", "ana",
    )  # fmt: skip
    assert code == 0 and "consent given" in out, out
    code, out = run("remains", "screen-references", "--user", "ana")
    assert code == 0 and "8 bodies against 1 missing persons" in out, out
    code, out = run("remains", "references", "list", "--user", "ana")
    assert code == 0 and "F4" in out, out
    code, out = run("remains", "show", "V3", "--user", "ana")
    assert code == 0 and "candidate M4" in out and "profile: 15 markers" in out, out


def test_api_signs_our_outgoing_batch_as_a_handover(
    client: TestClient, sqlite_instance: Instance
) -> None:
    ana = _token(sqlite_instance, "ana", Role.ADMIN)
    outgoing = {**BATCH, "from_party": "UA", "to_party": "RU"}
    batch = client.post("/api/v1/remains/batches", json=outgoing, headers=ana).json()
    signed = client.post(f"/api/v1/remains/batches/{batch['id']}/handover", headers=ana)
    assert signed.status_code == 201 and signed.json()["kind"] == "remains_handover"
    assert signed.json()["payload"]["declared"] == 8
    unknown = client.post(
        "/api/v1/remains/batches/from-handover",
        json={"bundle_sha256": "0" * 64, "received": 1},
        headers=ana,
    )
    assert unknown.status_code == 404
