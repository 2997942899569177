"""Figures kept per data version (`services/cache.py`) are never older than the version they
are kept under, whatever transaction computed them."""

from __future__ import annotations

from parley.domain.accounts.accounts import SYSTEM
from parley.instance import Instance
from parley.services import jobs
from parley.services.cache import VersionedCache
from parley.services.uow import UnitOfWork


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
