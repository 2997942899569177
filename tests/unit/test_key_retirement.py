"""Keys that can be retired or revoked (issue 12, part 6), and the checkpoint a bundle carries.

Before: after a rotation, lists signed with the old key were still accepted whatever their
date, the old key could announce an attacker's key, and a compromised key could only be taken
out of `trust.json` by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from parley.domain.errors import KeyAlreadyRevoked, KeyNotFound
from parley.interchange.bundles import (
    BundleKind,
    Check,
    key_announcement_payload,
    seal,
    verify,
)
from parley.interchange.checkpoints import seal_checkpoint
from parley.interchange.keys import TrustStore, public_key_text
from tests.unit.test_bundles import (
    SEALED_AT,
    UA_KEY,
    a_key,
    a_list_bundle,
    parsed,
    refused_at,
    signed,
    trust,
)

ROTATED_AT = SEALED_AT + timedelta(days=30)
NEW_KEY = a_key("UA key after the rotation")
THIEF_KEY = a_key("the thief's key")


def _store(tmp_path: Path) -> TrustStore:
    store = TrustStore(tmp_path / "trust.json")
    store.create_empty()
    store.add("UA", "UA HQ", public_key_text(UA_KEY.public_key()))
    store.add("UA", "UA HQ (new)", public_key_text(NEW_KEY.public_key()))
    return store


def _announcement(signing_key: object, new: object, at: datetime) -> bytes:
    payload = key_announcement_payload("UA", new.public_key(), at)  # type: ignore[attr-defined]
    return seal(BundleKind.KEY_ANNOUNCEMENT, "UA", "RU", payload, signing_key, at)  # type: ignore[arg-type]


def test_after_a_rotation_the_old_key_signs_nothing_new(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.retire(public_key_text(UA_KEY.public_key()), ROTATED_AT)
    later = a_list_bundle(created_at=ROTATED_AT + timedelta(minutes=1))
    reason = refused_at(verify(later, this_party="RU", trusted=store.trusted()), Check.TRUSTED_KEY)
    assert "retired" in reason and "new key" in reason
    earlier = a_list_bundle(created_at=ROTATED_AT - timedelta(days=1))
    assert verify(earlier, this_party="RU", trusted=store.trusted()).accepted
    by_new = a_list_bundle(key=NEW_KEY, created_at=ROTATED_AT + timedelta(minutes=1))
    assert verify(by_new, this_party="RU", trusted=store.trusted()).accepted


def test_a_retired_key_cannot_announce_a_key_change_even_backdated(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.retire(public_key_text(UA_KEY.public_key()), ROTATED_AT)
    backdated = _announcement(UA_KEY, THIEF_KEY, ROTATED_AT - timedelta(days=1))
    reason = refused_at(
        verify(backdated, this_party="RU", trusted=store.trusted()), Check.TRUSTED_KEY
    )
    assert "retired key cannot announce" in reason


def test_a_revoked_key_is_refused_whatever_date_it_claims(tmp_path: Path) -> None:
    store = _store(tmp_path)
    revoked = store.revoke(store.trusted()[0].fingerprint, "laptop stolen", ROTATED_AT)
    assert revoked.revoked_reason == "laptop stolen"
    old_dated = a_list_bundle(created_at=SEALED_AT - timedelta(days=300))
    reason = refused_at(
        verify(old_dated, this_party="RU", trusted=store.trusted()), Check.TRUSTED_KEY
    )
    assert "revoked" in reason and "laptop stolen" in reason
    announcing = _announcement(UA_KEY, THIEF_KEY, SEALED_AT)
    refused_at(verify(announcing, this_party="RU", trusted=store.trusted()), Check.TRUSTED_KEY)


def test_revoking_names_the_key_by_fingerprint_once(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(KeyNotFound):
        store.revoke("0000:1111", "no such key", ROTATED_AT)
    wanted = store.trusted()[1].fingerprint.replace(":", "")  # colons are optional
    store.revoke(wanted, "compromised", ROTATED_AT)
    with pytest.raises(KeyAlreadyRevoked):
        store.revoke(wanted, "again", ROTATED_AT)
    assert [bool(k.revoked_at) for k in store.trusted()] == [False, True]


def test_a_trust_file_written_before_retirement_reads_every_key_in_use(tmp_path: Path) -> None:
    path = tmp_path / "trust.json"
    old = trust("UA", UA_KEY).__dict__ | {}
    for name in ("retired_at", "revoked_at", "revoked_reason", "mediator"):
        old.pop(name)
    path.write_text(json.dumps({"keys": [old]}))
    (key,) = TrustStore(path).trusted()
    assert key.refusal(datetime.now(UTC)) is None


# ---------------------------------------------------------------- the checkpoint a bundle carries


def _checkpoint(key: object = UA_KEY, party: str = "UA") -> dict[str, object]:
    return seal_checkpoint(party, 42, "ab" * 32, key, SEALED_AT).document  # type: ignore[arg-type]


def _list_with(checkpoint: object) -> bytes:
    raw = a_list_bundle()
    document = parsed(raw)
    document["checkpoint"] = checkpoint
    return signed(document, UA_KEY)


def test_a_bundle_carries_its_senders_checkpoint_to_the_receiver() -> None:
    verification = verify(_list_with(_checkpoint()), this_party="RU", trusted=[trust("UA", UA_KEY)])
    assert verification.bundle is not None and verification.bundle.checkpoint is not None
    assert verification.bundle.checkpoint.entries == 42
    plain = verify(a_list_bundle(), this_party="RU", trusted=[trust("UA", UA_KEY)])
    assert plain.bundle is not None and plain.bundle.checkpoint is None


@pytest.mark.parametrize(
    ("checkpoint", "check", "says"),
    [
        (None, Check.SCHEMA, "must be a signed checkpoint"),
        ("text", Check.SCHEMA, "must be a signed checkpoint"),
        ({**_checkpoint(), "entries": 43}, Check.SIGNATURE, "signature does not verify"),
        (_checkpoint(THIEF_KEY), Check.SIGNATURE, "bundle's key"),
        ({"schema": "parley.checkpoint/1"}, Check.SIGNATURE, "checkpoint:"),
    ],
    ids=["null", "text", "altered", "other key", "empty"],
)
def test_a_bundle_with_a_bad_checkpoint_is_refused(
    checkpoint: object, check: Check, says: str
) -> None:
    verification = verify(_list_with(checkpoint), this_party="RU", trusted=[trust("UA", UA_KEY)])
    assert says in refused_at(verification, check)
