"""A batch of remains as a signed bundle (kind `remains_handover`): the handing side signs
its batch (date, place, parties, intermediary, its count, bags and seals); the receiving
side takes it in through `parley bundle import` (lists calls `receive_handover`), and records
its own batch from it: the declared count is the signed one, the received count its own.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import BundleNotFound, InvalidInput, RemainsNotFound
from parley.domain.remains.batches import Batch
from parley.interchange import bundles as wire
from parley.interchange.bundle_payloads import BundleKind
from parley.services.accounts import log
from parley.services.lists import Keyring, keep_bundle
from parley.services.lists.rows import StoredBundle
from parley.services.remains.bodies import record_batch
from parley.services.remains.views import BatchView
from parley.services.uow import UnitOfWork


def export_handover(
    uow: UnitOfWork, actor: Actor, keyring: Keyring, batch_id: int
) -> tuple[StoredBundle, bytes]:
    """Sign one of our outgoing batches for the receiving party, and keep what we sent."""
    actor.require(Permission.BUNDLES_SEND)
    actor.require(Permission.REMAINS_READ)
    with uow:
        batch = uow.remains.batch(batch_id)
        if batch is None:
            raise RemainsNotFound(f"no batch {batch_id}")
        if batch.from_party != keyring.party:
            raise InvalidInput(
                f"batch {batch_id} was handed over by {batch.from_party}: only "
                f"{keyring.party}'s own handovers are signed here"
            )
        seals: dict[str, str] = {}
        for h in uow.remains.handoffs(batch_id):
            seals.setdefault(h.bag, h.seal)
        payload = {
            "handed_over_on": batch.handed_over_on.isoformat(),
            "place": batch.place,
            "from_party": batch.from_party,
            "to_party": batch.to_party,
            "intermediary": batch.intermediary,
            "declared": batch.received,
            "bags": [{"bag": bag, "seal": seal} for bag, seal in seals.items()],
        }
        raw = wire.seal(
            BundleKind.REMAINS_HANDOVER,
            keyring.party,
            batch.to_party,
            payload,
            keyring.signing_key,
            datetime.now(UTC).replace(microsecond=0),
        )
        kept = keep_bundle(uow, actor, raw, "sent", {"remains_batch": batch_id})
        log(uow, actor, "remains.handover.export", "remains_batch", [batch_id], bundle=kept.sha256)
        uow.commit()
        return kept, raw


def receive_handover(
    uow: UnitOfWork, actor: Actor, bundle: wire.Bundle, payload: dict[str, Any], bundle_id: int
) -> int:
    """A verified handover from the other side: kept (by lists) and audited; our batch is
    recorded from it with `record_handed_batch`, when we have counted the bodies. The signer
    speaks for its own side only: a handover of another party, or to another, is refused."""
    if (payload["from_party"], payload["to_party"]) != (bundle.sender, bundle.recipient):
        raise InvalidInput(
            f"the bundle from {bundle.sender} to {bundle.recipient} declares a handover from "
            f"{payload['from_party']} to {payload['to_party']}",
            "payload",
        )
    log(
        uow,
        actor,
        "remains.handover.received",
        "bundle",
        [bundle_id],
        sender=bundle.sender,
        declared=payload["declared"],
    )
    return bundle_id


def record_handed_batch(
    uow: UnitOfWork, actor: Actor, our_party: str, bundle_sha256: str, received: int
) -> BatchView:
    """Our batch from the other side's signed handover: its declared count, our received."""
    with uow:
        stored = uow.lists.bundle_by_sha256(bundle_sha256.strip().lower())
        if stored is None:
            raise BundleNotFound(f"no bundle {bundle_sha256}")
        if stored.kind != BundleKind.REMAINS_HANDOVER.value or stored.direction != "received":
            raise InvalidInput(f"bundle {bundle_sha256[:12]}… is no handover received by us")
        if stored.sender == our_party:
            raise InvalidInput("the declared count is the other side's, not ours")
        payload = json.loads(uow.lists.bundle_content(stored.id))["payload"]
    batch = Batch(
        date.fromisoformat(payload["handed_over_on"]),
        payload["place"],
        payload["from_party"],
        payload["to_party"],
        payload["declared"],
        received,
        payload["intermediary"],
    )
    return record_batch(uow, actor, batch, stored.sha256)
