"""An instance's Ed25519 signing key and its store of other parties' trusted public keys.

The private key never leaves the instance folder and is readable by its owner only (0600).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.domain.errors import InvalidInput, KeyAlreadyTrusted, SigningKeyExists

PRIVATE_KEY_FILE = "signing_key.pem"
PUBLIC_KEY_FILE = "signing_key.pub"
TRUST_FILE = "trust.json"


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw key, grouped so two people can read it to each other over a phone."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def public_key_text(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Accept the base64 raw form Parley writes, or a PEM public key."""
    stripped = text.strip()
    try:
        if stripped.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(stripped.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise InvalidInput("the key is not an Ed25519 public key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(stripped, validate=True))
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"not an Ed25519 public key: {exc}") from exc


def generate_signing_key(directory: Path) -> Ed25519PublicKey:
    private_path = directory / PRIVATE_KEY_FILE
    if private_path.exists():
        raise SigningKeyExists(f"{private_path} exists; refusing to replace a signing key")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.chmod(private_path, 0o600)
    (directory / PUBLIC_KEY_FILE).write_text(public_key_text(key.public_key()) + "\n")
    return key.public_key()


RETIRED_KEYS_DIR = "retired_keys"


def replace_signing_key(directory: Path, new_key: Ed25519PrivateKey) -> Path:
    """Install a new signing key; the old one moves to `retired_keys/`, never deleted.

    The old private key is kept (owner-only) so what it signed can be re-checked and, if a
    party missed the announcement, announced again.
    """
    old = load_signing_key(directory)
    retired = directory / RETIRED_KEYS_DIR
    retired.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}-{fingerprint(old.public_key()).replace(':', '')[:16]}"
    archived = retired / f"{name}.pem"
    (directory / PRIVATE_KEY_FILE).replace(archived)
    (directory / PUBLIC_KEY_FILE).replace(retired / f"{name}.pub")
    pem = new_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(directory / PRIVATE_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    (directory / PUBLIC_KEY_FILE).write_text(public_key_text(new_key.public_key()) + "\n")
    return archived


def load_signing_key(directory: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key((directory / PRIVATE_KEY_FILE).read_bytes(), None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(f"{directory / PRIVATE_KEY_FILE} is not an Ed25519 key")
    return key


def load_public_key(directory: Path) -> Ed25519PublicKey:
    return parse_public_key((directory / PUBLIC_KEY_FILE).read_text())


@dataclass(frozen=True)
class TrustedKey:
    party: str
    name: str
    public_key: str
    fingerprint: str
    added_at: str
    mediator: bool = False
    """The party relays between the others (`parley trust add --mediator`): only a mediator's
    relay receipts count. Trust files written before the flag read as `false`."""


class TrustStore:
    """A JSON file of trusted keys; a party may have several (rotation), none is ever removed."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def create_empty(self) -> None:
        self.path.write_text(json.dumps({"keys": []}, indent=2) + "\n")

    def trusted(self) -> list[TrustedKey]:
        data = json.loads(self.path.read_text())
        return [TrustedKey(**entry) for entry in data["keys"]]

    def mediators(self) -> frozenset[str]:
        """The parties trusted to relay: any of whose keys carries the mediator flag."""
        return frozenset(k.party for k in self.trusted() if k.mediator)

    def add(self, party: str, name: str, key_text: str, mediator: bool = False) -> TrustedKey:
        public_key = parse_public_key(key_text)
        entry = TrustedKey(
            party.upper(),
            name,
            public_key_text(public_key),
            fingerprint(public_key),
            datetime.now(UTC).isoformat(timespec="seconds"),
            mediator or party.upper() in self.mediators(),
        )
        existing = self.trusted()
        if any(k.public_key == entry.public_key for k in existing):
            raise KeyAlreadyTrusted(f"key {entry.fingerprint} is already trusted")
        data = {"keys": [asdict(k) for k in [*existing, entry]]}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        temporary.replace(self.path)
        return entry
