"""`parley account ...`: accounts, roles and API tokens."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, UserOption, out, session
from parley.domain.accounts.accounts import Role
from parley.services import accounts

account_app = typer.Typer(help="Accounts, roles and API tokens.", no_args_is_help=True)


@account_app.command("add")
def add(
    username: str,
    role: Annotated[list[Role], typer.Option(help="Repeat for several roles.")],
    display_name: Annotated[str, typer.Option()] = "",
    password: Annotated[
        str | None, typer.Option(help="Leave out to have one generated and printed once.")
    ] = None,
    language: Annotated[
        str, typer.Option(help="en or uk; left out, the console follows the browser")
    ] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Create an account."""
    with session(instance, user) as s:
        secret = password or accounts.generate_password()
        account = accounts.create_account(
            s.instance.uow(), s.actor, username, secret, frozenset(role), display_name, language
        )
        out.print(f"account {account.username} created with roles {', '.join(sorted(role))}")
        if password is None:
            out.print(f"password (shown once): {secret}", highlight=False)


@account_app.command("list")
def list_(instance: InstanceOption = None, user: UserOption = None) -> None:
    """All accounts with their roles."""
    with session(instance, user) as s:
        table = Table("username", "name", "roles", "active", "language")
        for a in accounts.list_accounts(s.instance.uow(), s.actor):
            table.add_row(
                a.username,
                a.display_name,
                ", ".join(sorted(a.roles)),
                "yes" if a.active else "no",
                a.language or "browser",
            )
        out.print(table)


@account_app.command("deactivate")
def deactivate(username: str, instance: InstanceOption = None, user: UserOption = None) -> None:
    """Stop an account from logging in; its history stays."""
    with session(instance, user) as s:
        accounts.set_active(s.instance.uow(), s.actor, username, False)
        out.print(f"account {username} deactivated")


@account_app.command("token")
def token(
    username: str,
    name: Annotated[str, typer.Option(help="Where the token will be used.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Issue an API token; it is printed once and stored only as a hash."""
    with session(instance, user) as s:
        issued = accounts.issue_token(s.instance.uow(), s.actor, username, name)
        out.print(f"token {issued.token.id} for {username} (shown once):")
        out.print(issued.secret, highlight=False)


@account_app.command("revoke-token")
def revoke_token(
    username: str,
    token_id: int,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Revoke an API token."""
    with session(instance, user) as s:
        accounts.revoke_token(s.instance.uow(), s.actor, username, token_id)
        out.print(f"token {token_id} revoked")
