"""The documentation is part of the product: it must name every error code Parley can return."""

from pathlib import Path

from parley.domain.errors import ALL_ERRORS
from parley.web.errors import HTTP_CODES, STATUS

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
