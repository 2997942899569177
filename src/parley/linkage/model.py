"""The comparisons and blocking rules: one declaration for DuckDB and Spark alike.

Each comparison's levels go from strongest to weakest evidence; the labels are what a reviewer
reads in the field-by-field comparison, so they are written for people.
"""

from __future__ import annotations

from typing import Any, Literal

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

DOB_FULL = "dob_text_l IS NOT NULL AND dob_text_r IS NOT NULL"


def _name(part: str, *, initials: bool = False, term_frequency: bool = True) -> Any:
    folded, keys = f"{part}_folded", f"{part}_keys"
    levels: list[Any] = []
    if initials:
        levels.append(
            cll.CustomLevel(
                f"({folded}_l IS NULL OR {folded}_r IS NULL) AND given_initial_l = given_initial_r",
                "initial agrees (one side has only the initial)",
            )
        )
    levels += [
        cll.NullLevel(folded).configure(label_for_charts="missing on one side"),
        cll.ExactMatchLevel(folded).configure(
            tf_adjustment_column=folded if term_frequency else None,
            label_for_charts="same name",
        ),
        cll.ArrayIntersectLevel(keys, 1).configure(
            label_for_charts="same name in another script or spelling"
        ),
        cll.JaroWinklerLevel(folded, 0.92).configure(label_for_charts="very similar (typo)"),
        cll.JaroWinklerLevel(folded, 0.80).configure(label_for_charts="similar"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    return cl.CustomComparison(levels, output_column_name=part)


def _date_of_birth() -> Any:
    return cl.CustomComparison(
        [
            cll.CustomLevel("dob_year_l IS NULL OR dob_year_r IS NULL").configure(
                is_null_level=True, label_for_charts="missing on one side"
            ),
            cll.CustomLevel(f"{DOB_FULL} AND dob_text_l = dob_text_r", "same date"),
            cll.CustomLevel(
                f"{DOB_FULL} AND dob_year_l = dob_year_r AND dob_day_l <> dob_month_l "
                "AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
                "day and month swapped",
            ),
            cll.CustomLevel(
                f"{DOB_FULL} AND damerau_levenshtein(dob_text_l, dob_text_r) <= 1",
                "one digit different",
            ),
            cll.CustomLevel(
                "(dob_text_l IS NULL OR dob_text_r IS NULL) AND dob_year_l = dob_year_r "
                "AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)",
                "same year (one side knows only the year or month)",
            ),
            cll.CustomLevel("abs(dob_year_l - dob_year_r) <= 1", "within a year"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="date_of_birth",
    )


IDENTIFIERS = ("service_number", "passport", "tax_number")


def _identifiers() -> Any:
    same = " OR ".join(f"{c}_l = {c}_r" for c in IDENTIFIERS)
    conflict = " OR ".join(f"{c}_l <> {c}_r" for c in IDENTIFIERS)
    return cl.CustomComparison(
        [
            cll.CustomLevel(f"coalesce({same}, false)", "an identifier is the same"),
            cll.CustomLevel(f"coalesce({conflict}, false)", "an identifier differs"),
            cll.ElseLevel().configure(is_null_level=True, label_for_charts="nothing to compare"),
        ],
        output_column_name="identifiers",
    )


def _sex() -> Any:
    return cl.CustomComparison(
        [
            cll.CustomLevel(
                "sex_l IS NULL OR sex_r IS NULL OR sex_l = 'unknown' OR sex_r = 'unknown'"
            ).configure(is_null_level=True, label_for_charts="unknown on one side"),
            cll.ExactMatchLevel("sex").configure(label_for_charts="same"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="sex",
    )


SURNAME_PREFIX = "substr(surname_folded, 1, 3)"


def blocking_rules() -> list[Any]:
    """Pairs are only scored when they share one of these; together they catch every distortion
    the benchmark throws (script, spelling, swapped dates, year-only, missing patronymic)."""
    return [
        block_on("surname_keys", "given_keys", arrays_to_explode=["surname_keys", "given_keys"]),
        block_on("surname_keys", "dob_year", arrays_to_explode=["surname_keys"]),
        block_on("given_keys", "dob_text", arrays_to_explode=["given_keys"]),
        # A surname typo off the dictionary form and a date that is not exact either: the
        # given name with the surname's first three letters and the year, or the patronymic.
        block_on("given_keys", SURNAME_PREFIX, "dob_year", arrays_to_explode=["given_keys"]),
        block_on(
            "given_keys",
            "patronymic_keys",
            SURNAME_PREFIX,
            arrays_to_explode=["given_keys", "patronymic_keys"],
        ),
        block_on("service_number"),
        block_on("passport"),
        block_on("tax_number"),
    ]


def settings(
    link_type: Literal["link_only", "link_and_dedupe", "dedupe_only"] = "link_only",
) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            _name("surname"),
            _name("given", initials=True),
            _name("patronymic", term_frequency=False),
            _date_of_birth(),
            _identifiers(),
            _sex(),
        ],
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


TRAINING_BLOCKS = [
    block_on("dob_text"),
    block_on("surname_folded", "given_folded"),
]
"""EM runs once per rule; the fields a rule blocks on are learned from the other rule.
(Splink's EM cannot explode arrays, so the second rule uses the folded forms.)"""

DETERMINISTIC_RULES: list[Any] = [
    "l.service_number = r.service_number",
    "l.passport = r.passport",
    "l.surname_folded = r.surname_folded AND l.given_folded = r.given_folded "
    "AND l.dob_text = r.dob_text",
]
"""Near-certain matches, used to estimate how many pairs match at all."""
