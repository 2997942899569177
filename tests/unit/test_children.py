"""A child's case as the fold of its events: statuses move forward only, and a list's progress."""

from __future__ import annotations

from datetime import date

import pytest

from parley.domain.children import (
    AnswerKind,
    ChildEvent,
    ChildStatus,
    EventKind,
    check_transition,
    fold,
    progress,
)
from parley.domain.errors import InvalidCaseStatus, InvalidInput

LIST = "L1"


def _events(case_id: int, answer: str | None, *statuses: ChildStatus) -> list[ChildEvent]:
    found = [
        ChildEvent(case_id, EventKind.OPENED, date(2023, 1, 1), "report"),
        ChildEvent(case_id, EventKind.IDENTITY, date(2023, 1, 1), "report", {"given_name": "A"}),
        ChildEvent(case_id, EventKind.IDENTITY, date(2024, 1, 1), "RU", {"given_name": "B"}),
        ChildEvent(case_id, EventKind.LISTED, date(2025, 6, 1), "letter", {"list": LIST}),
    ]
    if answer:
        data = {"list": LIST, "answer": answer}
        found.append(ChildEvent(case_id, EventKind.ANSWER, date(2025, 7, 1), "RU", data))
    found += [
        ChildEvent(case_id, EventKind.STATUS, date(2025, 8, 1), "QA", {"status": str(s)})
        for s in statuses
    ]
    return found


def test_statuses_move_forward_only_and_close_with_a_reason() -> None:
    check_transition(ChildStatus.REPORTED, ChildStatus.LISTED)
    check_transition(ChildStatus.LOCATED, ChildStatus.RETURNED)  # steps may be skipped
    check_transition(ChildStatus.LISTED, ChildStatus.CLOSED, "died")
    with pytest.raises(InvalidCaseStatus):
        check_transition(ChildStatus.RETURNED, ChildStatus.LOCATED)
    with pytest.raises(InvalidInput):
        check_transition(ChildStatus.LISTED, ChildStatus.CLOSED)
    with pytest.raises(InvalidCaseStatus):
        check_transition(ChildStatus.CLOSED, ChildStatus.REUNITED, "x")


def test_every_change_needs_a_source() -> None:
    with pytest.raises(InvalidInput):
        ChildEvent(1, EventKind.IDENTITY, date(2025, 1, 1), " ")


def test_a_case_keeps_every_identity_and_reads_as_of_a_date() -> None:
    events = _events(1, AnswerKind.LOCATED, ChildStatus.RETURNED)
    case = fold(1, "C1", events)
    assert [i.given_name for i in case.identities] == ["A", "B"]
    assert case.status is ChildStatus.RETURNED
    assert fold(1, "C1", events, date(2025, 6, 15)).status is ChildStatus.LISTED
    assert fold(1, "C1", events, date(2025, 7, 15)).status is ChildStatus.LOCATED


def test_progress_counts_answers_returns_and_the_overdue() -> None:
    cases = [
        fold(1, "C1", _events(1, "located", ChildStatus.RETURNED, ChildStatus.REUNITED)),
        fold(2, "C2", _events(2, "not_found")),
        fold(3, "C3", _events(3, None)),
        fold(4, "C4", _events(4, "no_answer")),
    ]
    listed = {c.id: date(2025, 6, 1) for c in cases}
    found = progress(LIST, cases, listed, date(2025, 9, 1), 30)
    assert (found.listed, found.answered, found.located, found.not_found) == (4, 2, 1, 1)
    assert (found.returned, found.reunited, found.no_answer_after) == (1, 1, 2)
    assert progress(LIST, cases, listed, date(2025, 6, 20), 30).no_answer_after == 0
