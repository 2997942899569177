"""Console speed: every main page timed on a demo instance, as a logged-in admin sees it.

Run it on the full-scale demo (`parley demo DIR --scale full`, about 11,000 persons a party):
the pages are rendered in process through the ASGI app (FastAPI's TestClient), so the time is
the server's — routing, services, database, templates — without a network. The process is
first readied as `parley serve` readies it (name dictionaries loaded, the chart renderer
started). Each page is fetched once to warm caches (templates, the compiled catalogues, the
figures kept per data version), then `--runs` times; the median and the slowest are reported.
Goal: every page under 300 ms.

Then the first request after a write, twice per page: a small real write through the service
(a person registered as held by us, which changes the All-for-all pools and the registry
counts), then the page fetched *at once* (the request meets the server's warmer computing the
kept figures again, and waits for the one it needs), and another write with the page fetched
*after a pause* of `--pause` seconds (a user who reads the page a few seconds after the write;
the warmer has had that long). The time the warmer took to settle after the last write of a
page is reported beside it. `--no-writes` skips this part.

The benchmark adds an account `bench-admin` to the instance the first time it runs (an admin,
so every page and every dashboard count is drawn) and, unless `--no-writes`, two held persons
a page (surname `Бенчмарк`, unit `bench`); it copies nothing else.

    .venv/bin/python -m benchmarks.console_speed DIR [--instance ua] [--runs 5] [--pause 5]
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from rich.table import Table

from benchmarks._common import console, emit, note
from parley.cli import serving
from parley.domain.accounts.accounts import SYSTEM, Actor, Role
from parley.domain.dates import PartialDate
from parley.domain.errors import Conflict
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import Person, PersonCategory, PersonName, Sex
from parley.instance import Instance, open_instance
from parley.services import accounts, registry
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


_written = itertools.count(1)


def _write(instance: Instance) -> None:
    """A small real write: one person of the other side registered as held by us."""
    actor = Actor(USER, frozenset({Role.ADMIN}), "benchmark", 0)
    person = Person(
        "RU" if instance.config.party != "RU" else "UA",
        PersonCategory.MILITARY,
        Sex.MALE,
        [PersonName("Бенчмарк", f"Запис{next(_written)}", "")],
        PartialDate.parse("1990"),
        unit="bench",
    )
    held = EventDraft(EventType.DETAINED, date(2024, 3, 1), Source.OWN_INFORMATION)
    registry.register_person(instance.uow(), actor, person, [held])


def _after_write(client: TestClient, instance: Instance, path: str, pause: float) -> dict[str, Any]:
    """The page's first fetch at once after a write, and after a pause after another."""
    _write(instance)
    start = time.perf_counter()
    client.get(path)
    at_once = time.perf_counter() - start
    _write(instance)
    written = time.perf_counter()
    time.sleep(pause)
    start = time.perf_counter()
    client.get(path)
    paused = time.perf_counter() - start
    warmer = getattr(client.app.state, "warmer", None)  # type: ignore[attr-defined]
    settled = None
    if warmer is not None and warmer.settled(60):
        settled = round(time.perf_counter() - written, 2)
    return {
        "after_write_ms": round(at_once * 1000, 1),
        "after_pause_ms": round(paused * 1000, 1),
        "warmer_settled_s": settled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path, help="folder a `parley demo` was built in")
    parser.add_argument("--instance", default="ua")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pause", type=float, default=5.0, help="seconds after a write")
    parser.add_argument("--no-writes", action="store_true", help="warm figures only")
    args = parser.parse_args()
    instance = open_instance(args.directory / args.instance)
    try:
        try:
            accounts.create_account(instance.uow(), SYSTEM, USER, PASSWORD, frozenset({Role.ADMIN}))
        except Conflict:
            note(f"{USER} exists already")
        serving.warm_up()  # as `parley serve` does before it listens, the collector's settings too
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
                if not args.no_writes:
                    results[-1] |= _after_write(client, instance, path, args.pause)
                console.log(
                    f"{path}: {results[-1]['median_ms']} ms warm, "
                    f"{results[-1].get('after_write_ms')} ms at once after a write, "
                    f"{results[-1].get('after_pause_ms')} ms {args.pause:g} s after one"
                )
    finally:
        instance.close()
    table = Table(
        "page", "status", "median ms", "max ms", "write, at once", "write, pause", "KiB", "< 300"
    )
    for r in results:
        table.add_row(
            r["path"],
            str(r["status"]),
            f"{r['median_ms']:.0f}",
            f"{r['max_ms']:.0f}",
            f"{r['after_write_ms']:.0f}" if "after_write_ms" in r else "",
            f"{r['after_pause_ms']:.0f}" if "after_pause_ms" in r else "",
            f"{r['bytes'] / 1024:.0f}",
            "✔" if r["under_goal"] else "✘",
        )
    console.print(table)
    emit(
        "console_speed",
        {
            "directory": str(args.directory),
            "instance": args.instance,
            "runs": args.runs,
            "pause_s": None if args.no_writes else args.pause,
        },
        {
            "pages": results,
            "slowest_ms": max((r["median_ms"] for r in results), default=0),
            "all_under_goal": all(r["under_goal"] for r in results),
            "slowest_after_write_ms": max((r.get("after_write_ms", 0) for r in results), default=0),
            "slowest_after_pause_ms": max((r.get("after_pause_ms", 0) for r in results), default=0),
        },
    )


if __name__ == "__main__":
    main()
