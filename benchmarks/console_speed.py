"""Console speed: every main page timed on a demo instance, as a logged-in admin sees it.

Run it on the full-scale demo (`parley demo DIR --scale full`, about 11,000 persons a party):
the pages are rendered in process through the ASGI app (FastAPI's TestClient), so the time is
the server's — routing, services, database, templates — without a network. The process is
first readied as `parley serve` readies it (name dictionaries loaded, the chart renderer
started). Each page is fetched once to warm caches (templates, the compiled catalogues, the
figures kept per data version), then `--runs` times; the median and the slowest are reported.
Goal: every page under 300 ms.

The benchmark adds an account `bench-admin` to the instance the first time it runs (an admin,
so every page and every dashboard count is drawn) and copies nothing else.

    .venv/bin/python -m benchmarks.console_speed DIR [--instance ua] [--runs 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from rich.table import Table

from benchmarks._common import console, emit, note
from parley.domain.accounts.accounts import SYSTEM, Role
from parley.domain.errors import Conflict
from parley.instance import open_instance
from parley.names import load_dictionaries
from parley.services import accounts, exchange
from parley.web.app import create_app

GOAL_MS = 300
USER = "bench-admin"
PASSWORD = "bench: a long passphrase nobody else uses"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FIRST_LINK = {
    "person": re.compile(r'href="(/persons/\d+)"'),
    "run": re.compile(r'href="(/matching/runs/\d+)"'),
    "list": re.compile(r'href="(/lists/\d+)"'),
    "stage": re.compile(r'href="(/stages/\d+)"'),
    "batch": re.compile(r'href="(/remains/batches/\d+)"'),
    "commitment": re.compile(r'href="(/agreements/commitments/\d+)[^"]*"'),
}
PAGES = [
    "/",
    "/persons",
    "/persons?q=Kovalenko",
    "{person}",
    "/matching",
    "{run}",
    "/matching/review",
    "/lists",
    "{list}",
    "/children",
    "/medical",
    "/medical?overdue=1",
    "/stages",
    "{stage}",
    "/progress",
    "/remains",
    "/remains/bodies",
    "{batch}",
    "/agreements",
    "{commitment}",
    "/audit",
    "/public",
]


def _log_in(client: TestClient) -> None:
    page = client.get("/login")
    token = CSRF.search(page.text)
    assert token, "the login page has no CSRF field"
    done = client.post(
        "/login",
        data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
    )
    if done.status_code != 200:
        raise SystemExit(f"could not log in as {USER}: {done.status_code}")


def _resolve(client: TestClient, page: str, found: dict[str, str]) -> str | None:
    if not page.startswith("{"):
        return page
    name = page.strip("{}")
    if name not in found:
        index = {
            "person": "/persons",
            "run": "/matching",
            "list": "/lists",
            "stage": "/stages",
            "batch": "/remains",
            "commitment": "/agreements",
        }[name]
        hit = FIRST_LINK[name].search(client.get(index).text)
        if hit is None:
            return None
        found[name] = hit.group(1)
    return found[name]


def _time(client: TestClient, path: str, runs: int) -> dict[str, Any]:
    start = time.perf_counter()
    client.get(path)  # warm: templates compiled, catalogues read, caches filled
    first = time.perf_counter() - start
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds) * 1000
    return {
        "path": path,
        "status": response.status_code,
        "first_ms": round(first * 1000, 1),
        "median_ms": round(median, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "bytes": len(response.content),
        "under_goal": median < GOAL_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path, help="folder a `parley demo` was built in")
    parser.add_argument("--instance", default="ua")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    instance = open_instance(args.directory / args.instance)
    try:
        try:
            accounts.create_account(instance.uow(), SYSTEM, USER, PASSWORD, frozenset({Role.ADMIN}))
        except Conflict:
            note(f"{USER} exists already")
        load_dictionaries()  # as `parley serve` does before it listens
        exchange.warm_up()
        results = []
        with TestClient(create_app(instance)) as client:
            _log_in(client)
            found: dict[str, str] = {}
            for page in PAGES:
                path = _resolve(client, page, found)
                if path is None:
                    note(f"no {page} to open on this instance")
                    continue
                results.append(_time(client, path, args.runs))
                console.log(f"{path}: {results[-1]['median_ms']} ms")
    finally:
        instance.close()
    table = Table("page", "status", "median ms", "max ms", "KiB", "< 300 ms")
    for r in results:
        table.add_row(
            r["path"],
            str(r["status"]),
            f"{r['median_ms']:.0f}",
            f"{r['max_ms']:.0f}",
            f"{r['bytes'] / 1024:.0f}",
            "✔" if r["under_goal"] else "✘",
        )
    console.print(table)
    emit(
        "console_speed",
        {"directory": str(args.directory), "instance": args.instance, "runs": args.runs},
        {
            "pages": results,
            "slowest_ms": max((r["median_ms"] for r in results), default=0),
            "all_under_goal": all(r["under_goal"] for r in results),
        },
    )


if __name__ == "__main__":
    main()
