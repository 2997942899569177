"""Who may do what. Checked in the services, so the CLI, the API and the console agree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from parley.domain.errors import PermissionDenied


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    REVIEWER = "reviewer"
    MEDICAL = "medical"
    FORENSIC = "forensic"
    OMBUDSMAN = "ombudsman"
    MEDIATOR_LIAISON = "mediator_liaison"
    ANALYST = "analyst"
    AUDITOR = "auditor"


class Permission(StrEnum):
    REGISTRY_READ = "registry.read"
    REGISTRY_WRITE = "registry.write"
    REGISTRY_READ_MEDICAL = "registry.read_medical"
    """Health notes and what medical commissions found (`domain/accounts/need_to_know.py`)."""
    REGISTRY_READ_CONTACTS = "registry.read_contacts"
    """How to reach a person's relatives: for those who contact families."""
    EVENTS_WRITE = "events.write"
    IMPORT_RUN = "import.run"
    ACCOUNTS_MANAGE = "accounts.manage"
    AUDIT_READ = "audit.read"
    MATCH_RUN = "match.run"
    MATCH_DECIDE = "match.decide"
    STATISTICS_READ = "statistics.read"
    LISTS_READ = "lists.read"
    LISTS_WRITE = "lists.write"
    BUNDLES_SEND = "bundles.send"
    BUNDLES_RECEIVE = "bundles.receive"
    KEYS_MANAGE = "keys.manage"
    MEDICAL_RECORD = "medical.record"
    EXCHANGE_PLAN = "exchange.plan"
    AGREEMENTS_READ = "agreements.read"
    AGREEMENTS_RECORD = "agreements.record"
    CHILDREN_READ = "children.read"
    CHILDREN_RECORD = "children.record"
    CHILDREN_EXPORT = "children.export"
    CHILDREN_COUNTS = "children.counts"
    REMAINS_READ = "remains.read"
    REMAINS_RECORD = "remains.record"
    REMAINS_CONFIRM = "remains.confirm"


_READERS = {
    Permission.REGISTRY_READ,
    Permission.STATISTICS_READ,
    Permission.AGREEMENTS_READ,
    Permission.CHILDREN_COUNTS,
}
_CHILDREN = {
    Permission.CHILDREN_READ,
    Permission.CHILDREN_RECORD,
    Permission.CHILDREN_EXPORT,
    Permission.CHILDREN_COUNTS,
}
"""A deported child's record is seen by the ombudsman (and admins) only; others see counts."""

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COORDINATOR: frozenset(
        _READERS
        | {
            Permission.REGISTRY_WRITE,
            Permission.EVENTS_WRITE,
            Permission.IMPORT_RUN,
            Permission.MATCH_RUN,
            Permission.MATCH_DECIDE,
            Permission.LISTS_READ,
            Permission.LISTS_WRITE,
            Permission.BUNDLES_SEND,
            Permission.BUNDLES_RECEIVE,
            Permission.EXCHANGE_PLAN,
            Permission.AGREEMENTS_RECORD,
        }
    ),
    Role.REVIEWER: frozenset(_READERS | {Permission.MATCH_DECIDE, Permission.LISTS_READ}),
    Role.MEDICAL: frozenset(
        _READERS
        | {Permission.EVENTS_WRITE, Permission.MEDICAL_RECORD, Permission.REGISTRY_READ_MEDICAL}
    ),
    Role.FORENSIC: frozenset(
        _READERS
        | {
            Permission.EVENTS_WRITE,
            Permission.REMAINS_READ,
            Permission.REMAINS_RECORD,
            Permission.REMAINS_CONFIRM,
        }
    ),
    Role.OMBUDSMAN: frozenset(
        _READERS
        | _CHILDREN
        | {
            # the ombudsman's office is the one that answers and calls families
            Permission.REGISTRY_READ_CONTACTS,
            Permission.REGISTRY_WRITE,
            Permission.EVENTS_WRITE,
            # children's lists and answers travel as bundles (services/children/bundles.py)
            Permission.BUNDLES_SEND,
            Permission.BUNDLES_RECEIVE,
        }
    ),
    # A mediator's liaison receives bundles and forwards them unchanged; it builds no lists.
    Role.MEDIATOR_LIAISON: frozenset(
        _READERS
        | {
            Permission.LISTS_READ,
            Permission.BUNDLES_SEND,
            Permission.BUNDLES_RECEIVE,
            Permission.AGREEMENTS_RECORD,
        }
    ),
    # Analysts see aggregates, auditors see who did what: neither reads personal records.
    Role.ANALYST: frozenset(
        {Permission.STATISTICS_READ, Permission.AGREEMENTS_READ, Permission.CHILDREN_COUNTS}
    ),
    Role.AUDITOR: frozenset(
        {
            Permission.AUDIT_READ,
            Permission.STATISTICS_READ,
            Permission.AGREEMENTS_READ,
            Permission.CHILDREN_COUNTS,
        }
    ),
}


@dataclass(frozen=True)
class Actor:
    """The account on whose behalf a use case runs; `channel` says through which door."""

    username: str
    roles: frozenset[Role]
    channel: str = "cli"
    account_id: int | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        granted: set[Permission] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS[role]
        return frozenset(granted)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            roles = ", ".join(sorted(self.roles)) or "no role"
            raise PermissionDenied(
                f"{self.username} ({roles}) may not do this: it needs '{permission}'"
            )

    @property
    def label(self) -> str:
        return f"{self.channel}:{self.username}"


SYSTEM = Actor("system", frozenset({Role.ADMIN}), channel="system")
"""Used only by instance bootstrap and the demo builder, and recorded as such in the audit log."""


@dataclass
class Account:
    username: str
    display_name: str
    roles: frozenset[Role]
    password_hash: str
    active: bool = True
    language: str = "en"
    id: int | None = None

    def actor(self, channel: str) -> Actor:
        return Actor(self.username, self.roles, channel, self.id)


def validate_username(username: str) -> str:
    import re

    from parley.domain.errors import InvalidInput

    if not re.fullmatch(r"[a-z][a-z0-9._-]{1,39}", username):
        raise InvalidInput(
            f"username '{username}' must be 2-40 lower-case letters, digits, '.', '_' or '-'"
        )
    return username


MIN_PASSWORD_LENGTH = 12
