"""An instance's Ed25519 signing key and its store of other parties' trusted public keys.

The private key never leaves the instance folder and is readable by its owner only (0600).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.domain.errors import (
    InvalidInput,
    KeyAlreadyRevoked,
    KeyAlreadyTrusted,
    KeyNotFound,
    SigningKeyExists,
)

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
    retired_at: str = ""
    """When the party replaced this key (its announcement of the next one): nothing it signs
    after this moment is accepted, and it can announce no further key."""
    revoked_at: str = ""
    """When the trust store's owner revoked it (compromised): it vouches for nothing at all."""
    revoked_reason: str = ""

    def refusal(self, signed_at: datetime, announcing: bool = False) -> str | None:
        """Why this key may not vouch for something signed at `signed_at`, or None.

        A revoked key vouches for nothing, whatever date its signature claims (a thief can
        write any date). A retired key still vouches for what it signed before it was retired,
        but never for a key change: a stolen old key must not name its successor's successor.
        """
        if self.revoked_at:
            why = f" ({self.revoked_reason})" if self.revoked_reason else ""
            return f"key {self.fingerprint} was revoked on {self.revoked_at}{why}"
        if self.retired_at:
            if announcing:
                return (
                    f"key {self.fingerprint} was retired on {self.retired_at}: a retired key "
                    "cannot announce a key change"
                )
            if signed_at > datetime.fromisoformat(self.retired_at):
                return (
                    f"key {self.fingerprint} was retired on {self.retired_at}, before this was "
                    f"signed ({signed_at.isoformat()}): {self.party} signs with its new key now"
                )
        return None


class TrustStore:
    """A JSON file of trusted keys; a party may have several (rotation), none is ever removed:
    a replaced key is marked retired, a compromised one revoked."""

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
        self._write([*existing, entry])
        return entry

    def _write(self, keys: list[TrustedKey]) -> None:
        data = {"keys": [asdict(k) for k in keys]}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        temporary.replace(self.path)

    def find(self, fingerprint_text: str) -> TrustedKey:
        """The key with this fingerprint (colons optional), or KeyNotFound."""
        wanted = fingerprint_text.replace(":", "").strip().lower()
        for key in self.trusted():
            if key.fingerprint.replace(":", "") == wanted:
                return key
        raise KeyNotFound(f"no key with fingerprint {fingerprint_text!r} in the trust store")

    def _replace(self, changed: TrustedKey) -> TrustedKey:
        self._write([changed if k.public_key == changed.public_key else k for k in self.trusted()])
        return changed

    def retire(self, public_key: str, at: datetime) -> TrustedKey | None:
        """Mark a key replaced as of `at` (kept: what it signed before still verifies)."""
        for key in self.trusted():
            if key.public_key == public_key and not key.retired_at:
                return self._replace(replace(key, retired_at=at.isoformat(timespec="seconds")))
        return None

    def revoke(self, fingerprint_text: str, reason: str, at: datetime) -> TrustedKey:
        """Withdraw all trust from a key (kept in the file, marked, so it can never be re-added
        unnoticed): nothing signed by it is accepted any more, whatever its date."""
        key = self.find(fingerprint_text)
        if key.revoked_at:
            raise KeyAlreadyRevoked(f"key {key.fingerprint} was revoked on {key.revoked_at}")
        stamp = at.isoformat(timespec="seconds")
        return self._replace(replace(key, revoked_at=stamp, revoked_reason=reason.strip()))


def own_keys(directory: Path, party: str) -> list[TrustedKey]:
    """This instance's own keys as a trust list: the current one, and each retired one (in
    `retired_keys/`, named by the moment of rotation) retired from that moment on."""
    current = load_public_key(directory)
    keys = [TrustedKey(party, "this instance", public_key_text(current), fingerprint(current), "")]
    retired = directory / RETIRED_KEYS_DIR
    for path in sorted(retired.glob("*.pub")) if retired.is_dir() else []:
        stamp = path.name.split("-", 1)[0]
        try:
            at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            key = parse_public_key(path.read_text())
        except (ValueError, InvalidInput):
            continue  # not a file `replace_signing_key` wrote
        keys.append(
            TrustedKey(
                party,
                "this instance (retired)",
                public_key_text(key),
                fingerprint(key),
                "",
                retired_at=at.isoformat(timespec="seconds"),
            )
        )
    return keys
