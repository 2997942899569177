"""A stage's plan is decoded once and kept (`store/exchange.py`): stages never change once
stored. Kept by database, id and creation time, so a stage of another database with the same
id, or one stored again after a rollback, is never read with another's plan."""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

from parley.instance import Instance, init_instance
from parley.services.exchange.rows import NewStage
from tests.conftest import ADMIN_PASSWORD

store = importlib.import_module("parley.store.exchange")


def _stage(name: str) -> NewStage:
    return NewStage(
        name=name,
        stage_on=date(2025, 6, 9),
        release_side="UA",
        return_side="RU",
        parity="one_for_one",
        capacity=1,
        categories={},
        plan={"format": 1, "categories": [name], "release": [], "expect": []},
        previous_id=None,
        created_by="test",
    )


def _add(instance: Instance, name: str, commit: bool = True) -> int:
    with instance.uow() as uow:
        stage_id = uow.exchange.add_stage(_stage(name)).id
        if commit:
            uow.commit()
    return stage_id


def _plans(instance: Instance) -> dict[int, list[str]]:
    with instance.uow(read_only=True) as uow:
        return {s.id: s.plan["categories"] for s in uow.exchange.stages()}


def test_plans_are_kept_per_database_and_stage(sqlite_instance: Instance, tmp_path: Path) -> None:
    other, _ = init_instance(tmp_path / "ru", "RU", "Other HQ", None, ADMIN_PASSWORD)
    try:
        ours = _add(sqlite_instance, "ours")
        theirs = _add(other, "theirs")
        assert ours == theirs  # the same id in two databases
        assert _plans(sqlite_instance) == {ours: ["ours"]}
        assert _plans(other) == {theirs: ["theirs"]}
        kept = len(store._decoded)
        assert _plans(sqlite_instance) == {ours: ["ours"]} and len(store._decoded) == kept

        rolled_back = _add(sqlite_instance, "rolled back", commit=False)
        again = _add(sqlite_instance, "stored")  # may take the id the rollback freed
        assert again == rolled_back
        assert _plans(sqlite_instance) == {ours: ["ours"], again: ["stored"]}
        with sqlite_instance.uow(read_only=True) as uow:
            found = uow.exchange.stage(again)
            assert found is not None and found.plan["categories"] == ["stored"]
    finally:
        other.close()
