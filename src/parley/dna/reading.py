"""Reading a case from CSV files laid out as the dvir oracle exports them.

The files come from outside (a laboratory, a partner commission), so every value is checked
and every problem found is reported at once, naming the file, the row and the field
(`parley.domain.errors.ImportRejected`), before anything is computed.

    pedigree.csv   component,id,fid,mid,sex      (component PM = the bodies; 0 = founder)
    genotypes.csv  component,id,marker,allele1,allele2
    freqs.csv      marker,allele,freq
    mutation.csv   marker,sex,model,rate          (optional; model none/equal/proportional/stepwise)
    missing.csv    missing
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parley.dna.model import (
    DEFAULT_MIN_ALLELE_FREQUENCY,
    DviCase,
    Family,
    Genotype,
    Marker,
    MutationModel,
    Person,
    Sex,
    Victim,
)
from parley.domain.errors import ImportRejected, Problem

VICTIM_COMPONENT = "PM"
MAX_FIELD_LENGTH = 200
MUTATION_KINDS = ("equal", "proportional", "stepwise")


@dataclass
class _Rows:
    """One CSV file's rows (1-based numbers, header = row 1) and the problems found in it."""

    name: str
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]

    def problem(self, row: int, field: str, message: str) -> None:
        self.problems.append(Problem(row, field, message, self.name))


def _read(path: Path, columns: tuple[str, ...]) -> _Rows:
    rows = _Rows(path.name, [], [])
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            absent = [c for c in columns if c not in header]
            for column in absent:
                rows.problem(1, column, "column missing from the header")
            if absent:
                return rows
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    rows.problem(number, "*", f"{len(values)} fields, header has {len(header)}")
                    continue
                record = {h: v.strip() for h, v in zip(header, values, strict=True)}
                long = [c for c in columns if len(record[c]) > MAX_FIELD_LENGTH]
                for column in long:
                    rows.problem(number, column, f"longer than {MAX_FIELD_LENGTH} characters")
                if not long:
                    rows.rows.append((number, record))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        rows.problem(0, "*", f"unreadable: {exc}")
    return rows


def read_case(folder: Path, min_allele_frequency: float = DEFAULT_MIN_ALLELE_FREQUENCY) -> DviCase:
    """Read a case; raise `ImportRejected` listing every problem of the first bad file."""
    freqs = _read(folder / "freqs.csv", ("marker", "allele", "freq"))
    markers = _markers(freqs)
    _refuse(freqs)
    mutation_path = folder / "mutation.csv"
    if mutation_path.exists():
        mutation = _read(mutation_path, ("marker", "sex", "model", "rate"))
        markers = _with_mutation(markers, mutation)
        _refuse(mutation)
    pedigree = _read(folder / "pedigree.csv", ("component", "id", "fid", "mid", "sex"))
    components = _components(pedigree)
    _refuse(pedigree)
    genotypes = _read(folder / "genotypes.csv", ("component", "id", "marker", "allele1", "allele2"))
    typed = _genotypes(genotypes, components, markers)
    _refuse(genotypes)
    missing_rows = _read(folder / "missing.csv", ("missing",))
    missing = tuple(r["missing"] for _, r in missing_rows.rows)
    _refuse(missing_rows)

    marker_list = list(markers.values())
    for i, marker in enumerate(marker_list):
        seen = [a for profile in typed.values() for a in profile.get(marker.name, ())]
        marker_list[i] = marker.with_alleles(seen, min_allele_frequency)
    order = {m.name: i for i, m in enumerate(marker_list)}

    def profile(key: tuple[str, str]) -> dict[int, Genotype]:
        alleles = typed.get(key, {})
        out: dict[int, Genotype] = {}
        for name, (a, b) in alleles.items():
            marker = marker_list[order[name]]
            out[order[name]] = (marker.index(a), marker.index(b))
        return out

    victims = tuple(
        Victim(p.id, p.sex, profile((VICTIM_COMPONENT, p.id)))
        for p in components.get(VICTIM_COMPONENT, [])
    )
    families = tuple(
        Family(
            name,
            tuple(people),
            {p.id: profile((name, p.id)) for p in people if (name, p.id) in typed},
        )
        for name, people in components.items()
        if name != VICTIM_COMPONENT
    )
    problems = _Rows("missing.csv", [], [])
    for number, record in missing_rows.rows:
        holders = [f for f in families if any(p.id == record["missing"] for p in f.members)]
        if len(holders) != 1:
            problems.problem(number, "missing", f"in {len(holders)} families, expected 1")
        elif (holders[0].name, record["missing"]) in typed:
            problems.problem(number, "missing", "a missing person cannot be typed")
    _refuse(problems)
    return DviCase(tuple(marker_list), victims, families, missing)


def _refuse(rows: _Rows) -> None:
    if rows.problems:
        raise ImportRejected(rows.name, rows.problems)


def _markers(rows: _Rows) -> dict[str, Marker]:
    table: dict[str, dict[str, float]] = defaultdict(dict)
    first_row: dict[str, int] = {}
    for number, r in rows.rows:
        name, allele = r["marker"], r["allele"]
        if not name:
            rows.problem(number, "marker", "empty")
            continue
        if not allele or allele in {"0", "NA"}:
            rows.problem(number, "allele", f"not an allele label: {allele!r}")
            continue
        value = _number(rows, number, "freq", r["freq"])
        if value is None:
            continue
        if not 0 < value <= 1:
            rows.problem(number, "freq", f"must be in (0, 1]: {value}")
        elif allele in table[name]:
            rows.problem(number, "allele", f"allele {allele} listed twice for {name}")
        else:
            table[name][allele] = value
            first_row.setdefault(name, number)
    markers: dict[str, Marker] = {}
    for name, alleles in table.items():
        total = sum(alleles.values())
        if round(total, 3) != 1:
            rows.problem(first_row[name], "freq", f"frequencies of {name} sum to {total:.6f}")
            continue
        markers[name] = Marker(name, tuple(alleles), np.array(list(alleles.values())))
    return markers


def _number(rows: _Rows, number: int, field: str, text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        rows.problem(number, field, f"not a number: {text!r}")
        return None
    if not math.isfinite(value):
        rows.problem(number, field, f"not a finite number: {text!r}")
        return None
    return value


def _with_mutation(markers: dict[str, Marker], rows: _Rows) -> dict[str, Marker]:
    models: dict[tuple[str, str], MutationModel] = {}
    for number, r in rows.rows:
        name, sex, kind = r["marker"], r["sex"], r["model"]
        if name not in markers:
            rows.problem(number, "marker", f"unknown marker {name!r} (not in freqs.csv)")
            continue
        if kind in {"none", ""}:
            continue
        if kind not in MUTATION_KINDS:
            rows.problem(number, "model", f"unknown model {kind!r}")
            continue
        if sex not in {"male", "female"}:
            rows.problem(number, "sex", f"must be male or female: {sex!r}")
            continue
        rate = _number(rows, number, "rate", r["rate"])
        if rate is None:
            continue
        if not 0 <= rate <= 1:
            rows.problem(number, "rate", f"must be in [0, 1]: {rate}")
            continue
        models[(name, sex)] = MutationModel(kind, rate)  # type: ignore[arg-type]
    return {
        name: Marker(
            name,
            m.alleles,
            m.frequencies,
            models.get((name, "male")),
            models.get((name, "female")),
        )
        for name, m in markers.items()
    }


def _components(rows: _Rows) -> dict[str, list[Person]]:
    people: dict[str, list[Person]] = defaultdict(list)
    for number, r in rows.rows:
        component, person_id = r["component"], r["id"]
        if not component or not person_id or person_id == "0":
            rows.problem(number, "id" if component else "component", "empty")
            continue
        if r["sex"] not in {"1", "2"}:
            rows.problem(number, "sex", f"must be 1 (male) or 2 (female): {r['sex']!r}")
            continue
        father = None if r["fid"] in {"0", ""} else r["fid"]
        mother = None if r["mid"] in {"0", ""} else r["mid"]
        if (father is None) != (mother is None):
            rows.problem(number, "fid" if father is None else "mid", "only one parent given")
            continue
        if component == VICTIM_COMPONENT and father is not None:
            rows.problem(number, "fid", "a body (component PM) cannot have parents")
            continue
        if any(p.id == person_id for p in people[component]):
            rows.problem(number, "id", f"{person_id} appears twice in {component}")
            continue
        people[component].append(Person(person_id, Sex(int(r["sex"])), father, mother))
    for component, members in people.items():
        ids = {p.id: p for p in members}
        for p in members:
            for role, parent, sex in (("fid", p.father, Sex.MALE), ("mid", p.mother, Sex.FEMALE)):
                if parent is None:
                    continue
                if parent not in ids:
                    rows.problem(
                        _row_of(rows, component, p.id), role, f"{parent} not in {component}"
                    )
                elif ids[parent].sex is not sex:
                    rows.problem(
                        _row_of(rows, component, p.id), role, f"{parent} has the wrong sex"
                    )
        if _has_cycle(members):
            rows.problem(0, "fid", f"{component}: someone is their own ancestor")
    return dict(people)


def _row_of(rows: _Rows, component: str, person_id: str) -> int:
    return next(
        (n for n, r in rows.rows if r["component"] == component and r["id"] == person_id), 0
    )


def _has_cycle(members: list[Person]) -> bool:
    parents = {p.id: [q for q in (p.father, p.mother) if q is not None] for p in members}
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        if state.get(node) == 1:
            return True
        if state.get(node) == 2:
            return False
        state[node] = 1
        found = any(visit(q) for q in parents.get(node, []))
        state[node] = 2
        return found

    return any(visit(p.id) for p in members)


def _genotypes(
    rows: _Rows, components: dict[str, list[Person]], markers: dict[str, Marker]
) -> dict[tuple[str, str], dict[str, tuple[str, str]]]:
    typed: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
    for number, r in rows.rows:
        key = (r["component"], r["id"])
        if not any(p.id == key[1] for p in components.get(key[0], [])):
            rows.problem(number, "id", f"{key[1]} is not in component {key[0]} of pedigree.csv")
            continue
        if r["marker"] not in markers:
            rows.problem(number, "marker", f"unknown marker {r['marker']!r} (not in freqs.csv)")
            continue
        a, b = r["allele1"], r["allele2"]
        if not a or not b or "0" in (a, b) or "NA" in (a, b):
            rows.problem(number, "allele1" if not a or a in {"0", "NA"} else "allele2", "empty")
            continue
        if r["marker"] in typed[key]:
            rows.problem(number, "marker", f"{key[1]} typed twice for {r['marker']}")
            continue
        typed[key][r["marker"]] = (a, b)
    return dict(typed)


def iter_case_folders(root: Path) -> Iterator[Path]:
    """Case folders (those with an `input/` folder) under `root`, by name."""
    for folder in sorted(root.iterdir()):
        if (folder / "input").is_dir():
            yield folder
