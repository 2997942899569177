"""Reference families in the instance through the services and a real database: import all
or nothing, consent, the in-instance screen (never an excluded pairing), notification,
release, the death list, and the identification rate by the day things happened."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from parley.dna.pairwise import pairwise
from parley.dna.reading import read_case
from parley.domain.accounts.accounts import Role
from parley.domain.errors import (
    ImportRejected,
    InvalidInput,
    InvalidRemainsStep,
    SecondPersonRequired,
)
from parley.domain.remains.batches import Batch
from parley.domain.remains.bodies import BodyStatus
from parley.domain.remains.references import Consent
from parley.instance import Instance
from parley.services import remains
from tests.conftest import make_account

ORACLE = Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "dvir"
needs_oracle = pytest.mark.skipif(not ORACLE.is_dir(), reason=f"dvir oracle not at {ORACLE}")
RECEIVED = date(2025, 6, 20)


def _batch(instance: Instance, actor_name: str = "ana") -> tuple[int, object]:
    ana = make_account(instance, actor_name, Role.FORENSIC)
    batch = remains.record_batch(
        instance.uow(), ana, Batch(date(2025, 6, 11), "border", "RU", "UA", 10, 10, "ICRC")
    )
    return batch.id, ana


@needs_oracle
@pytest.mark.parametrize("name", ["planecrash", "exclusionExample"])
def test_an_excluded_body_is_never_a_candidate_of_the_family(instance: Instance, name: str) -> None:
    batch_id, ana = _batch(instance)
    folder = ORACLE / name / "input"
    done = remains.import_references(
        instance.uow(), ana, folder, received_on=RECEIVED, consent_by="lab", batch_id=batch_id
    )
    case = read_case(folder)
    assert done.families == len(case.families) and len(done.bodies_profiled) == len(case.victims)
    outcome = remains.screen_references(instance.uow(), ana)
    assert outcome.bodies == len(case.victims) and outcome.prior == 1 / len(case.missing)
    excluded = pairwise(case).excluded()
    row = {v.id: i for i, v in enumerate(case.victims)}
    column = {m: j for j, m in enumerate(case.missing)}
    seen = 0
    for victim in case.victims:
        body = remains.body(instance.uow(), ana, victim.id)
        for c in body.candidates:
            assert not excluded[row[victim.id], column[c.missing_ref]]
            assert c.exclusions <= 2 and (c.lr is None or c.lr > 1)
            seen += 1
        assert body.status == ("candidate" if body.candidates else "profiled")
        assert body.profile and body.sex == int(victim.sex)
    assert seen == outcome.candidates > 0
    again = remains.screen_references(instance.uow(), ana)
    assert again.candidates == 0  # nothing changed: nothing new stored


@needs_oracle
def test_screening_finds_the_planecrash_matches_dvir_finds(instance: Instance) -> None:
    batch_id, ana = _batch(instance)
    folder = ORACLE / "planecrash" / "input"
    remains.import_references(
        instance.uow(), ana, folder, received_on=RECEIVED, consent_by="lab", batch_id=batch_id
    )
    remains.screen_references(instance.uow(), ana)
    best = {
        tag: remains.body(instance.uow(), ana, tag).missing_ref for tag in ("V1", "V2", "V4", "V6")
    }
    assert best == {"V1": "M1", "V2": "M3", "V4": "M5", "V6": "M2"}  # dviSolve's matches


@needs_oracle
def test_a_bad_case_is_refused_naming_file_row_and_field_and_nothing_is_stored(
    instance: Instance, tmp_path: Path
) -> None:
    batch_id, ana = _batch(instance)
    with pytest.raises(ImportRejected) as refused:
        remains.import_references(
            instance.uow(), ana, ORACLE / "example1" / "input", received_on=RECEIVED
        )
    first = refused.value.problems[0]
    assert (first.file, first.row, first.field) == ("genotypes.csv", 2, "marker")
    assert "L1" in first.message
    case = tmp_path / "case"
    shutil.copytree(ORACLE / "planecrash" / "input", case)
    with (case / "missing.csv").open() as handle:
        lines = handle.read().splitlines()
    (case / "missing.csv").write_text(
        "missing,person_id\n" + "\n".join(f"{m},99999" for m in lines[1:]) + "\n"
    )
    with pytest.raises(ImportRejected) as refused:
        remains.import_references(instance.uow(), ana, case, received_on=RECEIVED)
    assert {(p.file, p.row, p.field) for p in refused.value.problems} >= {
        ("missing.csv", 2, "person_id"),
        ("pedigree.csv", 2, "id"),  # body V1 is not registered and no batch was given
    }
    assert remains.reference_families(instance.uow(), ana) == []
    assert remains.bodies(instance.uow(), ana) == []
    remains.import_references(
        instance.uow(), ana, ORACLE / "planecrash" / "input", received_on=RECEIVED,
        batch_id=batch_id,
    )  # fmt: skip
    with pytest.raises(ImportRejected) as twice:
        remains.import_references(
            instance.uow(), ana, ORACLE / "planecrash" / "input", received_on=RECEIVED,
            batch_id=batch_id,
        )  # fmt: skip
    fields = {(p.file, p.field) for p in twice.value.problems}
    assert ("pedigree.csv", "component") in fields and ("missing.csv", "missing") in fields


@needs_oracle
def test_without_consent_or_withdrawn_a_profile_is_not_used(instance: Instance) -> None:
    batch_id, ana = _batch(instance)
    folder = ORACLE / "planecrash" / "input"
    done = remains.import_references(
        instance.uow(), ana, folder, received_on=RECEIVED, batch_id=batch_id
    )
    assert done.donors_without_consent == done.donors == 5
    nothing = remains.screen_references(instance.uow(), ana)
    assert nothing.missing_persons == 0 and nothing.families_skipped == 5
    assert nothing.candidates == 0
    family = remains.record_consent(
        instance.uow(), ana, "F1", "R1", Consent.GIVEN, given_by="R1 himself", on=RECEIVED
    )
    r1 = next(d for d in family.donors if d.member == "R1")
    assert r1.used and r1.relationship == "father" and r1.consent == "given"
    one = remains.screen_references(instance.uow(), ana)
    assert one.missing_persons == 1
    assert remains.body(instance.uow(), ana, "V1").candidates[0].missing_ref == "M1"
    family = remains.record_consent(
        instance.uow(), ana, "F1", "R1", Consent.WITHDRAWN, given_by="R1 himself", on=RECEIVED
    )
    assert not next(d for d in family.donors if d.member == "R1").used
    gone = remains.screen_references(instance.uow(), ana)
    assert gone.missing_persons == 0
    with pytest.raises(InvalidInput):
        remains.record_consent(
            instance.uow(), ana, "F1", "M1", Consent.GIVEN, given_by="x", on=RECEIVED
        )  # the missing person is no donor
    with instance.engine.begin() as connection, pytest.raises(sa.exc.DatabaseError):
        connection.execute(sa.text("DELETE FROM remains_consents"))


@needs_oracle
def test_confirmed_notified_released_and_on_the_death_list(instance: Instance) -> None:
    batch_id, ana = _batch(instance)
    boris = make_account(instance, "boris", Role.FORENSIC)
    admin = make_account(instance, "carla", Role.ADMIN)
    remains.import_references(
        instance.uow(), ana, ORACLE / "planecrash" / "input", received_on=RECEIVED,
        consent_by="lab", batch_id=batch_id,
    )  # fmt: skip
    remains.screen_references(instance.uow(), ana)
    with pytest.raises(InvalidRemainsStep):  # screened now: nothing can follow it earlier
        remains.record_step(
            instance.uow(), ana, "V4", BodyStatus.PRELIMINARY, missing_ref="M5",
            at=datetime(2025, 6, 21, 10, tzinfo=UTC),
        )  # fmt: skip
    remains.record_step(instance.uow(), ana, "V4", BodyStatus.PRELIMINARY, missing_ref="M5")
    with pytest.raises(SecondPersonRequired):
        remains.record_step(instance.uow(), ana, "V4", BodyStatus.CONFIRMED, missing_ref="M5")
    with pytest.raises(InvalidRemainsStep):
        remains.notify_family(
            instance.uow(), ana, "V4", whom="mother", notified_by="liaison", how="in person"
        )
    remains.record_step(instance.uow(), boris, "V4", BodyStatus.CONFIRMED, missing_ref="M5")
    with pytest.raises(InvalidInput):
        remains.notify_family(
            instance.uow(), ana, "V4", whom="", notified_by="liaison", how="in person"
        )
    told = remains.notify_family(
        instance.uow(), ana, "V4", whom="the mother", notified_by="liaison", how="in person"
    )
    assert told.status == "family_notified" and told.notifications[0].how == "in person"
    released = remains.release_body(instance.uow(), ana, "V4", to="the family")
    assert released.status == "released" and released.missing_ref == "M5"
    rate = remains.identification_rate(instance.uow(), ana)
    assert rate[0].on == RECEIVED and rate[0].identified == 0 and rate[0].families == 5
    assert rate[-1].identified == 1 and rate[-1].received == 8
    built = remains.death_list(instance.uow(), admin, "UA", "RU")
    assert built.stored.purpose == "death_list" and built.stored.entry_count == 0  # no person_id
    with pytest.raises(InvalidInput):
        remains.death_list(instance.uow(), admin, "UA", "UA")


def test_the_six_thousand_bodies_commitment_is_computed_from_batches(
    sqlite_instance: Instance,
) -> None:
    from parley.scenarios.agreements import record_istanbul
    from parley.services import agreements
    from tests.integration.test_stages_service import ADMIN

    istanbul = record_istanbul(sqlite_instance.uow, ADMIN)
    ana = make_account(sqlite_instance, "ana", Role.FORENSIC)
    for day, declared, received in ((11, 1212, 1212), (13, 1200, 1198), (16, 1245, 1245)):
        remains.record_batch(
            sqlite_instance.uow(),
            ana,
            Batch(date(2025, 6, day), "border", "RU", "UA", declared, received, "ICRC"),
        )
    shown = agreements.show_commitment(
        sqlite_instance.uow(), ADMIN, istanbul["6000-bodies"], date(2025, 6, 30)
    )
    assert shown.value == 1212 + 1198 + 1245  # our received counts, not the declared ones


def test_a_batch_declared_by_the_other_sides_death_list(instance: Instance) -> None:
    from parley.domain.lists import ListPurpose
    from parley.services import lists
    from tests.integration.test_stages_service import ADMIN

    ana = make_account(instance, "ana", Role.FORENSIC)
    theirs = lists.import_list(
        instance.uow(),
        ADMIN,
        "RU",
        lists.ListDraft("Remains, 13 June", ListPurpose.DEATH_LIST, ("UA",), "dead", ""),
        "death.csv",
        "surname;given_name;birth_date\nКоваль;Петро;1990\nМельник;Іван;1988\n".encode(),
    ).stored
    ours = lists.import_list(
        instance.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Ours", ListPurpose.DEATH_LIST, ("RU",), "dead", ""),
        "ours.csv",
        "surname;given_name;birth_date\nКоваль;Петро;1990\n".encode(),
    ).stored
    batch = Batch(date(2025, 6, 13), "border", "RU", "UA", 0, 1, "ICRC")
    made = remains.record_declared_batch(instance.uow(), ana, "UA", batch, theirs.id)
    assert (made.declared, made.received, made.difference) == (2, 1, -1) and made.flagged
    assert made.declared_list_sha256 == theirs.list_sha256
    with pytest.raises(InvalidInput):
        remains.record_declared_batch(instance.uow(), ana, "UA", batch, ours.id)


def test_a_handover_travels_signed_and_declares_the_receivers_batch(tmp_path: Path) -> None:
    from parley.instance import init_instance
    from parley.services.lists import bundles
    from tests.conftest import ADMIN_PASSWORD
    from tests.integration.test_lists_and_bundles import _trust_each_other
    from tests.integration.test_stages_service import ADMIN

    ru, _ = init_instance(tmp_path / "ru", "RU", "RU test", None, ADMIN_PASSWORD)
    ua, _ = init_instance(tmp_path / "ua", "UA", "UA test", None, ADMIN_PASSWORD)
    try:
        _trust_each_other([ru, ua])
        theirs = remains.record_batch(
            ru.uow(), ADMIN, Batch(date(2025, 6, 13), "border", "RU", "UA", 1200, 1200, "ICRC")
        )
        kept, raw = remains.export_handover(ru.uow(), ADMIN, ru.keyring(), theirs.id)
        assert kept.kind == "remains_handover"
        tampered = raw.replace(b'"declared":1200', b'"declared":1100')
        refused = bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "x.json", tampered)
        assert refused.refused
        taken = bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "h.json", raw)
        assert not taken.refused and taken.bundle is not None and taken.receipt
        ours = remains.record_handed_batch(ua.uow(), ADMIN, "UA", taken.bundle.sha256, 1198)
        assert (ours.declared, ours.received, ours.difference) == (1200, 1198, -2)
        assert ours.declared_list_sha256 == taken.bundle.sha256 and ours.from_party == "RU"
        with pytest.raises(InvalidInput):  # our own signed handover declares nothing to us
            remains.record_handed_batch(ru.uow(), ADMIN, "RU", kept.sha256, 1)
        with pytest.raises(InvalidInput):  # only our own batches are signed
            remains.export_handover(ua.uow(), ADMIN, ua.keyring(), ours.id)
        import json
        from datetime import datetime as moment

        from parley.interchange import bundles as wire

        payload = {**json.loads(raw)["payload"], "from_party": "TR"}
        forged = wire.seal(
            wire.BundleKind.REMAINS_HANDOVER,
            "RU",
            "UA",
            payload,
            ru.keyring().signing_key,
            moment(2025, 6, 13, tzinfo=UTC),
        )
        with pytest.raises(InvalidInput, match="declares a handover from TR"):
            bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "f.json", forged)
    finally:
        ru.close()
        ua.close()
