"""The remains track through the service and a real database: batches, custody, bodies,
the second-person rule, append-only tables, and the totals the agreements track counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from parley.dna.pairwise import pairwise
from parley.dna.reading import read_case
from parley.domain.accounts.accounts import Role
from parley.domain.errors import (
    InvalidRemainsStep,
    PermissionDenied,
    RemainsNotFound,
    SecondPersonRequired,
)
from parley.domain.remains.batches import Batch, Handoff
from parley.domain.remains.bodies import BodyStatus
from parley.instance import Instance
from parley.services import remains
from tests.conftest import make_account

JUNE = [(11, 1212, 1212), (13, 1200, 1198), (14, 1200, 1200), (15, 1200, 1200), (16, 1245, 1245)]


def _batch(day: int, declared: int, received: int) -> Batch:
    return Batch(date(2025, 6, day), "border", "RU", "UA", declared, received, "ICRC")


def test_batches_bodies_and_the_second_person(instance: Instance) -> None:
    ana = make_account(instance, "ana", Role.FORENSIC)
    boris = make_account(instance, "boris", Role.FORENSIC)
    for day, declared, received in JUNE:
        remains.record_batch(instance.uow(), ana, _batch(day, declared, received))
    listed = remains.batches(instance.uow(), ana)
    assert [b.flagged for b in listed] == [False, True, False, False, False]
    assert listed[1].difference == -2
    first = listed[0].id

    at = datetime(2025, 6, 11, 10, tzinfo=UTC)
    remains.record_handoff(instance.uow(), ana, first, Handoff("bag-1", "ICRC", at, "border", "S1"))
    shown = remains.record_handoff(
        instance.uow(), ana, first, Handoff("bag-1", "morgue", at.replace(hour=18), "Kyiv", "S2")
    )
    assert [h.seal for h in shown.custody] == ["S1", "S2"]
    with pytest.raises(InvalidRemainsStep):
        remains.record_handoff(
            instance.uow(), ana, first, Handoff("bag-1", "lab", at.replace(hour=9), "Kyiv", "S3")
        )

    remains.receive_body(instance.uow(), ana, first, "UA-25-0001", bag="bag-1", disc_halves=1)
    for status in (BodyStatus.SAMPLED, BodyStatus.PROFILED):
        remains.record_step(instance.uow(), ana, "UA-25-0001", status)
    remains.record_step(instance.uow(), ana, "UA-25-0001", BodyStatus.CANDIDATE, missing_ref="P7")
    remains.record_step(instance.uow(), ana, "UA-25-0001", BodyStatus.PRELIMINARY, missing_ref="P7")
    with pytest.raises(SecondPersonRequired):
        remains.record_step(
            instance.uow(), ana, "UA-25-0001", BodyStatus.CONFIRMED, missing_ref="P7"
        )
    done = remains.record_step(
        instance.uow(), boris, "UA-25-0001", BodyStatus.CONFIRMED, missing_ref="P7"
    )
    assert done.status == "confirmed" and done.missing_ref == "P7"
    assert [s.recorded_by for s in done.steps][-2:] == ["ana", "boris"]
    rate = remains.identification_rate(instance.uow(), ana)
    assert rate[-1].received == 1 and rate[-1].identified == 1

    with pytest.raises(RemainsNotFound):
        remains.body(instance.uow(), ana, "nobody")
    with pytest.raises(InvalidRemainsStep):
        remains.receive_body(instance.uow(), ana, first, "UA-25-0001")

    args = {"receiving_party": "UA", "since": date(2025, 6, 1), "as_of": date(2025, 6, 30)}
    with instance.uow() as uow:  # inside the caller's unit of work, as agreements call it
        assert remains.bodies_received(uow, **args) == 6055  # type: ignore[arg-type]
    assert remains.bodies_declared(instance.uow(), **args) == 6057  # type: ignore[arg-type]


def test_a_reviewer_cannot_record_or_confirm(instance: Instance) -> None:
    reviewer = make_account(instance, "rita", Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        remains.record_batch(instance.uow(), reviewer, _batch(11, 1, 1))


def test_remains_tables_are_append_only(instance: Instance) -> None:
    ana = make_account(instance, "ana", Role.FORENSIC)
    remains.record_batch(instance.uow(), ana, _batch(11, 10, 10))
    with instance.engine.begin() as connection, pytest.raises(sa.exc.DatabaseError):
        connection.execute(sa.text("UPDATE remains_batches SET received = 9"))


ORACLE = Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "dvir"


@pytest.mark.skipif(not ORACLE.is_dir(), reason=f"dvir oracle not found at {ORACLE}")
@pytest.mark.parametrize("name", ["exclusionExample", "example2"])
def test_a_screened_case_keeps_candidates_never_an_excluded_pairing(
    sqlite_instance: Instance, name: str
) -> None:
    ana = make_account(sqlite_instance, "ana", Role.FORENSIC)
    batch = remains.record_batch(sqlite_instance.uow(), ana, _batch(11, 10, 10))
    folder = ORACLE / name / "input"
    screened = remains.screen_into(sqlite_instance.uow(), ana, batch.id, folder)
    case = read_case(folder)
    result = pairwise(case)
    excluded = result.excluded()
    column = {m: j for j, m in enumerate(case.missing)}
    row = {v.id: i for i, v in enumerate(case.victims)}
    assert [b.tag for b in screened] == [v.id for v in case.victims]
    for body in screened:
        for c in body.candidates:
            i, j = row[body.tag], column[c.missing_ref]
            assert not excluded[i, j]
            assert c.lr is None or c.lr == pytest.approx(result.lr[i, j], rel=1e-12)
        assert body.status == ("candidate" if body.candidates else "profiled")
        if body.candidates:
            assert body.missing_ref == body.candidates[0].missing_ref
