"""docs/cli.md, generated from the Typer app: every command, its help and its options.

`make docs` (or `python -m parley.cli.reference > docs/cli.md`) writes it; `tests/test_docs.py`
fails when the page and the commands differ, so the reference cannot go stale.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer

from parley.cli.main import app

HEADER = """# CLI reference

<!-- generated from the Typer app by `make docs` (python -m parley.cli.reference); do not edit -->

Every command takes `--instance DIR` (or `PARLEY_INSTANCE`) where it reads an instance, and
`--user NAME` (or `PARLEY_USER`) to act as an account; errors print `error[code]: message` and
exit with the code in `docs/errors.md`.
"""


def _help(command: Any) -> str:
    text = inspect.cleandoc(command.help or "").replace("\b\n", "")
    return text.strip()


def _param(param: Any) -> str:
    if param.param_type_name == "option":
        names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        what = (param.help or "").replace("|", "\\|").replace("\n", " ")
        return f"| {names} | {what} |"
    name = (param.name or "").upper()
    return f"| `{name}` | argument{'' if param.required else ' (optional)'} |"


def _command(path: str, command: Any, level: int) -> list[str]:
    group = hasattr(command, "commands")  # Typer's own click: no isinstance to lean on
    lines = [f"{'#' * level} `{path}`", ""]
    if _help(command):
        lines += [_help(command), ""]
    params = [p for p in command.params if p.name not in ("help",)]
    if params and not group:
        lines += ["| option | what |", "|---|---|", *(_param(p) for p in params), ""]
    if group:
        for name in sorted(command.commands):
            lines += _command(f"{path} {name}", command.commands[name], min(level + 1, 3))
    return lines


def cli_reference() -> str:
    root: Any = typer.main.get_command(app)
    lines = [HEADER]
    for name in sorted(root.commands):
        lines += _command(f"parley {name}", root.commands[name], 2)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(cli_reference(), end="")
