"""Load on PostgreSQL: mixed reads and writes through the API while imports run.

Builds a throwaway instance on a new PostgreSQL database (default server: the local one), fills
it with a demo-sized registry (synthetic persons imported from a generated CSV), serves it with
`parley serve`, then for `--seconds` runs `--readers` clients listing, searching and showing
persons, `--writers` clients adding note events, and one client importing a fresh 500-row file
after another. Reports requests/s, p50/p95/p99 and errors per kind. Goal (issue 12): 0 errors,
reads p95 under 300 ms. The database is dropped at the end.

`--background`: the server runs with `--no-jobs` beside a `parley jobs work` process, and each
import is a background job (`POST /api/v1/jobs/persons-import`, then polled until it ends; its
time is from queuing to the end of the job), as operations.md advises for busy instances.
`--workers N`: N server processes (`parley serve --workers N`, implies `--background`).

    .venv/bin/python -m benchmarks.load_pg [--persons 8000] [--seconds 60] [--background]
        [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import create_engine, text

from benchmarks._common import emit, note
from benchmarks.upload_memory import write_csv

SERVER = os.environ.get("PARLEY_LOAD_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
ROW_BYTES = 351
"""Bytes of one row of `upload_memory.write_csv`'s file."""
SEARCHES = ["Коваленко", "Шевченко", "Іван", "S-00001", "Мельник Андрій", "Бондаренко"]


def _database(name: str, create: bool) -> None:
    engine = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if create:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _prepare(directory: Path, url: str, persons: int) -> tuple[str, int]:
    """The instance with its registry; an admin API token and the number of persons."""
    from parley.domain.accounts.accounts import SYSTEM, Actor, Role
    from parley.instance import init_instance
    from parley.services import accounts
    from parley.services.registry import imports

    instance, _ = init_instance(directory, "UA", "Load", url, "load-password-1")
    csv_path = directory.parent / "registry.csv"
    rows = write_csv(csv_path, persons * ROW_BYTES / 1024 / 1024, seed=1)
    admin = Actor("admin", frozenset({Role.ADMIN}), "load", 1)
    imports.import_persons(instance.uow(), admin, "registry.csv", csv_path.read_bytes(), "UA", "uk")
    token = accounts.issue_token(instance.uow(), SYSTEM, "admin", "load").secret
    instance.close()
    return token, rows


class Recorder:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    async def call(self, kind: str, request: Any) -> httpx2.Response | None:
        started = time.perf_counter()
        try:
            response: httpx2.Response = await request
        except httpx2.HTTPError as exc:
            self.errors[kind].append(type(exc).__name__)
            return None
        self.times[kind].append(time.perf_counter() - started)
        if response.status_code >= 400:
            self.errors[kind].append(f"{response.status_code} {response.text[:120]}")
        return response


async def _reader(client: httpx2.AsyncClient, rec: Recorder, stop: float, top: int) -> None:
    chance = random.Random()
    while time.perf_counter() < stop:
        pick = chance.random()
        if pick < 0.4:
            await rec.call("read.list", client.get("/api/v1/persons", params={"limit": 50}))
        elif pick < 0.7:
            term = chance.choice(SEARCHES)
            await rec.call("read.search", client.get("/api/v1/persons", params={"q": term}))
        else:
            person = chance.randint(1, top)
            await rec.call("read.show", client.get(f"/api/v1/persons/{person}"))


async def _writer(client: httpx2.AsyncClient, rec: Recorder, stop: float, top: int) -> None:
    chance = random.Random()
    while time.perf_counter() < stop:
        person = chance.randint(1, top)
        body = {"type": "note", "effective_date": "2025-01-01", "source": "family", "note": "load"}
        await rec.call("write.event", client.post(f"/api/v1/persons/{person}/events", json=body))


async def _importer(
    client: httpx2.AsyncClient, rec: Recorder, stop: float, work: Path, background: bool
) -> int:
    done = 0
    while time.perf_counter() < stop:
        path = work / f"import-{done}.csv"
        write_csv(path, 500 * ROW_BYTES / 1024 / 1024, seed=1000 + done)
        content = path.read_text().replace("S-", f"L{done}-").encode()  # fresh identifiers
        files = {"file": (path.name, content, "text/csv")}
        if background:
            done += await _import_job(client, rec, files)
            continue
        response = await rec.call("import", client.post("/api/v1/imports/persons", files=files))
        done += 1 if response is not None and response.status_code == 200 else 0
    return done


async def _import_job(client: httpx2.AsyncClient, rec: Recorder, files: dict[str, Any]) -> int:
    """Queue the import as a job and poll it until it ends: 1 if it succeeded."""
    started = time.perf_counter()
    response = await rec.call(
        "import.queue", client.post("/api/v1/jobs/persons-import", files=files)
    )
    if response is None or response.status_code != 202:
        return 0
    job = response.json()
    while job["state"] in ("queued", "running"):
        await asyncio.sleep(0.25)
        polled = await rec.call("import.poll", client.get(f"/api/v1/jobs/{job['id']}"))
        if polled is None or polled.status_code != 200:
            return 0
        job = polled.json()
    if job["state"] != "succeeded":
        rec.errors["import"].append(f"job {job['id']}: {job['error'][:120]}")
        return 0
    rec.times["import"].append(time.perf_counter() - started)
    return 1


async def _load(
    base: str, token: str, top: int, args: argparse.Namespace, work: Path
) -> dict[str, Any]:
    rec = Recorder()
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx2.Limits(max_connections=args.readers + args.writers + 2)
    async with httpx2.AsyncClient(
        base_url=base, headers=headers, timeout=120, limits=limits
    ) as client:
        started = time.perf_counter()
        stop = started + args.seconds
        tasks = [_reader(client, rec, stop, top) for _ in range(args.readers)]
        tasks += [_writer(client, rec, stop, top) for _ in range(args.writers)]
        importer = _importer(client, rec, stop, work, args.background)
        results = await asyncio.gather(importer, *tasks)
        elapsed = time.perf_counter() - started
    kinds = {}
    for kind in sorted(set(rec.times) | set(rec.errors)):
        times = sorted(rec.times[kind])
        kinds[kind] = {
            "requests": len(times),
            "per_second": round(len(times) / elapsed, 1),
            "p50_ms": _pct(times, 50),
            "p95_ms": _pct(times, 95),
            "p99_ms": _pct(times, 99),
            "errors": len(rec.errors[kind]),
            "first_errors": rec.errors[kind][:3],
        }
    reads = sorted(t for k, v in rec.times.items() if k.startswith("read.") for t in v)
    total = sum(len(v) for v in rec.times.values())
    return {
        "seconds": round(elapsed, 1),
        "requests_per_second": round(total / elapsed, 1),
        "errors": sum(len(v) for v in rec.errors.values()),
        "reads_p95_ms": _pct(reads, 95),
        "reads_p99_ms": _pct(reads, 99),
        "imports_completed": results[0],
        "by_kind": kinds,
    }


def _pct(times: list[float], q: int) -> float | None:
    if not times:
        return None
    if len(times) == 1:
        return round(times[0] * 1000, 1)
    return round(statistics.quantiles(times, n=100, method="inclusive")[q - 1] * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=8000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--quick", action="store_true", help="1,000 persons, 20 seconds")
    parser.add_argument(
        "--background", action="store_true", help="imports as jobs of a `parley jobs work` process"
    )
    args = parser.parse_args()
    if args.quick:
        args.persons, args.seconds = 1000, 20
    args.background = args.background or args.workers > 1  # jobs leave the server processes
    name = f"parley_load_{int(time.time())}_{os.getpid()}"
    _database(name, create=True)
    server = worker = None
    load_before = os.getloadavg()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            note(f"building the registry ({args.persons:,} persons) in {name}")
            token, top = _prepare(work / "ua", f"{SERVER}/{name}", args.persons)
            command = [sys.executable, "-m", "parley.cli.main", "serve", "-i", str(work / "ua")]
            server = subprocess.Popen(
                [
                    *command,
                    *("--port", str(args.port), "--workers", str(args.workers)),
                    *(["--no-jobs"] if args.background else []),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if args.background:
                worker = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "parley.cli.main",
                        "jobs",
                        "work",
                        "-i",
                        str(work / "ua"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            base = f"http://127.0.0.1:{args.port}"
            _wait(base)
            note(f"{args.seconds} s: {args.readers} readers, {args.writers} writers, imports")
            results = asyncio.run(_load(base, token, top, args, work))
            results["persons"] = top
            results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    finally:
        for process in (server, worker):
            if process is not None:
                process.terminate()
                process.wait(30)
        _database(name, create=False)
    emit(
        "load_pg",
        {
            k: getattr(args, k)
            for k in ("persons", "seconds", "readers", "writers", "background", "workers")
        },
        results,
    )


def _wait(base: str) -> None:
    for _ in range(600):
        try:
            if httpx2.get(f"{base}/api/v1/health", timeout=5).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
