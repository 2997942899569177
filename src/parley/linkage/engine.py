"""Training and prediction with Splink on embedded DuckDB.

The model is a Splink settings document with its trained m and u probabilities; Parley stores it
as JSON with the instance. Every run registers fresh in-memory tables, so runs never share state.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker
from splink.internals.exceptions import EMTrainingException
from splink.internals.settings import TrainingSettings

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidDate
from parley.linkage import defaults, model
from parley.linkage.explain import FieldComparison, explain, level_labels, read_columns
from parley.linkage.records import LinkRecord, as_table, count, to_arrow

logging.getLogger("splink").setLevel(logging.ERROR)

Progress = Callable[[str], None]
ExtraValues = Mapping[str, Mapping[str, str | None]]
"""Values of the extra fields (`model.ExtraField`): record unique_id → field name → value."""

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
    exclusive_probability: float | None = None
    """That the entry is this person, weighing all the entry's candidates against each other
    (an entry is one person at most): see `exclusive_probabilities`. None for duplicates."""
    person_born: PartialDate | None = None
    """The person's date of birth as the engine saw it, for the rules on dates."""
    entry_born: PartialDate | None = None
    """The entry's date of birth as the engine saw it."""
    documents_agree: bool = False
    """A service number, passport or tax number is the same on both sides."""


def _born(row: dict[str, Any], side: str) -> PartialDate | None:
    year, month, day = (row.get(f"dob_{part}_{side}") for part in ("year", "month", "day"))
    if year is None:
        return None
    try:
        return PartialDate(int(year), month and int(month), day and int(day))
    except InvalidDate:
        return None


def _documents_agree(row: dict[str, Any]) -> bool:
    return any(
        row.get(f"{column}_l") is not None and row.get(f"{column}_l") == row.get(f"{column}_r")
        for column in model.IDENTIFIERS
    )


def _rows(scored: Any, labels: dict[str, dict[int, str]]) -> list[dict[str, Any]]:
    """The predicted pairs as Python rows, holding only the columns read from them: the
    result also carries every record's key lists, costly to convert and never read here."""
    table: pa.Table = scored.as_pyarrow_table()
    wanted = read_columns(labels) | {
        "unique_id_l", "unique_id_r", "source_dataset_l", "source_dataset_r",
        "match_probability", "match_weight",
        *(f"dob_{part}_{side}" for part in ("year", "month", "day") for side in "lr"),
        *(f"{column}_{side}" for column in model.IDENTIFIERS for side in "lr"),
    }  # fmt: skip
    kept = [name for name in table.column_names if name in wanted]
    return table.select(kept).to_pylist()  # type: ignore[no-any-return]


def with_extra(
    table: pa.Table, extra: Sequence[model.ExtraField], values: ExtraValues | None
) -> pa.Table:
    """The record table with one text column per extra field; a record without a value for
    a field (or a caller without values at all) compares as "missing on one side"."""
    ids = table.column("unique_id").to_pylist()
    for field in extra:
        column = [None if values is None else values.get(uid, {}).get(field.name) for uid in ids]
        table = table.append_column(field.name, pa.array(column, pa.string()))
    return table


def with_name_pairs(table: pa.Table) -> pa.Table:
    """The table with `model.NAME_PAIRS`: each surname key with each given-name key, the two in
    alphabetical order, so that the pair does not depend on which word was taken for which.
    (DuckDB keeps the rows in order: `preserve_insertion_order` is on by default.) A table that
    has the column already is returned as it is: a first run trains and predicts on one
    registry table, prepared once."""
    if model.NAME_PAIRS in table.column_names:
        return table
    connection = duckdb.connect()
    try:
        connection.register("records", table)
        pairs = connection.sql(
            "SELECT list_distinct(flatten(list_transform(surname_keys, lambda s: "
            "list_transform(given_keys, lambda g: least(s, g) || '|' || greatest(s, g))))) "
            "AS name_pairs FROM records"
        ).to_arrow_table()
    finally:
        connection.close()
    column = pairs.column("name_pairs").cast(pa.list_(pa.string()))
    assert len(column) == table.num_rows
    return table.append_column(model.NAME_PAIRS, column)


def prepared(registry: Sequence[LinkRecord] | pa.Table) -> pa.Table:
    """The registry as `train` and `predict` take it, blocking columns included: a run that
    does both prepares a million records once instead of twice."""
    return with_name_pairs(_table(registry))


def _table(registry: Sequence[LinkRecord] | pa.Table) -> pa.Table:
    if isinstance(registry, pa.Table) and model.NAME_PAIRS in registry.column_names:
        return registry  # from `prepared`: cast to the records' schema already
    return as_table(registry)


def _linker(entries: pa.Table, registry: pa.Table, settings: Any, backend: Any = None) -> Linker:
    entries, registry = with_name_pairs(entries), with_name_pairs(registry)
    db = backend or DuckDBAPI()
    run = uuid.uuid4().hex[:12]  # a shared Spark session keeps tables: names must not collide
    left = db.register(entries, dataset_display_name="list", table_name=f"list_{run}")
    right = db.register(registry, dataset_display_name="registry", table_name=f"registry_{run}")
    return Linker([left, right], settings, log_level=logging.ERROR)


def train(
    registry: Sequence[LinkRecord] | pa.Table,
    training_list: Sequence[LinkRecord],
    seed: int = 1,
    max_pairs: float = defaults.U_PAIRS,
    note: Progress = lambda _s: None,
    backend: Any = None,
    extra: Sequence[model.ExtraField] = (),
    extra_values: ExtraValues | None = None,
    from_defaults: bool = True,
) -> dict[str, Any]:
    """u from random pairs, m by EM on the blocked pairs between a list and the registry.

    `extra`: comparisons beyond names, birth and documents, with their values for both sides
    in `extra_values`; the model keeps the list so that `predict` compares the same fields.
    `from_defaults`: start from Parley's default model (`defaults`), re-estimate u only on a
    registry of `defaults.MIN_REGISTRY_FOR_U` persons or more, run EM only on a list of
    `defaults.MIN_LIST_FOR_EM` entries or more, and give every level left unset its default.
    u comes from `max_pairs` random pairs (`defaults.U_PAIRS`).
    """
    linker = _linker(
        with_extra(to_arrow(training_list), extra, extra_values),
        with_extra(_table(registry), extra, extra_values),
        model.settings(extra=extra),
        backend,
    )
    settings = linker._settings_obj
    if from_defaults:
        defaults.fill(settings, only_missing=False)
    note("estimating the share of matching pairs")
    _estimate_prior(linker, count(registry))
    if not from_defaults or count(registry) >= defaults.MIN_REGISTRY_FOR_U:
        note("estimating u from random pairs")
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    else:
        note(f"a registry of {count(registry):,} persons: keeping the default u")
    if not from_defaults or len(training_list) >= defaults.MIN_LIST_FOR_EM:
        for rule in model.TRAINING_BLOCKS:
            note("estimating m by expectation maximisation")
            _expectation_maximisation(linker, rule, note)
    else:
        note(f"a list of {len(training_list):,} entries: keeping the default m")
    if from_defaults:
        defaults.fill(linker._settings_obj, only_missing=True)
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    trained[model.EXTRA_FIELDS_KEY] = [f.to_json() for f in extra]
    return with_probability_floor(trained)


PROBABILITY_FLOOR = 1e-12
"""EM can drive a level it never saw among matches to ~1e-315, which Splink then refuses to
load; the floor keeps the model loadable and the weight finite (about -40 bits)."""


def with_probability_floor(trained: dict[str, Any]) -> dict[str, Any]:
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                if value is not None and value < PROBABILITY_FLOOR:
                    level[key] = PROBABILITY_FLOOR
    return trained


EM_ITERATION_LIMITS = (25, 10, 4)


def _expectation_maximisation(linker: Linker, rule: Any, note: Progress) -> None:
    """One EM session, made robust to two ways Splink 5 gives up on real lists.

    A rule that blocks no pair (say, every date distorted) teaches nothing; the other rule, or
    the starting values, carry those fields. A level that EM drives towards zero underflows
    below what Splink accepts (about 1e-300) after enough iterations: fewer iterations give a
    usable estimate. A failed session can leave the linker's settings half-changed (the
    blocked comparison taken out), so each attempt starts from a copy taken before it.
    """
    before = copy.deepcopy(linker._settings_obj)
    for limit in EM_ITERATION_LIMITS:
        attempt = copy.deepcopy(before)
        attempt.training_settings = TrainingSettings(before.training_settings.em_convergence, limit)
        linker._settings_obj = attempt
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True
            )
            linker._settings_obj.training_settings = before.training_settings
            return
        except EMTrainingException:
            note("a training rule found no pairs; skipped")
            break
        except ValueError as exc:
            if "minimum allowed value" not in str(exc):
                raise
            note(f"EM underflowed within {limit} iterations; trying fewer")
    linker._settings_obj = before


class ModelMismatch(ValueError):
    """The stored model was trained on other comparisons than the code now declares."""


def load_parameters(linker: Linker, trained: dict[str, Any]) -> None:
    """Put a stored model's m and u onto settings built fresh from `model.py`.

    The stored JSON carries SQL in the dialect it was trained in; rebuilding the comparisons
    for the backend at hand and copying only the numbers lets a model trained on DuckDB score
    on Spark, and catches a model that no longer fits the declared comparisons.
    """
    comparisons = linker._settings_obj.comparisons
    stored = trained["comparisons"]
    names = [c.output_column_name for c in comparisons]
    if names != [c["output_column_name"] for c in stored]:
        raise ModelMismatch(
            f"the model compares {[c['output_column_name'] for c in stored]}, "
            f"the engine {names}: retrain it"
        )
    for comparison, saved in zip(comparisons, stored, strict=True):
        levels = saved["comparison_levels"]
        if len(levels) != len(comparison.comparison_levels):
            raise ModelMismatch(f"comparison {comparison.output_column_name} changed: retrain")
        for level, values in zip(comparison.comparison_levels, levels, strict=True):
            for key in ("m_probability", "u_probability"):
                if values.get(key) is not None:
                    setattr(level, key, values[key])
    linker._settings_obj._probability_two_random_records_match = trained[
        "probability_two_random_records_match"
    ]


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
    registry: Sequence[LinkRecord] | pa.Table,
    threshold: float = MIN_PREDICT_PROBABILITY,
    backend: Any = None,
    extra_values: ExtraValues | None = None,
) -> list[ScoredPair]:
    """Every blocked pair at or above `threshold`, explained field by field.

    `extra_values`: values of the extra fields the model was trained with, if any.
    """
    extra = model.extra_fields_of(trained)
    linker = _linker(
        with_extra(to_arrow(entries), extra, extra_values),
        with_extra(_table(registry), extra, extra_values),
        model.settings(extra=extra),
        backend,
    )
    load_parameters(linker, trained)
    _estimate_prior(linker, count(registry))
    prior = linker._settings_obj._probability_two_random_records_match
    scored = linker.inference.predict(threshold_match_probability=threshold)
    labels = level_labels(trained)
    pairs = []
    for row in _rows(scored, labels):
        entry_side, person_side = ("l", "r") if row["source_dataset_l"] == "list" else ("r", "l")
        pairs.append(
            ScoredPair(
                entry_id=row[f"unique_id_{entry_side}"],
                person_id=row[f"unique_id_{person_side}"],
                match_probability=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                fields=explain(row, labels, entry_side, person_side),
                person_born=_born(row, person_side),
                entry_born=_born(row, entry_side),
                documents_agree=_documents_agree(row),
            )
        )
    return exclusive_probabilities(pairs, len(entries), count(registry), prior)


MAX_SHARE_IN_REGISTRY = 0.9
"""However many of a list's entries seem to be in the registry, the engine assumes at most nine
in ten: an entry with no other candidate then counts for at most ten times the odds."""


def exclusive_probabilities(
    pairs: list[ScoredPair], entries: int, registry_size: int, prior: float
) -> list[ScoredPair]:
    """Each pair with the probability that the entry is this person, all its candidates seen.

    Splink scores every pair on its own: a pair's odds are its Bayes factor times the prior
    odds of any two records matching. An entry, though, is at most one person. If a share `s`
    of the list is in the registry, each of the registry's N persons equally likely a priori,
    then P(entry is X) = (s/N)·BF_X / ((1 - s) + (s/N)·ΣBF), the sum over the entry's
    candidates (persons never blocked with it are taken as no evidence for it). A sole good
    candidate gains, for the other persons of the registry have been looked at and ruled out;
    a namesake close behind takes its share. `s` is estimated from the run itself by
    expectation maximisation, and capped at `MAX_SHARE_IN_REGISTRY`.
    """
    if not pairs or entries <= 0 or registry_size <= 0 or not 0.0 < prior < 1.0:
        return pairs
    prior_bits = math.log2(prior / (1.0 - prior))

    def mean_factor(pair: ScoredPair) -> float:
        """The pair's Bayes factor (its weight without the prior) over the registry's size."""
        return float(2.0 ** min(pair.match_weight - prior_bits, 1000.0)) / registry_size

    factors: dict[str, float] = defaultdict(float)
    for pair in pairs:
        factors[pair.entry_id] += mean_factor(pair)
    share = _share_in_registry(list(factors.values()), entries)
    return [
        dataclass_replace(
            pair,
            exclusive_probability=share
            * mean_factor(pair)
            / ((1.0 - share) + share * factors[pair.entry_id]),
        )
        for pair in pairs
    ]


def _share_in_registry(mean_factors: list[float], entries: int, rounds: int = 200) -> float:
    """EM for the share of a list's entries that are in the registry: each entry is in with
    probability s·F / ((1 - s) + s·F), F its candidates' mean Bayes factor over the registry
    (entries without candidates add nothing), and s is the mean of those probabilities."""
    share = 0.5
    for _ in range(rounds):
        new = sum(share * f / ((1.0 - share) + share * f) for f in mean_factors) / entries
        if abs(new - share) < 1e-9:
            share = new
            break
        share = new
    return min(share, MAX_SHARE_IN_REGISTRY)


def predict_duplicates(
    trained: dict[str, Any],
    registry: Sequence[LinkRecord] | pa.Table,
    threshold: float = MIN_PREDICT_PROBABILITY,
) -> list[ScoredPair]:
    """The same model, turned on the registry itself: pairs of records that may be one person."""
    db = DuckDBAPI()
    extra = model.extra_fields_of(trained)
    records = with_name_pairs(with_extra(_table(registry), extra, None))
    table = db.register(records, dataset_display_name="registry")
    linker = Linker(table, model.settings("dedupe_only", extra), log_level=logging.ERROR)
    load_parameters(linker, trained)
    floor = 0.1 / max(count(registry), 1)
    linker._settings_obj._probability_two_random_records_match = floor
    scored = linker.inference.predict(threshold_match_probability=threshold)
    labels = level_labels(trained)
    return [
        ScoredPair(
            entry_id=row["unique_id_l"],
            person_id=row["unique_id_r"],
            match_probability=float(row["match_probability"]),
            match_weight=float(row["match_weight"]),
            fields=explain(row, labels, "l", "r"),
        )
        for row in _rows(scored, labels)
    ]
