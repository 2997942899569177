"""Fulfilment over time, one line per side against the target, drawn on the server (Altair
spec, vl-convert): SVG for the console, PNG for the PDF. No browser is involved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import vl_convert

from parley.services.agreements.views import CommitmentView
from parley.services.exchange import checked_svg

DEFAULT_WORDS = {
    "day": "day",
    "persons": "figure",
    "target": "target",
    "all": "all sides",
    "claim": "{party} says",
}


def _values(commitment: CommitmentView, words: Mapping[str, str]) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = []
    for point in commitment.series:
        if point.by_side:
            for side, count in sorted(point.by_side.items()):
                values.append({"day": point.on.isoformat(), "side": side, "value": count})
        else:
            values.append({"day": point.on.isoformat(), "side": words["all"], "value": point.value})
    return values


def fulfilment_spec(commitment: CommitmentView, words: Mapping[str, str] | None = None) -> str:
    said = {**DEFAULT_WORDS, **(words or {})}
    data = alt.InlineData(values=_values(commitment, said))
    lines = (
        alt.Chart(data)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("day:T", title=said["day"], axis=alt.Axis(format="%d.%m.%Y", labelAngle=0)),
            y=alt.Y("value:Q", title=said["persons"], axis=alt.Axis(format="d")),
            color=alt.Color("side:N", legend=alt.Legend(title=None, orient="bottom")),
        )
    )
    layers: list[Any] = [lines]
    claimed = [
        {
            "day": c.claimed_on.isoformat(),
            "side": said["claim"].format(party=c.party),
            "value": c.value,
        }
        for c in commitment.claims
    ]
    if claimed:
        layers.append(
            alt.Chart(alt.InlineData(values=claimed))
            .mark_point(shape="diamond", size=90, filled=True)
            .encode(x="day:T", y="value:Q", color="side:N")
        )
    goal = commitment.target.low if commitment.target.low is not None else commitment.target.high
    if goal is not None:
        rule = alt.Chart(alt.InlineData(values=[{"goal": goal, "label": said["target"]}]))
        layers.append(rule.mark_rule(color="#c62828", strokeDash=[6, 3]).encode(y="goal:Q"))
        layers.append(
            rule.mark_text(align="left", dx=4, dy=-6, color="#c62828").encode(
                y="goal:Q", text="label:N", x=alt.value(0)
            )
        )
    chart = (
        alt.layer(*layers)
        .properties(width=460, height=180, title=commitment.label)
        .configure(aria=False)  # its English descriptions; the page labels the figure
    )
    spec: str = chart.to_json()
    return spec


def fulfilment_svg(commitment: CommitmentView, words: Mapping[str, str] | None = None) -> str:
    """Inert SVG to embed in a page; empty when the metric has nothing to draw."""
    if not commitment.series:
        return ""
    svg: str = vl_convert.vegalite_to_svg(fulfilment_spec(commitment, words))
    return checked_svg(svg)


def fulfilment_png(commitment: CommitmentView, words: Mapping[str, str] | None = None) -> bytes:
    if not commitment.series:
        return b""
    png: bytes = vl_convert.vegalite_to_png(fulfilment_spec(commitment, words), scale=2)
    return png
