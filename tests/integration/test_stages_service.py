"""Stages through the services and real databases: plan, sign, record the day, count.

The registry is small and synthetic: Russian prisoners UA holds and Ukrainians RU holds, each
built to land in one place of the plan (ready, or left out for one stated reason).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.dates import PartialDate
from parley.domain.errors import (
    InvalidEvent,
    InvalidInput,
    NotOnManifest,
    OutcomeAlreadyRecorded,
    PermissionDenied,
    ReceiptRefused,
    StageNotReady,
    UnknownCategory,
    WrongParty,
)
from parley.domain.exchange.handover import DocumentRole, StageOutcome
from parley.domain.exchange.stages import Parity
from parley.domain.lists import ListPurpose
from parley.domain.registry.events import EventDraft, EventType, Source, Status
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    Sex,
)
from parley.instance import Instance, init_instance, instance_categories
from parley.interchange.keys import load_public_key, public_key_text
from parley.services import exchange, lists, matching, registry
from parley.services.exchange import checked_svg, progress_chart_svg
from parley.services.lists import bundles
from tests.conftest import ADMIN_PASSWORD, make_account

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
ON = date(2025, 6, 9)
WOUNDED = "seriously_wounded_or_sick"
YOUNG = "aged_18_25"
CERTIFIED = EventDraft(
    EventType.MANIFEST_CERTIFIED,
    date(2025, 5, 15),
    Source.OWN_INFORMATION,
    "amputation below the knee",
    {"condition": {"category": "A1", "item": "loss of a foot", "unquestionable": True}},
)


def _given(day: date = date(2025, 5, 1)) -> EventDraft:
    return EventDraft(EventType.CONSENT_GIVEN, day, Source.OWN_INFORMATION)


# label → (side, surname, given, born, extra events, matched by a list from the other side)
PEOPLE: dict[str, tuple[str, str, str, str, list[EventDraft], bool]] = {
    "R1": ("RU", "Кузьмин", "Илья", "2001-12-04", [_given()], False),
    "R2": ("RU", "Данилов", "Владимир", "2003-03-28", [_given()], False),
    "R3": (
        "RU",
        "Никитин",
        "Дмитрий",
        "2002-01-01",
        [EventDraft(EventType.CONSENT_REFUSED, date(2025, 5, 2), Source.OWN_INFORMATION)],
        False,
    ),
    "R4": (
        "RU",
        "Орлов",
        "Павел",
        "2000-07-07",
        [
            _given(),
            EventDraft(
                EventType.LEGAL_HOLD, date(2025, 5, 3), Source.OWN_INFORMATION, "case 12-345"
            ),
        ],
        False,
    ),
    "R5": ("RU", "Соколов", "Андрей", "1980-01-01", [_given()], False),
    "R6": ("RU", "Морозов", "Олег", "2004-05-24", [], False),
    "R7": ("RU", "Волков", "Денис", "1999", [_given()], False),
    "R8": ("RU", "Лебедев", "Максим", "1975-02-02", [_given(), CERTIFIED], False),
    "U1": ("UA", "Коваленко", "Богдан", "2002-02-02", [_given()], True),
    "U2": ("UA", "Бондаренко", "Тарас", "2001-01-01", [_given()], True),
    "U3": ("UA", "Шевчук", "Остап", "2003-03-03", [_given()], False),
    "U4": ("UA", "Ткаченко", "Микола", "1976-06-06", [_given(), CERTIFIED], True),
}


def _person(side: str, surname: str, given: str, born: str, number: str) -> Person:
    return Person(
        side,
        PersonCategory.MILITARY,
        Sex.MALE,
        [PersonName(surname, given, "", language="ru" if side == "RU" else "uk")],
        PartialDate.parse(born),
        [Identifier(IdentifierKind.SERVICE_NUMBER, number)],
        unit="в/ч 0000",
    )


def populate(instance: Instance, actor: Actor = ADMIN) -> dict[str, int]:
    """The registry above, and a match run of RU's list naming the matched Ukrainians."""
    ids: dict[str, int] = {}
    matched: list[tuple[str, str, str, str]] = []
    for number, (label, (side, surname, given, born, events, listed)) in enumerate(
        PEOPLE.items(), start=1
    ):
        custody = EventType.DETAINED if side == "RU" else EventType.CAPTURE_CONFIRMED
        first = EventDraft(custody, date(2024, 1, number), Source.OWN_INFORMATION)
        service_number = f"SN-{number:04d}"
        record = registry.register_person(
            instance.uow(),
            actor,
            _person(side, surname, given, born, service_number),
            [first, *events],
        )
        ids[label] = record.id
        if listed:
            matched.append((surname, given, born, service_number))
    fillers: list[tuple[Person, list[EventDraft]]] = [
        (_person("UA", f"Запасний{i}", "Іван", f"19{60 + i}-01-01", f"F-{i:04d}"), [])
        for i in range(20)
    ]
    registry.register_many(instance.uow(), actor, fillers)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["surname", "given_name", "birth_date", "sex", "service_number"])
    for row in matched:
        writer.writerow([*row[:3], "male", row[3]])
    matching.run_match(instance.uow(), actor, "ru-holds.csv", buffer.getvalue().encode())
    return ids


@pytest.fixture
def ua(instance: Instance) -> dict[str, int]:
    return populate(instance)


def _plan(
    instance: Instance,
    name: str = "Stage 1",
    capacity: int = 10,
    parity: Parity = Parity.EQUAL_PER_CATEGORY,
    previous: int | None = None,
    categories: tuple[str, ...] = (WOUNDED, YOUNG),
) -> exchange.StageDetail:
    return exchange.plan(
        instance.uow(),
        ADMIN,
        "UA",
        name,
        ON,
        categories,
        capacity,
        parity,
        previous_stage_id=previous,
    )


@pytest.mark.postgres
def test_a_plan_is_balanced_and_says_why_everyone_else_stays(
    instance: Instance, ua: dict[str, int]
) -> None:
    plan = _plan(instance)
    by_id = {v: k for k, v in ua.items()}
    released = {by_id[line.person_id]: line.category for line in plan.release}
    expected = {by_id[line.person_id]: line.category for line in plan.expect}
    assert released == {"R8": WOUNDED, "R1": YOUNG, "R2": YOUNG}
    assert expected == {"U4": WOUNDED, "U1": YOUNG, "U2": YOUNG}
    assert plan.summary.balanced and plan.summary.release_side == "RU"
    assert [(c.category, c.released, c.expected) for c in plan.counts] == [
        (WOUNDED, 1, 1),
        (YOUNG, 2, 2),
    ]
    reasons = {by_id[e.person_id or 0]: (e.code, e.reason) for e in plan.exclusions}
    assert reasons["R3"][0] == "consent_refused" and "art. 109" in reasons["R3"][1]
    assert reasons["R4"][0] == "legal_hold" and "case 12-345" in reasons["R4"][1]
    assert reasons["R5"][0] == "ineligible"
    assert reasons["R6"][0] == "consent_unknown"
    assert reasons["R7"][0] == "uncertain"
    assert reasons["U3"][0] == "not_confirmed_by_matching"
    assert plan.exclusion_counts["consent_refused"] == 1
    matched_line = next(line for line in plan.expect if by_id[line.person_id] == "U1")
    assert any("ru-holds.csv" in r for r in matched_line.reasons)

    release_doc = plan.document(DocumentRole.RELEASE_MANIFEST)
    expect_doc = plan.document(DocumentRole.EXPECT_MANIFEST)
    assert release_doc is not None and expect_doc is not None
    manifest = lists.get_list(instance.uow(), ADMIN, release_doc.list_id or 0)
    assert manifest.stored.purpose == "stage_manifest"
    assert manifest.stored.recipients == ("RU",)
    assert {e.person_id for e in manifest.entries} == {ua["R8"], ua["R1"], ua["R2"]}
    assert [e.ref for e in manifest.entries] == ["R1", "R2", "R3"]
    evidence = {e.entry["category_evidence"] for e in manifest.entries}
    assert evidence == {f"category: {WOUNDED}", f"category: {YOUNG}"}, "no medical detail leaves"

    shown = exchange.show_stage(instance.uow(), ADMIN, plan.summary.id)
    assert shown == plan
    assert [s.id for s in exchange.list_stages(instance.uow(), ADMIN)] == [plan.summary.id]


def test_capacity_leaves_a_deficit_that_the_next_stage_inherits(
    sqlite_instance: Instance,
) -> None:
    ids = populate(sqlite_instance)
    first = _plan(sqlite_instance, capacity=1, parity=Parity.EQUAL_TOTALS)
    assert (first.summary.released, first.summary.expected) == (1, 1)
    assert first.release[0].person_id == ids["R8"], "the most severe goes first"
    owed = {(t.category, t.side): t.count for t in first.deficits}
    assert owed == {(YOUNG, "RU"): 2, (YOUNG, "UA"): 2}
    assert {e.code for e in first.exclusions} >= {"over_capacity"}
    assert first.overlaps == []
    second = _plan(sqlite_instance, "Stage 2", capacity=3, previous=first.summary.id)
    assert {(t.category, t.side): t.count for t in second.carried} == owed
    assert second.summary.previous_id == first.summary.id
    assert [o.stage_id for o in second.overlaps] == [first.summary.id], "stage 1 not recorded"


def test_outcomes_append_events_once_and_reconciliation_shows_the_gaps(
    sqlite_instance: Instance,
) -> None:
    ids = populate(sqlite_instance)
    plan = _plan(sqlite_instance)
    stage_id = plan.summary.id
    uow = sqlite_instance.uow
    with pytest.raises(NotOnManifest, match="neither manifest"):
        exchange.record_outcomes(uow(), ADMIN, stage_id, {ids["R5"]: ("transferred", "")})
    with pytest.raises(InvalidEvent, match="future"):
        exchange.record_outcomes(
            uow(), ADMIN, stage_id, {ids["R1"]: ("transferred", "")}, date(2999, 1, 1)
        )
    done = exchange.record_outcomes(
        uow(),
        ADMIN,
        stage_id,
        {ids["R1"]: (StageOutcome.REFUSED, "refused at the border")},
        everyone_else=StageOutcome.TRANSFERRED,
    )
    assert done.recorded == 6 and done.counts == {"refused": 1, "transferred": 5}
    assert registry.show_person(uow(), ADMIN, ids["R2"]).status is Status.RELEASED
    assert registry.show_person(uow(), ADMIN, ids["U1"]).status is Status.RETURNED
    refused = registry.show_person(uow(), ADMIN, ids["R1"])
    assert refused.status is Status.HELD
    last = refused.history.events[-1]
    assert last.type is EventType.HANDOVER_REFUSED and last.details["stage_id"] == stage_id
    with pytest.raises(OutcomeAlreadyRecorded, match="recorded once"):
        exchange.record_outcomes(uow(), ADMIN, stage_id, {ids["R2"]: ("died", "")})

    exchange.record_claim(uow(), ADMIN, stage_id, "UA", "total", 3, ON, "UA HQ statement")
    exchange.record_claim(uow(), ADMIN, stage_id, "RU", YOUNG, 2, ON, "RU MoD statement")
    with pytest.raises(UnknownCategory, match="no category"):
        exchange.record_claim(uow(), ADMIN, stage_id, "RU", "officers", 2, ON, "RU MoD")
    report = exchange.reconcile_stage(uow(), ADMIN, stage_id)
    assert [(s.ref, s.outcome, s.note) for s in report.shortfalls] == [
        (
            next(x.ref for x in plan.release if x.person_id == ids["R1"]),
            "refused",
            "refused at the border",
        )
    ]
    claims = {(c.party, c.category): (c.claimed, c.recorded, c.difference) for c in report.claims}
    assert claims == {("UA", "total"): (3, 3, 0), ("RU", YOUNG): (2, 1, 1)}
    young_release = next(
        t for t in report.tallies if (t.manifest, t.category) == ("release", YOUNG)
    )
    assert (young_release.planned, young_release.transferred, young_release.refused) == (2, 1, 1)
    assert not report.agrees

    shown = exchange.show_stage(uow(), ADMIN, stage_id)
    assert shown.summary.recorded == 6 and len(shown.claims) == 2
    assert next(x for x in shown.release if x.person_id == ids["R1"]).outcome == "refused"

    report_all = exchange.progress(uow(), ADMIN, "UA", ON)
    rows = {(r.category, r.side): r for r in report_all.rows}
    assert rows[(YOUNG, "UA")].returned == 2 and rows[(YOUNG, "RU")].returned == 1
    assert rows[(YOUNG, "RU")].eligible >= 2
    assert all(r.eligible == r.returned + r.remaining for r in report_all.rows)
    svg = progress_chart_svg(report_all.rows)
    assert svg.startswith("<svg") and YOUNG in svg


def test_a_coordinator_plans_and_a_reviewer_may_not(sqlite_instance: Instance) -> None:
    populate(sqlite_instance)
    reviewer = make_account(sqlite_instance, "rev", Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        exchange.plan(sqlite_instance.uow(), reviewer, "UA", "S", ON, [YOUNG], 5, "equal_totals")
    coordinator = make_account(sqlite_instance, "coord", Role.COORDINATOR)
    planned = exchange.plan(
        sqlite_instance.uow(), coordinator, "UA", "S", ON, [YOUNG], 5, "equal_totals"
    )
    assert planned.summary.created_by == "test:coord"
    with pytest.raises(UnknownCategory, match="no category named"):
        exchange.plan(sqlite_instance.uow(), coordinator, "UA", "S", ON, ["nobody"], 5, "x")


def test_custom_categories_come_from_the_instance_file(sqlite_instance: Instance) -> None:
    ids = populate(sqlite_instance)
    directory = sqlite_instance.directory
    assert set(instance_categories(directory)) == {YOUNG, WOUNDED, "civilian_detainees"}
    path = directory / "categories.toml"
    path.write_text("[categories.prisoners_of_war]\nnot = { civilian = true }\n")
    known = instance_categories(directory)
    planned = exchange.plan(
        sqlite_instance.uow(),
        ADMIN,
        "UA",
        "1,000 for 1,000, day 1",
        date(2025, 5, 23),
        ["civilian_detainees", "prisoners_of_war"],
        390,
        Parity.EQUAL_TOTALS,
        known=known,
    )
    assert planned.summary.released == planned.summary.expected == 3
    codes = {e.person_id: e.code for e in planned.exclusions}
    assert codes[ids["R5"]] == "parity", "any age qualifies; only parity holds him back"
    path.write_text("[categories.bad]\nage = [30]\n")
    with pytest.raises(InvalidInput, match=r"categories\.bad\.age"):
        instance_categories(directory)


@dataclass
class Three:
    ua: Instance
    ru: Instance
    tr: Instance


@pytest.fixture
def three(tmp_path: Path) -> Iterator[Three]:
    made = [
        init_instance(tmp_path / p.lower(), p, f"{p} test", None, ADMIN_PASSWORD)[0]
        for p in ("UA", "RU", "TR")
    ]
    for one in made:
        for other in made:
            if one is not other:
                one.trust_store.add(
                    other.config.party,
                    other.config.name,
                    public_key_text(load_public_key(other.directory)),
                    mediator=other.config.party == "TR",
                )
    yield Three(*made)
    for instance in made:
        instance.close()


def test_manifests_and_the_record_travel_and_the_mediator_countersigns(three: Three) -> None:
    ua, ru, tr = three.ua, three.ru, three.tr
    populate(ua)
    plan = _plan(ua)
    stage_id = plan.summary.id
    sent = exchange.export_manifests(ua.uow(), ADMIN, ua.keyring(), stage_id)
    assert [role for role, _b, _raw in sent] == [
        DocumentRole.RELEASE_MANIFEST,
        DocumentRole.EXPECT_MANIFEST,
        DocumentRole.HELD_BACK,  # art. 115: the other side is told who is held back
    ]
    held_back = json.loads(sent[-1][2])["payload"]["list"]["entries"]
    assert [e["category_evidence"] for e in held_back] == [
        next(e.reason for e in plan.exclusions if e.code == "legal_hold")
    ]
    assert "case 12-345" in held_back[0]["category_evidence"]
    for _role, bundle, raw in sent:
        assert bundle.recipient == "RU"
        taken = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "manifest.json", raw)
        assert taken.stored is not None and taken.stored.purpose == "stage_manifest"
        assert json.loads(raw)["payload"]["list"]["reference"].startswith(f"stage {stage_id}")
    with pytest.raises(StageNotReady, match="record every outcome"):
        exchange.export_record(ua.uow(), ADMIN, ua.keyring(), stage_id)
    with pytest.raises(StageNotReady, match="sign and send the stage record first"):
        exchange.record_countersignature(ua.uow(), ADMIN, ua.keyring(), stage_id, b"{}")
    exchange.record_outcomes(ua.uow(), ADMIN, stage_id, {}, everyone_else=StageOutcome.TRANSFERRED)
    record, raw = exchange.export_record(ua.uow(), ADMIN, ua.keyring(), stage_id)
    relayed = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "record.json", raw, True)
    received = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "record.json", raw)
    assert relayed.receipt is not None and received.receipt is not None
    with pytest.raises(ReceiptRefused, match="relay receipt"):
        exchange.record_countersignature(ua.uow(), ADMIN, ua.keyring(), stage_id, received.receipt)
    signed = exchange.record_countersignature(
        ua.uow(), ADMIN, ua.keyring(), stage_id, relayed.receipt
    )
    assert signed.by == "TR"
    detail = exchange.show_stage(ua.uow(), ADMIN, stage_id)
    countersigned = detail.document(DocumentRole.COUNTERSIGNATURE)
    assert countersigned is not None and countersigned.bundle_id == signed.bundle_id
    kept = detail.document(DocumentRole.RECORD)
    assert kept is not None and kept.bundle_id == record.id
    executed = lists.get_list(ua.uow(), ADMIN, kept.list_id or 0)
    assert {e.entry["category_evidence"].split("; ")[-1] for e in executed.entries} == {
        "transferred"
    }
    with pytest.raises(WrongParty, match="sent by UA"):
        exchange.link_counterpart(ua.uow(), ADMIN, stage_id, kept.list_id or 0)


def test_a_receipt_for_something_else_is_not_a_countersignature(three: Three) -> None:
    ua, tr = three.ua, three.tr
    populate(ua)
    stage_id = _plan(ua).summary.id
    exchange.record_outcomes(ua.uow(), ADMIN, stage_id, {}, everyone_else="transferred")
    exchange.export_record(ua.uow(), ADMIN, ua.keyring(), stage_id)
    other = lists.build_list(
        ua.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Other", ListPurpose.OFFER, ("RU",)),
        lists.RegistrySelection(Status.HELD, None, "RU"),
    )
    _b, raw = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), other.stored.id)
    relayed = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "other.json", raw, True)
    assert relayed.receipt is not None
    with pytest.raises(ReceiptRefused, match="does not acknowledge"):
        exchange.record_countersignature(ua.uow(), ADMIN, ua.keyring(), stage_id, relayed.receipt)


def test_the_chart_refuses_active_svg() -> None:
    assert checked_svg('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    for bad in (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="x()"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<a x:href="https://example.org/"/></svg>',
    ):
        with pytest.raises(ValueError, match="SVG"):
            checked_svg(bad)
    assert progress_chart_svg([]) == ""
