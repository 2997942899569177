"""Stage history, drawn on the server (Altair spec, vl-convert, inert SVG): persons released
and expected back, stage after stage, added up. The page keeps the same figures as a table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import vl_convert

from parley.services.exchange.chart import checked_svg
from parley.services.exchange.views import StageSummary

DEFAULT_WORDS = {
    "day": "day",
    "persons": "persons, all stages so far",
    "released": "released",
    "expected": "expected back",
}


def _values(stages: Sequence[StageSummary], words: Mapping[str, str]) -> list[dict[str, Any]]:
    released = expected = 0
    values: list[dict[str, Any]] = []
    for stage in sorted(stages, key=lambda s: (s.on, s.id)):
        released += stage.released
        expected += stage.expected
        day = stage.on.isoformat()
        values.append({"day": day, "series": words["released"], "persons": released})
        values.append({"day": day, "series": words["expected"], "persons": expected})
    return values


def stage_history_spec(
    stages: Sequence[StageSummary], words: Mapping[str, str] | None = None
) -> str:
    said = {**DEFAULT_WORDS, **(words or {})}
    chart = (
        alt.Chart(alt.InlineData(values=_values(stages, said)))
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("day:T", title=said["day"], axis=alt.Axis(format="%d.%m.%Y", labelAngle=0)),
            y=alt.Y("persons:Q", title=said["persons"], axis=alt.Axis(format="d")),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=[said["released"], said["expected"]], range=["#1f5fa8", "#c26a00"]
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
        )
        .properties(width=560, height=200)
    )
    spec: str = chart.to_json()
    return spec


def stage_history_svg(
    stages: Sequence[StageSummary], words: Mapping[str, str] | None = None
) -> str:
    """Inert SVG to embed in a page; empty when no stage is recorded."""
    if not stages:
        return ""
    svg: str = vl_convert.vegalite_to_svg(stage_history_spec(stages, words))
    return checked_svg(svg)
