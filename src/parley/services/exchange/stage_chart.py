"""Stage history, drawn on the server (Altair spec, vl-convert, inert SVG): persons released
and expected back, stage after stage, added up. The page keeps the same figures as a table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parley.services.exchange.chart import ChartPoint, two_series_by_day_svg
from parley.services.exchange.views import StageSummary

DEFAULT_WORDS = {
    "day": "day",
    "persons": "persons, all stages so far",
    "released": "released",
    "expected": "expected back",
}


def _values(stages: Sequence[StageSummary], words: Mapping[str, str]) -> list[ChartPoint]:
    released = expected = 0
    values: list[ChartPoint] = []
    for stage in sorted(stages, key=lambda s: (s.on, s.id)):
        released += stage.released
        expected += stage.expected
        day = stage.on.isoformat()
        values.append({"day": day, "series": words["released"], "persons": released})
        values.append({"day": day, "series": words["expected"], "persons": expected})
    return values


def stage_history_svg(
    stages: Sequence[StageSummary], words: Mapping[str, str] | None = None
) -> str:
    """Inert SVG to embed in a page; empty when no stage is recorded."""
    if not stages:
        return ""
    said = {**DEFAULT_WORDS, **(words or {})}
    return two_series_by_day_svg(
        _values(stages, said),
        "persons",
        (said["day"], said["persons"]),
        (said["released"], said["expected"]),
        ("#1f5fa8", "#c26a00"),
    )
