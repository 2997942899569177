"""Figures kept per data version (`services/cache.py`) are never older than the version they
are kept under, whatever transaction computed them; they are computed once per version, and
after a write the warmer computes the kept ones before a request asks."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from parley.domain.accounts.accounts import SYSTEM
from parley.instance import Instance, init_instance
from parley.services import jobs
from parley.services.cache import InFlight, VersionedCache, Warmer, warm
from parley.services.uow import UnitOfWork
from tests.conftest import ADMIN_PASSWORD


def _jobs(uow: UnitOfWork) -> int:
    return uow.jobs.page(None, 0, 1)[1]


def _fresh_count(instance: Instance) -> int:
    with instance.uow(read_only=True) as uow:
        return _jobs(uow)


def test_a_snapshot_older_than_a_write_does_not_fill_the_cache_of_the_new_version(
    sqlite_instance: Instance,
) -> None:
    cache: VersionedCache[int] = VersionedCache()
    with sqlite_instance.uow(read_only=True) as reader:
        assert _jobs(reader) == 0  # the read's WAL snapshot starts here
        jobs.start(sqlite_instance.uow(), SYSTEM, "match.list", {"list_id": 1})  # another writes
        assert cache.get(reader, "jobs", lambda: _jobs(reader)) == 0  # its snapshot: no job
    assert _fresh_count(sqlite_instance) == 1
    # a request after the write must see it, not the older snapshot's figure
    assert cache.get(sqlite_instance.uow(), "jobs", lambda: _fresh_count(sqlite_instance)) == 1


def test_a_figure_is_reused_until_a_write_commits(sqlite_instance: Instance) -> None:
    cache: VersionedCache[int] = VersionedCache()
    computed: list[int] = []

    def count() -> int:
        computed.append(_fresh_count(sqlite_instance))
        return computed[-1]

    assert cache.get(sqlite_instance.uow(), "jobs", count) == 0
    assert cache.get(sqlite_instance.uow(), "jobs", count) == 0 and len(computed) == 1
    jobs.start(sqlite_instance.uow(), SYSTEM, "match.list", {"list_id": 1})
    assert cache.get(sqlite_instance.uow(), "jobs", count) == 1 and len(computed) == 2


def test_a_write_by_another_process_is_seen_at_once(instance: Instance) -> None:
    """A second server process, `parley jobs work` or a CLI command writes through an engine
    of its own: the figures this process keeps must follow that write at once, on SQLite and
    on PostgreSQL alike (the shared `data_versions` counter), not after a time-out."""
    from parley.instance import open_instance

    other = open_instance(instance.directory)  # its own engine, as another process has
    try:
        cache: VersionedCache[int] = VersionedCache()
        computed: list[int] = []

        def count() -> int:
            computed.append(_fresh_count(instance))
            return computed[-1]

        assert cache.get(instance.uow(), "jobs", count) == 0
        assert cache.get(instance.uow(), "jobs", count) == 0 and len(computed) == 1
        jobs.start(other.uow(), SYSTEM, "match.list", {"list_id": 1})
        assert cache.get(instance.uow(), "jobs", count) == 1 and len(computed) == 2
    finally:
        other.close()


def test_requests_asking_together_compute_a_figure_once(sqlite_instance: Instance) -> None:
    """The second request waits for the first one's computation instead of starting its own."""
    cache: VersionedCache[int] = VersionedCache()
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        started.set()
        release.wait(10)
        return 7

    got: list[int] = []

    def ask() -> None:
        got.append(cache.get(sqlite_instance.uow(), "k", slow))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=ask)
    second.start()
    time.sleep(0.2)  # the second is waiting now
    release.set()
    first.join(10)
    second.join(10)
    assert got == [7, 7] and len(calls) == 1 and cache.computed == 1


def test_the_warmer_computes_a_kept_figure_after_a_write_before_anyone_asks(
    sqlite_instance: Instance,
) -> None:
    cache: VersionedCache[int] = VersionedCache()

    def asked() -> int:
        with sqlite_instance.uow(read_only=True) as uow:
            return cache.kept(uow, "jobs", _jobs)

    warmer = Warmer(lambda: sqlite_instance.uow(read_only=True), poll_s=0.01, settle_s=0.0)
    warmer.start()
    try:
        assert asked() == 0 and cache.computed == 1
        jobs.start(sqlite_instance.uow(), SYSTEM, "match.list", {"list_id": 1})
        assert warmer.settled(10)
        assert cache.computed == 2  # the warmer computed the new version's figure
        assert asked() == 1 and cache.computed == 2  # the request found it ready, fresh
    finally:
        warmer.stop()


def test_the_warmer_leaves_figures_of_other_databases_and_failed_recipes_alone(
    sqlite_instance: Instance, tmp_path: Path
) -> None:
    other, _ = init_instance(tmp_path / "ru", "RU", "Other HQ", None, ADMIN_PASSWORD)
    cache: VersionedCache[int] = VersionedCache()
    failures: list[int] = []

    def failing(_uow: UnitOfWork) -> int:
        failures.append(1)
        raise RuntimeError("gone")

    try:
        with other.uow(read_only=True) as uow:
            assert cache.kept(uow, "other", _jobs) == 0
        with sqlite_instance.uow(read_only=True) as uow, pytest.raises(RuntimeError):
            cache.kept(uow, "failing", failing)
        jobs.start(sqlite_instance.uow(), SYSTEM, "match.list", {"list_id": 1})
        assert warm(lambda: sqlite_instance.uow(read_only=True)) == 0  # "other" is not ours
        assert len(failures) == 2  # tried once more, then forgotten
        assert warm(lambda: sqlite_instance.uow(read_only=True)) == 0 and len(failures) == 2
    finally:
        other.close()


def test_reads_and_audit_entries_leave_the_version_alone(instance: Instance) -> None:
    """Only a record written moves the version: a read (audited) would empty every cache."""
    from parley.domain.paging import PageRequest
    from parley.domain.registry.persons import PersonQuery
    from parley.services import registry

    before = instance.uow().data_version
    registry.find_persons(instance.uow(), SYSTEM, PersonQuery(), PageRequest(0, 10))
    assert instance.uow().data_version == before
    jobs.start(instance.uow(), SYSTEM, "match.list", {"list_id": 1})
    assert instance.uow().data_version != before


def test_the_warmer_gives_way_to_requests_being_served(sqlite_instance: Instance) -> None:
    """A figure is started only once no request is in flight (or after the longest wait)."""
    cache: VersionedCache[float] = VersionedCache()
    serving = InFlight()
    with sqlite_instance.uow(read_only=True) as uow:
        cache.kept(uow, "when", lambda _u: time.monotonic())
    jobs.start(sqlite_instance.uow(), SYSTEM, "match.list", {"list_id": 1})
    reader = sqlite_instance.uow
    done = threading.Thread(target=lambda: warm(lambda: reader(read_only=True), busy=serving.busy))
    with serving:
        assert serving.busy()
        done.start()
        time.sleep(0.3)
        left = time.monotonic()
    done.join(10)
    assert not serving.busy()
    with sqlite_instance.uow(read_only=True) as uow:
        assert cache.get(uow, "when", lambda: 0.0) >= left  # computed after the request left
    assert warm(lambda: reader(read_only=True), busy=lambda: True, defer_s=0.01) == 0  # kept
