"""Statements travel between instances as signed bundles: the mediator holds both parties'
versions, each attributable to the key that signed it; a tampered bundle changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from parley.domain.errors import WrongParty
from parley.instance import Instance, init_instance
from parley.interchange.keys import load_public_key, public_key_text
from parley.scenarios.agreements import record_istanbul
from parley.services import agreements
from parley.services import lists as bundles
from parley.services.agreements.exchange import export_statement
from parley.services.agreements.rows import CommitmentClaimRow
from tests.conftest import ADMIN_PASSWORD
from tests.integration.test_stages_service import ADMIN


@pytest.fixture
def three(tmp_path: Path) -> Iterator[dict[str, Instance]]:
    made = {}
    for party in ("UA", "RU", "TR"):
        made[party], _ = init_instance(tmp_path / party, party, party, None, ADMIN_PASSWORD)
    for one in made.values():
        for other in made.values():
            if one is not other:
                one.trust_store.add(
                    other.config.party,
                    other.config.name,
                    public_key_text(load_public_key(other.directory)),
                )
    yield made
    for instance in made.values():
        instance.close()


def test_the_mediator_holds_both_memoranda_signed_by_each_party(
    three: dict[str, Instance],
) -> None:
    ua, ru, tr = three["UA"], three["RU"], three["TR"]
    ids = {party: record_istanbul(three[party].uow, ADMIN) for party in ("UA", "RU")}
    memo = ids["UA"]["memorandum:UA"]
    _kept, raw = export_statement(ua.uow(), ADMIN, ua.keyring(), "memorandum", memo, "TR")
    with pytest.raises(WrongParty):  # Russia's memorandum is not Ukraine's to sign
        export_statement(
            ua.uow(), ADMIN, ua.keyring(), "memorandum", ids["UA"]["memorandum:RU"], "TR"
        )
    _kept, raw_ru = export_statement(
        ru.uow(), ADMIN, ru.keyring(), "memorandum", ids["RU"]["memorandum:RU"], "TR"
    )
    first = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "ua.json", raw)
    assert not first.refused and first.receipt is not None
    again = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "ua.json", raw)
    assert again.already
    bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "ru.json", raw_ru)
    held = agreements.list_memoranda(tr.uow(), ADMIN)
    assert [(m.party, m.signed_by) for m in held] == [
        ("UA", ua.keyring().fingerprint),
        ("RU", ru.keyring().fingerprint),
    ]
    view = agreements.side_by_side(tr.uow(), ADMIN, ["alliances_neutrality"])
    assert view.topics[0].positions[0].overlap == "exclusive"
    tampered = raw.replace(b"No obligation of neutrality", b"An obligation of neutrality")
    refused = bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "bad.json", tampered)
    assert refused.refused and len(agreements.list_memoranda(tr.uow(), ADMIN)) == 2


def test_responses_and_claims_find_what_they_answer_by_name(three: dict[str, Instance]) -> None:
    ua, ru, tr = three["UA"], three["RU"], three["TR"]
    for party in ("RU", "TR"):
        record_istanbul(three[party].uow, ADMIN)
    ids = record_istanbul(ua.uow, ADMIN)
    claim = agreements.record_claim(
        ua.uow(),
        ADMIN,
        CommitmentClaimRow(ids["1200-more"], "UA", 1200, date(2025, 8, 24), "UA HQ"),
    )
    claim_id = next(c.id for c in claim.claims if c.origin == "commitment")
    assert claim_id is not None
    _kept, raw = export_statement(ua.uow(), ADMIN, ua.keyring(), "claim", claim_id, "TR")
    bundles.import_bundle(tr.uow(), ADMIN, tr.keyring(), "claim.json", raw)
    shown = agreements.show_commitment(tr.uow(), ADMIN, ids["1200-more"], date(2025, 9, 1))
    assert [(c.party, c.value, c.signed_by) for c in shown.claims] == [
        ("UA", 1200, ua.keyring().fingerprint)
    ]
    rid = agreements.list_proposals(ru.uow(), ADMIN, "ceasefire", 2)[0].responses[0].id
    _kept, raw = export_statement(ru.uow(), ADMIN, ru.keyring(), "response", rid, "UA")
    bundles.import_bundle(ua.uow(), ADMIN, ua.keyring(), "response.json", raw)
    full = agreements.list_proposals(ua.uow(), ADMIN, "ceasefire", 2)[0]
    assert [r.signed_by for r in full.responses] == ["", ru.keyring().fingerprint]
