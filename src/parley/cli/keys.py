"""`parley keys show` and `parley trust ...`: this instance's key and the keys it trusts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rich.table import Table

from parley.cli._common import InstanceOption, UserOption, cli_errors, out, session
from parley.instance import load_config, resolve_directory
from parley.interchange.keys import (
    TRUST_FILE,
    TrustedKey,
    TrustStore,
    fingerprint,
    load_public_key,
    public_key_text,
    replace_signing_key,
)
from parley.services.lists import bundles

keys_app = typer.Typer(help="This instance's signing key.", no_args_is_help=True)
trust_app = typer.Typer(help="Other parties' trusted public keys.", no_args_is_help=True)


@keys_app.command("show")
def show(instance: InstanceOption = None) -> None:
    """Print the public key and its fingerprint, to hand to the other parties."""
    with cli_errors():
        directory = resolve_directory(instance)
        config = load_config(directory)
        key = load_public_key(directory)
        out.print(f"party: {config.party}  ({config.name})")
        out.print(f"public key: {public_key_text(key)}", highlight=False)
        out.print(f"fingerprint: {fingerprint(key)}", highlight=False)


@trust_app.command("add")
def add(
    key_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    party: Annotated[str, typer.Option(help="The party this key signs for.")],
    name: Annotated[str, typer.Option(help="A label, e.g. the instance's name.")] = "",
    mediator: Annotated[
        bool, typer.Option(help="The party is a mediator: only mediators' relay receipts count.")
    ] = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Trust a public key (compare its fingerprint with the sender out of band first); needs
    the key-management permission."""
    with session(instance, user) as s:
        entry = bundles.trust_key(
            s.instance.uow(),
            s.actor,
            s.instance.trust_store,
            party,
            name or party,
            key_file.read_text(),
            mediator,
        )
        role = " (mediator)" if entry.mediator else ""
        out.print(f"trusted {entry.party} key {entry.fingerprint}{role}", highlight=False)


@trust_app.command("list")
def list_(instance: InstanceOption = None) -> None:
    """Every key this instance trusts."""
    with cli_errors():
        store = TrustStore(resolve_directory(instance) / TRUST_FILE)
        table = Table("party", "name", "fingerprint", "added", "mediator", "standing")
        for k in store.trusted():
            mediator = "yes" if k.mediator else ""
            table.add_row(k.party, k.name, k.fingerprint, k.added_at, mediator, _standing(k))
        out.print(table)


def _standing(key: TrustedKey) -> str:
    if key.revoked_at:
        return f"revoked {key.revoked_at}: {key.revoked_reason}"
    if key.retired_at:
        return f"retired {key.retired_at}"
    return "in use"


@keys_app.command("revoke")
def revoke(
    key_fingerprint: Annotated[str, typer.Argument(help="The trusted key's fingerprint.")],
    reason: Annotated[str, typer.Option(help="Why: kept in the trust store and the audit.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Revoke a trusted key that was compromised: nothing signed with it is accepted any more,
    whatever its date; needs the key-management permission."""
    with session(instance, user) as s:
        revoked = bundles.revoke_key(
            s.instance.uow(), s.actor, s.instance.trust_store, key_fingerprint, reason
        )
    out.print(
        f"revoked {revoked.party} key {revoked.fingerprint}: bundles and checkpoints it signed "
        "are refused from now on",
        highlight=False,
    )


@keys_app.command("rotate")
def rotate(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the announcements to send.")
    ] = Path("."),
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Make a new signing key, announced to every trusted party in a bundle signed by the old."""
    with session(instance, user) as s:
        keyring = s.instance.keyring()
        new_key = Ed25519PrivateKey.generate()
        parties = sorted({k.party for k in keyring.trust_store.trusted()} - {keyring.party})
        announcements = bundles.announce_key(
            s.instance.uow(), s.actor, keyring, new_key.public_key(), parties
        )
        output.mkdir(parents=True, exist_ok=True)
        written = []
        for party, raw in announcements:
            path = output / f"key-announcement-{keyring.party}-to-{party}.json"
            path.write_bytes(raw)
            written.append(path)
        archived = replace_signing_key(s.instance.directory, new_key)
    out.print(
        f"new key {fingerprint(new_key.public_key())} in use; the old one is kept in "
        f"{archived.parent}",
        highlight=False,
    )
    for path in written:
        out.print(f"send {path} (signed with the old key {keyring.fingerprint})", highlight=False)
