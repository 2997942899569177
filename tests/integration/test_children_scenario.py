"""The demo's list of 339 deported children (synthetic): the follow-up report reads like the
real one, and each count is what the cases' events say."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parley.domain.accounts.accounts import Role
from parley.domain.children import ChildStatus, EventKind
from parley.instance import init_instance
from parley.scenarios import children as scenario
from parley.services import children
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.integration.test_lists_and_bundles import _trust_each_other


def test_the_339_list_answered_for_fewer_than_a_fifth_with_six_reunited(tmp_path: Path) -> None:
    made = [
        init_instance(tmp_path / p.lower(), p, p, None, ADMIN_PASSWORD)[0]
        for p in ("UA", "RU", "TR")
    ]
    ua, ru, tr = made
    try:
        _trust_each_other(made)
        omb = make_account(ua, "ombudsman", Role.OMBUDSMAN)
        make_account(ru, "ombudsman", Role.OMBUDSMAN)
        make_account(tr, "liaison", Role.MEDIATOR_LIAISON)
        (tmp_path / "bundles").mkdir()
        scenario.build(ua, ru, tr, tmp_path / "bundles", seed=15)
        found = children.list_progress(ua.uow(), omb, scenario.LIST_REF, date(2025, 9, 1))
        assert found.listed == 339 and found.answered * 5 < 339
        assert (found.answered, found.located, found.returned, found.reunited) == (64, 24, 6, 6)
        assert found.no_answer_after == 339 - 64
        cases = children.list_cases(ua.uow(), omb)
        answer_events = [e for c in cases for e in c.events if e.kind is EventKind.ANSWER]
        assert len(answer_events) == found.answered
        assert sum(c.status is ChildStatus.REUNITED for c in cases) == found.reunited
        assert any(len(c.identities) > 1 for c in cases)
        before = children.list_progress(ua.uow(), omb, scenario.LIST_REF, date(2025, 7, 9))
        assert before.answered == 0
    finally:
        for instance in made:
            instance.close()
