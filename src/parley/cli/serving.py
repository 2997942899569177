"""`parley serve`: one server process, or several sharing one database.

Several processes (`--workers N`) let requests use every core: one Python process runs one
request's Python at a time, whatever its threads. Each process opens the instance itself and
warms its own name tables and chart renderer; they share nothing but the database, where the
data version (`store.database.share_versions`), sessions, login throttling and the audit chain
live. Jobs then run in `parley jobs work`, never in the server processes: a server process that
starts fails the jobs a restart cut off, and a sibling's running job is not one.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from fastapi import FastAPI

from parley.domain.errors import InvalidInput
from parley.instance import Instance, open_instance

INSTANCE_VARIABLE = "PARLEY_SERVE_INSTANCE"
"""The instance folder a server process opens (`worker_app`)."""
WORKER_START_SECONDS = 120
"""How long a server process may take to answer uvicorn's first health check: it loads the
name tables and starts the chart renderer first (uvicorn's 5 s would restart it forever)."""
YOUNG_OBJECTS = 50_000
"""Allocations between two collections of the youngest generation (Python's default: 700)."""


def warm_up() -> None:
    """What the first visitor would otherwise wait for: the name dictionaries and charts; then
    the collector is set for a server (`tune_collector`)."""
    from parley.names import load_dictionaries
    from parley.services import exchange

    load_dictionaries()
    exchange.warm_up()
    tune_collector()


def tune_collector() -> None:
    """A server holds hundreds of megabytes that live as long as it does (the name tables, the
    kept figures), and a page computed after a write allocates a few hundred thousand objects:
    with Python's defaults every few hundred allocations start a collection, and the oldest
    generation's walks of that whole heap took a third of All for all's time after a write
    (510 -> 370 ms, docs/benchmarks.md). What is loaded is frozen out of the collector's walks,
    and the youngest generation is collected every `YOUNG_OBJECTS` allocations; cycles are
    still collected."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, 20, 100)


def check_workers(workers: int, run_jobs: bool) -> None:
    if workers < 1:
        raise InvalidInput(f"--workers must be at least 1, not {workers}")
    if workers > 1 and run_jobs:
        raise InvalidInput(
            f"--workers {workers} needs --no-jobs: run the jobs with `parley jobs work` "
            "beside the server (docs/operations.md)"
        )


def single_app(instance: Instance, run_jobs: bool) -> FastAPI:
    from parley.web.app import create_app

    return create_app(instance, run_jobs=run_jobs)


def worker_app() -> FastAPI:
    """The app of one of several server processes: uvicorn calls this in each of them."""
    from parley.web.app import create_app

    instance = open_instance(Path(os.environ[INSTANCE_VARIABLE]))
    warm_up()
    return create_app(instance, run_jobs=False)
