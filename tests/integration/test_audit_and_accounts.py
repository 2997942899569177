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


# ---------------------------------------------------------------- issue 12, part 4


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A hand-wound clock for the login counts, so no test sleeps."""
    from parley.services.accounts import accounts as accounts_module
    from parley.services.accounts.throttle import Throttle

    now = [1000.0]
    monkeypatch.setattr(accounts_module, "LOGINS", Throttle(clock=lambda: now[0]))
    return now


def _login(
    instance: Instance, password: str, username: str = "admin", address: str = "10.0.0.1"
) -> Actor:
    return accounts.authenticate(instance.uow(), username, password, "console", address)


def test_wrong_passwords_lock_the_account_with_a_doubling_wait_and_the_lockout_is_audited(
    sqlite_instance: Instance, admin: Actor, clock: list[float]
) -> None:
    from parley.domain.errors import TooManyAttempts
    from parley.domain.paging import PageRequest

    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            _login(sqlite_instance, "guess")
    with pytest.raises(TooManyAttempts) as locked:
        _login(sqlite_instance, ADMIN_PASSWORD)
    assert locked.value.retry_after == 1 and locked.value.code == "too_many_attempts"
    clock[0] += 1
    with pytest.raises(AuthenticationFailed):
        _login(sqlite_instance, "guess")
    with pytest.raises(TooManyAttempts) as longer:
        _login(sqlite_instance, ADMIN_PASSWORD)
    assert longer.value.retry_after == 2
    entries = audit.recent_entries(sqlite_instance.uow(), admin, PageRequest(0, 50)).items
    locks = [e for e in entries if e.action == "login.locked"]
    assert {e.detail["key"] for e in locks} == {"account", "address"}
    clock[0] += 2
    assert _login(sqlite_instance, ADMIN_PASSWORD).username == "admin"
    with pytest.raises(AuthenticationFailed):
        _login(sqlite_instance, "guess", address="10.0.0.2")


def test_one_address_guessing_many_names_is_held_back(
    sqlite_instance: Instance, clock: list[float]
) -> None:
    from parley.domain.errors import TooManyAttempts

    for number in range(5):
        with pytest.raises(AuthenticationFailed):
            _login(sqlite_instance, "guess", f"user{number}")
    with pytest.raises(TooManyAttempts):
        _login(sqlite_instance, ADMIN_PASSWORD)
    assert _login(sqlite_instance, ADMIN_PASSWORD, address="10.0.0.9").username == "admin"


def test_an_unknown_name_is_checked_against_a_dummy_argon2_hash(
    sqlite_instance: Instance, monkeypatch: pytest.MonkeyPatch, clock: list[float]
) -> None:
    """Unknown users answered in 8 ms against 199 ms: Argon2 now runs for them too."""
    from parley.services.accounts import accounts as accounts_module

    real = accounts_module._hasher
    checked: list[str] = []

    class Counting:
        def verify(self, hashed: str, password: str) -> bool:
            checked.append(hashed)
            return real.verify(hashed, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(accounts_module, "_hasher", Counting())
    for username in ("nobody", "admin"):
        with pytest.raises(AuthenticationFailed):
            _login(sqlite_instance, "wrong password", username)
    assert len(checked) == 2 and checked[0] == accounts_module._DUMMY_HASH
    assert checked[1].startswith("$argon2id$") and checked[1] != checked[0]


def test_wrong_api_tokens_from_one_address_are_held_back(
    sqlite_instance: Instance, clock: list[float]
) -> None:
    from parley.domain.errors import TooManyAttempts

    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            accounts.actor_for_token(sqlite_instance.uow(), "pk_wrong", "10.0.0.3")
    with pytest.raises(TooManyAttempts):
        accounts.actor_for_token(sqlite_instance.uow(), "pk_wrong", "10.0.0.3")
