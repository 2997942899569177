"""Identifications over time, drawn on the server (Altair spec, vl-convert, inert SVG): bodies
received and identified so far, per day. The page keeps the same figures as a table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parley.services.exchange import ChartPoint, two_series_by_day_svg
from parley.services.remains.views import RatePoint

DEFAULT_WORDS = {
    "day": "day",
    "bodies": "bodies",
    "received": "received",
    "identified": "identified",
}


def _values(points: Sequence[RatePoint], words: Mapping[str, str]) -> list[ChartPoint]:
    values: list[ChartPoint] = []
    for point in points:
        day = point.on.isoformat()
        values.append({"day": day, "series": words["received"], "bodies": point.received})
        values.append({"day": day, "series": words["identified"], "bodies": point.identified})
    return values


def identification_svg(points: Sequence[RatePoint], words: Mapping[str, str] | None = None) -> str:
    """Inert SVG to embed in a page; empty when nothing was received yet."""
    if not points:
        return ""
    said = {**DEFAULT_WORDS, **(words or {})}
    return two_series_by_day_svg(
        _values(points, said),
        "bodies",
        (said["day"], said["bodies"]),
        (said["received"], said["identified"]),
        ("#5b6575", "#1e7a46"),
    )
