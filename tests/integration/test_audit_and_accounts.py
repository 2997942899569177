import sqlite3

import pytest

from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.errors import AuthenticationFailed, DuplicateAccount, PermissionDenied
from parley.instance import Instance
from parley.services import accounts, registry
from parley.services.accounts import audit
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.factories import a_person


def test_the_audit_chain_of_a_working_instance_verifies(instance: Instance, admin: Actor) -> None:
    registry.register_person(instance.uow(), admin, a_person())
    auditor = make_account(instance, "auditor", Role.AUDITOR)
    report = audit.verify(instance.uow(), auditor)
    assert report.ok and report.checked >= 3


def test_editing_one_audit_row_in_the_file_is_caught_and_named(
    sqlite_instance: Instance, admin: Actor
) -> None:
    for surname in ("Один", "Два", "Три"):
        registry.register_person(sqlite_instance.uow(), admin, a_person(surname))
    database = sqlite_instance.directory / "parley.db"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE audit_log SET actor = 'cli:nobody' WHERE seq = 3")
    report = audit.verify(sqlite_instance.uow(), admin)
    assert not report.ok
    assert report.breaks[0].entry_id == 3


def test_passwords_are_hashed_with_argon2_and_checked(instance: Instance) -> None:
    with instance.uow() as uow:
        stored = uow.accounts.by_username("admin")
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    actor = accounts.authenticate(instance.uow(), "admin", ADMIN_PASSWORD, "test")
    assert actor.username == "admin"
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(instance.uow(), "admin", "wrong password!", "test")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(instance.uow(), "nobody", ADMIN_PASSWORD, "test")


def test_tokens_are_stored_only_as_hashes_and_can_be_revoked(instance: Instance) -> None:
    issued = accounts.issue_token(instance.uow(), SYSTEM, "admin", "laptop")
    with instance.engine.connect() as connection:
        raw = connection.exec_driver_sql("SELECT token_hash FROM api_tokens").scalar_one()
    assert issued.secret not in raw
    assert accounts.actor_for_token(instance.uow(), issued.secret).username == "admin"
    accounts.revoke_token(instance.uow(), SYSTEM, "admin", issued.token.id)
    with pytest.raises(AuthenticationFailed):
        accounts.actor_for_token(instance.uow(), issued.secret)


def test_only_an_admin_creates_accounts_or_tokens_for_others(instance: Instance) -> None:
    coordinator = make_account(instance, "coord", Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        accounts.create_account(
            instance.uow(), coordinator, "x1", ADMIN_PASSWORD, frozenset({Role.ADMIN})
        )
    with pytest.raises(PermissionDenied):
        accounts.issue_token(instance.uow(), coordinator, "admin", "steal")
    assert accounts.issue_token(instance.uow(), coordinator, "coord", "own").secret
    with pytest.raises(DuplicateAccount):
        make_account(instance, "coord", Role.REVIEWER)


def test_a_deactivated_account_cannot_log_in(instance: Instance) -> None:
    make_account(instance, "gone", Role.REVIEWER)
    accounts.set_active(instance.uow(), SYSTEM, "gone", False)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(instance.uow(), "gone", ADMIN_PASSWORD, "test")
