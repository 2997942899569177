"""The documentation is part of the product: it must name every error code Parley can return."""

import re
from pathlib import Path

import pytest

from parley.cli._common import exit_code
from parley.domain.errors import ALL_ERRORS, Conflict, NotFound, ParleyError
from parley.web.errors import HTTP_CODES, STATUS, status_of

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_error_code_is_documented() -> None:
    text = (DOCS / "errors.md").read_text()
    codes = (
        {e.code for e in ALL_ERRORS} | set(HTTP_CODES.values()) | {"invalid_request", "http_error"}
    )
    missing = sorted(code for code in codes if f"`{code}`" not in text)
    assert missing == []


def test_documented_http_statuses_match_the_code() -> None:
    text = (DOCS / "errors.md").read_text()
    for code, status in STATUS.items():
        assert f"| `{code}` | {status} |" in text, code


NEVER_RAISED = {
    ParleyError: "the family of every error",
    Conflict: "the family of every conflict",
    NotFound: "a family; the code a route that does not exist answers (web/errors.py)",
}
"""Families: documented so clients can match on them, raised only as one of their members."""
SRC = Path(__file__).resolve().parents[1] / "src" / "parley"
TESTS = Path(__file__).resolve().parent


def _text(root: Path, skip: Path) -> str:
    return "\n".join(p.read_text() for p in sorted(root.rglob("*.py")) if p != skip)


@pytest.mark.parametrize("error", ALL_ERRORS, ids=lambda e: e.code)
def test_every_error_code_is_raised_tested_and_documented(error: type[ParleyError]) -> None:
    """Raised in `src`, reached by a test, and in docs/errors.md with its status and exit code."""
    src = _text(SRC, SRC / "domain" / "errors.py")
    if error not in NEVER_RAISED:
        assert re.search(rf"\b{error.__name__}\(", src), f"{error.__name__} is never raised"
    else:
        assert error.code in src or error.__name__ in src
    tests = _text(TESTS, Path(__file__).resolve())
    if error is not ParleyError:  # every test of an error reaches it
        assert error.__name__ in tests or error.code in tests, f"no test reaches {error.code}"
    row = f"| `{error.code}` | {status_of(error)} | {exit_code(error)} |"
    assert row in (DOCS / "errors.md").read_text(), row


def test_every_import_column_is_documented() -> None:
    from parley.interchange.columns import ALIASES

    text = (DOCS / "import.md").read_text()
    assert [c for c in ALIASES if f"`{c}`" not in text] == []


def test_the_documented_column_aliases_are_the_ones_read() -> None:
    """docs/import.md embeds the alias table generated from the code, every alias in it."""
    from parley.interchange.columns import ALIASES, alias_table

    text = (DOCS / "import.md").read_text()
    begin = text.index("<!-- columns: begin")
    block = text[text.index("\n", begin) + 1 : text.index("<!-- columns: end -->")]
    assert block == alias_table(), "run `python -m parley.interchange.columns`"
    rows = {
        line.split("|")[1].strip(" `"): line.split("|")[2].strip()
        for line in block.splitlines()[2:]
    }
    for field, aliases in ALIASES.items():
        assert [a for a in aliases if a not in rows[field].split(", ")] == [], field


def test_the_match_export_columns_are_documented() -> None:
    from parley.services.matching import COLUMNS

    text = (DOCS / "matching.md").read_text()
    assert [c for c in COLUMNS if f"`{c}`" not in text] == []


def test_the_cli_reference_is_the_one_the_commands_give() -> None:
    from parley.cli.reference import cli_reference

    assert (DOCS / "cli.md").read_text() == cli_reference(), "run `make docs`"


def test_the_api_reference_is_the_one_the_routes_give() -> None:
    from parley.web.reference import api_reference

    assert (DOCS / "api.md").read_text() == api_reference(), "run `make docs`"


@pytest.mark.parametrize("page", ["registry.md", "accounts.md", "cli.md", "api.md"])
def test_every_track_and_door_has_its_page(page: str) -> None:
    assert (DOCS / page).read_text().startswith("# ")


def test_the_registry_page_names_every_event_type_and_status() -> None:
    from parley.domain.registry.events import STATUS_OF, EventType, Status

    text = (DOCS / "registry.md").read_text()
    for event in EventType:
        moves = f"`{STATUS_OF[event].value}`" if event in STATUS_OF else "—"
        assert f"| `{event.value}` | {moves} |" in text, event
    assert [s for s in Status if f"`{s.value}`" not in text] == []


def test_the_accounts_page_names_every_role_with_its_permissions() -> None:
    from parley.domain.accounts.accounts import ROLE_PERMISSIONS, Role

    text = (DOCS / "accounts.md").read_text()
    for role in Role:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{role.value}` |"))
        assert {p.value for p in ROLE_PERMISSIONS[role]} == set(
            re.findall(r"`([a-z._]+\.[a-z_]+)`", row)
        )


def test_the_error_tree_in_the_docstring_is_the_class_tree() -> None:
    """errors.py draws its hierarchy; each name drawn under a family is a subclass of it, and
    every error is drawn."""
    from parley.domain import errors

    by_name = {e.__name__: e for e in ALL_ERRORS}
    doc = errors.__doc__ or ""
    tree = doc[doc.index("    ParleyError") : doc.index("\n\n", doc.index("    ParleyError"))]
    drawn: set[str] = set()
    family: type[ParleyError] = ParleyError
    for line in tree.splitlines()[1:]:
        names = [n for n in re.findall(r"\b[A-Z]\w+\b", line) if n in by_name]
        drawn |= set(names)
        if re.match(r"    [├└]── ", line):  # a family, or families, under ParleyError
            heads, _, members = line.partition(" ─ ")
            for name in (n for n in re.findall(r"\b[A-Z]\w+\b", heads) if n in by_name):
                assert by_name[name].__bases__ == (ParleyError,), name
                family = by_name[name]
            names = [n for n in re.findall(r"\b[A-Z]\w+\b", members) if n in by_name]
        for name in names:
            assert issubclass(by_name[name], family) and by_name[name] is not family, (
                f"{name} is drawn under {family.__name__}"
            )
    assert sorted(set(by_name) - drawn - {"ParleyError"}) == []
