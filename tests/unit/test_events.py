from datetime import date

import pytest

from parley.domain.errors import EventNotFound, InvalidEvent
from parley.domain.registry.events import Event, EventType, History, Source, Status

TODAY = date(2025, 6, 2)


def event(
    id: int, type: EventType, day: date, retracts: int | None = None, note: str = ""
) -> Event:
    return Event(1, type, day, Source.OWN_INFORMATION, "test", note, retracts, {}, id)


def test_a_person_without_events_is_only_registered() -> None:
    assert History.of([]).status() is Status.REGISTERED


def test_status_follows_the_latest_effective_date_not_the_order_of_recording() -> None:
    history = History.of(
        [
            event(1, EventType.CAPTURE_CONFIRMED, date(2024, 6, 1)),
            event(
                2, EventType.REPORTED_MISSING, date(2024, 5, 1)
            ),  # recorded later, happened before
        ]
    )
    assert history.status() is Status.IN_CAPTIVITY
    assert history.status_since() == date(2024, 6, 1)


def test_annotations_do_not_move_the_status() -> None:
    history = History.of(
        [
            event(1, EventType.REPORTED_MISSING, date(2024, 5, 1)),
            event(2, EventType.LISTED, date(2024, 7, 1)),
        ]
    )
    assert history.status() is Status.MISSING


def test_a_retracted_event_no_longer_counts_but_stays_in_the_history() -> None:
    history = History.of(
        [
            event(1, EventType.REPORTED_MISSING, date(2024, 5, 1)),
            event(2, EventType.DIED, date(2024, 6, 1)),
            event(3, EventType.RETRACTION, date(2024, 7, 1), retracts=2, note="misidentified"),
        ]
    )
    assert history.status() is Status.MISSING
    assert len(history.events) == 3
    assert history.retracted_ids == {2}


def test_nothing_but_remains_and_identification_follows_a_recorded_death() -> None:
    history = History.of([event(1, EventType.DIED, date(2024, 6, 1))])
    with pytest.raises(InvalidEvent, match="recorded dead"):
        history.check_new(event(2, EventType.REPATRIATED, date(2024, 8, 1)), TODAY)
    history.check_new(event(3, EventType.REMAINS_RECEIVED, date(2024, 8, 1)), TODAY)


def test_an_event_cannot_take_effect_in_the_future() -> None:
    with pytest.raises(InvalidEvent) as caught:
        History.of([]).check_new(event(1, EventType.LISTED, date(2025, 6, 3)), TODAY)
    assert caught.value.field == "effective_date"


def test_a_retraction_needs_a_reason_and_an_existing_target() -> None:
    history = History.of([event(1, EventType.REPORTED_MISSING, date(2024, 5, 1))])
    with pytest.raises(InvalidEvent, match="say why"):
        history.check_new(event(2, EventType.RETRACTION, TODAY, retracts=1), TODAY)
    with pytest.raises(EventNotFound):
        history.check_new(event(2, EventType.RETRACTION, TODAY, retracts=9, note="x"), TODAY)


def test_an_event_cannot_be_retracted_twice() -> None:
    history = History.of(
        [
            event(1, EventType.REPORTED_MISSING, date(2024, 5, 1)),
            event(2, EventType.RETRACTION, date(2024, 6, 1), retracts=1, note="duplicate"),
        ]
    )
    with pytest.raises(InvalidEvent, match="already retracted"):
        history.check_new(event(3, EventType.RETRACTION, TODAY, retracts=1, note="again"), TODAY)
