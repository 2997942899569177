"""The comparisons and blocking rules: one declaration for DuckDB and Spark alike.

Each comparison's levels go from strongest to weakest evidence; the labels are what a reviewer
reads in the field-by-field comparison, so they are written for people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from parley.linkage.records import LinkRecord

DOB_FULL = "dob_text_l IS NOT NULL AND dob_text_r IS NOT NULL"
NAME_PAIRS = "name_pairs"
"""A derived column: every surname key paired with every given-name key, each pair written
in alphabetical order, so a name and the same name in the other order share a pair
(`engine.with_name_pairs`). Blocking on it costs what blocking on surname and given keys
together did."""


def _name(
    part: str, *, initials: bool = False, term_frequency: bool = True, swapped_with: str = ""
) -> Any:
    """`swapped_with`: the other name part this one is found in when a clerk (or a Latin form
    written given name first) put the surname and the given name the other way round."""
    folded, keys = f"{part}_folded", f"{part}_keys"
    levels: list[Any] = []
    if initials:
        levels.append(
            cll.CustomLevel(
                f"({folded}_l IS NULL OR {folded}_r IS NULL) AND given_initial_l = given_initial_r",
                "initial agrees (one side has only the initial)",
            )
        )
    same_key = f"array_length(array_intersect({keys}_l, {keys}_r)) > 0"
    if swapped_with:
        # Written in the other order on one side (Given Surname read as Surname Given): both
        # words meet their counterpart, which is as good as meeting in place. A word's keys do
        # not depend on the part it was taken for (`parley.names.word_keys`), so they do meet.
        other = f"{swapped_with}_keys"
        same_key = (
            f"({same_key}) OR (array_length(array_intersect({keys}_l, {other}_r)) > 0 "
            f"AND array_length(array_intersect({other}_l, {keys}_r)) > 0)"
        )
    levels += [
        cll.NullLevel(folded).configure(label_for_charts="missing on one side"),
        cll.ExactMatchLevel(folded).configure(
            tf_adjustment_column=folded if term_frequency else None,
            label_for_charts="same name",
        ),
        cll.CustomLevel(
            same_key,
            "same name in another script, spelling or order",
            base_dialect_str="duckdb",  # Splink translates it for Spark (size(...))
        ).configure(
            # A rare name is strong evidence in any spelling, as it is when spelt the same;
            # the term frequency is the registry's (the larger of the two sides').
            tf_adjustment_column=folded if term_frequency else None,
        ),
        cll.JaroWinklerLevel(folded, 0.92).configure(label_for_charts="very similar (typo)"),
        cll.JaroWinklerLevel(folded, 0.80).configure(label_for_charts="similar"),
    ]
    if swapped_with:
        levels.append(
            cll.CustomLevel(
                f"array_length(array_intersect({keys}_l, {swapped_with}_keys_r)) > 0",
                f"written as the {swapped_with} name on the other side",
                base_dialect_str="duckdb",  # Splink translates it for Spark (size(...))
            )
        )
    levels.append(cll.ElseLevel().configure(label_for_charts="different"))
    return cl.CustomComparison(levels, output_column_name=part)


def _days(side: str) -> str:
    """Days since year 0 counting every month as 31 days: plain arithmetic that every SQL
    dialect runs alike, close enough to tell "within a month" from "months apart"."""
    return f"((dob_year_{side} * 12 + dob_month_{side}) * 31 + dob_day_{side})"


YEAR_DAYS = 12 * 31
"""A year in `_days`' units."""
YEARS_APART_M = 0.0001
"""How often one person's two full birth dates are a year or more apart beyond a slip: a
date wholly miswritten, about one record in a thousand. Fixed, not learned: a training list
seldom holds such a pair, and EM would otherwise set it from namesakes (who are not the
same person) or from noise. Against u near 1 this is about -10 bits: a namesake born years
apart is strong evidence against, whatever the names say."""


def _date_of_birth() -> Any:
    """Levels from the same date to clearly different dates.

    Two full dates months apart are a different person far more often than a slip of the pen,
    so they get their own level (evidence against) instead of sharing "within a year" with
    the slips: otherwise a same-name person born the same year scores almost as well as the
    true one. A slip is one digit, or one part of the date (day, month or year) one off. Two
    full dates a year or more apart are not one person's, but for a wholly miswritten date,
    and their weight is fixed accordingly (`YEARS_APART_M`).
    """
    one_part_off = (
        "(dob_year_l = dob_year_r AND dob_month_l = dob_month_r "
        "AND abs(dob_day_l - dob_day_r) = 1) "
        "OR (dob_year_l = dob_year_r AND dob_day_l = dob_day_r "
        "AND abs(dob_month_l - dob_month_r) = 1) "
        "OR (dob_month_l = dob_month_r AND dob_day_l = dob_day_r "
        "AND abs(dob_year_l - dob_year_r) = 1)"
    )
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
                f"{DOB_FULL} AND (damerau_levenshtein(dob_text_l, dob_text_r) <= 1 "
                f"OR {one_part_off})",
                "a slip: one digit, or the day, month or year one off",
            ),
            cll.CustomLevel(
                f"{DOB_FULL} AND abs({_days('l')} - {_days('r')}) >= {YEAR_DAYS}",
                "two full dates a year or more apart",
            ).configure(m_probability=YEARS_APART_M, fix_m_probability=True),
            cll.CustomLevel(
                f"{DOB_FULL} AND abs({_days('l')} - {_days('r')}) > 31",
                "two full dates months apart",
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
    """A number one character off (a digit misread or two transposed when copied) is most
    likely the same document: its own level, not "differs", which is evidence against."""
    same = " OR ".join(f"{c}_l = {c}_r" for c in IDENTIFIERS)
    near = " OR ".join(f"damerau_levenshtein({c}_l, {c}_r) <= 1" for c in IDENTIFIERS)
    conflict = " OR ".join(f"{c}_l <> {c}_r" for c in IDENTIFIERS)
    return cl.CustomComparison(
        [
            cll.CustomLevel(f"coalesce({same}, false)", "an identifier is the same"),
            cll.CustomLevel(f"coalesce({near}, false)", "an identifier one character off"),
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


@dataclass(frozen=True)
class ExtraField:
    """A comparison beyond a person's names, birth and documents, for callers that hold more:
    a place of birth, a home address, a unit. Its values reach the engine beside the records
    (`engine.ExtraValues`); the model remembers the fields it was trained with.

    `kind`: "text" for words that are misspelt (a street, a town), compared exactly, then by
    Jaro-Winkler; "code" for numbers and codes (a postcode, a unit number), compared exactly,
    then one character off.

    `block_with`: when given, pairs that agree on this field and on each column named (another
    extra field or a record column such as "dob_year") are scored too: the same house found by
    postcode and house number when both names are misspelt. () blocks on the field alone.
    """

    name: str
    kind: Literal["text", "code"] = "text"
    block_with: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", self.name) or self.name in RESERVED:
            raise ValueError(f"{self.name!r} cannot name an extra field")

    def comparison(self) -> Any:
        column = self.name
        levels: list[Any] = [
            cll.NullLevel(column).configure(label_for_charts="missing on one side"),
            cll.ExactMatchLevel(column).configure(
                tf_adjustment_column=column if self.kind == "text" else None,
                label_for_charts="same",
            ),
        ]
        if self.kind == "text":
            levels += [
                cll.JaroWinklerLevel(column, 0.92).configure(label_for_charts="very similar"),
                cll.JaroWinklerLevel(column, 0.80).configure(label_for_charts="similar"),
            ]
        else:
            levels.append(
                cll.CustomLevel(
                    f"damerau_levenshtein({column}_l, {column}_r) <= 1", "one character off"
                )
            )
        levels.append(cll.ElseLevel().configure(label_for_charts="different"))
        return cl.CustomComparison(levels, output_column_name=column)

    def blocking_rule(self) -> Any:
        return None if self.block_with is None else block_on(self.name, *self.block_with)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.block_with is not None:
            found["block_with"] = list(self.block_with)
        return found


RESERVED = frozenset(
    {"surname", "given", "patronymic", "date_of_birth", "identifiers", "sex", "unique_id"}
    | {NAME_PAIRS}
    | {f.name for f in fields(LinkRecord)}
)
"""Names taken by the built-in comparisons and the record's own columns."""
EXTRA_FIELDS_KEY = "parley_extra_fields"
"""Where a trained model lists its extra fields (Splink ignores the key)."""


def extra_fields_of(trained: dict[str, Any]) -> tuple[ExtraField, ...]:
    return tuple(
        ExtraField(
            f["name"],
            "code" if f.get("kind") == "code" else "text",
            None if f.get("block_with") is None else tuple(f["block_with"]),
        )
        for f in trained.get(EXTRA_FIELDS_KEY, [])
    )


SURNAME_PREFIX = "substr(surname_folded, 1, 3)"


def blocking_rules(extra: Sequence[ExtraField] = ()) -> list[Any]:
    """Pairs are only scored when they share one of these; together they catch every distortion
    the benchmark throws (script, spelling, swapped dates, year-only, missing patronymic)."""
    extra_rules = [rule for f in extra if (rule := f.blocking_rule()) is not None]
    return [
        # Surname and given name meet, in either order (`NAME_PAIRS`).
        block_on(NAME_PAIRS, arrays_to_explode=[NAME_PAIRS]),
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
        # A surname garbled past its first letters (a dropped or misread letter early on):
        # given name, patronymic and birth year.
        block_on(
            "given_keys",
            "patronymic_keys",
            "dob_year",
            arrays_to_explode=["given_keys", "patronymic_keys"],
        ),
        # Both names misspelt, the date exact.
        block_on(SURNAME_PREFIX, "dob_text"),
        # Surname and given name the other way round (each side's order, hence both rules).
        *(
            f"l.{a}_folded = r.{b}_folded AND (l.dob_year = r.dob_year "
            f"OR l.{b}_folded = r.{a}_folded)"
            for a, b in (("surname", "given"), ("given", "surname"))
        ),
        block_on("service_number"),
        block_on("passport"),
        block_on("tax_number"),
        *extra_rules,
    ]


def settings(
    link_type: Literal["link_only", "link_and_dedupe", "dedupe_only"] = "link_only",
    extra: Sequence[ExtraField] = (),
) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            _name("surname", swapped_with="given"),
            _name("given", initials=True, swapped_with="surname"),
            _name("patronymic", term_frequency=False),
            _date_of_birth(),
            _identifiers(),
            _sex(),
            *(f.comparison() for f in extra),
        ],
        blocking_rules_to_generate_predictions=blocking_rules(extra),
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
