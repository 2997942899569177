"""Accounts, passwords, API tokens and console sessions.

Passwords are hashed with Argon2id. Tokens and session keys are random, shown once and stored
only as SHA-256 digests: a leaked database does not open the API.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from parley.domain.accounts.accounts import (
    MIN_PASSWORD_LENGTH,
    Account,
    Actor,
    Permission,
    Role,
    validate_username,
)
from parley.domain.errors import (
    AccountNotFound,
    AuthenticationFailed,
    DuplicateAccount,
    InvalidCsrf,
    InvalidInput,
    PermissionDenied,
    TooManyAttempts,
)
from parley.services.accounts.audit import log
from parley.services.accounts.rows import ApiToken, ConsoleSession
from parley.services.accounts.throttle import LOGINS, account_key, address_key
from parley.services.uow import UnitOfWork

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("parley: no account has this password")
"""Verified for unknown or deactivated names, so they take as long as a real account."""
SESSION_LIFETIME = timedelta(hours=12)
TOKEN_PREFIX = "pk_"
LANGUAGES = ("en", "uk")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_account(
    uow: UnitOfWork,
    actor: Actor,
    username: str,
    password: str,
    roles: frozenset[Role],
    display_name: str = "",
    language: str = "",
) -> Account:
    """`language` "" lets the console follow the browser's `Accept-Language` until the user
    picks one with the toggle."""
    actor.require(Permission.ACCOUNTS_MANAGE)
    validate_username(username)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if not roles:
        raise InvalidInput("an account needs at least one role")
    if language and language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}")
    with uow:
        if uow.accounts.by_username(username) is not None:
            raise DuplicateAccount(f"an account named '{username}' already exists")
        account = uow.accounts.add(
            Account(
                username,
                display_name or username,
                roles,
                _hasher.hash(password),
                True,
                language,
            )
        )
        assert account.id is not None
        log(
            uow,
            actor,
            "account.create",
            "account",
            [account.id],
            username=username,
            roles=sorted(roles),
        )
        uow.commit()
        return account


def list_accounts(uow: UnitOfWork, actor: Actor) -> list[Account]:
    actor.require(Permission.ACCOUNTS_MANAGE)
    with uow:
        return uow.accounts.all()


def set_active(uow: UnitOfWork, actor: Actor, username: str, active: bool) -> Account:
    actor.require(Permission.ACCOUNTS_MANAGE)
    with uow:
        account = _existing(uow, username)
        assert account.id is not None
        uow.accounts.set_active(account.id, active)
        log(
            uow,
            actor,
            "account.activate" if active else "account.deactivate",
            "account",
            [account.id],
        )
        uow.commit()
        account.active = active
        return account


def _existing(uow: UnitOfWork, username: str) -> Account:
    account = uow.accounts.by_username(username)
    if account is None:
        raise AccountNotFound(f"no account named '{username}'")
    return account


def _throttled(uow: UnitOfWork, keys: list[str], username: str, channel: str) -> None:
    """Refuse, before any password is checked, while an account or address must wait."""
    wait = max((LOGINS.wait(k) for k in keys), default=0.0)
    if wait > 0:
        seconds = max(1, int(wait + 0.999))
        raise TooManyAttempts(
            f"too many failed attempts: try again in {seconds} s", retry_after=seconds
        )


def _count_failure(
    uow: UnitOfWork, keys: list[str], username: str, channel: str, address: str | None
) -> None:
    """Count the failure for each key; a key that must now wait is a lockout, audited."""
    for key in keys:
        wait = LOGINS.failed(key)
        if wait > 0:
            log(
                uow,
                Actor(username, frozenset(), channel),
                "login.locked",
                key=key.split(":", 1)[0],
                address=address or "",
                wait_seconds=int(wait),
            )


def authenticate(
    uow: UnitOfWork, username: str, password: str, channel: str, address: str | None = None
) -> Actor:
    """One answer for a wrong name and a wrong password, so names cannot be probed: an unknown
    name is verified against a dummy Argon2 hash, so it takes as long as a wrong password.

    Failures are counted per account and per client address; past `throttle.FREE_FAILURES`
    in a row the next attempt is refused (`too_many_attempts`) until the backoff has passed.
    """
    keys = [account_key(username)]
    by_address = address_key(address)
    if by_address is not None:
        keys.append(by_address)
    _throttled(uow, keys, username, channel)
    with uow:
        account = uow.accounts.by_username(username)
        ok = False
        known = account is not None and account.active
        try:
            verified = _hasher.verify(
                account.password_hash if account is not None and known else _DUMMY_HASH,
                password,
            )
            ok = known and verified
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or account is None:
            log(uow, Actor(username, frozenset(), channel), "login.failed")
            _count_failure(uow, keys, username, channel, address)
            uow.commit()
            raise AuthenticationFailed("wrong username or password")
        LOGINS.succeeded(keys[0])
        if _hasher.check_needs_rehash(account.password_hash):
            assert account.id is not None
            uow.accounts.set_password_hash(account.id, _hasher.hash(password))
        actor = account.actor(channel)
        log(uow, actor, "login", "account", [account.id] if account.id else [])
        uow.commit()
        return actor


def actor_for_username(uow: UnitOfWork, username: str, channel: str) -> Actor:
    """The CLI acts as a named account: whoever holds the instance folder, rules still apply."""
    with uow:
        account = _existing(uow, username)
        if not account.active:
            raise AuthenticationFailed(f"account '{username}' is deactivated")
        return account.actor(channel)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def issue_token(uow: UnitOfWork, actor: Actor, username: str, name: str) -> IssuedToken:
    """Anyone may issue a token for themselves; only an admin for somebody else."""
    if username != actor.username:
        actor.require(Permission.ACCOUNTS_MANAGE)
    if not name.strip():
        raise InvalidInput("a token needs a name that says where it is used")
    with uow:
        account = _existing(uow, username)
        assert account.id is not None
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = uow.accounts.add_token(account.id, name.strip(), secret[:10], _digest(secret))
        log(uow, actor, "token.issue", "account", [account.id], token_id=token.id, name=name)
        uow.commit()
        return IssuedToken(token, secret)


def list_tokens(uow: UnitOfWork, actor: Actor, username: str) -> list[ApiToken]:
    if username != actor.username:
        actor.require(Permission.ACCOUNTS_MANAGE)
    with uow:
        account = _existing(uow, username)
        assert account.id is not None
        return uow.accounts.tokens_of(account.id)


def revoke_token(uow: UnitOfWork, actor: Actor, username: str, token_id: int) -> None:
    if username != actor.username:
        actor.require(Permission.ACCOUNTS_MANAGE)
    with uow:
        account = _existing(uow, username)
        assert account.id is not None
        if token_id not in {t.id for t in uow.accounts.tokens_of(account.id)}:
            raise AccountNotFound(f"'{username}' has no token {token_id}")
        uow.accounts.revoke_token(token_id)
        log(uow, actor, "token.revoke", "account", [account.id], token_id=token_id)
        uow.commit()


def actor_for_token(uow: UnitOfWork, secret: str, address: str | None = None) -> Actor:
    """The token's account; wrong tokens are counted per client address like failed logins."""
    by_address = address_key(address)
    keys = [by_address] if by_address is not None else []
    _throttled(uow, keys, "(api token)", "api")
    with uow:
        token = uow.accounts.token_by_hash(_digest(secret))
        if token is None or token.revoked_at is not None:
            _count_failure(uow, keys, "(api token)", "api", address)
            uow.commit()
            raise AuthenticationFailed("the API token is unknown or revoked")
        account = uow.accounts.get(token.account_id)
        if not account.active:
            raise AuthenticationFailed("the token's account is deactivated")
        return account.actor("api")


@dataclass(frozen=True)
class OpenedSession:
    secret: str
    session: ConsoleSession
    actor: Actor
    language: str


def open_session(
    uow: UnitOfWork, username: str, password: str, address: str | None = None
) -> OpenedSession:
    actor = authenticate(uow, username, password, "console", address)
    with uow:
        account = _existing(uow, username)
        assert account.id is not None
        secret = secrets.token_urlsafe(32)
        session = uow.accounts.add_session(
            account.id,
            _digest(secret),
            secrets.token_urlsafe(32),
            datetime.now(UTC) + SESSION_LIFETIME,
        )
        uow.commit()
        return OpenedSession(secret, session, actor, account.language)


@dataclass(frozen=True)
class SessionView:
    actor: Actor
    session: ConsoleSession
    language: str
    display_name: str


def resume_session(uow: UnitOfWork, secret: str) -> SessionView:
    with uow:
        session = uow.accounts.session_by_hash(_digest(secret))
        if (
            session is None
            or session.revoked_at is not None
            or session.expires_at <= datetime.now(UTC)
        ):
            raise AuthenticationFailed("the session has ended; log in again")
        account = uow.accounts.get(session.account_id)
        if not account.active:
            raise AuthenticationFailed("the account is deactivated")
        return SessionView(
            account.actor("console"), session, account.language, account.display_name
        )


def check_csrf(session: ConsoleSession, submitted: str | None) -> None:
    if not submitted or not secrets.compare_digest(session.csrf_token, submitted):
        raise InvalidCsrf("the form is stale or forged; reload the page and try again")


def close_session(uow: UnitOfWork, view: SessionView) -> None:
    with uow:
        uow.accounts.revoke_session(view.session.id)
        log(
            uow,
            view.actor,
            "logout",
            "account",
            [view.actor.account_id] if view.actor.account_id else [],
        )
        uow.commit()


def set_language(uow: UnitOfWork, actor: Actor, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}")
    if actor.account_id is None:
        raise PermissionDenied("only an account can choose a language")
    with uow:
        uow.accounts.set_language(actor.account_id, language)
        uow.commit()
