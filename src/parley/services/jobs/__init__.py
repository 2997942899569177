"""Background jobs: long use cases (matching, imports, documents) run by the server's worker.

Modules:
- `kinds`: what a job can be — the permission to start each kind and the use case it runs.
- `jobs`: start, list, show, download a result; fail the jobs a restart cut off.
- `worker`: the thread in the server process that runs queued jobs one at a time.
- `shown`: jobs as the views every door shows, with the worker's live progress.
- `views`: a job as the API returns it and the CLI prints it; `rows`: the repository's shapes.

Jobs come after every track: a kind runs another track's use case through its package.
See docs/jobs.md.
"""

from parley.services.jobs.jobs import (
    get_job,
    list_jobs,
    recover_interrupted,
    result_file,
    start,
    worker_alive,
    worker_id,
)
from parley.services.jobs.kinds import KINDS, JobContext, Kind, Reporter
from parley.services.jobs.rows import JobResult, JobRow, NewJob
from parley.services.jobs.shown import Live, job_view, jobs_view, start_view
from parley.services.jobs.views import JobsOut, JobView
from parley.services.jobs.worker import LiveJob, Worker

__all__ = [
    "KINDS",
    "JobContext",
    "JobResult",
    "JobRow",
    "JobView",
    "JobsOut",
    "Kind",
    "Live",
    "LiveJob",
    "NewJob",
    "Reporter",
    "Worker",
    "get_job",
    "job_view",
    "jobs_view",
    "list_jobs",
    "recover_interrupted",
    "result_file",
    "start",
    "start_view",
    "worker_alive",
    "worker_id",
]
