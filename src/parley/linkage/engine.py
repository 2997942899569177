"""Training and prediction with Splink on embedded DuckDB.

The model is a Splink settings document with its trained m and u probabilities; Parley stores it
as JSON with the instance. Every run registers fresh in-memory tables, so runs never share state.
"""

from __future__ import annotations

import contextlib
import logging
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from splink import DuckDBAPI, Linker
from splink.internals.exceptions import EMTrainingException

from parley.linkage import model
from parley.linkage.explain import FieldComparison, explain
from parley.linkage.records import LinkRecord, to_arrow

logging.getLogger("splink").setLevel(logging.ERROR)

Progress = Callable[[str], None]

RECALL_OF_DETERMINISTIC_RULES = 0.6
MIN_PREDICT_PROBABILITY = 0.01
"""Pairs below this are not even candidates: they would never be shown to a reviewer."""


@dataclass(frozen=True)
class ScoredPair:
    entry_id: str
    person_id: str
    match_probability: float
    match_weight: float
    fields: tuple[FieldComparison, ...]


def _linker(entries: pa.Table, registry: pa.Table, settings: Any, backend: Any = None) -> Linker:
    db = backend or DuckDBAPI()
    run = uuid.uuid4().hex[:12]  # a shared Spark session keeps tables: names must not collide
    left = db.register(entries, dataset_display_name="list", table_name=f"list_{run}")
    right = db.register(registry, dataset_display_name="registry", table_name=f"registry_{run}")
    return Linker([left, right], settings, log_level=logging.ERROR)


def train(
    registry: Sequence[LinkRecord],
    training_list: Sequence[LinkRecord],
    seed: int = 1,
    max_pairs: float = 2e6,
    note: Progress = lambda _s: None,
    backend: Any = None,
) -> dict[str, Any]:
    """u from random pairs, m by EM on the blocked pairs between a list and the registry."""
    linker = _linker(to_arrow(training_list), to_arrow(registry), model.settings(), backend)
    note("estimating the share of matching pairs")
    _estimate_prior(linker, len(registry))
    note("estimating u from random pairs")
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in model.TRAINING_BLOCKS:
        note("estimating m by expectation maximisation")
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True
            )
        except EMTrainingException:
            # A list with no pair under this rule (say, every date distorted) teaches nothing
            # through it; the other rule, or Splink's starting values, carry those fields.
            note("a training rule found no pairs; skipped")
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    return trained


def _estimate_prior(linker: Linker, registry_size: int) -> None:
    """At least one in ten registry-sized lists is expected to match: never a zero prior."""
    # Splink refuses when the rules find nothing; the floor below then applies.
    with contextlib.suppress(Exception):
        linker.training.estimate_probability_two_random_records_match(
            model.DETERMINISTIC_RULES, recall=RECALL_OF_DETERMINISTIC_RULES
        )
    floor = 0.1 / max(registry_size, 1)
    current = linker._settings_obj._probability_two_random_records_match
    if not current or math.isnan(current) or current < floor:
        linker._settings_obj._probability_two_random_records_match = floor


def predict(
    trained: dict[str, Any],
    entries: Sequence[LinkRecord],
    registry: Sequence[LinkRecord],
    threshold: float = MIN_PREDICT_PROBABILITY,
    backend: Any = None,
) -> list[ScoredPair]:
    linker = _linker(to_arrow(entries), to_arrow(registry), trained, backend)
    _estimate_prior(linker, len(registry))
    scored = linker.inference.predict(threshold_match_probability=threshold)
    table = scored.as_pyarrow_table()  # type: ignore[no-untyped-call]
    pairs = []
    for row in table.to_pylist():
        entry_side, person_side = ("l", "r") if row["source_dataset_l"] == "list" else ("r", "l")
        pairs.append(
            ScoredPair(
                entry_id=row[f"unique_id_{entry_side}"],
                person_id=row[f"unique_id_{person_side}"],
                match_probability=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                fields=explain(row, trained, entry_side, person_side),
            )
        )
    return pairs


def predict_duplicates(
    trained: dict[str, Any],
    registry: Sequence[LinkRecord],
    threshold: float = MIN_PREDICT_PROBABILITY,
) -> list[ScoredPair]:
    """The same model, turned on the registry itself: pairs of records that may be one person."""
    settings = {**trained, "link_type": "dedupe_only"}
    db = DuckDBAPI()
    table = db.register(to_arrow(registry), dataset_display_name="registry")
    linker = Linker(table, settings, log_level=logging.ERROR)
    floor = 0.1 / max(len(registry), 1)
    linker._settings_obj._probability_two_random_records_match = floor
    rows = linker.inference.predict(threshold_match_probability=threshold)
    return [
        ScoredPair(
            entry_id=row["unique_id_l"],
            person_id=row["unique_id_r"],
            match_probability=float(row["match_probability"]),
            match_weight=float(row["match_weight"]),
            fields=explain(row, trained, "l", "r"),
        )
        for row in rows.as_pyarrow_table().to_pylist()  # type: ignore[no-untyped-call]
    ]
