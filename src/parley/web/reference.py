"""docs/api.md, generated from the app's OpenAPI document: every route, grouped by tag.

`make docs` (or `python -m parley.web.reference > docs/api.md`) writes it; `tests/test_docs.py`
fails when the page and the routes differ. The full schema stays at `/api/v1/openapi.json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from parley.instance import Instance
from parley.web.app import create_app

HEADER = """# API reference

<!-- generated from OpenAPI by `make docs` (python -m parley.web.reference); do not edit -->

Every route but `/api/v1/health` and `/api/v1/public/figures` needs
`Authorization: Bearer <token>` (`parley account token`). Errors are JSON with a stable `code`
(`docs/errors.md`). A running instance serves the full schema at `/api/v1/openapi.json`.
"""


@dataclass(frozen=True)
class _Config:
    name: str = "instance"


@dataclass(frozen=True)
class _NoInstance:
    """The routes do not depend on an instance until called; the title needs only a name."""

    config: _Config = _Config()


def _summary(operation: dict[str, Any]) -> str:
    text = operation.get("description") or operation.get("summary") or ""
    return str(text).strip().split("\n\n")[0].replace("\n", " ").replace("|", "\\|")


def api_reference() -> str:
    spec = create_app(cast(Instance, _NoInstance())).openapi()
    by_tag: dict[str, list[str]] = {}
    for path, methods in sorted(spec["paths"].items()):
        for method, operation in methods.items():
            tag = (operation.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append(
                f"| {method.upper()} | `{path}` | {_summary(operation)} |"
            )
    lines = [HEADER]
    for tag in sorted(by_tag):
        lines += [f"## {tag}", "", "| method | path | what |", "|---|---|---|", *by_tag[tag], ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(api_reference(), end="")
