"""The baseline every matching benchmark runs beside Parley: Splink off the shelf.

Splink with its standard comparisons on the raw strings (trimmed, lower case), no name keys:
`NameComparison` on surname, given name and patronymic, `DateOfBirthComparison` on the ISO
date, `ExactMatch` on each document number and sex; blocking on surname, on given name and
date of birth, on date of birth, on each document; trained as Parley is (deterministic-rule
prior, u by random sampling, EM on date of birth and on surname and given name).
"""

from __future__ import annotations

import contextlib
import logging
import math
from typing import Any

import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from parley.domain.dates import PartialDate
from parley.domain.matching import ListEntry
from parley.linkage import defaults, engine

logging.getLogger("splink").setLevel(logging.ERROR)


def raw(text: str | None) -> str | None:
    """The standard preparation of a Splink tutorial: trimmed, lower case, empty as null."""
    cleaned = (text or "").strip().lower()
    return cleaned or None


def raw_row(
    uid: str,
    name: tuple[str, str, str],
    born: PartialDate | None,
    sex: str,
    ids: dict[str, str],
) -> dict[str, Any]:
    return {
        "unique_id": uid,
        "surname": raw(name[0]),
        "given": raw(name[1]),
        "patronymic": raw(name[2]),
        "dob": str(born) if born is not None and born.is_complete else None,
        "sex": sex if sex in ("male", "female") else None,
        "service_number": ids.get("service_number"),
        "passport": ids.get("passport"),
        "tax_number": ids.get("tax_number"),
    }


def raw_entry(entry: ListEntry) -> dict[str, Any]:
    """A list entry as the peer reads it: `raw_row` of its parts as the list wrote them."""
    return raw_row(
        f"e{entry.row}",
        (entry.surname, entry.given, entry.patronymic),
        entry.birth_date,
        entry.sex.value,
        {i.kind.value: i.value for i in entry.identifiers},
    )


def peer_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("surname"),
            cl.NameComparison("given"),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("service_number"),
            cl.ExactMatch("passport"),
            cl.ExactMatch("tax_number"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname"),
            block_on("given", "dob"),
            block_on("dob"),
            block_on("service_number"),
            block_on("passport"),
            block_on("tax_number"),
        ],
    )


_PEER_DETERMINISTIC: list[Any] = [
    "l.service_number = r.service_number",
    "l.passport = r.passport",
    "l.surname = r.surname AND l.given = r.given AND l.dob = r.dob",
]


def _peer_linker(entries: pa.Table, registry: pa.Table, settings: Any) -> Linker:
    db = DuckDBAPI()
    left = db.register(entries, dataset_display_name="list")
    right = db.register(registry, dataset_display_name="registry")
    return Linker([left, right], settings, log_level=logging.ERROR)


def _peer_prior(linker: Linker, registry_size: int) -> None:
    """The same prior Parley uses: deterministic rules at 60 % recall, floored."""
    with contextlib.suppress(Exception):
        linker.training.estimate_probability_two_random_records_match(
            _PEER_DETERMINISTIC, recall=engine.RECALL_OF_DETERMINISTIC_RULES
        )
    floor = 0.1 / max(registry_size, 1)
    current = linker._settings_obj._probability_two_random_records_match
    if not current or math.isnan(current) or current < floor:
        linker._settings_obj._probability_two_random_records_match = floor


def peer_train(
    entries: pa.Table, registry: pa.Table, max_pairs: float = defaults.U_PAIRS
) -> dict[str, Any]:
    linker = _peer_linker(entries, registry, peer_settings())
    _peer_prior(linker, registry.num_rows)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=1)
    for rule in (block_on("dob"), block_on("surname", "given")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, fix_probability_two_random_records_match=True
        )
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    return trained


def peer_predict(
    trained: dict[str, Any], entries: pa.Table, registry: pa.Table
) -> list[tuple[str, str, float]]:
    linker = _peer_linker(entries, registry, trained)
    _peer_prior(linker, registry.num_rows)
    scored = linker.inference.predict(threshold_match_probability=engine.MIN_PREDICT_PROBABILITY)
    table = scored.as_pyarrow_table()  # type: ignore[no-untyped-call]
    result = []
    for row in table.select(
        ["source_dataset_l", "unique_id_l", "unique_id_r", "match_probability"]
    ).to_pylist():
        entry, person = (
            (row["unique_id_l"], row["unique_id_r"])
            if row["source_dataset_l"] == "list"
            else (row["unique_id_r"], row["unique_id_l"])
        )
        result.append((entry, person, float(row["match_probability"])))
    return result
