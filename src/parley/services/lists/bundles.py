"""Signed handover: export our lists as bundles, take in the other side's, relay, acknowledge.

Nothing from outside is stored before it passes every check of `interchange.bundles.verify`;
a refused bundle leaves only the audit entry that says it was refused and why. Every bundle we
sign, receive or relay is kept byte for byte, so each side can prove what it sent and got.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import (
    BundleNotFound,
    BundleRefused,
    InvalidInput,
    ListAltered,
    ListNotFound,
    NoTrustedParty,
    ReceiptRefused,
    WrongParty,
)
from parley.interchange import bundles as wire
from parley.interchange.bundle_payloads import utc_timestamp as wire_timestamp
from parley.interchange.keys import TrustedKey, TrustStore, fingerprint
from parley.services import accounts
from parley.services.accounts import log
from parley.services.lists import lists
from parley.services.lists.rows import ReceiptRow, StoredBundle, StoredList
from parley.services.uow import UnitOfWork


@dataclass(frozen=True)
class Keyring:
    """This instance's party, its signing key and the keys it trusts, as services need them."""

    party: str
    signing_key: Ed25519PrivateKey
    trust_store: TrustStore

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key.public_key())


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to a bundle handed to us; `refused` and `already` change nothing."""

    verification: wire.Verification
    bundle: StoredBundle | None = None
    already: bool = False
    stored: StoredList | None = None
    receipt: bytes | None = None
    """Our signed receipt, to send back to the bundle's sender."""
    receipt_bundle: StoredBundle | None = None
    acknowledged: StoredBundle | None = None
    """For a receipt: the bundle of ours it acknowledges."""
    announced: TrustedKey | None = None
    forward_to: str | None = None
    """For a relayed bundle: the party the unchanged bytes go on to."""

    @property
    def refused(self) -> bool:
        return not self.already and not self.verification.accepted


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def export_bundle(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    list_id: int,
    recipient: str | None = None,
) -> tuple[StoredBundle, bytes]:
    """Sign one of our lists for one of its recipients and keep what we sent."""
    actor.require(Permission.BUNDLES_SEND)
    with uow:
        stored = uow.lists.get_list(list_id)
        if stored is None:
            raise ListNotFound(f"list {list_id} does not exist")
        if stored.sender != keyring.party:
            raise WrongParty(
                f"list {list_id} was sent by {stored.sender}: only {keyring.party}'s own lists "
                "are signed here (forward a received bundle unchanged with `parley bundle relay`)"
            )
        to = (recipient or (stored.recipients[0] if len(stored.recipients) == 1 else "")).upper()
        if not to:
            raise InvalidInput(
                f"list {list_id} goes to {', '.join(stored.recipients)}: say which with --to",
                "recipient",
            )
        if to not in stored.recipients:
            raise WrongParty(
                f"list {list_id} is addressed to {', '.join(stored.recipients)}, not {to}",
                "recipient",
            )
        list_object = lists.list_payload(uow, stored)
        if wire.list_sha256(list_object) != stored.list_sha256:
            raise ListAltered(
                f"list {list_id} no longer hashes to its recorded digest {stored.list_sha256}: "
                "the stored entries were altered; it will not be signed"
            )
        moment = _now()
        again = _exported_already(uow, list_id, to, moment)
        if again is not None:  # the same list, to the same party, in the same second
            return again, uow.lists.bundle_content(again.id)
        _, checkpoint = accounts.sign_checkpoint(
            uow, actor, keyring.party, keyring.signing_key, f"export of list {list_id}"
        )
        raw = wire.seal(
            wire.BundleKind.LIST,
            keyring.party,
            to,
            wire.list_payload(list_object),
            keyring.signing_key,
            moment,
            checkpoint.document,
        )
        bundle = keep_bundle(
            uow, actor, raw, "sent", {"list": f"{stored.name} v{stored.version}"}, stored.id
        )
        log(
            uow,
            actor,
            "bundle.export",
            "list",
            [list_id],
            bundle=bundle.sha256,
            recipient=to,
            entries=stored.entry_count,
        )
        uow.commit()
        return bundle, raw


def _exported_already(
    uow: UnitOfWork, list_id: int, to: str, moment: datetime
) -> StoredBundle | None:
    """Exports are idempotent within a second (issue 12, part 8): the bundle already signed,
    rather than a second one differing only in the checkpoint it carries."""
    stamp = wire_timestamp(moment)
    recent, _ = uow.lists.bundles(0, 20, list_id)
    return next(
        (
            b
            for b in recent
            if b.direction == "sent" and b.recipient == to and b.created_at == stamp
        ),
        None,
    )


Receiver = Callable[[UnitOfWork, Actor, wire.Bundle, dict[str, Any], int], Any]
"""What a later track does with a verified bundle of its kind, inside the import's
transaction: (unit of work, actor, the bundle, its payload, the stored bundle's id)."""
_RECEIVERS: dict[wire.BundleKind, Receiver] = {}


def register_receiver(kind: wire.BundleKind, receiver: Receiver) -> None:
    """Let a later track take bundles of its own kind (agreements' statements): lists cannot
    import the tracks built on it, so they announce themselves here when imported."""
    _RECEIVERS[kind] = receiver


def keep_bundle(
    uow: UnitOfWork,
    actor: Actor,
    raw: bytes,
    direction: str,
    provenance: dict[str, Any],
    list_id: int | None = None,
) -> StoredBundle:
    """Keep the exact bytes; the same bytes twice (an export repeated within the same second
    signs identical bytes) return the bundle already kept: idempotent, never a UNIQUE error."""
    sha256 = wire.bundle_sha256(raw)
    already = uow.lists.bundle_by_sha256(sha256)
    if already is not None:
        return already
    document = json.loads(raw)
    return uow.lists.add_bundle(
        {
            "sha256": sha256,
            "direction": direction,
            "kind": document["kind"],
            "sender": document["sender"],
            "recipient": document["recipient"],
            "created_at": document["created_at"],
            "signer_fingerprint": document["signer"]["fingerprint"],
            "content": raw,
            "stored_by": actor.label,
            "provenance": provenance,
            "list_id": list_id,
        }
    )


def import_bundle(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    file_name: str,
    raw: bytes,
    relay: bool = False,
) -> ImportOutcome:
    """Verify, then keep and act on a bundle; a refusal changes nothing but the audit log."""
    actor.require(Permission.BUNDLES_RECEIVE)
    verification = outcome_verification(raw, keyring, relay)
    with uow:
        existing = uow.lists.bundle_by_sha256(verification.sha256)
        if existing is not None:
            log(uow, actor, "bundle.import.repeat", "bundle", [existing.id], file=file_name)
            uow.commit()
            listed = uow.lists.get_list(existing.list_id) if existing.list_id else None
            return ImportOutcome(verification, existing, already=True, stored=listed)
        bundle = verification.bundle
        if bundle is not None and bundle.kind is wire.BundleKind.KEY_ANNOUNCEMENT:
            actor.require(Permission.KEYS_MANAGE)  # it changes whom this instance trusts
        if bundle is None:
            failed = verification.failed
            log(
                uow,
                actor,
                "bundle.refused",
                file=file_name,
                bundle=verification.sha256,
                check=failed.check.value if failed else "",
                detail=failed.detail if failed else "",
            )
            uow.commit()
            return ImportOutcome(verification)
        if bundle.kind is wire.BundleKind.KEY_ANNOUNCEMENT:
            _refuse_revoked(keyring.trust_store, wire.announced_key(bundle))
        if bundle.checkpoint is not None:  # the sender's signed log head: kept, relay or not
            accounts.keep_received(uow, actor, bundle.checkpoint, bundle.sha256)
        provenance = {
            "file": file_name,
            "received_by": actor.label,
            "signer": bundle.signer.fingerprint,
        }
        document = json.loads(raw)
        if bundle.recipient != keyring.party:
            kept = keep_bundle(uow, actor, raw, "relayed", provenance)
            receipt, receipt_kept = _receipt(
                uow, actor, keyring, bundle, forwarded_to=bundle.recipient
            )
            log(
                uow,
                actor,
                "bundle.relay",
                "bundle",
                [kept.id],
                sender=bundle.sender,
                recipient=bundle.recipient,
                bundle=bundle.sha256,
            )
            uow.commit()
            return ImportOutcome(
                verification,
                kept,
                receipt=receipt,
                receipt_bundle=receipt_kept,
                forward_to=bundle.recipient,
            )
        outcome = _receive(uow, actor, keyring, verification, bundle, document, provenance)
        uow.commit()
    if outcome.announced is not None and verification.bundle is not None:
        _trust_announced(keyring.trust_store, outcome.announced, verification.bundle)
    return outcome


def _receive(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    verification: wire.Verification,
    bundle: wire.Bundle,
    document: dict[str, Any],
    provenance: dict[str, Any],
) -> ImportOutcome:
    if bundle.kind is wire.BundleKind.LIST:
        received = lists.store_received(uow, actor, document["payload"]["list"])
        kept = keep_bundle(uow, actor, bundle.raw, "received", provenance, received.id)
        receipt, receipt_kept = _receipt(uow, actor, keyring, bundle)
        log(
            uow,
            actor,
            "bundle.import",
            "list",
            [received.id],
            bundle=bundle.sha256,
            sender=bundle.sender,
            entries=received.entry_count,
        )
        return ImportOutcome(
            verification, kept, stored=received, receipt=receipt, receipt_bundle=receipt_kept
        )
    if bundle.kind is wire.BundleKind.RECEIPT:
        payload = document["payload"]
        ours = uow.lists.bundle_by_sha256(payload["bundle_sha256"])
        role = receipt_role(bundle.sender, payload["role"], ours, keyring.trust_store.mediators())
        kept = keep_bundle(uow, actor, bundle.raw, "received", provenance)
        uow.lists.add_receipt(
            payload["bundle_sha256"],
            kept.id,
            payload["received_by"],
            role,
            payload["received_at"],
        )
        log(
            uow,
            actor,
            "bundle.receipt",
            "bundle",
            [kept.id] + ([ours.id] if ours else []),
            acknowledges=payload["bundle_sha256"],
            by=payload["received_by"],
            role=role,
            claimed=payload["role"],
            known=ours is not None,
        )
        return ImportOutcome(verification, kept, acknowledged=ours)
    receiver = _RECEIVERS.get(bundle.kind)
    if bundle.kind is not wire.BundleKind.KEY_ANNOUNCEMENT:
        if receiver is None:
            raise BundleRefused(
                "kind", f"this instance has no track that takes {bundle.kind.value!r} bundles"
            )
        kept = keep_bundle(uow, actor, bundle.raw, "received", provenance)
        receiver(uow, actor, bundle, document["payload"], kept.id)
        receipt, receipt_kept = _receipt(uow, actor, keyring, bundle)
        return ImportOutcome(verification, kept, receipt=receipt, receipt_bundle=receipt_kept)
    announced = wire.announced_key(bundle)
    if announced.party != bundle.sender:
        raise BundleRefused(
            "key announcement", f"{bundle.sender} cannot announce a key for {announced.party}"
        )
    kept = keep_bundle(uow, actor, bundle.raw, "received", provenance)
    receipt, receipt_kept = _receipt(uow, actor, keyring, bundle)
    log(
        uow,
        actor,
        "trust.announced",
        "bundle",
        [kept.id],
        party=announced.party,
        fingerprint=announced.fingerprint,
        signed_by=announced.announced_with,
    )
    trusted = TrustedKey(
        announced.party,
        f"announced {announced.effective_from.date().isoformat()}",
        announced.public_key,
        announced.fingerprint,
        _now().isoformat(),
    )
    return ImportOutcome(
        verification, kept, receipt=receipt, receipt_bundle=receipt_kept, announced=trusted
    )


def receipt_role(
    signer: str, claimed: str, ours: StoredBundle | None, mediators: frozenset[str]
) -> str:
    """What a receipt (verified as signed by `signer`) counts as for our bundle `ours`.

    A `recipient` receipt counts only from the bundle's addressee; a mediator's receipt counts
    as `relay`, whatever role it claims; any other receipt is refused, nothing is stored.
    """
    if ours is None:
        return claimed
    if claimed == "recipient" and signer == ours.recipient:
        return "recipient"
    if signer in mediators:
        return "relay"
    raise ReceiptRefused(
        f"a {claimed} receipt signed by {signer} for bundle {ours.sha256[:12]}… addressed to "
        f"{ours.recipient}: only the addressee acknowledges receipt, and {signer} is not a "
        "mediator in the trust store (`parley trust add --mediator`)",
        "receipt",
    )


def _refuse_revoked(store: TrustStore, announced: wire.AnnouncedKey) -> None:
    """A revoked key stays revoked: no announcement brings it back."""
    for key in store.trusted():
        if key.public_key == announced.public_key and key.revoked_at:
            raise InvalidInput(
                f"the announced key {key.fingerprint} was revoked on {key.revoked_at}",
                "key_announcement",
            )


def _trust_announced(store: TrustStore, key: TrustedKey, bundle: wire.Bundle) -> None:
    """Trust the new key and retire the old one that announced it, from the announcement on:
    what the old key signs after that is refused, and it can announce nothing more."""
    if not any(k.public_key == key.public_key for k in store.trusted()):
        store.add(key.party, key.name, key.public_key)
    announced = wire.announced_key(bundle)
    store.retire(bundle.signer.public_key, min(announced.effective_from, bundle.created_at))


def _receipt(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    bundle: wire.Bundle,
    forwarded_to: str | None = None,
) -> tuple[bytes | None, StoredBundle | None]:
    """Our signed acknowledgment; receipts themselves are never acknowledged (no ping-pong)."""
    if bundle.kind is wire.BundleKind.RECEIPT:
        return None, None
    payload = wire.receipt_payload(
        bundle.sha256, bundle.sender, keyring.party, _now(), forwarded_to=forwarded_to
    )
    raw = wire.seal(
        wire.BundleKind.RECEIPT, keyring.party, bundle.sender, payload, keyring.signing_key, _now()
    )
    return raw, keep_bundle(uow, actor, raw, "sent", {"receipt_for": bundle.sha256})


def outcome_verification(raw: bytes, keyring: Keyring, relay: bool = False) -> wire.Verification:
    """Run the checks without storing anything: what the console shows before an import."""
    return wire.verify(
        raw,
        this_party=keyring.party,
        trusted=keyring.trust_store.trusted(),
        relay=relay,
    )


@dataclass(frozen=True)
class Acknowledgment:
    bundle: StoredBundle
    receipts: list[ReceiptRow]

    @property
    def acknowledged(self) -> bool:
        return any(r.role == "recipient" for r in self.receipts)


def acknowledgments(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50
) -> tuple[list[Acknowledgment], int]:
    """Our lists as sent, each with the receipts that came back for it."""
    actor.require(Permission.LISTS_READ)
    with uow:
        sent, total = uow.lists.sent_lists(offset, limit)
        receipts = uow.lists.receipts_for([b.sha256 for b in sent])
    by_bundle: dict[str, list[ReceiptRow]] = {}
    for receipt in receipts:
        by_bundle.setdefault(receipt.bundle_sha256, []).append(receipt)
    return [Acknowledgment(b, by_bundle.get(b.sha256, [])) for b in sent], total


def list_bundles(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50, list_id: int | None = None
) -> tuple[list[StoredBundle], int]:
    actor.require(Permission.LISTS_READ)
    with uow:
        return uow.lists.bundles(offset, limit, list_id)


def bundle_content(uow: UnitOfWork, actor: Actor, bundle_id: int) -> tuple[StoredBundle, bytes]:
    """The exact bytes we sent or received: what proves it, later."""
    actor.require(Permission.LISTS_READ)
    with uow:
        bundle = uow.lists.get_bundle(bundle_id)
        if bundle is None:
            raise BundleNotFound(f"bundle {bundle_id} does not exist")
        content = uow.lists.bundle_content(bundle_id)
        log(uow, actor, "bundle.download", "bundle", [bundle_id], sha256=bundle.sha256)
        uow.commit()
        return bundle, content


def trust_key(
    uow: UnitOfWork,
    actor: Actor,
    store: TrustStore,
    party: str,
    name: str,
    key_text: str,
    mediator: bool = False,
) -> TrustedKey:
    """Trust another party's key: a change of trust needs the key-management permission."""
    actor.require(Permission.KEYS_MANAGE)
    entry = store.add(party, name, key_text, mediator)
    with uow:
        log(
            uow,
            actor,
            "trust.add",
            party=entry.party,
            fingerprint=entry.fingerprint,
            mediator=entry.mediator,
        )
        uow.commit()
    return entry


def trusted_keys(actor: Actor, store: TrustStore) -> list[TrustedKey]:
    """The keys this instance trusts, with their standing (in use, retired, revoked)."""
    actor.require(Permission.LISTS_READ)
    return store.trusted()


def revoke_key(
    uow: UnitOfWork, actor: Actor, store: TrustStore, key_fingerprint: str, reason: str
) -> TrustedKey:
    """Withdraw trust from a compromised key: nothing it signed is accepted from now on,
    whatever date it claims, and it can announce no key. Needs the key-management permission."""
    actor.require(Permission.KEYS_MANAGE)
    if not reason.strip():
        raise InvalidInput("say why the key is revoked (--reason)", "reason")
    revoked = store.revoke(key_fingerprint, reason, _now())
    with uow:
        log(
            uow,
            actor,
            "trust.revoke",
            party=revoked.party,
            fingerprint=revoked.fingerprint,
            reason=revoked.revoked_reason,
        )
        uow.commit()
    return revoked


def announce_key(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    new_key: Ed25519PublicKey,
    parties: Sequence[str],
) -> list[tuple[str, bytes]]:
    """Announcements of our new key, one per party, signed with the key being retired."""
    actor.require(Permission.KEYS_MANAGE)
    if not parties:
        raise NoTrustedParty("no party to announce the new key to: trust one first", "party")
    announcements = []
    with uow:
        _, checkpoint = accounts.sign_checkpoint(  # the last one the old key signs
            uow, actor, keyring.party, keyring.signing_key, "key rotation"
        )
        for party in sorted(set(parties)):
            raw = wire.seal(
                wire.BundleKind.KEY_ANNOUNCEMENT,
                keyring.party,
                party,
                wire.key_announcement_payload(keyring.party, new_key, _now()),
                keyring.signing_key,
                _now(),
                checkpoint.document,
            )
            kept = keep_bundle(uow, actor, raw, "sent", {"announces": fingerprint(new_key)})
            announcements.append((party, raw))
            log(
                uow,
                actor,
                "keys.announce",
                "bundle",
                [kept.id],
                to=party,
                old=keyring.fingerprint,
                new=fingerprint(new_key),
            )
        uow.commit()
    return announcements


def unacknowledged(uow: UnitOfWork, actor: Actor) -> int:
    """Our lists sent whose addressee has not acknowledged receipt (a relay does not count)."""
    actor.require(Permission.LISTS_READ)
    with uow:
        _, total = uow.lists.sent_lists(0, 1)
        sent, _ = uow.lists.sent_lists(0, max(total, 1))
        acknowledged = {
            r.bundle_sha256
            for r in uow.lists.receipts_for([b.sha256 for b in sent])
            if r.role == "recipient"
        }
    return sum(1 for b in sent if b.sha256 not in acknowledged)
