"""The first page after a write: it shows the write, and the figures behind it are computed
once, by the server's warmer in the background, not again by the request
(`services/cache.py`; docs/console.md, Speed)."""

from __future__ import annotations

import importlib
import re
from datetime import date

from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import PersonCategory
from parley.instance import Instance
from parley.services import registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.console_client import log_in
from tests.factories import a_person

all_for_all = importlib.import_module("parley.services.exchange.progress")
ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
ROW = re.compile(r'<tr><td>([^<]+)</td><td>(\w+)</td><td class="num">(\d+)</td>')


def _eligible(html: str) -> dict[tuple[str, str], int]:
    return {(category, side): int(n) for category, side, n in ROW.findall(html)}


def _hold_a_civilian(instance: Instance, surname: str) -> None:
    person = a_person(surname=surname, side="RU", category=PersonCategory.CIVILIAN)
    held = EventDraft(EventType.DETAINED, date(2024, 3, 1), Source.OWN_INFORMATION)
    registry.register_person(instance.uow(), ADMIN, person, [held])


def test_all_for_all_after_a_write_shows_it_computed_once_by_the_warmer(
    sqlite_instance: Instance,
) -> None:
    reports = all_for_all._reports
    with TestClient(create_app(sqlite_instance)) as client:
        log_in(client, "admin", ADMIN_PASSWORD)
        _hold_a_civilian(sqlite_instance, "Громов")
        warmer = client.app.state.warmer  # type: ignore[attr-defined]
        assert warmer.settled(30)
        before = _eligible(client.get("/progress").text)
        assert before[("civilian detainees", "RU")] == 1

        computed = reports.computed
        _hold_a_civilian(sqlite_instance, "Зимин")
        assert warmer.settled(30)
        assert reports.computed == computed + 1  # the warmer computed the new version
        page = client.get("/progress")
        assert reports.computed == computed + 1  # the request found it ready
        assert _eligible(page.text)[("civilian detainees", "RU")] == 2  # and it shows the write

        _hold_a_civilian(sqlite_instance, "Орлов")  # a request at once: never the old figure
        assert _eligible(client.get("/progress").text)[("civilian detainees", "RU")] == 3
        assert warmer.settled(30)
        assert reports.computed == computed + 2  # computed once, by whichever came first
