"""The exchange track's use cases as the views every door shows, where a door would otherwise
build the view itself: the API returns these as they are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from parley.domain.accounts.accounts import Actor
from parley.domain.exchange.categories import CategoryRule
from parley.services.exchange.category_check import check_list
from parley.services.exchange.documents import export_manifests
from parley.services.exchange.views import CategoryCheckOut, SentBundle
from parley.services.lists import Keyring
from parley.services.uow import UnitOfWork


def check_list_view(
    uow: UnitOfWork,
    actor: Actor,
    list_id: int,
    categories: Sequence[str],
    on: date,
    custom: Mapping[str, CategoryRule] | None = None,
    only_failing: bool = False,
) -> CategoryCheckOut:
    """`check_list` as `GET /lists/{id}/category-check` returns it (the CSV and XLSX reports
    are written from the check itself, `report_file`)."""
    return CategoryCheckOut.of(
        check_list(uow, actor, list_id, categories, on, custom), only_failing
    )


def export_manifests_view(
    uow: UnitOfWork, actor: Actor, keyring: Keyring, stage_id: int
) -> list[SentBundle]:
    """Both manifests signed for the other side, each with where to fetch its bytes."""
    return [
        SentBundle.of(role, bundle)
        for role, bundle, _raw in export_manifests(uow, actor, keyring, stage_id)
    ]
