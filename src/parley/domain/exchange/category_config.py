"""Categories from configuration: a rule written as a TOML table becomes a `CategoryRule`.

The instance's own categories (`DIR/categories.toml`) are parsed here, so a list check and a
stage plan read them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parley.domain.errors import InvalidInput
from parley.domain.exchange.categories import (
    STANDARD_CATEGORIES,
    AgeBand,
    AllOf,
    AnyOf,
    AttributeEquals,
    AttributeIn,
    CategoryRule,
    CivilianDetainee,
    HeldLongerThan,
    NamedCategory,
    Not,
    SeriouslyWoundedOrSick,
)

RULE_SPEC_HELP = """\
A rule is a table with exactly one of these keys (TOML shown):
  age = [18, 25]                          aged 18 to 25 inclusive on the stage date
  seriously_wounded_or_sick = true        commission decision to repatriate, or manifest case
  civilian = true                         a civilian detainee
  held_longer_than_months = 12            more than 12 calendar months in captivity
  attribute = "officer", equals = "yes"   a free attribute equals a value (case-insensitive)
  attribute = "region", in = ["a", "b"]   a free attribute is one of the values
  category = "aged_18_25"                 a category already known by that name
  all = [ {...}, {...} ]                  every rule holds
  any = [ {...}, {...} ]                  at least one rule holds
  not = {...}                             the rule does not hold
"""


_KINDS = (
    "age",
    "seriously_wounded_or_sick",
    "civilian",
    "held_longer_than_months",
    "attribute",
    "category",
    "all",
    "any",
    "not",
)


def _fail(path: str, message: str) -> InvalidInput:
    return InvalidInput(f"{path}: {message}", path)


def _int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, f"expected a whole number, got {value!r}")
    return value


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"expected a non-empty text, got {value!r}")
    return value.strip()


def _true(value: object, path: str) -> None:
    if value is not True:
        raise _fail(path, "write `true` (a rule that is switched off is simply left out)")


def _list(value: object, path: str) -> list[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise _fail(path, f"expected a list, got {value!r}")
    return list(value)


def parse_rule(
    spec: object,
    *,
    path: str = "rule",
    known: Mapping[str, CategoryRule] | None = None,
) -> CategoryRule:
    """Build a rule from a configuration table (see RULE_SPEC_HELP).

    Errors name the key path at fault (e.g. `rule.all[1].not.age`) so whoever edits the
    configuration finds the line; `InvalidInput.field` carries the same path.
    """
    if not isinstance(spec, Mapping):
        raise _fail(path, f"a rule is a table with one of {', '.join(_KINDS)}; got {spec!r}")
    keys = set(spec)
    bad = sorted(str(k) for k in keys if k not in (*_KINDS, "equals", "in"))
    if bad:
        raise _fail(f"{path}.{bad[0]}", f"unknown key; a rule uses one of {', '.join(_KINDS)}")
    kinds = [k for k in _KINDS if k in keys]
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none"
        raise _fail(path, f"a rule has exactly one of {', '.join(_KINDS)}; found {found}")
    kind = kinds[0]
    here = f"{path}.{kind}"
    value = spec[kind]
    if kind != "attribute" and keys & {"equals", "in"}:
        extra = sorted(keys & {"equals", "in"})[0]
        raise _fail(f"{path}.{extra}", "only an 'attribute' rule takes this key")
    if kind == "age":
        bounds = _list(value, here)
        if len(bounds) != 2:
            raise _fail(here, f"expected [youngest, oldest], got {value!r}")
        youngest, oldest = _int(bounds[0], f"{here}[0]"), _int(bounds[1], f"{here}[1]")
        try:
            return AgeBand(youngest, oldest)
        except InvalidInput as exc:
            raise _fail(here, exc.message) from exc
    if kind == "seriously_wounded_or_sick":
        _true(value, here)
        return SeriouslyWoundedOrSick()
    if kind == "civilian":
        _true(value, here)
        return CivilianDetainee()
    if kind == "held_longer_than_months":
        months = _int(value, here)
        if months < 0:
            raise _fail(here, f"months cannot be negative, got {months}")
        return HeldLongerThan(months)
    if kind == "attribute":
        return _parse_attribute(spec, path)
    if kind == "category":
        name = _text(value, here)
        table = STANDARD_CATEGORIES if known is None else known
        if name not in table:
            raise _fail(here, f"no category named '{name}'; known: {', '.join(sorted(table))}")
        return table[name]
    if kind == "not":
        return Not(parse_rule(value, path=here, known=known))
    items = _list(value, here)
    if not items:
        raise _fail(here, "needs at least one rule")
    rules = tuple(
        parse_rule(item, path=f"{here}[{i}]", known=known) for i, item in enumerate(items)
    )
    return AllOf(rules) if kind == "all" else AnyOf(rules)


def _parse_attribute(spec: Mapping[str, object], path: str) -> CategoryRule:
    attribute = _text(spec["attribute"], f"{path}.attribute")
    has_equals, has_in = "equals" in spec, "in" in spec
    if has_equals == has_in:
        raise _fail(path, "an 'attribute' rule takes exactly one of 'equals' or 'in'")
    if has_equals:
        return AttributeEquals(attribute, _text(spec["equals"], f"{path}.equals"))
    items = _list(spec["in"], f"{path}.in")
    if not items:
        raise _fail(f"{path}.in", "an empty list of values matches nobody")
    return AttributeIn(attribute, tuple(_text(v, f"{path}.in[{i}]") for i, v in enumerate(items)))


def parse_categories(
    table: Mapping[str, object], *, path: str = "categories"
) -> dict[str, CategoryRule]:
    """Custom categories from configuration, one named rule per key, on top of the standard.

    A later category may refer to an earlier one (`category = "..."`), so tables are read in
    order; a name may not shadow a standard category, lest two lists mean different things
    by the same word.
    """
    known: dict[str, CategoryRule] = dict(STANDARD_CATEGORIES)
    parsed: dict[str, CategoryRule] = {}
    for name, spec in table.items():
        where = f"{path}.{name}"
        if name in known:
            raise _fail(where, f"'{name}' is already a category")
        rule = parse_rule(spec, path=where, known=known)
        named = NamedCategory(name, rule)
        known[name] = named
        parsed[name] = named
    return parsed
