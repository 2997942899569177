import pytest

from parley.domain.accounts.accounts import ROLE_PERMISSIONS, Actor, Permission, Role
from parley.domain.errors import PermissionDenied


def test_every_role_has_a_permission_set() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR])
def test_analysts_and_auditors_never_read_personal_records(role: Role) -> None:
    actor = Actor("x", frozenset({role}))
    with pytest.raises(PermissionDenied, match=r"registry\.read"):
        actor.require(Permission.REGISTRY_READ)


def test_roles_add_up() -> None:
    actor = Actor("x", frozenset({Role.REVIEWER, Role.AUDITOR}))
    assert actor.can(Permission.REGISTRY_READ) and actor.can(Permission.AUDIT_READ)
    assert not actor.can(Permission.ACCOUNTS_MANAGE)
