"""DNA joint identification on dvir's own cases, against dvir's own times.

The twelve cases of the shared dvir oracle (`../shared/oracles/dvir/`): for each, Parley's
joint search (ten best assignments and posterior pairing probabilities, dvir's `dviJoint`
and `Bmarginal`) and whole pipeline (dvir's `dviSolve`) are timed, the answers checked
against the figures dvir printed (relative 1e-6), and the time compared with the one
dvir 3.4.2 took (`r-timings.csv`). `exclusionExample` has 4·10¹³ assignments, too many
for dvir's joint search; Parley searches it after exclusions, decomposed. Goal: the joint
step at least 50× faster than dvir on grave, planecrash and icmp.

    .venv/bin/python -m benchmarks.dvi_joint [--quick] [--runs N] [--oracle PATH]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.table import Table

from benchmarks._common import ROOT, console, emit, note
from parley.dna.joint import JointResult, joint
from parley.dna.model import DviCase
from parley.dna.pairwise import pairwise
from parley.dna.reading import read_case
from parley.dna.solve import solve

GOAL_RATIO = 50.0
GOAL_CASES = ("grave", "planecrash", "icmp")
QUICK_CASES = ("planecrash", "icmp", "exclusionExample")


def _timed(run: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median wall-clock and CPU seconds of `runs` runs (CPU time shows what other
    sessions on a shared machine take away from the wall clock)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def _expected(folder: Path, file: str) -> list[dict[str, str]]:
    with (folder / "expected" / file).open(newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    return math.nan if text in ("", "NA") else float(text.replace("Inf", "inf"))


def joint_agrees(folder: Path, case: DviCase, result: JointResult) -> bool:
    """Top-ten log-likelihoods and the posterior pairing matrix within relative 1e-6."""
    rows = _expected(folder, "joint_top10.csv")
    logliks = np.array([_number(r["loglik"]) for r in rows])
    if len(logliks) != len(result.logliks):
        return False
    marginal = np.array(
        [
            [_number(v) for k, v in r.items() if k != "victim"]
            for r in _expected(folder, "bmarginal.csv")
        ]
    )
    return bool(
        np.allclose(result.logliks, logliks, rtol=1e-6, atol=0)
        and np.allclose(result.posterior, marginal, rtol=1e-6, atol=0)
    )


def solve_agrees(folder: Path, case: DviCase) -> bool:
    """Every conclusion of dvir's dviSolve (AM table) equal."""
    produced = solve(case).am
    expected = _expected(folder, "dvisolve_AM.csv")
    return [r["Conclusion"] for r in produced] == [r["Conclusion"] for r in expected]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK_CASES)}")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the median is kept")
    parser.add_argument("--oracle", type=Path, default=ROOT.parent / "shared" / "oracles" / "dvir")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    load = [round(x, 2) for x in os.getloadavg()]
    with (args.oracle / "r-timings.csv").open(newline="") as handle:
        dvir = {r["dataset"]: r for r in csv.DictReader(handle)}
    names = [n for n in sorted(dvir) if not args.quick or n in QUICK_CASES]
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        folder = args.oracle / name
        case = read_case(folder / "input")
        skipped = (folder / "expected" / "joint_SKIPPED.txt").exists()
        if skipped:
            excluded = pairwise(case).excluded()
            seconds, cpu, result = _timed(lambda c=case, e=excluded: joint(c, candidates=~e), runs)
            agrees = None
        else:
            seconds, cpu, result = _timed(lambda c=case: joint(c), runs)
            agrees = joint_agrees(folder, case, result)
        solve_seconds, solve_cpu, _ = _timed(lambda c=case: solve(c), runs)
        theirs = float(dvir[name]["dviJoint"])
        results[name] = {
            "assignments": int(float(dvir[name]["nAssign"])),
            "parley_joint_seconds": round(seconds, 4),
            "parley_joint_cpu_seconds": round(cpu, 4),
            "dvir_joint_seconds": None if skipped else theirs,
            "joint_speedup": None if skipped or not seconds else round(theirs / seconds, 1),
            "joint_agrees_with_dvir": agrees,
            "components": [len(c.gains) for c in result.components],
            "parley_solve_seconds": round(solve_seconds, 4),
            "parley_solve_cpu_seconds": round(solve_cpu, 4),
            "dvir_solve_seconds": float(dvir[name]["dviSolve"]),
            "solve_conclusions_equal": solve_agrees(folder, case),
        }
        note(f"{name}: joint {seconds:.3f} s (dvir {theirs:.3f} s), solve {solve_seconds:.3f} s")
    _print(results)
    met = all((results[n]["joint_speedup"] or 0) >= GOAL_RATIO for n in GOAL_CASES if n in results)
    note(f"goal ≥ {GOAL_RATIO:.0f}× on {', '.join(GOAL_CASES)}: {'met' if met else 'MISSED'}")
    emit(
        "dvi_joint",
        {"runs": runs, "cases": names, "oracle": "dvir 3.4.2"},
        {"cases": results, "load_average_at_start": load},
    )


def _print(results: dict[str, dict[str, Any]]) -> None:
    table = Table(title="Joint DVI, Parley vs dvir 3.4.2 (s); exclusionExample after exclusions")
    for column in ("case", "assignments", "Parley", "dvir", "×", "same", "solve same"):
        table.add_column(column, justify="left" if column == "case" else "right", no_wrap=True)
    for name, r in results.items():
        table.add_row(
            name,
            f"{r['assignments']:.3g}",
            f"{r['parley_joint_seconds']:.3f}",
            "skipped" if r["dvir_joint_seconds"] is None else f"{r['dvir_joint_seconds']:.3f}",
            "—" if r["joint_speedup"] is None else f"{r['joint_speedup']:,.0f}",
            {None: "n/a", True: "yes", False: "NO"}[r["joint_agrees_with_dvir"]],
            "yes" if r["solve_conclusions_equal"] else "NO",
        )
    console.print(table)


if __name__ == "__main__":
    main()
