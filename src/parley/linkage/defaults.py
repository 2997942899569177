"""The model a match run starts from, and what it keeps when its data cannot teach more.

EM learns m (how often one person's two records agree at a level) from the pairs between a
list and the registry, and random pairs give u (how often two different people agree). A list
of a few names, or a registry of a few dozen persons, is too small for either: EM then leaves
levels it never saw unset and drives others to nonsense (an exact name and date once scored
0.1). So every level has a default m and u, learned once on the synthetic cross-script world
(`benchmarks/default_model.py`, `default_model.json`): training starts from them, re-estimates
u only on a registry large enough, runs EM only on a list large enough, and any level still
unset afterwards takes its default.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

FILE_NAME = "default_model.json"
MIN_REGISTRY_FOR_U = 2_000
"""Persons below which random pairs are too few, and too alike, to re-estimate u."""
MIN_LIST_FOR_EM = 200
"""List entries below which EM is not run: the defaults' m stand."""
U_PAIRS = 5e5
"""Random pairs u is re-estimated from. Starting from the defaults' u, half a million pairs
give the same decisions as two million on the cross-script benchmark (recall 0.990 both,
precision 0.9998) in about half the time, which is most of a first run on a large registry."""

Levels = dict[str, dict[str, dict[str, float]]]
"""comparison name → level label → {"m": ..., "u": ...}."""


def _label(level: dict[str, Any]) -> str:
    return str(level.get("label_for_charts") or level.get("sql_condition", ""))


def levels_of(trained: dict[str, Any]) -> Levels:
    """The m and u of every level of a trained Splink model, by comparison and label."""
    found: Levels = {}
    for comparison in trained["comparisons"]:
        by_label: dict[str, dict[str, float]] = {}
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            values = {
                key[0]: float(level[key])
                for key in ("m_probability", "u_probability")
                if level.get(key) is not None
            }
            by_label[_label(level)] = values
        found[comparison["output_column_name"]] = by_label
    return found


@cache
def shipped() -> Levels:
    """The defaults shipped with Parley ({} if the file is missing: a development tree)."""
    source = resources.files("parley.linkage").joinpath(FILE_NAME)
    if not source.is_file():
        return {}
    levels: Levels = json.loads(source.read_text(encoding="utf-8"))["levels"]
    return levels


def fill(settings: Any, only_missing: bool, which: str = "mu") -> None:
    """Put the defaults on a linker's comparison levels (Splink `Settings`).

    `only_missing`: leave a level that already has a value; `which`: "m", "u" or both. A level
    whose m is fixed by the model (`fix_m_probability`) keeps its own."""
    defaults = shipped()
    for comparison in settings.comparisons:
        by_label = defaults.get(comparison.output_column_name, {})
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            values = by_label.get(level._label_for_charts or level.sql_condition, {})
            for key in which:
                if key not in values or (key == "m" and level._fix_m_probability):
                    continue
                current = getattr(level, f"_{key}_probability")
                if only_missing and current not in (None, LEVEL_NOT_OBSERVED_TEXT):
                    continue
                setattr(level, f"{key}_probability", values[key])
