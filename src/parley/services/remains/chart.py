"""Identifications over time, drawn on the server (Altair spec, vl-convert, inert SVG): bodies
received and identified so far, per day. The page keeps the same figures as a table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import vl_convert

from parley.services.exchange import checked_svg
from parley.services.remains.views import RatePoint

DEFAULT_WORDS = {
    "day": "day",
    "bodies": "bodies",
    "received": "received",
    "identified": "identified",
}


def _values(points: Sequence[RatePoint], words: Mapping[str, str]) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = []
    for point in points:
        day = point.on.isoformat()
        values.append({"day": day, "series": words["received"], "bodies": point.received})
        values.append({"day": day, "series": words["identified"], "bodies": point.identified})
    return values


def identification_spec(points: Sequence[RatePoint], words: Mapping[str, str] | None = None) -> str:
    said = {**DEFAULT_WORDS, **(words or {})}
    chart = (
        alt.Chart(alt.InlineData(values=_values(points, said)))
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("day:T", title=said["day"], axis=alt.Axis(format="%d.%m.%Y", labelAngle=0)),
            y=alt.Y("bodies:Q", title=said["bodies"], axis=alt.Axis(format="d")),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=[said["received"], said["identified"]], range=["#5b6575", "#1e7a46"]
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
        )
        .properties(width=560, height=200)
    )
    spec: str = chart.to_json()
    return spec


def identification_svg(points: Sequence[RatePoint], words: Mapping[str, str] | None = None) -> str:
    """Inert SVG to embed in a page; empty when nothing was received yet."""
    if not points:
        return ""
    svg: str = vl_convert.vegalite_to_svg(identification_spec(points, words))
    return checked_svg(svg)
