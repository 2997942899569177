"""Signed checkpoints of the audit log: a tree head a third party can hold us to.

As in Certificate Transparency, an instance signs its log's head from time to time (the number
of entries and the hash of the last one) and hands the signed head to others: the mediator keeps
every checkpoint a bundle carries. Because each entry's hash covers the one before, the head
hash commits to the whole prefix; later, recomputing the chain up to that entry must give the
same hash. Deleting the newest entries, or rewriting an old one and recomputing every later
hash, can then be shown to anyone holding an earlier checkpoint.

A checkpoint is one JSON object in RFC 8785 canonical form (`parley.checkpoint/1`), signed
with the instance's Ed25519 key over its canonical form without `signature`. It comes from
outside as often as not, so `read_checkpoint` refuses anything malformed with
`checkpoint_refused`, naming the member at fault, and `check_signer` refuses one signed by a key
not trusted for its party, or retired or revoked at the time.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from parley.domain.errors import CheckpointRefused
from parley.interchange.bundle_payloads import (
    SIGNATURE_BYTES,
    Party,
    Sha256Hex,
    SignatureText,
    Signer,
    Timestamp,
    decode_canonical_base64,
    describe_error,
    parse_utc_timestamp,
    utc_timestamp,
)
from parley.interchange.keys import TrustedKey, fingerprint, public_key_text

SCHEMA_ID = "parley.checkpoint/1"
MAX_BYTES = 16 * 1024
"""A checkpoint is a few hundred bytes; anything much larger is not one."""
MAX_ENTRIES = 2**53 - 1
"""RFC 8785 carries integers exactly up to here."""


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    schema_id: Literal["parley.checkpoint/1"] = Field(alias="schema")
    party: Party
    entries: int = Field(ge=0, le=MAX_ENTRIES)
    head: Sha256Hex
    created_at: Timestamp
    signer: Signer
    signature: SignatureText


@dataclass(frozen=True)
class Checkpoint:
    """A verified-shape checkpoint: `party`'s log held `entries` entries, the last hashing to
    `head` (64 zeros for an empty log), at `created_at`; `raw` is its canonical bytes."""

    party: str
    entries: int
    head: str
    created_at: datetime
    signer_fingerprint: str
    signer_public_key: str
    raw: bytes

    @property
    def document(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.raw)
        return parsed


def _canonical(value: object) -> bytes:
    return rfc8785.dumps(value)  # type: ignore[arg-type]


def seal_checkpoint(
    party: str, entries: int, head: str, signing_key: Ed25519PrivateKey, created_at: datetime
) -> Checkpoint:
    """Sign the head of our log; the result is what is stored, sent and written to a file."""
    public = signing_key.public_key()
    unsigned: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "party": party,
        "entries": entries,
        "head": head,
        "created_at": utc_timestamp(created_at),
        "signer": {
            "party": party,
            "public_key": public_key_text(public),
            "fingerprint": fingerprint(public),
        },
    }
    signature = base64.b64encode(signing_key.sign(_canonical(unsigned))).decode("ascii")
    return read_checkpoint(_canonical({**unsigned, "signature": signature}))


CheckpointFile = bytes | Mapping[str, Any]
"""A checkpoint as handed over: the file's bytes, or its JSON object already parsed (an API body).
Untrusted until `read_checkpoint` has checked its schema and signature, so not typed further."""


def read_checkpoint(raw: CheckpointFile, source: str = "checkpoint") -> Checkpoint:
    """Parse and check the shape and the signature (not yet whom the key belongs to).

    `raw` is a file's bytes, which must be exactly the canonical form, or the object a bundle
    carries. Raises CheckpointRefused naming `source` and what is wrong.
    """

    def refuse(why: str) -> CheckpointRefused:
        return CheckpointRefused(f"{source}: {why}")

    if isinstance(raw, Mapping):
        document: Any = raw
        try:
            raw = _canonical(dict(raw))
        except (ValueError, TypeError, RecursionError) as exc:
            raise refuse(f"has no canonical form (RFC 8785): {exc}") from exc
    else:
        if len(raw) > MAX_BYTES:
            raise refuse(f"{len(raw):,} bytes; a checkpoint is at most {MAX_BYTES:,}")
        try:
            document = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise refuse(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
        except (ValueError, RecursionError) as exc:
            raise refuse(f"not JSON: {exc}") from exc
        if not isinstance(document, dict):
            raise refuse(f"a checkpoint is a JSON object, not a {type(document).__name__}")
        try:
            canonical = _canonical(document)
        except (ValueError, TypeError, RecursionError) as exc:
            raise refuse(f"has no canonical form (RFC 8785): {exc}") from exc
        if canonical != raw:
            raise refuse("not in canonical form (RFC 8785): it must travel exactly as signed")
    if not isinstance(document, Mapping) or document.get("schema") != SCHEMA_ID:
        shown = document.get("schema") if isinstance(document, Mapping) else None
        raise refuse(f"schema is {shown!r}, not {SCHEMA_ID!r}: not a Parley checkpoint")
    try:
        parsed = _Document.model_validate(document)
    except ValidationError as exc:
        raise refuse(describe_error(exc)) from exc
    signer = parsed.signer
    if signer.party != parsed.party:
        raise refuse(f"signed on behalf of {signer.party}, but the checkpoint is {parsed.party}'s")
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(signer.public_key))
    if fingerprint(key) != signer.fingerprint:
        raise refuse("signer.fingerprint is not the fingerprint of signer.public_key")
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    try:
        key.verify(decode_canonical_base64(parsed.signature, SIGNATURE_BYTES), _canonical(unsigned))
    except InvalidSignature as exc:
        raise refuse(
            f"the signature does not verify with key {signer.fingerprint}: altered after signing"
        ) from exc
    return Checkpoint(
        parsed.party,
        parsed.entries,
        parsed.head,
        parse_utc_timestamp(parsed.created_at),
        signer.fingerprint,
        signer.public_key,
        raw,
    )


def check_signer(
    checkpoint: Checkpoint, trusted: Iterable[TrustedKey], source: str = "checkpoint"
) -> TrustedKey:
    """The trusted key that vouches for this checkpoint, or CheckpointRefused."""
    holders = [k for k in trusted if k.public_key == checkpoint.signer_public_key]
    mine = [k for k in holders if k.party == checkpoint.party]
    if not mine:
        where = f" (trusted for {', '.join(sorted({k.party for k in holders}))})" if holders else ""
        raise CheckpointRefused(
            f"{source}: key {checkpoint.signer_fingerprint} is not trusted for "
            f"{checkpoint.party}{where}"
        )
    key = mine[0]
    refusal = key.refusal(checkpoint.created_at)
    if refusal is not None:
        raise CheckpointRefused(f"{source}: {refusal}")
    return key
