"""Lists and signed handover through the services and real databases: UA → TR → RU and back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.errors import (
    BundleNotFound,
    EntryNotFound,
    InvalidInput,
    ListAltered,
    ListNotFound,
    ListVersionExists,
    PermissionDenied,
    ReceiptRefused,
    ReconciliationNotFound,
)
from parley.domain.lists import EntryResponse, Finding, ListPurpose, Verdict
from parley.domain.registry.events import Status
from parley.instance import Instance, init_instance
from parley.interchange.keys import load_public_key, public_key_text
from parley.scenarios.population import Scale, generate_world
from parley.services import lists, registry
from parley.services.lists import bundles
from parley.services.lists import documents as list_documents
from tests.conftest import ADMIN_PASSWORD

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
STAGE_DAY = date(2025, 6, 9)


@dataclass
class Parties:
    ua: Instance
    ru: Instance
    tr: Instance


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


@pytest.fixture(scope="module")
def parties(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Parties]:
    world = generate_world(11, Scale.SMALL)
    root = tmp_path_factory.mktemp("handover")
    made = []
    for party in ("UA", "RU", "TR"):
        instance, _ = init_instance(
            root / party.lower(), party, f"{party} test", None, ADMIN_PASSWORD
        )
        if party != "TR":
            drafts = world.registry(party)
            registry.register_many(instance.uow(), ADMIN, [(d.person, d.events) for d in drafts])
        made.append(instance)
    _trust_each_other(made)
    yield Parties(*made)
    for instance in made:
        instance.close()


def _offer(ua: Instance, name: str = "Prisoners 18-25", ages: tuple[int, int] = (18, 25)) -> int:
    result = lists.build_list(
        ua.uow(),
        ADMIN,
        "UA",
        lists.ListDraft(name, ListPurpose.OFFER, ("RU",), "aged 18-25", "Istanbul round 2"),
        lists.RegistrySelection(Status.HELD, None, "RU", ages, STAGE_DAY),
    )
    return result.stored.id


def test_a_built_list_holds_only_shareable_fields_of_the_selected_persons(
    parties: Parties,
) -> None:
    list_id = _offer(parties.ua)
    detail = lists.get_list(parties.ua.uow(), ADMIN, list_id)
    assert detail.stored.entry_count == len(detail.entries) > 0
    for stored in detail.entries:
        assert set(stored.entry) == {
            "ref", "key", "surname", "given_name", "patronymic", "birth_date", "sex",
            "identifiers", "unit", "category_evidence", "response",
        }  # fmt: skip
        record = registry.show_person(parties.ua.uow(), ADMIN, stored.person_id or 0)
        assert record.status is Status.HELD and record.person.side == "RU"
        born = record.person.birth_date
        assert born is not None
        assert date(1999, 6, 10) <= born.earliest() and born.latest() <= date(2007, 6, 9)


def test_building_again_without_change_makes_no_new_version_and_a_change_records_the_diff(
    parties: Parties,
) -> None:
    first = _offer(parties.ua, "Versioned")
    again = lists.build_list(
        parties.ua.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Versioned", ListPurpose.OFFER, ("RU",), "aged 18-25", "Istanbul round 2"),
        lists.RegistrySelection(Status.HELD, None, "RU", (18, 25), STAGE_DAY),
    )
    assert again.unchanged and again.stored.id == first
    narrower = lists.build_list(
        parties.ua.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Versioned", ListPurpose.OFFER, ("RU",), "aged 18-22", "Istanbul round 2"),
        lists.RegistrySelection(Status.HELD, None, "RU", (18, 22), STAGE_DAY),
    )
    second = lists.get_list(parties.ua.uow(), ADMIN, narrower.stored.id)
    assert second.stored.version == 2 and second.previous is not None
    assert second.previous.id == first
    before = lists.get_list(parties.ua.uow(), ADMIN, first)
    assert len(second.removed) == before.stored.entry_count - second.stored.entry_count > 0
    assert second.stored.previous_sha256 == before.stored.list_sha256


def test_a_list_travels_through_the_mediator_is_reconciled_answered_and_acknowledged(
    parties: Parties, tmp_path: Path
) -> None:
    ua, ru, tr = parties.ua, parties.ru, parties.tr
    list_id = _offer(ua, "Round trip")
    sent, raw = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), list_id)
    assert sent.recipient == "RU" and sent.direction == "sent"

    relayed = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "offer.json", raw, relay=True)
    assert relayed.forward_to == "RU" and relayed.receipt is not None
    assert relayed.bundle is not None and relayed.bundle.direction == "relayed"

    received = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "offer.json", raw)
    assert received.verification.accepted and received.stored is not None
    assert received.stored.origin == "received" and received.receipt is not None
    again = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "offer.json", raw)
    assert again.already and again.stored is not None and again.stored.id == received.stored.id
    _, kept = bundles.bundle_content(ru.uow(), ADMIN, received.bundle.id if received.bundle else 0)
    assert kept == raw

    report = lists.reconcile(ru.uow(), ADMIN, received.stored.id)
    assert sum(report.counts.values()) == received.stored.entry_count
    assert report.counts[Finding.MISSING.value] > 0
    for entry in report.entries:
        if entry.finding is Finding.MISSING:
            assert entry.person_id is not None and entry.probability is not None
            assert entry.response.verdict is Verdict.CONFIRM
    disputed = report.entries[0].ref
    response = lists.respond(
        ru.uow(),
        ADMIN,
        "RU",
        received.stored.id,
        {disputed: EntryResponse(disputed, Verdict.DISPUTE, "not ours: a civilian")},
    )
    assert response.stored.purpose == ListPurpose.RESPONSE.value
    with pytest.raises(EntryNotFound, match="no entry"):
        lists.respond(
            ru.uow(), ADMIN, "RU", received.stored.id,
            {"nobody": EntryResponse("nobody", Verdict.CONFIRM)},
        )  # fmt: skip
    assert response.stored.recipients == ("UA",)
    _, answer = bundles.export_bundle(ru.uow(), ADMIN, ru.keyring(), response.stored.id)

    for receipt in (relayed.receipt, received.receipt):
        assert receipt is not None
        taken = bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "receipt.json", receipt)
        assert taken.acknowledged is not None and taken.acknowledged.sha256 == sent.sha256
        assert taken.receipt is None
    back = bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "response.json", answer)
    assert back.stored is not None and back.stored.purpose == "response"
    first = lists.get_list(ua.uow(), ADMIN, back.stored.id).entries[0].entry
    assert first["response"] == {
        "in_reply_to": disputed,
        "verdict": "dispute",
        "reason": "not ours: a civilian",
    }
    acks, _ = bundles.acknowledgments(ua.uow(), ADMIN)
    ours = next(a for a in acks if a.bundle.sha256 == sent.sha256)
    assert ours.acknowledged
    assert {r.role for r in ours.receipts} == {"relay", "recipient"}


def test_a_tampered_or_misaddressed_bundle_is_refused_and_changes_nothing(
    parties: Parties,
) -> None:
    ua, ru, tr = parties.ua, parties.ru, parties.tr
    list_id = _offer(ua, "Tamper target")
    _, raw = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), list_id)
    document = json.loads(raw)
    document["payload"]["list"]["entries"][0]["surname"] = "Іванов"
    from parley.interchange.bundles import canonical_json

    forged = canonical_json(document)
    with ru.uow() as uow:
        lists_before, bundles_before = uow.lists.lists(0, 1)[1], uow.lists.bundles(0, 1)[1]
    refused = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "forged.json", forged)
    assert refused.refused and refused.verification.failed is not None
    assert refused.verification.failed.check.value == "digest"
    misaddressed = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "offer.json", raw)
    assert misaddressed.refused
    assert misaddressed.verification.failed is not None
    assert misaddressed.verification.failed.check.value == "recipient"
    with ru.uow() as uow:
        assert uow.lists.lists(0, 1)[1] == lists_before
        assert uow.lists.bundles(0, 1)[1] == bundles_before


def test_only_our_own_lists_are_signed_and_only_with_the_right_permission(
    parties: Parties,
) -> None:
    list_id = _offer(parties.ua, "Permissions")
    reviewer = Actor("rev", frozenset({Role.REVIEWER}), "test", 2)
    with pytest.raises(PermissionDenied):
        bundles.export_bundle(parties.ua.uow(), reviewer, parties.ua.keyring(), list_id)
    with pytest.raises(InvalidInput):
        bundles.export_bundle(parties.ua.uow(), ADMIN, parties.ua.keyring(), list_id, "TR")


def test_a_list_prints_as_pdf_with_its_digest_and_exports_as_csv(parties: Parties) -> None:
    list_id = _offer(parties.ua, "Printed")
    keyring = parties.ua.keyring()
    pdf = list_documents.render(parties.ua.uow(), ADMIN, keyring, list_id, "pdf")
    stored = lists.get_list(parties.ua.uow(), ADMIN, list_id).stored
    document = pdfium.PdfDocument(pdf.content)
    for index in range(len(document)):
        text = document[index].get_textpage().get_text_range()
        assert stored.list_sha256 in text.replace("\r", "").replace("\n", "")
    document.close()
    csv = list_documents.render(parties.ua.uow(), ADMIN, keyring, list_id, "csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == stored.entry_count + 1 and lines[0].startswith("ref,surname")


def test_a_list_prints_its_frame_in_ukrainian_and_refuses_an_unknown_language(
    parties: Parties,
) -> None:
    list_id = _offer(parties.ua, "Printed in Ukrainian")
    keyring = parties.ua.keyring()
    pdf = list_documents.render(parties.ua.uow(), ADMIN, keyring, list_id, "pdf", "uk")
    document = pdfium.PdfDocument(pdf.content)
    first = document[0].get_textpage().get_text_range()
    document.close()
    assert "Пропозиція: Printed in Ukrainian — версія 1" in first
    assert "Прізвище" in first and "Surname" not in first
    with pytest.raises(InvalidInput, match="'de'"):
        list_documents.render(parties.ua.uow(), ADMIN, keyring, list_id, "pdf", "de")


def test_a_rotated_key_is_announced_and_old_bundles_still_verify(
    tmp_path: Path,
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from parley.interchange.keys import replace_signing_key

    made = []
    for party in ("UA", "RU"):
        instance, _ = init_instance(tmp_path / party, party, party, None, ADMIN_PASSWORD)
        made.append(instance)
    ua, ru = made
    _trust_each_other(made)
    person_list = lists.build_list(
        ua.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Empty", ListPurpose.REQUEST, ("RU",)),
        lists.RegistrySelection(),
    )
    _, old_bundle = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), person_list.stored.id)
    new_key = Ed25519PrivateKey.generate()
    [(to, announcement)] = bundles.announce_key(
        ua.uow(), ADMIN, ua.keyring(), new_key.public_key(), ["RU"]
    )
    assert to == "RU"
    replace_signing_key(ua.directory, new_key)
    second = lists.build_list(
        ua.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Empty", ListPurpose.REQUEST, ("RU",), "changed"),
        lists.RegistrySelection(),
    )
    _, new_bundle = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), second.stored.id)
    refused = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "new.json", new_bundle)
    assert refused.refused and refused.verification.failed is not None
    assert refused.verification.failed.check.value == "trusted key"
    taken = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "announce.json", announcement)
    assert taken.announced is not None
    assert bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "old.json", old_bundle).stored
    assert bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "new.json", new_bundle).stored
    with pytest.raises(InvalidInput):
        lists.build_list(
            ru.uow(), ADMIN, "RU", lists.ListDraft("x", ListPurpose.OFFER, ("RU",)),
            lists.RegistrySelection(),
        )  # fmt: skip
    for instance in made:
        instance.close()


def test_lists_and_bundles_are_append_only_on_every_database(instance: Instance) -> None:
    """Runs on SQLite and, in CI, PostgreSQL: the triggers refuse edits to what was exchanged."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from parley.domain.dates import PartialDate
    from parley.domain.registry.events import EventDraft, EventType, Source
    from parley.domain.registry.persons import Person, PersonCategory, PersonName, Sex

    registry.register_person(
        instance.uow(),
        ADMIN,
        Person(
            "RU",
            PersonCategory.MILITARY,
            Sex.MALE,
            [PersonName("Кузьмин", "Илья", "Анатольевич", language="ru")],
            PartialDate.parse("2001-12-04"),
        ),
        [EventDraft(EventType.DETAINED, date(2024, 5, 1), Source.OWN_INFORMATION)],
    )
    built = lists.build_list(
        instance.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Held", ListPurpose.OFFER, ("RU",)),
        lists.RegistrySelection(Status.HELD),
    ).stored
    assert built.entry_count == 1
    bundle, raw = bundles.export_bundle(instance.uow(), ADMIN, instance.keyring(), built.id)
    assert bundles.bundle_content(instance.uow(), ADMIN, bundle.id)[1] == raw
    for statement in (
        "UPDATE party_lists SET name = 'x'",
        "DELETE FROM party_list_entries",
        "UPDATE bundles SET recipient = 'TR'",
        "DELETE FROM bundles",
    ):
        with pytest.raises(DBAPIError, match="append-only"), instance.engine.begin() as connection:
            connection.execute(text(statement))
    assert lists.get_list(instance.uow(), ADMIN, built.id).stored.name == "Held"


def test_an_older_version_arriving_late_is_refused_and_a_list_never_reconciled_has_no_report(
    parties: Parties,
) -> None:
    ua, ru = parties.ua, parties.ru
    first = _offer(ua, "Late versions")
    second = lists.build_list(
        ua.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Late versions", ListPurpose.OFFER, ("RU",), "aged 18-22", "round 3"),
        lists.RegistrySelection(Status.HELD, None, "RU", (18, 22), STAGE_DAY),
    )
    _newer, raw_newer = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), second.stored.id)
    _older, raw_older = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), first)
    received = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "v2.json", raw_newer)
    assert received.bundle is not None
    with pytest.raises(ListVersionExists):
        bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "v1.json", raw_older)
    with pytest.raises(ReconciliationNotFound):
        lists.reconciliation(ru.uow(), ADMIN, received.bundle.list_id)
    with pytest.raises(ListNotFound):
        lists.get_list(ru.uow(), ADMIN, 9999)
    with pytest.raises(BundleNotFound):
        bundles.bundle_content(ru.uow(), ADMIN, 9999)


def test_a_list_altered_behind_parleys_back_is_not_signed(tmp_path: Path) -> None:
    ua, _ = init_instance(tmp_path / "ua", "UA", "UA test", None, ADMIN_PASSWORD)
    try:
        built = lists.import_list(
            ua.uow(),
            ADMIN,
            "UA",
            lists.ListDraft("Altered", ListPurpose.OFFER, ("RU",), "", ""),
            "altered.csv",
            "surname;given_name;birth_date\nКоваль;Петро;1990\n".encode(),
        )
        with sqlite3.connect(ua.directory / "parley.db") as connection:
            connection.execute("DROP TRIGGER IF EXISTS party_list_entries_no_update")
            connection.execute(
                "UPDATE party_list_entries SET entry = json_set(entry, '$.surname', 'Інший')"
            )
        with pytest.raises(ListAltered):
            bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), built.stored.id)
    finally:
        ua.close()


def test_exporting_the_same_list_twice_in_one_second_returns_the_bundle_already_kept(
    parties: Parties, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12, part 8: identical signed bytes used to hit the UNIQUE constraint (a 500)."""
    from datetime import UTC, datetime

    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    monkeypatch.setattr(bundles, "_now", lambda: moment)
    list_id = _offer(parties.ua, "Exported twice")
    first, raw = bundles.export_bundle(parties.ua.uow(), ADMIN, parties.ua.keyring(), list_id)
    second, again = bundles.export_bundle(parties.ua.uow(), ADMIN, parties.ua.keyring(), list_id)
    assert again == raw and second.id == first.id and second.sha256 == first.sha256
    kept, _ = bundles.list_bundles(parties.ua.uow(), ADMIN, list_id=list_id)
    assert [b.id for b in kept] == [first.id]


def test_a_mediators_recipient_receipt_counts_as_relay_and_never_acknowledges(
    parties: Parties,
) -> None:
    """Issue 12, part 7: TR signed `role: recipient` for UA's list to RU, and UA took the list
    as acknowledged. Only the addressee's receipt acknowledges; a mediator's counts as relay."""
    from datetime import UTC, datetime

    from parley.interchange import bundles as wire

    ua, tr = parties.ua, parties.tr
    list_id = _offer(ua, "Receipt forged by the mediator")
    sent, _raw = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), list_id)
    now = datetime.now(UTC).replace(microsecond=0)
    claim = wire.receipt_payload(sent.sha256, "UA", "TR", now)
    assert claim["role"] == "recipient"
    forged = wire.seal(wire.BundleKind.RECEIPT, "TR", "UA", claim, tr.keyring().signing_key, now)
    taken = bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "receipt.json", forged)
    assert taken.verification.accepted and taken.acknowledged is not None
    acks, _ = bundles.acknowledgments(ua.uow(), ADMIN)
    ours = next(a for a in acks if a.bundle.sha256 == sent.sha256)
    assert [r.role for r in ours.receipts] == ["relay"] and not ours.acknowledged


def test_a_relay_receipt_from_a_party_that_is_no_mediator_is_refused(parties: Parties) -> None:
    from datetime import UTC, datetime

    from parley.interchange import bundles as wire

    ua, ru = parties.ua, parties.ru
    list_id = _offer(ua, "Relay claimed by a party")
    sent, _raw = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), list_id)
    now = datetime.now(UTC).replace(microsecond=0)
    claim = wire.receipt_payload(sent.sha256, "UA", "RU", now, forwarded_to="TR")
    receipt = wire.seal(wire.BundleKind.RECEIPT, "RU", "UA", claim, ru.keyring().signing_key, now)
    with ua.uow() as uow:
        before = uow.lists.bundles(0, 1)[1]
    with pytest.raises(ReceiptRefused, match="not a mediator"):
        bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "receipt.json", receipt)
    with ua.uow() as uow:
        assert uow.lists.bundles(0, 1)[1] == before
    acks, _ = bundles.acknowledgments(ua.uow(), ADMIN)
    assert not next(a for a in acks if a.bundle.sha256 == sent.sha256).receipts


def test_only_key_management_changes_trust(parties: Parties) -> None:
    """Issue 12, part 6 (in part): a coordinator took in a key announcement and so changed
    whom the instance trusts; trust changes now need `keys.manage`."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    coordinator = Actor("coord", frozenset({Role.COORDINATOR}), "test", 3)
    ua, ru = parties.ua, parties.ru
    new_key = Ed25519PrivateKey.generate().public_key()
    [(_to, announcement)] = bundles.announce_key(ua.uow(), ADMIN, ua.keyring(), new_key, ["RU"])
    with pytest.raises(PermissionDenied):
        bundles.import_bundle(ru.uow(), coordinator, ru.keyring(), "announce.json", announcement)
    with pytest.raises(PermissionDenied):
        bundles.trust_key(
            ru.uow(), coordinator, ru.trust_store, "UA", "x", public_key_text(new_key)
        )
    assert public_key_text(new_key) not in {k.public_key for k in ru.trust_store.trusted()}


def test_every_exported_bundle_carries_a_fresh_checkpoint_that_the_receiver_keeps(
    parties: Parties,
) -> None:
    """Issue 12, part 5: the export signs the log's head and the bundle carries it."""
    from parley.services.accounts import checkpoints

    list_id = _offer(parties.ua, "Carries a checkpoint")
    sent, raw = bundles.export_bundle(parties.ua.uow(), ADMIN, parties.ua.keyring(), list_id)
    carried = json.loads(raw)["checkpoint"]
    ours, _ = checkpoints.list_checkpoints(parties.ua.uow(), ADMIN, "UA", 0, 1)
    assert ours[0].source == "own" and ours[0].entries == carried["entries"]
    taken = bundles.import_bundle(parties.ru.uow(), ADMIN, parties.ru.keyring(), "b.json", raw)
    assert taken.verification.accepted
    held, _ = checkpoints.list_checkpoints(parties.ru.uow(), ADMIN, "UA", 0, 1)
    assert held[0].source == "received" and held[0].bundle_sha256 == sent.sha256
    assert held[0].head == carried["head"]
