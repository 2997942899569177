"""`parley dvi screen|solve --dir CASE --json` gives dvir's figures on the oracle cases.

The loader is the engine's oracle test's; the joint run is limited to the first six cases
with a joint expectation, to keep the suite quick (the engine test covers every one)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from parley.cli.main import app
from tests.unit.test_dna_oracle import CASES, JOINT_CASES, ORACLE, RTOL, _matrix, _number, _rows

runner = CliRunner()
needs_oracle = pytest.mark.skipif(not CASES, reason=f"dvir oracle not found at {ORACLE}")


def _run(command: str, name: str) -> dict[str, Any]:
    result = runner.invoke(app, ["dvi", command, "--dir", str(ORACLE / name / "input"), "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _numbers(rows: list[list[Any]]) -> np.ndarray:
    return np.array([[_number(None if v is None else str(v)) for v in row] for row in rows])


@needs_oracle
@pytest.mark.parametrize("name", CASES)
def test_screen_gives_dvirs_lr_matrix_and_exclusions(name: str) -> None:
    data = _run("screen", name)
    lr = _numbers(data["lr_matrix"])
    np.testing.assert_allclose(lr, _matrix(name, "lr_matrix.csv"), rtol=RTOL, atol=0)
    exclusions = _numbers(data["exclusion_matrix"])
    np.testing.assert_array_equal(exclusions, _matrix(name, "exclusion_matrix.csv"))
    column = {m: j for j, m in enumerate(data["missing"])}
    for i, victim in enumerate(data["victims"]):
        for candidate in data["candidates"][victim]:
            assert exclusions[i, column[candidate["missing"]]] <= data["max_incompatible"]


@needs_oracle
@pytest.mark.parametrize("name", JOINT_CASES[:6])
def test_solve_gives_dvirs_joint_log_likelihoods(name: str) -> None:
    data = _run("solve", name)
    expected = [_number(r["loglik"]) for r in _rows(name, "joint_top10.csv")]
    got = [_number(str(e["loglik"])) for e in data["joint"]][: len(expected)]
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)
    posterior = _numbers(data["posterior"])
    np.testing.assert_allclose(posterior, _matrix(name, "bmarginal.csv"), rtol=RTOL, atol=0)


def test_a_missing_case_folder_is_refused() -> None:
    result = runner.invoke(app, ["dvi", "screen", "--dir", "/nonexistent/case"])
    assert result.exit_code != 0
