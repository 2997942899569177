"""`parley serve` sets Python's collector for a long-lived server (`cli.serving`)."""

from __future__ import annotations

import gc

from parley.cli import serving


def test_the_server_freezes_what_is_loaded_and_collects_the_young_less_often() -> None:
    before = gc.get_threshold()
    kept = [object() for _ in range(1000)]  # what a server loads before it listens
    try:
        serving.tune_collector()
        assert gc.isenabled()
        assert gc.get_threshold()[0] == serving.YOUNG_OBJECTS > before[0]
        assert gc.get_freeze_count() >= len(kept)
        cycle: list[object] = []
        cycle.append(cycle)  # cycles are still collected
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_several_server_processes_need_the_jobs_elsewhere() -> None:
    import pytest

    from parley.domain.errors import InvalidInput

    serving.check_workers(1, run_jobs=True)
    serving.check_workers(3, run_jobs=False)
    for workers, jobs in ((2, True), (0, False)):
        with pytest.raises(InvalidInput):
            serving.check_workers(workers, run_jobs=jobs)
