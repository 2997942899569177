"""The remains track's rules: a body's steps in order, the second person, batches, custody."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from parley.domain.accounts.accounts import ROLE_PERMISSIONS, Permission, Role
from parley.domain.errors import InvalidRemainsStep, SecondPersonRequired
from parley.domain.remains.batches import Batch, Handoff, check_chain, received_total
from parley.domain.remains.bodies import BodyStatus, BodyStep, check_step, current, identified

AT = datetime(2025, 6, 11, 12, tzinfo=UTC)


def _step(status: BodyStatus, by: str = "ana", missing: str = "") -> BodyStep:
    return BodyStep("B-1", status, by, AT, missing)


def _walk(*steps: BodyStep) -> list[BodyStep]:
    done: list[BodyStep] = []
    for step in steps:
        check_step(done, step)
        done.append(step)
    return done


def _to_preliminary(by: str = "ana") -> list[BodyStep]:
    return _walk(
        _step(BodyStatus.RECEIVED),
        _step(BodyStatus.SAMPLED),
        _step(BodyStatus.PROFILED),
        _step(BodyStatus.CANDIDATE, missing="P-7"),
        _step(BodyStatus.PRELIMINARY, by, "P-7"),
    )


def test_the_whole_path_to_burial_in_order() -> None:
    steps = _to_preliminary()
    steps += _walk(
        *steps,
        _step(BodyStatus.CONFIRMED, "boris", "P-7"),
        _step(BodyStatus.FAMILY_NOTIFIED, "ana", "P-7"),
        _step(BodyStatus.RELEASED, "ana", "P-7"),
    )[len(steps) :]
    assert current(steps) is BodyStatus.RELEASED and identified(steps)


def test_a_step_cannot_be_skipped() -> None:
    done = _walk(_step(BodyStatus.RECEIVED))
    with pytest.raises(InvalidRemainsStep, match="profiled cannot follow received"):
        check_step(done, _step(BodyStatus.PROFILED))
    with pytest.raises(InvalidRemainsStep):
        check_step([], _step(BodyStatus.SAMPLED))


def test_a_preliminary_identification_is_never_confirmed_by_the_same_account() -> None:
    steps = _to_preliminary(by="ana")
    with pytest.raises(SecondPersonRequired):
        check_step(steps, _step(BodyStatus.CONFIRMED, "ana", "P-7"))
    check_step(steps, _step(BodyStatus.CONFIRMED, "boris", "P-7"))
    assert not identified(steps)


def test_a_confirmation_names_the_person_of_the_preliminary() -> None:
    with pytest.raises(InvalidRemainsStep, match="another person"):
        check_step(_to_preliminary(), _step(BodyStatus.CONFIRMED, "boris", "P-8"))


def test_a_rejected_candidate_returns_to_profiled() -> None:
    steps = _to_preliminary()
    check_step(steps, _step(BodyStatus.PROFILED, "boris"))


def test_a_batch_flags_a_difference_between_declared_and_received() -> None:
    batch = Batch(date(2025, 6, 11), "border", "RU", "UA", declared=1212, received=1210)
    assert batch.flagged and batch.difference == -2
    assert not Batch(date(2025, 6, 11), "border", "RU", "UA", 1200, 1200).flagged
    with pytest.raises(InvalidRemainsStep):
        Batch(date(2025, 6, 11), "border", "UA", "ua", 1, 1)


def test_custody_handoffs_need_a_seal_and_follow_in_time() -> None:
    first = Handoff("bag-1", "ICRC", AT, "border", "S-001")
    check_chain([], first)
    with pytest.raises(InvalidRemainsStep):
        check_chain([first], Handoff("bag-1", "morgue", AT.replace(hour=11), "Kyiv", "S-002"))
    with pytest.raises(InvalidRemainsStep):
        check_chain([first], Handoff("bag-1", "morgue", AT.replace(hour=13), "Kyiv", " "))
    check_chain([first], Handoff("bag-1", "morgue", AT.replace(hour=13), "Kyiv", "S-002"))


def test_bodies_received_counts_our_received_figures_in_the_window() -> None:
    june = [
        Batch(date(2025, 6, d), "border", "RU", "UA", declared, received)
        for d, declared, received in [(11, 1212, 1212), (13, 1200, 1198), (16, 1245, 1245)]
    ] + [Batch(date(2025, 6, 12), "border", "UA", "RU", 27, 27)]
    args = {"receiving_party": "UA", "since": date(2025, 6, 1), "as_of": date(2025, 6, 15)}
    assert received_total(june, **args) == (2412, 2410)  # type: ignore[arg-type]


def test_forensic_staff_record_and_confirm_remains() -> None:
    granted = ROLE_PERMISSIONS[Role.FORENSIC]
    assert {Permission.REMAINS_RECORD, Permission.REMAINS_CONFIRM} <= granted
    assert Permission.REMAINS_CONFIRM not in ROLE_PERMISSIONS[Role.REVIEWER]
