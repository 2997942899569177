"""`parley dvi screen|solve --dir CASE`: DNA identification over a case in dvir's layout.

CASE holds pedigree.csv, genotypes.csv, freqs.csv, mutation.csv and missing.csv (see
docs/remains.md); the figures are dvir's `pairwiseLR`, `findExcluded`, `dviJoint`,
`Bmarginal` and `dviSolve`, to be compared with dvir's own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from parley.cli._common import JsonOption, cli_errors, out
from parley.services import remains

dvi_app = typer.Typer(
    help="DNA identification of remains (disaster-victim identification).",
    no_args_is_help=True,
)

CaseOption = Annotated[
    Path,
    typer.Option(
        "--dir",
        exists=True,
        file_okay=False,
        help="A case folder in dvir's layout (pedigree.csv, genotypes.csv, freqs.csv, "
        "mutation.csv, missing.csv).",
    ),
]
TopOption = Annotated[int, typer.Option(min=1, help="How many rows to print per body or case.")]


def _fmt(value: Any) -> str:
    if value is None:
        return "NA"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _print_json(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@dvi_app.command("screen")
def screen(case: CaseOption, top: TopOption = 5, as_json: JsonOption = False) -> None:
    """LR matrix, exclusion counts, and each body's candidates (excluded pairs never are)."""
    with cli_errors():
        data = remains.screen_case(case, top=top)
    if as_json:
        _print_json(data)
        return
    for title, key in (("LR matrix", "lr_matrix"), ("Exclusions", "exclusion_matrix")):
        table = Table("victim", *data["missing"], title=title)
        for victim, row in zip(data["victims"], data[key], strict=True):
            table.add_row(victim, *(_fmt(v) for v in row))
        out.print(table)
    table = Table("victim", "missing", "LR", "exclusions", "posterior", title="Candidates")
    for victim, found in data["candidates"].items():
        for c in found:
            table.add_row(
                victim, c["missing"], _fmt(c["lr"]), str(c["exclusions"]), _fmt(c["posterior"])
            )
    out.print(table)
    out.print(f"prior {data['prior']:.6g} (1/N); excluded above {data['max_incompatible']}")


@dvi_app.command("solve")
def solve(case: CaseOption, top: TopOption = 10, as_json: JsonOption = False) -> None:
    """Joint top assignments, posterior pairing probabilities and dviSolve's conclusions."""
    with cli_errors():
        data = remains.solve_case(case, top=top)
    if as_json:
        _print_json(data)
        return
    table = Table(*data["victims"], "loglik", "LR", title="Joint assignments")
    for entry in data["joint"]:
        table.add_row(
            *(entry["assignment"][v] for v in data["victims"]),
            _fmt(entry["loglik"]),
            _fmt(entry["lr_vs_best"]),
        )
    out.print(table)
    table = Table("victim", *data["posterior_columns"], title="Posterior pairings")
    for victim, row in zip(data["victims"], data["posterior"], strict=True):
        table.add_row(victim, *(_fmt(v) for v in row))
    out.print(table)
    for title, key in (("AM (missing persons)", "am"), ("PM (bodies)", "pm")):
        rows = data[key]
        if not rows:
            continue
        columns = list(rows[0])
        table = Table(*columns, title=title)
        for r in rows:
            table.add_row(*(_fmt(r.get(c)) for c in columns))
        out.print(table)
    out.print(
        f"prior {data['prior']:.6g} (1/N); identified when posterior ≥ {data['posterior_rule']}"
    )
