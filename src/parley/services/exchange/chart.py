"""The "all for all" chart, drawn on the server as SVG so the console needs no script.

One horizontal bar per category and side, stacked: returned, planned on a stage not yet
carried out, and not yet planned. The SVG comes from Vega-Lite (Altair builds the spec,
vl-convert renders it); before it is embedded in a page it is parsed and refused if it holds
anything active (scripts, foreign objects, event handlers, outside links), since the console's
Content-Security-Policy must not need loosening for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import altair as alt
import vl_convert
from defusedxml import ElementTree

STATES = ("returned", "planned", "waiting")
DEFAULT_LABELS: dict[str, str] = {
    "returned": "returned",
    "planned": "planned, not yet exchanged",
    "waiting": "not yet planned",
    "persons": "persons",
}
"""Words shown in the chart; the console passes them translated."""
COLOURS = ("#2e7d32", "#f9a825", "#b0bec5")

_ACTIVE_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "style", "animate", "set"}


class ProgressRowLike(Protocol):
    """What the chart reads of a progress row (the domain's or the service's)."""

    @property
    def category(self) -> str: ...
    @property
    def side(self) -> str: ...
    @property
    def planned(self) -> int: ...
    @property
    def returned(self) -> int: ...
    @property
    def remaining(self) -> int: ...


def chart_values(
    rows: Sequence[ProgressRowLike], labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The bars' segments as plain records: the planned are part of the remaining."""
    values = []
    for row in rows:
        amounts = (row.returned, row.planned, max(row.remaining - row.planned, 0))
        for order, (state, amount) in enumerate(zip(STATES, amounts, strict=True)):
            values.append(
                {
                    "category": row.category,
                    "side": row.side,
                    "state": labels[state],
                    "order": order,
                    "persons": amount,
                }
            )
    return values


def progress_chart_spec(
    rows: Sequence[ProgressRowLike], labels: Mapping[str, str] | None = None
) -> str:
    """The Vega-Lite specification (JSON text) of the chart, data included."""
    words = {**DEFAULT_LABELS, **(labels or {})}
    chart = (
        alt.Chart(alt.InlineData(values=chart_values(rows, words)))
        .mark_bar()
        .encode(
            x=alt.X(
                "persons:Q",
                stack="zero",
                title=words["persons"],
                axis=alt.Axis(format="d", tickMinStep=1),
            ),
            y=alt.Y("side:N", title=None),
            color=alt.Color(
                "state:N",
                scale=alt.Scale(domain=[words[s] for s in STATES], range=list(COLOURS)),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["category:N", "side:N", "state:N", "persons:Q"],
        )
        .properties(width=520, height=alt.Step(22))
        .facet(
            row=alt.Row(
                "category:N",
                title=None,
                sort=list(dict.fromkeys(r.category for r in rows)),
                header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"),
            )
        )
        .configure(aria=False)  # Vega's English descriptions; the page labels the figure
    )
    spec: str = chart.to_json()
    return spec


def progress_chart_svg(
    rows: Sequence[ProgressRowLike], labels: Mapping[str, str] | None = None
) -> str:
    """The chart as SVG text, checked safe to embed; empty when there is nothing to draw."""
    if not rows:
        return ""
    svg: str = vl_convert.vegalite_to_svg(progress_chart_spec(rows, labels))
    return checked_svg(svg)


_DESCRIPTIONS = re.compile(r'\s(?:aria-(?:label|roledescription)|role)="[^"]*"')


def checked_svg(svg: str) -> str:
    """`svg` if it is inert drawing, else ValueError: it goes into pages unescaped.

    Vega's own English descriptions of its marks ("Title text ...") are taken out: the page's
    `<figure>` names the chart in the reader's language, and a table holds the same figures."""
    svg = _DESCRIPTIONS.sub("", svg)
    root = ElementTree.fromstring(svg)
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    for element in root.iter():
        if _local(element.tag).lower() in _ACTIVE_TAGS:
            raise ValueError(f"SVG holds a <{_local(element.tag)}> element")
        for name, value in element.attrib.items():
            attribute = _local(name).lower()
            if attribute.startswith("on"):
                raise ValueError(f"SVG holds an event handler ({attribute})")
            if attribute == "href" and not value.startswith("#"):
                raise ValueError("SVG links outside itself")
    return svg


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


ChartPoint = dict[str, str | int]
"""One point of a chart by day: `day` (ISO), `series` (its name) and the measure's count."""


def two_series_by_day_svg(
    values: Sequence[ChartPoint],
    measure: str,
    titles: tuple[str, str],
    series: tuple[str, str],
    colours: tuple[str, str],
) -> str:
    """Two running figures over days as steps (stage history, identifications over time), as
    inert SVG. `values` rows hold `day` (ISO), `series` (one of `series`) and `measure`;
    `titles` are the day axis's and the measure's.

    The figures are often equal (a balanced stage releases as many as come back), so the first
    series is drawn wide and solid with circles, the second narrow and dashed with squares on
    top of it: where they coincide both stay visible."""
    legend = alt.Legend(title=None, orient="bottom", symbolStrokeWidth=3)
    domain = list(series)
    base = alt.Chart(alt.InlineData(values=list(values))).encode(
        x=alt.X("day:T", title=titles[0], axis=alt.Axis(format="%d.%m.%Y", labelAngle=0)),
        y=alt.Y(f"{measure}:Q", title=titles[1], axis=alt.Axis(format="d")),
        color=alt.Color(
            "series:N", scale=alt.Scale(domain=domain, range=list(colours)), legend=legend
        ),
        strokeDash=alt.StrokeDash(
            "series:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4]]), legend=legend
        ),
        shape=alt.Shape(
            "series:N", scale=alt.Scale(domain=domain, range=["circle", "square"]), legend=legend
        ),
    )
    layers = [
        base.transform_filter(alt.FieldEqualPredicate(field="series", equal=name)).mark_line(
            point=alt.OverlayMarkDef(size=size), interpolate="step-after", strokeWidth=width
        )
        for name, width, size in ((series[0], 5, 70), (series[1], 2, 30))
    ]
    chart = alt.layer(*layers).properties(width=560, height=200).configure(aria=False)
    svg: str = vl_convert.vegalite_to_svg(chart.to_json())
    return checked_svg(svg)


def warm_up() -> None:
    """Start the renderer's JavaScript engine now: its first chart in a process takes about
    two seconds more than the next ones (`parley serve` calls this before it listens)."""
    vl_convert.vegalite_to_svg(
        {"data": {"values": [{"x": 0}]}, "mark": "point", "encoding": {"x": {"field": "x"}}}
    )
