"""Background jobs through the services and the real database: a job is queued, run by the
server's worker as the account that started it, and ends succeeded or failed with the reason in
words; a restart fails what it cut off; progress reaches the row without the worker ever
waiting on its own SQLite transaction."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.errors import InvalidInput, JobNotFound, PermissionDenied
from parley.domain.jobs import INTERRUPTED, JobState, Progress, failure_message
from parley.instance import Instance
from parley.services import jobs
from parley.services.jobs.kinds import KINDS, Kind
from parley.store.jobs import record_progress_quickly
from tests.conftest import make_account

HEADER = "surname;given_name;patronymic;sex;birth_date;category;service_number;status;status_date"
GOOD = [
    "Коваль;Іван;Петрович;male;1999-06-10;military;S-100;reported_missing;2024-05-01",
    "Мороз;Олена;Іванівна;female;1987;civilian;;capture_confirmed;2024-06-01",
    "Ткаченко;Дмитро;Олегович;male;2001-02-03;military;S-101;reported_missing;2024-05-02",
]
CSV = "\n".join([HEADER, *GOOD]).encode()


@pytest.fixture
def worker(instance: Instance) -> Iterator[jobs.Worker]:
    started = instance.job_worker()
    started.start()
    yield started
    started.stop()


def wait(instance: Instance, actor: Actor, job_id: int, timeout: float = 120) -> jobs.JobRow:
    deadline = time.monotonic() + timeout
    while True:
        row = jobs.get_job(instance.uow(read_only=True), actor, job_id)
        if row.state.finished:
            return row
        assert time.monotonic() < deadline, row
        time.sleep(0.05)


def test_an_import_job_runs_as_its_starter_and_says_what_it_did(
    instance: Instance, admin: Actor, worker: jobs.Worker
) -> None:
    queued = jobs.start(instance.uow(), admin, "registry.import", {"file": "list.csv"}, CSV)
    assert queued.state is JobState.QUEUED and queued.started_by == "admin"
    worker.wake()
    done = wait(instance, admin, queued.id)
    assert done.state is JobState.SUCCEEDED, done.error
    assert done.result_ref.startswith("import/")
    assert done.progress == Progress(3, 3, "list.csv: 3 persons imported (utf-8)")
    assert done.started_at and done.finished_at and done.started_at <= done.finished_at
    with instance.engine.connect() as connection:  # the upload is not kept once done
        assert connection.scalar(text("SELECT input FROM jobs")) is None
        actions = connection.scalars(text("SELECT action FROM audit_log ORDER BY seq")).all()
    assert {"job.start", "import.accepted"} <= set(actions)


def test_a_failed_job_says_why_in_words_and_lists_every_problem(
    instance: Instance, admin: Actor, worker: jobs.Worker
) -> None:
    bad = "\n".join([HEADER, ";Іван;;male;1990;military;;;", GOOD[0]]).encode()
    queued = jobs.start(instance.uow(), admin, "registry.import", {"file": "bad.csv"}, bad)
    worker.wake()
    done = wait(instance, admin, queued.id)
    assert done.state is JobState.FAILED
    assert done.error.startswith("bad.csv: import refused")
    assert "row 2, field 'surname'" in done.error and "Traceback" not in done.error
    assert done.result_ref == "" and not done.has_file


def test_an_unexpected_error_is_named_by_its_type_without_a_traceback() -> None:
    try:
        [][1]
    except IndexError as exc:
        said = failure_message(exc)
    assert said == "IndexError: list index out of range"
    assert failure_message(InvalidInput("x" * 5000)).endswith("(message cut)")


def test_a_job_is_shown_to_its_starter_and_admins_only(
    instance: Instance, admin: Actor, worker: jobs.Worker
) -> None:
    coordinator = make_account(instance, "coord", Role.COORDINATOR)
    other = make_account(instance, "coord2", Role.COORDINATOR)
    queued = jobs.start(instance.uow(), coordinator, "registry.import", {"file": "a.csv"}, CSV)
    assert jobs.get_job(instance.uow(), coordinator, queued.id).id == queued.id
    assert jobs.get_job(instance.uow(), admin, queued.id).id == queued.id
    with pytest.raises(JobNotFound):
        jobs.get_job(instance.uow(), other, queued.id)
    assert jobs.list_jobs(instance.uow(), other) == ([], 0)
    assert jobs.list_jobs(instance.uow(), admin)[1] == 1


def test_a_job_needs_the_permission_of_what_it_runs(instance: Instance, admin: Actor) -> None:
    reviewer = make_account(instance, "rev", Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        jobs.start(instance.uow(), reviewer, "registry.import", {"file": "a.csv"}, CSV)
    with pytest.raises(InvalidInput, match="no job kind"):
        jobs.start(instance.uow(), admin, "registry.delete_everything", {})
    with pytest.raises(InvalidInput, match="needs a file"):
        jobs.start(instance.uow(), admin, "registry.import", {"file": "a.csv"})
    assert jobs.list_jobs(instance.uow(), admin) == ([], 0)


def test_a_job_cut_off_by_a_restart_is_failed_at_start_up_never_left_running(
    instance: Instance, admin: Actor
) -> None:
    gone = jobs.start(instance.uow(), admin, "registry.import", {"file": "a.csv"}, CSV)
    alive = jobs.start(instance.uow(), admin, "registry.import", {"file": "b.csv"}, CSV)
    earlier = jobs.start(instance.uow(), admin, "registry.import", {"file": "c.csv"}, CSV)
    host = jobs.worker_id().split(":")[0]
    with instance.uow() as uow:
        assert uow.jobs.claim(gone.id, f"{host}:{2**22 + 7}:dead", jobs.jobs.now())
        assert uow.jobs.claim(alive.id, f"{host}:1:init", jobs.jobs.now())  # pid 1 lives
        assert uow.jobs.claim(earlier.id, f"{host}:{os.getpid()}:before", jobs.jobs.now())
        uow.commit()
    restarted = instance.job_worker()
    try:
        assert sorted(restarted.start()) == sorted([gone.id, earlier.id])
    finally:
        restarted.stop()
    for job_id in (gone.id, earlier.id):
        row = jobs.get_job(instance.uow(), admin, job_id)
        assert row.state is JobState.FAILED and row.error == INTERRUPTED
    assert jobs.get_job(instance.uow(), admin, alive.id).state is JobState.RUNNING


def test_a_stale_job_of_another_machine_is_failed_a_fresh_one_left(instance: Instance) -> None:
    fresh = jobs.jobs.now()
    assert jobs.worker_alive("elsewhere:12:x", fresh, "mine")
    assert not jobs.worker_alive("elsewhere:12:x", fresh - jobs.jobs.STALE_AFTER * 2, "mine")
    assert jobs.worker_alive("mine", None, "mine")


def test_progress_is_live_in_the_server_and_reaches_the_row(
    instance: Instance, admin: Actor, worker: jobs.Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    step, stepped = threading.Event(), threading.Event()

    def stepping(
        _ctx: jobs.JobContext,
        _actor: Actor,
        _job: jobs.JobRow,
        _content: bytes | None,
        report: jobs.Reporter,
    ) -> jobs.JobResult:
        report.total(3)
        for n in range(3):
            report.note(f"step {n + 1}")
            report.advance(1)
            stepped.set()
            assert step.wait(30)
            step.clear()
        return jobs.JobResult(summary="three steps")

    monkeypatch.setitem(KINDS, "test.steps", Kind(KINDS["registry.import"].permission, stepping))
    queued = jobs.start(instance.uow(), admin, "test.steps", {})
    worker.wake()
    assert stepped.wait(30)
    assert worker.live(queued.id) == Progress(1, 3, "step 1")
    deadline = time.monotonic() + 30
    while jobs.get_job(instance.uow(), admin, queued.id).progress != Progress(1, 3, "step 1"):
        assert time.monotonic() < deadline, "progress never reached the row"
        time.sleep(0.1)
    view = jobs.JobView.of(jobs.get_job(instance.uow(), admin, queued.id), worker.live(queued.id))
    assert (view.state, view.done, view.total, view.percent) == ("running", 1, 3, 33)
    for _ in range(3):
        step.set()
        time.sleep(0.05)
    done = wait(instance, admin, queued.id)
    assert done.state is JobState.SUCCEEDED and done.progress == Progress(3, 3, "three steps")
    assert worker.live(queued.id) is None


def test_a_progress_write_gives_way_to_a_writer_instead_of_waiting(
    sqlite_instance: Instance, admin: Actor
) -> None:
    """On SQLite the job's own transaction may hold the write lock: the flush skips, quickly."""
    queued = jobs.start(sqlite_instance.uow(), admin, "registry.import", {"file": "a.csv"}, CSV)
    with sqlite_instance.uow() as uow:
        uow.jobs.claim(queued.id, "w", jobs.jobs.now())
        uow.commit()
    with sqlite_instance.uow() as holding:  # BEGIN IMMEDIATE: holds the write lock
        holding.jobs.get(queued.id)
        began = time.monotonic()
        assert not record_progress_quickly(sqlite_instance.engine, queued.id, Progress(1, 2))
        assert time.monotonic() - began < 5
    assert record_progress_quickly(sqlite_instance.engine, queued.id, Progress(1, 2, "half"))
    row = jobs.get_job(sqlite_instance.uow(), admin, queued.id)
    assert row.progress == Progress(1, 2, "half")
