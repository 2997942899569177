"""The step chart of two running figures (stage history, identifications over time)."""

from __future__ import annotations

import re

from parley.services.exchange import two_series_by_day_svg


def _chart(pairs: list[tuple[int, int]]) -> str:
    values = []
    for day, (released, back) in zip(("2025-05-16", "2025-05-17"), pairs, strict=True):
        values += [
            {"day": day, "series": "released", "persons": released},
            {"day": day, "series": "expected back", "persons": back},
        ]
    return two_series_by_day_svg(
        values, "persons", ("day", "persons"), ("released", "expected back"), ("#111", "#222")
    )


def test_two_equal_series_stay_both_visible_one_wide_and_solid_one_dashed_on_top() -> None:
    """A balanced stage releases as many as come back: the lines used to hide each other."""
    svg = _chart([(10, 10), (20, 20)])
    first = re.search(r'<path[^>]*stroke="#111"[^>]*stroke-width="5"[^>]*>', svg)
    second = re.search(
        r'<path[^>]*stroke="#222"[^>]*stroke-width="2"[^>]*stroke-dasharray="6,4"', svg
    )
    assert first and second
    assert first.start() < second.start()  # the dashed line is drawn over the wide one


def test_the_chart_carries_no_english_descriptions_of_its_own() -> None:
    """Vega's generated aria-labels ("X-axis titled ...") read English on a Ukrainian page; the
    page's <figure> names the chart in the reader's language."""
    assert "aria-label" not in _chart([(1, 1), (2, 3)])
