"""Audit checkpoints and key retirement through the services and real databases (issue 12,
parts 5 and 6): a mediator keeps the checkpoint UA's bundle carried, and UA's log, truncated or
rewritten afterwards, can no longer pass against it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.accounts.audit import AuditRecord, entry_hash
from parley.domain.errors import (
    CheckpointNotFound,
    CheckpointRefused,
    InvalidInput,
    PermissionDenied,
)
from parley.domain.paging import PageRequest
from parley.instance import Instance, init_instance, open_instance
from parley.interchange import bundles as wire
from parley.interchange.checkpoints import seal_checkpoint
from parley.interchange.keys import (
    load_public_key,
    load_signing_key,
    public_key_text,
    replace_signing_key,
)
from parley.services.accounts import checkpoints, log
from parley.services.lists import bundles
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.unit.test_bundles import a_list

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)


@dataclass
class World:
    root: Path
    carried: bytes
    """UA's bundle to RU, relayed by TR, carrying UA's checkpoint."""
    held: bytes
    """That checkpoint as TR kept it and hands it out."""


def _trust_each_other(parties: list[Instance]) -> None:
    for one in parties:
        for other in parties:
            if one is not other:
                one.trust_store.add(
                    other.config.party,
                    other.config.name,
                    public_key_text(load_public_key(other.directory)),
                    mediator=other.config.party == "TR",
                )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("checkpoints")
    made = [
        init_instance(root / p.lower(), p, f"{p} test", None, ADMIN_PASSWORD)[0]
        for p in ("UA", "RU", "TR")
    ]
    ua, _ru, tr = made
    _trust_each_other(made)
    with ua.uow() as uow:  # a working day's history
        for n in range(70):
            log(uow, ADMIN, "person.view", "person", [n])
        uow.commit()
    _, signed = checkpoints.write_checkpoint(ua.uow(), ADMIN, "UA", ua.keyring().signing_key)
    carried = wire.seal(
        wire.BundleKind.LIST,
        "UA",
        "RU",
        wire.list_payload(a_list()),
        ua.keyring().signing_key,
        _now(),
        signed.document,
    )
    relayed = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "ua.json", carried, relay=True)
    assert relayed.forward_to == "RU"
    kept, total = checkpoints.list_checkpoints(tr.uow(), ADMIN, "UA")
    assert total == 1 and kept[0].source == "received" and kept[0].entries == signed.entries
    _, held = checkpoints.checkpoint_content(tr.uow(), ADMIN, kept[0].id)
    assert held == signed.raw
    for instance in made:
        instance.close()
    return World(root, carried, held)


def _copy(world: World, party: str, tmp_path: Path) -> Instance:
    target = tmp_path / party.lower()
    shutil.copytree(world.root / party.lower(), target)
    return open_instance(target)


def _sql(instance: Instance, *statements: str) -> None:
    with sqlite3.connect(instance.directory / "parley.db") as connection:
        for statement in statements:
            connection.execute(statement)


def _rewrite(instance: Instance, seq: int) -> None:
    """Edit entry `seq` and recompute every later hash, as a careful forger would."""
    with sqlite3.connect(instance.directory / "parley.db") as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM audit_log ORDER BY seq").fetchall()
        prev = rows[seq - 2]["hash"] if seq > 1 else "0" * 64
        for row in rows[seq - 1 :]:
            actor = "cli:somebody-else" if row["seq"] == seq else row["actor"]
            record = AuditRecord(
                actor,
                row["action"],
                row["record_type"],
                tuple(json.loads(row["record_ids"])),
                json.loads(row["detail"]),
            )
            new = entry_hash(row["seq"], datetime.fromisoformat(row["at"]), record, prev)
            connection.execute(
                "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (actor, prev, new, row["seq"]),
            )
            prev = new


ATTACKS = {
    "delete newest 1": lambda ua: _sql(
        ua, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"
    ),
    "delete newest 50": lambda ua: _sql(
        ua, "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 50 FROM audit_log)"
    ),
    "delete all": lambda ua: _sql(ua, "DELETE FROM audit_log"),
    "edit a middle entry, rehash the rest": lambda ua: _rewrite(ua, 30),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_truncated_or_rewritten_log_fails_against_the_mediators_checkpoint(
    world: World, tmp_path: Path, attack: str
) -> None:
    ua = _copy(world, "UA", tmp_path)
    try:
        own = ua.own_keys()
        ATTACKS[attack](ua)
        _sql(ua, "DELETE FROM audit_checkpoints")  # the forger removes our own copies too
        report = checkpoints.verify_log(ua.uow(), ADMIN, "UA", own, [("tr.json", world.held)])
        assert report.chain.ok and not report.ok  # the chain alone no longer tells
        assert "tr.json" in report.mismatches[0].reason
        assert any(word in report.mismatches[0].reason for word in ("deleted", "rewritten"))
    finally:
        ua.close()


def test_the_untouched_log_extends_the_mediators_checkpoint(world: World, tmp_path: Path) -> None:
    ua = _copy(world, "UA", tmp_path)
    try:
        held = [("tr.json", world.held)]
        report = checkpoints.verify_log(ua.uow(), ADMIN, "UA", ua.own_keys(), held)
        assert report.ok and report.checkpoints == 2  # the file and our own kept copy
    finally:
        ua.close()


def test_our_own_kept_checkpoints_catch_a_careless_truncation(world: World, tmp_path: Path) -> None:
    ua = _copy(world, "UA", tmp_path)
    try:
        _sql(ua, "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 5 FROM audit_log)")
        report = checkpoints.verify_log(ua.uow(), ADMIN, "UA", ua.own_keys())
        assert not report.ok and "kept checkpoint" in report.mismatches[0].reason
    finally:
        ua.close()


def test_a_checkpoint_of_another_party_or_forged_is_refused(world: World, tmp_path: Path) -> None:
    ru = _copy(world, "RU", tmp_path)
    try:
        with pytest.raises(CheckpointRefused, match="UA's log; this instance is RU's"):
            checkpoints.verify_log(ru.uow(), ADMIN, "RU", ru.own_keys(), [("h", world.held)])
        forged = world.held.replace(b'"entries":', b'"entries":1')
        with pytest.raises(CheckpointRefused):
            checkpoints.verify_log(ru.uow(), ADMIN, "RU", ru.own_keys(), [("f", forged)])
        with pytest.raises(CheckpointNotFound):
            checkpoints.checkpoint_content(ru.uow(), ADMIN, 999)
    finally:
        ru.close()


def test_the_receiver_keeps_the_checkpoint_and_an_auditor_only_reads_them(
    world: World, tmp_path: Path
) -> None:
    ru = _copy(world, "RU", tmp_path)
    try:
        taken = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "ua.json", world.carried)
        assert taken.verification.accepted and taken.stored is not None
        kept, _ = checkpoints.list_checkpoints(ru.uow(), ADMIN, "UA")
        assert [c.bundle_sha256 for c in kept] == [taken.verification.sha256]
        auditor = make_account(ru, "auditor", Role.AUDITOR)
        assert checkpoints.list_checkpoints(ru.uow(), auditor)[1] == 1
        coordinator = make_account(ru, "coord", Role.COORDINATOR)
        with pytest.raises(PermissionDenied):
            checkpoints.list_checkpoints(ru.uow(), coordinator)
    finally:
        ru.close()


def test_a_rotation_retires_the_old_key_and_revocation_needs_key_management(
    world: World, tmp_path: Path
) -> None:
    """Part 6: after UA rotates, RU refuses what the old key signs later, and an old key
    announcing an attacker's key; a revoked key is refused whatever it signs."""
    ua, ru = _copy(world, "UA", tmp_path), _copy(world, "RU", tmp_path)
    try:
        old = ua.keyring().signing_key
        new = Ed25519PrivateKey.generate()
        ((_, announcement),) = [
            a
            for a in bundles.announce_key(ua.uow(), ADMIN, ua.keyring(), new.public_key(), ["RU"])
            if a[0] == "RU"
        ]
        replace_signing_key(ua.directory, new)
        assert bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "a", announcement).announced
        standing = {k.fingerprint: k for k in ru.trust_store.trusted() if k.party == "UA"}
        assert len(standing) == 2 and sum(bool(k.retired_at) for k in standing.values()) == 1

        late = wire.seal(
            wire.BundleKind.LIST,
            "UA",
            "RU",
            wire.list_payload(a_list(name="Signed after the rotation")),
            old,
            _now() + timedelta(seconds=5),
        )
        refused = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "late.json", late)
        assert refused.refused and refused.verification.failed is not None
        assert "retired" in refused.verification.failed.detail

        thief = Ed25519PrivateKey.generate()
        payload = wire.key_announcement_payload("UA", thief.public_key(), _now())
        stolen = wire.seal(wire.BundleKind.KEY_ANNOUNCEMENT, "UA", "RU", payload, old, _now())
        assert bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "s", stolen).refused
        assert public_key_text(thief.public_key()) not in {
            k.public_key for k in ru.trust_store.trusted()
        }

        current = next(k for k in standing.values() if not k.retired_at)
        coordinator = make_account(ru, "coord", Role.COORDINATOR)
        with pytest.raises(PermissionDenied):
            bundles.revoke_key(ru.uow(), coordinator, ru.trust_store, current.fingerprint, "x")
        with pytest.raises(InvalidInput):
            bundles.revoke_key(ru.uow(), ADMIN, ru.trust_store, current.fingerprint, " ")
        bundles.revoke_key(ru.uow(), ADMIN, ru.trust_store, current.fingerprint, "seized")
        by_revoked = wire.seal(
            wire.BundleKind.LIST, "UA", "RU", wire.list_payload(a_list()), new, _now()
        )
        refused = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "r.json", by_revoked)
        assert refused.refused and "revoked" in str(refused.verification.failed)
        with ru.uow() as uow:
            recent = uow.audit.recent(PageRequest(0, 10)).items
        assert "trust.revoke" in [e.action for e in recent]
    finally:
        ua.close()
        ru.close()


def test_checkpoints_are_kept_once_and_catch_truncation_on_either_database(
    instance: Instance,
) -> None:
    """SQLite and PostgreSQL alike: the store keeps, lists and serves checkpoints."""
    key = instance.keyring().signing_key
    stored, signed = checkpoints.write_checkpoint(instance.uow(), ADMIN, "UA", key)
    with instance.uow() as uow:
        assert uow.audit.head() == (signed.entries, signed.head)
        again = uow.audit.add_checkpoint(checkpoints._row(signed, "own", ADMIN, None))
        uow.commit()
    assert again.id == stored.id
    rows, total = checkpoints.list_checkpoints(instance.uow(), ADMIN)
    assert total == 1 and rows[0].entries == signed.entries and rows[0].source == "own"
    assert checkpoints.verify_log(instance.uow(), ADMIN, "UA", instance.own_keys()).ok
    with instance.engine.begin() as connection:
        connection.exec_driver_sql(f"DELETE FROM audit_log WHERE seq >= {signed.entries}")
    report = checkpoints.verify_log(instance.uow(), ADMIN, "UA", instance.own_keys())
    assert report.chain.ok and not report.ok


def test_no_announcement_brings_a_revoked_key_back(world: World, tmp_path: Path) -> None:
    ru = _copy(world, "RU", tmp_path)
    try:
        seized = Ed25519PrivateKey.generate()
        added = ru.trust_store.add("UA", "UA laptop", public_key_text(seized.public_key()))
        bundles.revoke_key(ru.uow(), ADMIN, ru.trust_store, added.fingerprint, "seized")
        ua_key = load_signing_key(world.root / "ua")
        payload = wire.key_announcement_payload("UA", seized.public_key(), _now())
        raw = wire.seal(wire.BundleKind.KEY_ANNOUNCEMENT, "UA", "RU", payload, ua_key, _now())
        with pytest.raises(InvalidInput, match="was revoked"):
            bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "back.json", raw)
        assert all(not k.retired_at for k in ru.trust_store.trusted() if k.party == "UA")
    finally:
        ru.close()


def test_a_checkpoint_handed_over_on_its_own_is_kept_once_checked(
    world: World, tmp_path: Path
) -> None:
    ru = _copy(world, "RU", tmp_path)
    try:
        trusted = ru.trust_store.trusted()
        auditor = make_account(ru, "auditor", Role.AUDITOR)
        with pytest.raises(PermissionDenied):  # keeping is receiving, not auditing
            checkpoints.keep_file(ru.uow(), auditor, trusted, "ua.json", world.held)
        liaison = make_account(ru, "liaison", Role.MEDIATOR_LIAISON)
        kept = checkpoints.keep_file(ru.uow(), liaison, trusted, "ua.json", world.held)
        assert kept.party == "UA" and kept.source == "received" and kept.bundle_sha256 is None
        stranger = seal_checkpoint("UA", 1, "0" * 64, Ed25519PrivateKey.generate(), _now())
        with pytest.raises(CheckpointRefused, match=r"stranger.json: key .* not trusted for UA"):
            checkpoints.keep_file(ru.uow(), liaison, trusted, "stranger.json", stranger.raw)
    finally:
        ru.close()
