"""Signed bundles: the only thing that crosses from one party's instance to another's.

A bundle is one JSON object in RFC 8785 canonical form, signed with the sender's Ed25519 key
(see `docs/bundles.md`). `seal` makes one; `verify` runs six checks in a fixed order and stops
at the first that fails, so the refusal names one precise reason; it never raises for bad
input, because a bundle is by nature input from the other side of a war.

A bundle's identity is the SHA-256 of its exact bytes: the same bundle imported twice is
recognised, and since the bytes must be canonical, no two byte strings carry the same content.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import ValidationError

from parley.domain.errors import BundleRefused, CheckpointRefused
from parley.interchange._canonical import (
    _member_bytes,
    _member_spans,
    _Span,
    _without_member,
    canonical_json,
)
from parley.interchange.bundle_payloads import (
    PAYLOAD_MODELS,
    SIGNATURE_BYTES,
    AgreementPayload,
    BundleKind,
    Envelope,
    KeyAnnouncementPayload,
    ListPayload,
    Payload,
    ReceiptPayload,
    Signer,
    decode_canonical_base64,
    describe_error,
    parse_utc_timestamp,
    utc_timestamp,
)
from parley.interchange.checkpoints import Checkpoint, read_checkpoint
from parley.interchange.keys import TrustedKey, fingerprint, public_key_text

SCHEMA_ID = "parley.bundle/1"
_SCHEMA_FAMILY = re.compile(r"parley\.bundle/[0-9]+")
_SHOWN_CHARACTERS = 40
CLOCK_SKEW = timedelta(minutes=10)
"""How far in the future a bundle's `created_at` may be (the two clocks differ); beyond it the
bundle is refused at the `created at` check."""

__all__ = [
    "SCHEMA_ID",
    "AnnouncedKey",
    "Bundle",
    "BundleKind",
    "Check",
    "CheckResult",
    "Verification",
    "announced_key",
    "bundle_sha256",
    "canonical_json",
    "key_announcement_payload",
    "list_payload",
    "list_sha256",
    "receipt_payload",
    "require_accepted",
    "seal",
    "verify",
]


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundle_sha256(raw: bytes) -> str:
    """A bundle's identity: the hash of its exact bytes."""
    return _sha256_hex(raw)


def list_sha256(list_object: Mapping[str, Any]) -> str:
    """The content hash of a list, the digest printed on its CSV, XLSX and PDF forms too."""
    return _sha256_hex(canonical_json(list_object))


# ---------------------------------------------------------------- payload builders


def list_payload(list_object: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of a "list" bundle: the list and its content hash."""
    return {"list": dict(list_object), "list_sha256": list_sha256(list_object)}


def receipt_payload(
    bundle_sha256: str,
    bundle_sender: str,
    received_by: str,
    received_at: datetime,
    forwarded_to: str | None = None,
) -> dict[str, Any]:
    """A receipt for a bundle; naming `forwarded_to` makes it a relay's receipt."""
    return {
        "bundle_sha256": bundle_sha256,
        "bundle_sender": bundle_sender,
        "received_at": utc_timestamp(received_at),
        "received_by": received_by,
        "role": "relay" if forwarded_to is not None else "recipient",
        "forwarded_to": forwarded_to,
    }


def key_announcement_payload(
    party: str, new_key: Ed25519PublicKey, effective_from: datetime
) -> dict[str, Any]:
    """The payload announcing a party's new key; seal it with the party's *old* key."""
    return {
        "party": party,
        "new_public_key": public_key_text(new_key),
        "new_fingerprint": fingerprint(new_key),
        "effective_from": utc_timestamp(effective_from),
    }


# ---------------------------------------------------------------- results


class Check(StrEnum):
    """The checks `verify` runs, in this order; each relies on those before it."""

    FORMAT = "format"
    SCHEMA = "schema"
    DIGEST = "digest"
    SIGNATURE = "signature"
    TRUSTED_KEY = "trusted key"
    RECIPIENT = "recipient"
    CREATED_AT = "created at"


@dataclass(frozen=True)
class CheckResult:
    check: Check
    passed: bool
    detail: str


@dataclass(frozen=True)
class Bundle:
    """A verified bundle: its envelope, its validated payload and the bytes it came in."""

    kind: BundleKind
    sender: str
    recipient: str
    created_at: datetime
    payload: Payload
    payload_sha256: str
    signer: Signer
    signature: str
    raw: bytes = field(repr=False)
    sha256: str
    checkpoint: Checkpoint | None = None
    """The sender's signed audit checkpoint, if the bundle carries one (checked with it)."""


@dataclass(frozen=True)
class Verification:
    """What `verify` found.

    `results` holds the checks that ran, in `Check` order: all six if the bundle was accepted,
    otherwise those up to and including the first failure (later checks are not run, because
    each relies on the ones before it). `bundle` is set only when every check passed, so
    nothing unverified can be used by mistake; `sha256` is always set, for the audit log.
    """

    results: tuple[CheckResult, ...]
    bundle: Bundle | None
    sha256: str

    @property
    def accepted(self) -> bool:
        return self.bundle is not None

    @property
    def failed(self) -> CheckResult | None:
        return next((result for result in self.results if not result.passed), None)


def require_accepted(verification: Verification) -> Bundle:
    """The bundle, or BundleRefused naming the check that failed and why."""
    if verification.bundle is not None:
        return verification.bundle
    failed = verification.failed
    assert failed is not None, "a refused verification always names its failed check"
    raise BundleRefused(failed.check.value, failed.detail, verification.sha256)


# ---------------------------------------------------------------- the checks


class _Failed(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _shown(value: object) -> str:
    """A value from the bundle, quoted and cut short: it is the other side's text."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARACTERS else text[: _SHOWN_CHARACTERS - 1] + "…"


@dataclass
class _Inspection:
    """One bundle going through the checks; each step leaves what the next one needs."""

    raw: bytes
    document: dict[str, Any] = field(default_factory=dict)
    envelope: Envelope | None = None
    payload: Payload | None = None
    spans: dict[str, _Span] = field(default_factory=dict)
    checkpoint: Checkpoint | None = None

    def format(self) -> str:
        try:
            text = self.raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Failed(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Failed(f"not JSON: {exc.msg} at character {exc.pos}") from exc
        except (ValueError, RecursionError) as exc:
            raise _Failed(f"not usable JSON: {exc}") from exc
        if not isinstance(document, dict):
            raise _Failed(f"a bundle is a JSON object, not a {type(document).__name__}")
        try:
            canonical = canonical_json(document)
        except (ValueError, RecursionError) as exc:
            raise _Failed(f"has no canonical form (RFC 8785): {exc}") from exc
        if canonical != self.raw:
            at = next(
                (i for i, (a, b) in enumerate(zip(canonical, self.raw, strict=False)) if a != b),
                min(len(canonical), len(self.raw)),
            )
            raise _Failed(
                f"not in canonical form (RFC 8785): differs from it at byte {at}; "
                "a bundle must travel exactly as it was sealed"
            )
        self.document = document
        return f"canonical JSON, {len(self.raw):,} bytes"

    def schema(self) -> str:
        schema_id = self.document.get("schema")
        if schema_id is None:
            raise _Failed("the 'schema' member is missing")
        if not isinstance(schema_id, str):
            raise _Failed("'schema' must be a string")
        if schema_id != SCHEMA_ID:
            if _SCHEMA_FAMILY.fullmatch(schema_id):
                raise _Failed(
                    f"unsupported schema version {_shown(schema_id)}: this Parley reads "
                    f"{SCHEMA_ID} only; upgrade to read newer bundles"
                )
            raise _Failed(f"unknown schema {_shown(schema_id)}: not a Parley bundle")
        if "checkpoint" in self.document and not isinstance(self.document["checkpoint"], dict):
            raise _Failed("checkpoint: when present, must be a signed checkpoint object")
        try:
            envelope = Envelope.model_validate(self.document)
        except ValidationError as exc:
            raise _Failed(describe_error(exc)) from exc
        kind = BundleKind(envelope.kind)
        try:
            payload = PAYLOAD_MODELS[kind].model_validate(envelope.payload)
        except ValidationError as exc:
            raise _Failed(describe_error(exc, ("payload",))) from exc
        _agrees_with_envelope(envelope, payload)
        self.envelope, self.payload = envelope, payload
        return f"{SCHEMA_ID}, kind {kind.value}"

    def digest(self) -> str:
        assert self.envelope is not None
        self.spans = _member_spans(self.raw, self.document, "payload")
        payload_bytes = _member_bytes(self.raw, self.spans, "payload")
        actual = _sha256_hex(payload_bytes)
        if actual != self.envelope.payload_sha256:
            raise _Failed(
                f"payload_sha256 is {self.envelope.payload_sha256}, "
                f"but the payload hashes to {actual}"
            )
        if isinstance(self.payload, ListPayload):
            payload_spans = _member_spans(payload_bytes, self.envelope.payload, "list")
            listed = _sha256_hex(_member_bytes(payload_bytes, payload_spans, "list"))
            if listed != self.payload.list_sha256:
                raise _Failed(
                    f"list_sha256 is {self.payload.list_sha256}, but the list hashes to {listed}"
                )
            return f"payload {actual[:12]}…, list {listed[:12]}…"
        return f"payload {actual[:12]}…"

    def signature(self) -> str:
        envelope = self.envelope
        assert envelope is not None
        signer = envelope.signer
        if signer.party != envelope.sender:
            raise _Failed(
                f"signed on behalf of {signer.party}, but the sender is {envelope.sender}"
            )
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(signer.public_key))
        if fingerprint(key) != signer.fingerprint:
            raise _Failed(
                f"signer.fingerprint {_shown(signer.fingerprint)} is not the fingerprint of "
                f"signer.public_key ({fingerprint(key)})"
            )
        signed = _without_member(self.raw, self.spans, "signature")
        try:
            key.verify(decode_canonical_base64(envelope.signature, SIGNATURE_BYTES), signed)
        except InvalidSignature as exc:
            raise _Failed(
                f"the signature does not verify with key {signer.fingerprint}: the bundle was "
                "altered after signing, or signed by another key"
            ) from exc
        if envelope.checkpoint is None:
            return f"signed by {envelope.sender} with key {signer.fingerprint}"
        try:
            self.checkpoint = read_checkpoint(envelope.checkpoint, "checkpoint")
        except CheckpointRefused as exc:
            raise _Failed(exc.message) from exc
        if (self.checkpoint.party, self.checkpoint.signer_public_key) != (
            envelope.sender,
            signer.public_key,
        ):
            raise _Failed("checkpoint: not signed by the bundle's sender with the bundle's key")
        return (
            f"signed by {envelope.sender} with key {signer.fingerprint}, with an audit "
            f"checkpoint of {self.checkpoint.entries:,} entries"
        )

    def trusted_key(self, trusted: tuple[TrustedKey, ...]) -> str:
        envelope = self.envelope
        assert envelope is not None
        signer = envelope.signer
        holders = [k for k in trusted if k.public_key.strip() == signer.public_key]
        for key in holders:
            if key.party == envelope.sender:
                refusal = key.refusal(
                    parse_utc_timestamp(envelope.created_at),
                    announcing=envelope.kind == BundleKind.KEY_ANNOUNCEMENT.value,
                )
                if refusal is not None:
                    raise _Failed(refusal)
                name = f" ({key.name})" if key.name else ""
                return f"key {signer.fingerprint} is trusted for {envelope.sender}{name}"
        if holders:
            parties = ", ".join(sorted({k.party for k in holders}))
            raise _Failed(
                f"key {signer.fingerprint} is trusted for {parties}, not for {envelope.sender}"
            )
        raise _Failed(
            f"key {signer.fingerprint} is not in the trust store for {envelope.sender}; "
            f"check the fingerprint with {envelope.sender} before trusting it"
        )

    def recipient(self, this_party: str, relay: bool) -> str:
        envelope = self.envelope
        assert envelope is not None
        if envelope.recipient == this_party:
            return f"addressed to {this_party}"
        if relay:
            return f"relay to {envelope.recipient}"
        raise _Failed(f"addressed to {envelope.recipient}, not to this instance ({this_party})")

    def created_at(self, now: datetime) -> str:
        envelope = self.envelope
        assert envelope is not None
        created = parse_utc_timestamp(envelope.created_at)
        if created > now + CLOCK_SKEW:
            minutes = int(CLOCK_SKEW.total_seconds()) // 60
            raise _Failed(
                f"created at {envelope.created_at}, more than {minutes} minutes after this "
                f"instance's clock ({utc_timestamp(now)}): refused"
            )
        return f"created at {envelope.created_at}"

    def bundle(self) -> Bundle:
        envelope, payload = self.envelope, self.payload
        assert envelope is not None and payload is not None
        return Bundle(
            kind=BundleKind(envelope.kind),
            sender=envelope.sender,
            recipient=envelope.recipient,
            created_at=parse_utc_timestamp(envelope.created_at),
            payload=payload,
            payload_sha256=envelope.payload_sha256,
            signer=envelope.signer,
            signature=envelope.signature,
            raw=self.raw,
            sha256=bundle_sha256(self.raw),
            checkpoint=self.checkpoint,
        )


def _agrees_with_envelope(envelope: Envelope, payload: Payload) -> None:
    """What the payload says about who sends it must be what the envelope says."""
    sender = envelope.sender
    if isinstance(payload, ListPayload):
        body = payload.list_body
        if body.sender != sender:
            raise _Failed(f"payload.list.sender is {body.sender}, but the bundle's is {sender}")
        if envelope.recipient not in body.recipients:
            raise _Failed(
                f"the bundle goes to {envelope.recipient}, who is not among the list's "
                f"recipients ({', '.join(body.recipients)})"
            )
    elif isinstance(payload, ReceiptPayload):
        if payload.received_by != sender:
            raise _Failed(
                f"payload.received_by is {payload.received_by}, but the bundle's sender is {sender}"
            )
    elif isinstance(payload, AgreementPayload):
        if payload.party != sender:
            raise _Failed(f"states what {payload.party} said, but the sender is {sender}")
    elif isinstance(payload, KeyAnnouncementPayload):
        if payload.party != sender:
            raise _Failed(f"announces a key for {payload.party}, but the sender is {sender}")
        if payload.new_public_key == envelope.signer.public_key:
            raise _Failed("announces the very key it is signed with")


def _run(
    raw: bytes, steps: Iterable[tuple[Check, Callable[[], str]]], inspection: _Inspection
) -> Verification:
    results: list[CheckResult] = []
    for check, step in steps:
        try:
            detail = step()
        except _Failed as failure:
            results.append(CheckResult(check, False, failure.detail))
            return Verification(tuple(results), None, bundle_sha256(raw))
        results.append(CheckResult(check, True, detail))
    return Verification(tuple(results), inspection.bundle(), bundle_sha256(raw))


def verify(
    raw: bytes,
    *,
    this_party: str,
    trusted: Iterable[TrustedKey],
    relay: bool = False,
    now: datetime | None = None,
) -> Verification:
    """Run every check on `raw` as received by `this_party`; never raises for bad input.

    With `relay`, the instance is a mediator passing the bundle on: a bundle addressed to
    another party passes the recipient check as "relay to XX". A bundle created more than
    `CLOCK_SKEW` after `now` (this instance's clock) is refused.
    """
    checked_at = now or datetime.now(UTC)
    keys = tuple(trusted)
    party = this_party.upper()
    inspection = _Inspection(raw)
    steps: tuple[tuple[Check, Callable[[], str]], ...] = (
        (Check.FORMAT, inspection.format),
        (Check.SCHEMA, inspection.schema),
        (Check.DIGEST, inspection.digest),
        (Check.SIGNATURE, inspection.signature),
        (Check.TRUSTED_KEY, lambda: inspection.trusted_key(keys)),
        (Check.RECIPIENT, lambda: inspection.recipient(party, relay)),
        (Check.CREATED_AT, lambda: inspection.created_at(checked_at)),
    )
    return _run(raw, steps, inspection)


# ---------------------------------------------------------------- sealing


def seal(
    kind: BundleKind,
    sender: str,
    recipient: str,
    payload: Mapping[str, Any],
    signing_key: Ed25519PrivateKey,
    created_at: datetime,
    checkpoint: Mapping[str, Any] | None = None,
) -> bytes:
    """Build, hash and sign a bundle; its canonical bytes are what travels. `checkpoint`, the
    sender's signed audit checkpoint, travels with it when given.

    The result passes the same format, schema, digest and signature checks a recipient runs;
    an invalid payload is a programming error here and raises ValueError.
    """
    kind = BundleKind(kind)
    public = signing_key.public_key()
    payload_document = dict(payload)
    unsigned: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "kind": kind.value,
        "sender": sender,
        "recipient": recipient,
        "created_at": utc_timestamp(created_at),
        "payload": payload_document,
        "payload_sha256": _sha256_hex(canonical_json(payload_document)),
        "signer": {
            "party": sender,
            "public_key": public_key_text(public),
            "fingerprint": fingerprint(public),
        },
    }
    if checkpoint is not None:
        unsigned["checkpoint"] = dict(checkpoint)
    signature = signing_key.sign(canonical_json(unsigned))
    raw = canonical_json({**unsigned, "signature": base64.b64encode(signature).decode("ascii")})
    inspection = _Inspection(raw)
    sealed = _run(
        raw,
        (
            (Check.FORMAT, inspection.format),
            (Check.SCHEMA, inspection.schema),
            (Check.DIGEST, inspection.digest),
            (Check.SIGNATURE, inspection.signature),
        ),
        inspection,
    )
    if sealed.failed is not None:
        raise ValueError(
            f"cannot seal this bundle: {sealed.failed.check} check: {sealed.failed.detail}"
        )
    return raw


# ---------------------------------------------------------------- key rotation


@dataclass(frozen=True)
class AnnouncedKey:
    """A new key a party announced under its old one, ready for `TrustStore.add`."""

    party: str
    public_key: str
    fingerprint: str
    effective_from: datetime
    announced_with: str
    """Fingerprint of the old key that signed the announcement."""


def announced_key(bundle: Bundle) -> AnnouncedKey:
    """The key a key announcement vouches for.

    Pass only a bundle `verify` accepted: then the old key that signed it is trusted for the
    party, and adding the new key to the trust store is the caller's decision to record.
    """
    payload = bundle.payload
    if not isinstance(payload, KeyAnnouncementPayload):
        raise ValueError(f"a {bundle.kind.value} bundle announces no key")
    return AnnouncedKey(
        party=payload.party,
        public_key=payload.new_public_key,
        fingerprint=payload.new_fingerprint,
        effective_from=parse_utc_timestamp(payload.effective_from),
        announced_with=bundle.signer.fingerprint,
    )
