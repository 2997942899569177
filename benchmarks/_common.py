"""What every benchmark shares: where and when it ran, memory, timing, the JSON line, scoring.

A figure is only worth keeping with the machine, the date and the commit it was measured on,
so every script prints them in its one JSON line; progress goes to stderr, never to stdout.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from parley.domain.matching import Candidate, Outcome, Thresholds, classify
from parley.linkage.engine import ScoredPair
from parley.services.matching import candidate_of

ROOT = Path(__file__).resolve().parent.parent
PARLEY_THRESHOLDS = Thresholds()
"""The thresholds Parley runs with by default: every benchmark judges at these."""

console = Console(stderr=True)
T = TypeVar("T")


def _git(*args: str) -> str:
    """Read-only git queries; `--no-optional-locks` keeps even `diff` from touching the index."""
    try:
        done = subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _memory_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def header() -> dict[str, Any]:
    """Machine, date and commit; `src_modified` says the figures are of uncommitted code."""
    src_clean = subprocess.run(
        ["git", "--no-optional-locks", "diff", "--quiet", "HEAD", "--", "src"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    ).returncode
    return {
        "machine": {
            "host": socket.gethostname(),
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "memory_gib": _memory_total_gib(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "src_modified": src_clean == 1,
    }


def peak_memory_mib() -> dict[str, float]:
    """Peak resident memory (ru_maxrss, KiB on Linux) of this process and of its children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"self": round(own / 1024, 1), "children": round(children / 1024, 1)}


def emit(benchmark: str, parameters: dict[str, Any], results: dict[str, Any]) -> None:
    """The one line of figures on stdout: what ran, where, with what, and what came out."""
    peak = peak_memory_mib()  # before `git` runs: a forked child starts with our footprint
    line = {"benchmark": benchmark, **header(), "parameters": parameters, "results": results}
    line["results"]["peak_memory_mib"] = peak
    sys.stdout.write(json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n")
    sys.stdout.flush()


class Timer:
    """Named sections, in wall-clock seconds and in this process's CPU seconds (all threads:
    on a shared machine CPU time says what the work cost, wall time also what others took)."""

    def __init__(self, on_change: Callable[[Timer], None] = lambda _t: None) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self.running: tuple[str, float] | None = None
        """The section under way and when it started (time.time())."""
        self.on_change = on_change

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        console.log(f"[bold]{name}[/bold] …")
        start, cpu_start = time.perf_counter(), time.process_time()
        self.running = (name, time.time())
        self.on_change(self)
        try:
            yield
        finally:
            took = time.perf_counter() - start
            self.seconds[name] = round(self.seconds.get(name, 0.0) + took, 3)
            cpu = time.process_time() - cpu_start
            self.cpu_seconds[name] = round(self.cpu_seconds.get(name, 0.0) + cpu, 3)
            self.running = None
            self.on_change(self)
            console.log(f"{name}: {took:.1f} s")


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def tracked(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """Iterate with a progress bar on stderr."""
    with progress_bar() as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)


def note(text: str) -> None:
    console.log(text)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Decided:
    """How Parley would file one list entry, and the candidates a reviewer would see."""

    entry_id: str
    outcome: Outcome
    person_id: str | None
    candidates: tuple[tuple[str, float], ...]
    """(person id, probability), best first."""


def decide_entries(
    entry_ids: Iterable[str],
    scored: Iterable[tuple[str, str, float]],
    thresholds: Thresholds = PARLEY_THRESHOLDS,
    exclusive: Mapping[tuple[str, str], float | None] | None = None,
) -> dict[str, Decided]:
    """Group (entry, person, probability) by entry and classify exactly as a match run does.

    `exclusive`: the engine's exclusive probability of each (entry, person), when it gives
    one (`engine.ScoredPair.exclusive_probability`). `classify` works on integer ids, so
    person ids are numbered locally and mapped back.
    """
    by_entry: dict[str, dict[str, float]] = {}
    for entry_id, person_id, probability in scored:
        found = by_entry.setdefault(entry_id, {})
        found[person_id] = max(probability, found.get(person_id, 0.0))
    result: dict[str, Decided] = {}
    for entry_id in entry_ids:
        found = by_entry.get(entry_id, {})
        number = {pid: i for i, pid in enumerate(found)}
        person = {i: pid for pid, i in number.items()}
        candidates = [
            Candidate(number[pid], p, (exclusive or {}).get((entry_id, pid)))
            for pid, p in found.items()
        ]
        outcome, matched, alive = classify(candidates, thresholds, set(), set())
        result[entry_id] = Decided(
            entry_id,
            outcome,
            person[matched] if matched is not None else None,
            tuple((person[c.person_id], c.probability) for c in alive),
        )
    return result


def decide_pairs(
    entry_ids: Iterable[str],
    pairs: Iterable[ScoredPair],
    exclusive: bool = True,
    thresholds: Thresholds = PARLEY_THRESHOLDS,
) -> dict[str, Decided]:
    """Classify the engine's pairs exactly as a match run does (`matching.candidate_of`, the
    entry's birth date for the date rules); `exclusive=False` classifies on the pairwise
    probabilities alone (the margin and date rules still apply)."""
    by_entry: dict[str, list[ScoredPair]] = {}
    for pair in pairs:
        by_entry.setdefault(pair.entry_id, []).append(pair)
    result: dict[str, Decided] = {}
    for entry_id in entry_ids:
        found = by_entry.get(entry_id, [])
        candidates = [candidate_of(p, exclusive) for p in found]
        born = found[0].entry_born if found else None
        outcome, matched, alive = classify(candidates, thresholds, set(), set(), born)
        result[entry_id] = Decided(
            entry_id,
            outcome,
            str(matched) if matched is not None else None,
            tuple((str(c.person_id), c.probability) for c in alive),
        )
    return result


@dataclass(frozen=True)
class Quality:
    """Figures at the auto-accept threshold, and what a perfect reviewer would make of them."""

    entries: int
    with_true_match: int
    matched: int
    matched_correct: int
    review: int
    no_match: int
    review_resolvable: int
    """Entries in review whose true person is among the candidates a reviewer is shown."""

    @property
    def precision(self) -> float:
        return self.matched_correct / self.matched if self.matched else 1.0

    @property
    def recall(self) -> float:
        return self.matched_correct / self.with_true_match if self.with_true_match else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def review_share(self) -> float:
        return self.review / self.entries if self.entries else 0.0

    @property
    def precision_after_review(self) -> float:
        right = self.matched_correct + self.review_resolvable
        taken = self.matched + self.review_resolvable
        return right / taken if taken else 1.0

    @property
    def recall_after_review(self) -> float:
        right = self.matched_correct + self.review_resolvable
        return right / self.with_true_match if self.with_true_match else 1.0

    def figures(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "entries_with_true_match": self.with_true_match,
            "auto_matched": self.matched,
            "auto_matched_correct": self.matched_correct,
            "review": self.review,
            "no_match": self.no_match,
            "precision": round(self.precision, 5),
            "recall": round(self.recall, 5),
            "f1": round(self.f1, 5),
            "review_share": round(self.review_share, 5),
            "precision_after_perfect_review": round(self.precision_after_review, 5),
            "recall_after_perfect_review": round(self.recall_after_review, 5),
        }


SHOWN_CANDIDATES = 5
"""A reviewer sees this many candidates per entry (as `services.matching.runs.MAX_CANDIDATES`)."""


def quality(decided: dict[str, Decided], truth: Callable[[str], set[str]]) -> Quality:
    """`truth(entry_id)` gives the person ids that are the entry's true match (maybe none)."""
    with_true = matched = correct = review = no_match = resolvable = 0
    for entry_id, d in decided.items():
        right = truth(entry_id)
        with_true += bool(right)
        if d.outcome is Outcome.MATCHED:
            matched += 1
            correct += d.person_id in right
        elif d.outcome is Outcome.REVIEW:
            review += 1
            shown = {pid for pid, _ in d.candidates[:SHOWN_CANDIDATES]}
            resolvable += bool(shown & right)
        else:
            no_match += 1
    return Quality(len(decided), with_true, matched, correct, review, no_match, resolvable)


def why_not_matched(
    decided: dict[str, Decided],
    truth: Callable[[str], set[str]],
    thresholds: Thresholds = PARLEY_THRESHOLDS,
) -> dict[str, int]:
    """Entries whose true person was not auto-matched, by the reason the classification gives."""
    reasons: Counter[str] = Counter()
    for entry_id, d in decided.items():
        right = truth(entry_id)
        if not right or (d.outcome is Outcome.MATCHED and d.person_id in right):
            continue
        if d.outcome is Outcome.MATCHED:
            reasons["matched to another person"] += 1
        elif d.outcome is Outcome.REVIEW:
            contenders = sum(p >= thresholds.review for _, p in d.candidates)
            ambiguous = contenders > 1
            reasons["review: two candidates" if ambiguous else "review: best below accept"] += 1
        elif d.candidates:
            reasons["no match: scored below review"] += 1
        else:
            reasons["no match: never blocked"] += 1
    return dict(reasons.most_common())


def ratio(ours: float, theirs: float) -> float | None:
    return round(ours / theirs, 4) if theirs else None
