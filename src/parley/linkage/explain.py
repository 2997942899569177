"""A scored pair, field by field, in words a reviewer can check against the two records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "surname": ("surname_folded",),
    "given": ("given_folded", "given_initial"),
    "patronymic": ("patronymic_folded",),
    "date_of_birth": ("dob_text", "dob_year"),
    "identifiers": ("service_number", "passport", "tax_number"),
    "sex": ("sex",),
}


@dataclass(frozen=True)
class FieldComparison:
    field: str
    level: str
    weight: float
    """log2 Bayes factor this field adds: positive is evidence for, negative against."""
    entry_value: str
    person_value: str


def level_labels(trained: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison name → comparison vector value → label, numbered as Splink numbers them."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in trained["comparisons"]:
        levels = comparison["comparison_levels"]
        counter = sum(1 for level in levels if not level.get("is_null_level")) - 1
        by_value: dict[int, str] = {}
        for level in levels:
            label = level.get("label_for_charts") or level.get("sql_condition", "")
            if level.get("is_null_level"):
                by_value[-1] = label
            else:
                by_value[counter] = label
                counter -= 1
        labels[comparison["output_column_name"]] = by_value
    return labels


def _shown(row: dict[str, Any], columns: tuple[str, ...], side: str) -> str:
    values = [row.get(f"{column}_{side}") for column in columns]
    return " / ".join(str(v) for v in values if v not in (None, "", []))


def read_columns(labels: dict[str, dict[int, str]]) -> set[str]:
    """The result columns `explain` reads, both sides: the rest need not leave Arrow."""
    found: set[str] = set()
    for name in labels:
        found.update((f"gamma_{name}", f"mw_{name}", f"mw_tf_adj_{name}"))
        for column in SHOWN_COLUMNS.get(name, (name,)):
            found.update((f"{column}_l", f"{column}_r"))
    return found


def explain(
    row: dict[str, Any], labels: dict[str, dict[int, str]], entry_side: str, person_side: str
) -> tuple[FieldComparison, ...]:
    """The pair field by field; `labels` from `level_labels` (once per model, not per pair)."""
    result = []
    for name, by_value in labels.items():
        gamma = row.get(f"gamma_{name}")
        weight = row.get(f"mw_{name}") or 0.0
        # Splink names the term-frequency part `mw_tf_adj_<comparison>`: a rare name counts
        # for more than a common one, and the reviewer should see the weight actually used.
        tf_weight = row.get(f"mw_tf_adj_{name}") or 0.0
        columns = SHOWN_COLUMNS.get(name, (name,))  # an extra field: its own column
        result.append(
            FieldComparison(
                field=name,
                level=by_value.get(int(gamma), "?") if gamma is not None else "?",
                weight=round(float(weight) + float(tf_weight), 2),
                entry_value=_shown(row, columns, entry_side),
                person_value=_shown(row, columns, person_side),
            )
        )
    return tuple(result)
