"""A match run's results as one table, for review outside Parley and for the list's sender.

One row per entry: the entry as the list wrote it and as parsed, the list's own id and the
columns it kept, the outcome, and the best candidate with its score on every row — also on
review and no-match rows, where a reviewer most needs to see how close the nearest person came.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parley.domain.accounts.accounts import Actor
from parley.services.matching.results import run_entries
from parley.services.matching.rows import CandidateRow, EntryRow
from parley.services.uow import UnitOfWork

COLUMNS = (
    "row",
    "record_id",
    "written",
    "entry",
    "birth_date",
    "outcome",
    "person_id",
    "person",
    "probability",
    "best_person_id",
    "best_person",
    "best_birth_date",
    "best_record_id",
    "best_probability",
    "candidates",
)
"""Always there, in this order; the list's kept columns follow, named as the list named them."""

NO_CANDIDATE = "none"
"""`best_person` when the engine scored no pair for the entry (nobody came near)."""


@dataclass(frozen=True)
class ExportTable:
    columns: list[str]
    rows: list[dict[str, Any]]


def export_rows(uow: UnitOfWork, actor: Actor, run_id: int) -> ExportTable:
    """Every entry of a run with its outcome and best candidate (reading is audited)."""
    entries, _ = run_entries(uow, actor, run_id, None, 0, 1_000_000)
    wanted = {c.person_id for _, cs in entries for c in cs}
    wanted |= {e.person_id for e, _ in entries if e.person_id is not None}
    with uow:
        people = {p.id: p for p in uow.persons.summaries(sorted(wanted))}
    extra: dict[str, str] = {}  # the entry's key → its export column
    for entry, _ in entries:
        for key in entry.entry.get("extra", {}):
            if key != "record_id" and key not in extra:
                extra[key] = f"list {key}" if key in COLUMNS else key
    rows = [_row(entry, candidates, people, extra) for entry, candidates in entries]
    return ExportTable([*COLUMNS, *extra.values()], rows)


def _row(
    entry: EntryRow, candidates: list[CandidateRow], people: dict[int, Any], extra: dict[str, str]
) -> dict[str, Any]:
    written = entry.entry.get("extra", {})
    best = candidates[0] if candidates else None
    nearest = people.get(best.person_id) if best else None
    matched = people.get(entry.person_id) if entry.person_id is not None else None
    row: dict[str, Any] = {
        "row": entry.row,
        "record_id": written.get("record_id", ""),
        "written": entry.entry.get("written") or entry.entry.get("full_name", ""),
        "entry": entry.entry.get("full_name", ""),
        "birth_date": entry.entry.get("birth_date") or "",
        "outcome": entry.outcome.value,
        "person_id": entry.person_id or "",
        "person": matched.name if matched else "",
        "probability": round(entry.probability, 6) if entry.probability is not None else "",
        "best_person_id": best.person_id if best else "",
        "best_person": nearest.name if nearest else ("" if best else NO_CANDIDATE),
        "best_birth_date": str(nearest.birth_date or "") if nearest else "",
        "best_record_id": nearest.record_id if nearest else "",
        "best_probability": round(best.probability, 6) if best else "",
        "candidates": "; ".join(f"{c.person_id} ({c.probability:.3f})" for c in candidates),
    }
    row.update({column: written.get(key, "") for key, column in extra.items()})
    return row
