"""Where the engine runs: DuckDB in-process (the default), or Spark for registries beyond one
machine. The comparisons and blocking rules are the same on both (`model.py`).

A cluster: create the session as your platform does, with Splink's similarity jar on the
classpath, and pass it in — for example

    spark = (SparkSession.builder.appName("parley-matching")
             .config("spark.jars", similarity_jar_location())
             .config("spark.sql.shuffle.partitions", 8 * executor_cores)
             .getOrCreate())
    engine.predict(model, entries, registry, backend=spark_backend(spark))

See docs/matching.md for the settings that matter at scale.
"""

from __future__ import annotations

from typing import Any


def spark_backend(session: Any) -> Any:
    from splink import SparkAPI

    return SparkAPI(  # type: ignore[no-untyped-call]
        spark_session=session, break_lineage_method="persist", repartition_after_blocking=True
    )


def local_spark_session(cores: int = 2, memory: str = "2g") -> Any:
    """Spark in local mode, for tests and for trying the Spark path on one machine."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("parley-matching")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(cores * 4))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session
