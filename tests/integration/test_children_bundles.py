"""A children's list as a signed bundle UA → RU (only to the addressee or the mediator), and
RU's answer bundle, which changes the list's progress when UA imports it. Synthetic children."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from parley.domain.accounts.accounts import Role
from parley.domain.children import AnswerKind, Identity, Relative
from parley.domain.errors import ListNotFound, WrongParty
from parley.instance import init_instance
from parley.services import children, lists
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.integration.test_lists_and_bundles import _trust_each_other

LIST = "UA-RU children 2025-06"


def test_an_answer_bundle_imported_changes_the_lists_progress(tmp_path: Path) -> None:
    made = [
        init_instance(tmp_path / p.lower(), p, p, None, ADMIN_PASSWORD)[0]
        for p in ("UA", "RU", "TR")
    ]
    ua, ru, _tr = made
    try:
        _trust_each_other(made)
        ua_omb = make_account(ua, "omb", Role.OMBUDSMAN)
        ru_omb = make_account(ru, "omb", Role.OMBUDSMAN)
        ids = [
            children.open_case(
                ua.uow(), ua_omb, f"C-{i}",
                Identity(given, "Коваленко", born=date(2015, 1, i + 1), place_of_birth="Херсон"),
                on=date(2022, 11, 1), source="report",
                relatives=[Relative(f"Мати {i}", "mother", "DNA", "lab")],
            ).id
            for i, given in enumerate(["Іван", "Петро", "Олег"])
        ]  # fmt: skip
        children.send_list(
            ua.uow(), ua_omb, LIST, ids, addressee="RU", mediator="TR", on=date(2025, 6, 2),
            source="letter",
        )  # fmt: skip
        with pytest.raises(WrongParty):
            children.export_list_bundle(ua.uow(), ua_omb, ua.keyring(), LIST, "QA")
        with pytest.raises(ListNotFound):
            children.export_list_bundle(ua.uow(), ua_omb, ua.keyring(), "no such list", "RU")
        _, raw = children.export_list_bundle(ua.uow(), ua_omb, ua.keyring(), LIST, "RU")
        taken = lists.import_bundle(ru.uow(), ru_omb, ru.keyring(), "list.json", raw)
        assert taken.stored is not None and taken.stored.entry_count == 3
        answers = [
            children.BundledAnswer("C-0", AnswerKind.LOCATED, note="Dom rebenka 2, Donetsk"),
            children.BundledAnswer("C-1", AnswerKind.NOT_FOUND),
        ]
        _, answer = children.export_answer_bundle(
            ru.uow(), ru_omb, ru.keyring(), LIST, answers, "UA"
        )
        before = children.list_progress(ua.uow(), ua_omb, LIST, date(2025, 8, 1))
        recorded = children.import_answer_bundle(
            ua.uow(), ua_omb, ua.keyring(), "answer.json", answer, on=date(2025, 7, 1)
        )
        after = children.list_progress(ua.uow(), ua_omb, LIST, date(2025, 8, 1))
        assert recorded == 2
        assert (before.answered, before.located) == (0, 0)
        assert (after.answered, after.located, after.not_found) == (2, 1, 1)
    finally:
        for instance in made:
            instance.close()
