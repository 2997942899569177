"""The same model on Spark (local mode): identical scores to DuckDB on the same pairs.

Skipped by `make test` (Spark needs a JVM and half a minute to start); `.ci/run` runs it with
PARLEY_TEST_SPARK=1 after installing the `spark` extra.
"""

from __future__ import annotations

import os
import shutil

import pytest

from parley.linkage import engine
from tests.integration.test_linkage_engine import planted

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        os.environ.get("PARLEY_TEST_SPARK") != "1",
        reason="PARLEY_TEST_SPARK is not 1: Spark test skipped (.ci/run runs it)",
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java for Spark"),
]


def test_spark_scores_every_pair_exactly_as_duckdb() -> None:
    from parley.linkage.backends import local_spark_session, spark_backend

    registry, listed = planted(5, 500, 50, swap=False)
    trained = engine.train(registry, listed)
    on_duckdb = engine.predict(trained, listed, registry, threshold=0.0)
    session = local_spark_session()
    try:
        on_spark = engine.predict(
            trained, listed, registry, threshold=0.0, backend=spark_backend(session)
        )
    finally:
        session.stop()

    def scores(pairs: list[engine.ScoredPair]) -> dict[tuple[str, str], float]:
        return {(p.entry_id, p.person_id): round(p.match_probability, 9) for p in pairs}

    assert scores(on_spark) == scores(on_duckdb)
    assert len(on_duckdb) >= 50
