"""The day of a stage: manifests, outcomes and the events they append.

Pure rules: which event an outcome appends, and that each person's outcome is recorded once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum

from parley.domain.errors import InvalidInput, NotOnManifest, OutcomeAlreadyRecorded
from parley.domain.registry.events import EventType


class Manifest(StrEnum):
    RELEASE = "release"
    """Persons we hold and hand over."""
    EXPECT = "expect"
    """Our people the other side holds, whom we expect back."""


class StageOutcome(StrEnum):
    """What happened to one person on a manifest at the handover."""

    TRANSFERRED = "transferred"
    REFUSED = "refused"
    """Refused at the handover: nobody is repatriated against their will (GC III art. 109)."""
    ABSENT = "absent"
    """Not brought to the handover."""
    DIED = "died"


class DocumentRole(StrEnum):
    RELEASE_MANIFEST = "release_manifest"
    EXPECT_MANIFEST = "expect_manifest"
    RECORD = "record"
    """The executed stage: everyone on the manifests with their outcome, as a signed list."""
    COUNTERSIGNATURE = "countersignature"
    """The mediator's relay receipt of our record."""
    COUNTERPART = "counterpart"
    """A manifest or record the other side sent for the same stage."""
    HELD_BACK = "held_back"
    """Persons we hold who are kept back under legal hold: art. 115 says the other side is told."""


_NOT_TRANSFERRED = {
    StageOutcome.REFUSED: EventType.HANDOVER_REFUSED,
    StageOutcome.ABSENT: EventType.HANDOVER_ABSENT,
    StageOutcome.DIED: EventType.DIED,
}


def event_type(manifest: Manifest, outcome: StageOutcome) -> EventType:
    """The event an outcome appends: a transfer releases a prisoner or brings one of ours home."""
    if outcome is StageOutcome.TRANSFERRED:
        return EventType.RELEASED if manifest is Manifest.RELEASE else EventType.REPATRIATED
    return _NOT_TRANSFERRED[outcome]


def outcome_of(value: StageOutcome | str) -> StageOutcome:
    try:
        return StageOutcome(value)
    except ValueError as exc:
        choices = ", ".join(o.value for o in StageOutcome)
        raise InvalidInput(f"outcome '{value}' is not one of {choices}", "outcome") from exc


def outcomes_to_record(
    stage_id: int,
    manifests: Mapping[int, Manifest],
    done: Collection[int],
    outcomes: Mapping[int, tuple[StageOutcome | str, str]],
    everyone_else: StageOutcome | str | None = None,
) -> dict[int, tuple[StageOutcome, str]]:
    """The outcomes a call records, by person: each person on a manifest gets one, once.

    `manifests` maps every person on the stage's manifests to theirs, `done` holds the persons
    whose outcome is already recorded; `everyone_else` gives one outcome to every person on the
    manifests not named and not recorded before (the usual "all went, except…").
    """
    wanted: dict[int, tuple[StageOutcome, str]] = {}
    for person_id, (outcome, text) in outcomes.items():
        if person_id not in manifests:
            raise NotOnManifest(
                f"person {person_id} is on neither manifest of stage {stage_id}", "person_id"
            )
        wanted[person_id] = (outcome_of(outcome), text.strip())
    if everyone_else is not None:
        rest = outcome_of(everyone_else)
        for person_id in manifests:
            if person_id not in wanted and person_id not in done:
                wanted[person_id] = (rest, "")
    again = sorted(set(wanted) & set(done))
    if again:
        raise OutcomeAlreadyRecorded(
            f"stage {stage_id} already has an outcome for person "
            f"{', '.join(map(str, again[:10]))}{'…' if len(again) > 10 else ''}: an outcome "
            "is recorded once (retract the event it appended to correct the history)"
        )
    if not wanted:
        raise InvalidInput(f"no outcome to record for stage {stage_id}", "outcomes")
    return wanted
