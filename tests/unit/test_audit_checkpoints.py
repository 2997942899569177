"""Signed audit checkpoints (issue 12, part 5): the five attacks on the log, and hostile files.

Before checkpoints, deleting the newest 1, 50 or all entries, or editing a middle entry and
recomputing every later hash, left a chain that `audit verify` found intact.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from parley.domain.accounts.audit import (
    GENESIS,
    AuditEntry,
    AuditRecord,
    LogHead,
    chain,
    verify_against,
    verify_chain,
)
from parley.domain.errors import CheckpointRefused
from parley.interchange.checkpoints import check_signer, read_checkpoint, seal_checkpoint
from parley.interchange.keys import TrustedKey, fingerprint, public_key_text

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.generate()


def _log(count: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS
    for seq in range(1, count + 1):
        record = AuditRecord(f"cli:user{seq % 3}", "person.add", "person", (str(seq),))
        entry = chain(seq, T0 + timedelta(seconds=seq), record, prev)
        entries.append(entry)
        prev = entry.hash
    return entries


def _rehash(entries: list[AuditEntry]) -> list[AuditEntry]:
    """What a careful forger does after editing: recompute every hash so the chain holds."""
    out: list[AuditEntry] = []
    prev = GENESIS
    for e in entries:
        record = AuditRecord(e.actor, e.action, e.record_type, e.record_ids, e.detail)
        entry = chain(e.seq, e.at, record, prev)
        out.append(entry)
        prev = entry.hash
    return out


def _trusted(key: Ed25519PrivateKey = KEY, party: str = "UA", **standing: str) -> TrustedKey:
    public = key.public_key()
    return TrustedKey(party, "UA HQ", public_key_text(public), fingerprint(public), "", **standing)


LOG = _log(120)
HEAD = LogHead(120, LOG[-1].hash, "the mediator's checkpoint")


def test_the_untouched_log_extends_its_checkpoint() -> None:
    report = verify_against(LOG, [HEAD, LogHead(0, GENESIS), LogHead(60, LOG[59].hash)])
    assert report.ok and report.chain.checked == 120 and report.checkpoints == 3


@pytest.mark.parametrize("deleted", [1, 50, 120], ids=["newest 1", "newest 50", "all"])
def test_deleting_the_newest_entries_passes_the_chain_but_not_the_checkpoint(
    deleted: int,
) -> None:
    kept = LOG[: 120 - deleted]
    assert verify_chain(kept).ok  # what `audit verify` said before checkpoints
    report = verify_against(kept, [HEAD])
    assert not report.ok and report.chain.ok
    reason = report.mismatches[0].reason
    assert f"holds {120 - deleted} entries" in reason and "vouches for 120" in reason
    assert "deleted" in reason


def test_editing_a_middle_entry_and_recomputing_later_hashes_is_caught() -> None:
    forged = list(LOG)
    forged[59] = replace(forged[59], actor="cli:somebody-else")
    forged = _rehash(forged)
    assert verify_chain(forged).ok  # the forger made the chain hold
    report = verify_against(forged, [HEAD])
    assert not report.ok and "rewritten at or before entry 120" in report.mismatches[0].reason


def test_deleting_then_appending_new_entries_does_not_hide_the_deletion() -> None:
    fresh = [replace(e, action="person.view") for e in _log(130)[100:]]
    forged = _rehash([*LOG[:100], *fresh])
    assert verify_chain(forged).ok and len(forged) == 130
    assert not verify_against(forged, [HEAD]).ok


def test_a_checkpoint_round_trips_and_is_vouched_for_by_the_trusted_key() -> None:
    signed = seal_checkpoint("UA", 120, LOG[-1].hash, KEY, T0)
    again = read_checkpoint(signed.raw, "cp.json")
    assert (again.party, again.entries, again.head) == ("UA", 120, LOG[-1].hash)
    assert check_signer(again, [_trusted()]).fingerprint == fingerprint(KEY.public_key())
    assert read_checkpoint(signed.document).raw == signed.raw  # as a bundle carries it


def _altered(**changes: object) -> bytes:
    document = seal_checkpoint("UA", 120, LOG[-1].hash, KEY, T0).document
    document.update(changes)
    import rfc8785

    return rfc8785.dumps(document)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (b"x" * 20000, "at most"),
        (
            json.dumps(seal_checkpoint("UA", 1, GENESIS, KEY, T0).document, indent=2).encode(),
            "canonical form",
        ),
        (_altered(schema="parley.checkpoint/9"), "not a Parley checkpoint"),
        (_altered(entries=119), "signature does not verify"),
        (_altered(entries=-1), "entries"),
        (_altered(entries="120"), "entries"),
        (_altered(head="A" * 64), "head"),
        (_altered(extra=1), "extra"),
        (_altered(party="RU"), "signed on behalf of UA"),
    ],
    ids=[
        "binary",
        "not json",
        "array",
        "oversized",
        "pretty-printed",
        "schema",
        "altered count",
        "negative",
        "count as text",
        "bad head",
        "extra member",
        "other party",
    ],
)
def test_a_malformed_checkpoint_file_is_refused_with_a_clear_reason(raw: bytes, says: str) -> None:
    with pytest.raises(CheckpointRefused) as refused:
        read_checkpoint(raw, "held.json")
    assert refused.value.code == "checkpoint_refused"
    assert refused.value.message.startswith("held.json: ") and says in refused.value.message


def test_a_checkpoint_signed_by_a_key_not_trusted_for_the_party_is_refused() -> None:
    other = Ed25519PrivateKey.generate()
    signed = seal_checkpoint("UA", 120, LOG[-1].hash, other, T0)
    with pytest.raises(CheckpointRefused, match="not trusted for UA"):
        check_signer(signed, [_trusted()])
    with pytest.raises(CheckpointRefused, match=r"trusted for TR"):
        check_signer(signed, [_trusted(other, "TR")])


def test_a_retired_key_vouches_for_checkpoints_before_its_retirement_only() -> None:
    retired = _trusted(retired_at=(T0 + timedelta(hours=1)).isoformat())
    before = seal_checkpoint("UA", 10, LOG[9].hash, KEY, T0)
    after = seal_checkpoint("UA", 10, LOG[9].hash, KEY, T0 + timedelta(hours=2))
    assert check_signer(before, [retired])
    with pytest.raises(CheckpointRefused, match="retired"):
        check_signer(after, [retired])


def test_a_revoked_key_vouches_for_no_checkpoint_whatever_its_date() -> None:
    revoked = _trusted(revoked_at=(T0 + timedelta(days=1)).isoformat(), revoked_reason="stolen")
    with pytest.raises(CheckpointRefused, match=r"revoked.*stolen"):
        check_signer(seal_checkpoint("UA", 10, LOG[9].hash, KEY, T0), [revoked])
