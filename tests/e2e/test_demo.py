import json
import stat
from datetime import date
from pathlib import Path

from rich.console import Console

from parley.instance import open_instance
from parley.scenarios.demo import LOGINS_FILE, build_demo
from parley.scenarios.population import Scale


def test_the_small_demo_builds_three_instances_that_trust_each_other(tmp_path: Path) -> None:
    logins = build_demo(tmp_path, 7, Scale.SMALL, Console(quiet=True))
    for party in ("ua", "ru", "tr"):
        directory = tmp_path / party
        assert stat.S_IMODE((directory / "signing_key.pem").stat().st_mode) == 0o600
        trusted = {k["party"] for k in json.loads((directory / "trust.json").read_text())["keys"]}
        assert trusted == {"UA", "RU", "TR"} - {party.upper()}
    ua = open_instance(tmp_path / "ua")
    with ua.uow() as uow:
        assert uow.persons.count() > 200
    ua.close()
    assert logins[0].instance == "ua" and logins[0].role == "coordinator"
    assert stat.S_IMODE((tmp_path / LOGINS_FILE).stat().st_mode) == 0o600


def test_the_demo_offer_travels_ua_tr_ru_and_is_answered_and_acknowledged(
    tmp_path: Path,
) -> None:
    from parley.domain.accounts.accounts import SYSTEM
    from parley.scenarios.children import LIST_REF
    from parley.services import children, lists
    from parley.services.lists import bundles

    build_demo(tmp_path, 8, Scale.SMALL, Console(quiet=True))
    travelled = sorted(p.name for p in (tmp_path / "bundles").glob("*.json"))
    assert travelled[0] == "01-ua-offer-to-ru.json" and len(travelled) == 9
    assert list((tmp_path / "bundles").glob("UA-*.pdf"))
    ua, ru, tr = (open_instance(tmp_path / party) for party in ("ua", "ru", "tr"))
    try:
        acks, _ = bundles.acknowledgments(ua.uow(), SYSTEM)
        offer = next(a for a in acks if a.bundle.provenance.get("list", "").startswith("Russian"))
        assert {(r.acknowledged_by, r.role) for r in offer.receipts} == {
            ("TR", "relay"),
            ("RU", "recipient"),
        }
        held, _ = lists.list_lists(ua.uow(), SYSTEM, 0, 500)
        assert {(s.sender, s.purpose, s.origin) for s in held} == {
            ("UA", "offer", "built"),
            ("RU", "response", "received"),
            ("UA", "stage_manifest", "built"),  # the replayed stages' manifests
            ("UA", "request", "built"),  # the list of deported children (docs/children.md)
            ("UA", "death_list", "built"),  # identified remains, for RU (docs/remains.md)
        }
        children_list = children.list_progress(ua.uow(), SYSTEM, LIST_REF, date(2025, 9, 1))
        assert (children_list.listed, children_list.answered, children_list.reunited) == (
            339,
            64,
            6,
        )
        received = next(s for s in lists.list_lists(ru.uow(), SYSTEM)[0] if s.purpose == "offer")
        report = lists.reconciliation(ru.uow(), SYSTEM, received.id)
        assert report.counts["known_missing"] > 0
        relayed, _ = bundles.list_bundles(tr.uow(), SYSTEM)
        assert {b.direction for b in relayed} == {"relayed", "sent"}
    finally:
        for instance in (ua, ru, tr):
            instance.close()


def test_the_demo_replays_the_2025_stages_balanced_with_their_history(tmp_path: Path) -> None:
    from parley.domain.accounts.accounts import SYSTEM
    from parley.scenarios.replay import JUNE_STAGES, MAY_STAGES
    from parley.services import exchange

    build_demo(tmp_path, 9, Scale.SMALL, Console(quiet=True))
    ua = open_instance(tmp_path / "ua")
    try:
        replayed = exchange.list_stages(ua.uow(), SYSTEM)
        assert len(replayed) == len(MAY_STAGES) + len(JUNE_STAGES)
        may = replayed[: len(MAY_STAGES)]
        # a small demo replays at a twentieth: 390, 307, 303 become 20, 15, 15
        assert [(s.released, s.expected) for s in may] == [(20, 20), (15, 15), (15, 15)]
        assert all(s.balanced for s in replayed)
        first = exchange.show_stage(ua.uow(), SYSTEM, may[0].id)
        assert {c.party for c in first.claims} == {"UA", "RU"}
        assert "countersignature" in {d.role for d in first.documents}
        assert all(line.outcome == "transferred" for line in first.release)
        examined = exchange.list_examinations(ua.uow(), SYSTEM)
        assert examined.items
        # whoever was handed over carried out the commission's decision: nothing overdue there
        for item in examined.items:
            if item.person_status == "released" and item.notified_on is not None:
                assert not [o for o in item.overdue if o.what == "repatriation"], item
        # remains: the identification rate rises as relatives' references arrive
        from parley.services import remains

        rate = remains.identification_rate(ua.uow(), SYSTEM)
        after_waves = [p for p in rate if p.on > date(2025, 6, 16)]
        assert after_waves[0].identified == 0 and after_waves[-1].identified > 0
        assert [p.rate for p in after_waves] == sorted(p.rate for p in after_waves)
        assert len({p.identified for p in after_waves}) >= 3
        families = remains.reference_families(ua.uow(), SYSTEM)
        assert families and all(f.person_ids[0] is not None for f in families)
    finally:
        ua.close()
