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
    from parley.interchange.person_rows import COLUMNS

    text = (DOCS / "import.md").read_text()
    assert [c for c in COLUMNS if f"`{c}`" not in text] == []
