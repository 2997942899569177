"""A client tells what is missing or refused by its code, on every track."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.errors import (
    AccountNotFound,
    ExportRequestNotFound,
    InstanceNotFound,
    InvalidCsrf,
    InvalidName,
    KeyAlreadyTrusted,
    NoLinkageModel,
    NothingToMatch,
    NoTrustedParty,
    SigningKeyExists,
)
from parley.domain.registry.persons import PersonName
from parley.instance import Instance, open_instance
from parley.interchange.keys import (
    TrustStore,
    generate_signing_key,
    load_public_key,
    public_key_text,
)
from parley.services import accounts, children, lists, matching
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


@pytest.fixture
def auth(sqlite_instance: Instance) -> dict[str, str]:
    issued = accounts.issue_token(sqlite_instance.uow(), SYSTEM, "admin", "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/api/v1/persons/999", "person_not_found"),
        ("/api/v1/lists/999", "list_not_found"),
        ("/api/v1/bundles/999", "bundle_not_found"),
        ("/api/v1/stages/999", "stage_not_found"),
        ("/api/v1/examinations/999", "examination_not_found"),
        ("/api/v1/match/runs/999", "match_run_not_found"),
        ("/api/v1/agreements/memoranda/999", "memorandum_not_found"),
        ("/api/v1/agreements/commitments/999", "commitment_not_found"),
        ("/api/v1/agreements/rounds/999/report", "round_not_found"),
        ("/api/v1/nothing-here", "not_found"),
    ],
)
def test_a_missing_thing_answers_404_with_its_own_code(
    client: TestClient, auth: dict[str, str], path: str, code: str
) -> None:
    response = client.get(path, headers=auth)
    assert response.status_code == 404
    assert response.json()["code"] == code


def test_accounts_instances_names_keys_and_models_refuse_with_their_codes(
    sqlite_instance: Instance, tmp_path: Path
) -> None:
    with pytest.raises(AccountNotFound):
        accounts.actor_for_username(sqlite_instance.uow(), "nobody", "test")
    with pytest.raises(InstanceNotFound):
        open_instance(tmp_path / "nothing")
    with pytest.raises(InvalidName):
        PersonName(surname="", given="Петро")
    with pytest.raises(SigningKeyExists):
        generate_signing_key(sqlite_instance.directory)
    store = TrustStore(tmp_path / "trust.json")
    store.create_empty()
    key = public_key_text(load_public_key(sqlite_instance.directory))
    store.add("RU", "first", key)
    with pytest.raises(KeyAlreadyTrusted):
        store.add("RU", "again", key)
    with pytest.raises(NoLinkageModel):
        matching.find_duplicates(sqlite_instance.uow(), ADMIN)
    opened = accounts.open_session(sqlite_instance.uow(), "admin", ADMIN_PASSWORD)
    with pytest.raises(InvalidCsrf):
        accounts.check_csrf(opened.session, "forged")


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        ("memorandum", "memorandum_not_found"),
        ("proposal", "proposal_not_found"),
        ("response", "response_not_found"),
        ("claim", "claim_not_found"),
    ],
)
def test_a_missing_statement_to_sign_answers_404_with_its_own_code(
    client: TestClient, auth: dict[str, str], statement: str, code: str
) -> None:
    response = client.post(f"/api/v1/agreements/{statement}/999/bundle?to=RU", headers=auth)
    assert response.status_code == 404
    assert response.json()["code"] == code


def test_a_round_is_recorded_once(client: TestClient, auth: dict[str, str]) -> None:
    body = {"number": 1, "held_on": "2025-05-16", "place": "Istanbul", "host": "Türkiye"}
    assert client.post("/api/v1/agreements/rounds", json=body, headers=auth).status_code == 201
    again = client.post("/api/v1/agreements/rounds", json=body, headers=auth)
    assert again.status_code == 409
    assert again.json()["code"] == "round_already_recorded"


def test_nothing_to_match_no_one_to_tell_and_no_such_export_have_their_codes(
    sqlite_instance: Instance,
) -> None:
    with pytest.raises(NothingToMatch, match="list with entries"):
        matching.train_model(sqlite_instance.uow(), ADMIN, [], "nothing")
    new_key = load_public_key(sqlite_instance.directory)
    with pytest.raises(NoTrustedParty):
        lists.announce_key(sqlite_instance.uow(), ADMIN, sqlite_instance.keyring(), new_key, [])
    with pytest.raises(ExportRequestNotFound):
        children.approve_export(sqlite_instance.uow(), ADMIN, 999)
