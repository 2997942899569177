"""Reference families in the instance: import from dvir's CSV layout, consent, body profiles.

A case folder (pedigree.csv, genotypes.csv, freqs.csv, mutation.csv, missing.csv) is read as
hostile input by `parley.dna.reading.read_case`, then checked against the instance: a marker
must be in the frequency table the instance screens with (NIST 1036, shipped), a family or
missing person must not be stored already, a `person_id` in missing.csv must name a registry
person, and a body (component PM) must be registered or be given a batch. Every problem is
reported at once (file, row, field) and nothing is stored unless every file passes.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, date, datetime, time
from pathlib import Path

from parley.dna.frequencies import canonical_locus
from parley.dna.model import DviCase
from parley.dna.reading import VICTIM_COMPONENT, read_case
from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import ImportRejected, InvalidInput, Problem, RemainsNotFound
from parley.domain.remains.bodies import BodyStatus, BodyStep, check_step
from parley.domain.remains.references import (
    Consent,
    ConsentDecision,
    Member,
    check_consent,
    consent_in_force,
    relationship,
)
from parley.services.accounts import log
from parley.services.remains.bodies import domain_steps
from parley.services.remains.rows import (
    ConsentRow,
    NewBodyGenotype,
    NewGenotype,
    NewReference,
    ReferenceRow,
)
from parley.services.remains.views import DonorView, FamilyView, ReferenceImport
from parley.services.uow import UnitOfWork

MAX_ID = 100
MAX_MARKER = 40
MAX_ALLELE = 20
FREQUENCY_TABLE = "NIST 1036 (U.S. population, public domain)"


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Re-read a file `read_case` already accepted, for the row numbers of instance checks."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        out = []
        for number, record in enumerate(reader, start=2):
            cleaned = {(k or "").strip(): (v or "").strip() for k, v in record.items()}
            if any(cleaned.values()):
                out.append((number, cleaned))
        return out


def _instance_problems(
    uow: UnitOfWork, folder: Path, case: DviCase, batch_id: int | None
) -> list[Problem]:
    problems: list[Problem] = []
    seen_marker: set[str] = set()
    for number, record in _csv_rows(folder / "genotypes.csv"):
        marker = record["marker"]
        if canonical_locus(marker) is None and marker not in seen_marker:
            seen_marker.add(marker)
            problems.append(
                Problem(
                    number,
                    "marker",
                    f"{marker} is not in the instance's frequency table ({FREQUENCY_TABLE})",
                    "genotypes.csv",
                )
            )
        for field in ("allele1", "allele2"):
            if len(record[field]) > MAX_ALLELE:
                problems.append(
                    Problem(number, field, f"longer than {MAX_ALLELE}", "genotypes.csv")
                )
    stored = uow.remains.references()
    families = {r.family for r in stored}
    missing_stored = {r.member: r.family for r in stored if r.missing}
    first_row: dict[str, int] = {}
    for number, record in _csv_rows(folder / "pedigree.csv"):
        component, member = record["component"], record["id"]
        first_row.setdefault(component, number)
        for field, text in (("component", component), ("id", member)):
            if len(text) > MAX_ID:
                problems.append(Problem(number, field, f"longer than {MAX_ID}", "pedigree.csv"))
        if component == VICTIM_COMPONENT:
            body = uow.remains.body_by_tag(member)
            if body is None and batch_id is None:
                problems.append(
                    Problem(
                        number,
                        "id",
                        f"body {member} is not registered: give the batch to register it in",
                        "pedigree.csv",
                    )
                )
            elif body is not None and uow.remains.body_genotypes([body.id]):
                problems.append(
                    Problem(number, "id", f"body {member} already has a profile", "pedigree.csv")
                )
    for family in case.families:
        if family.name in families:
            problems.append(
                Problem(
                    first_row.get(family.name, 0),
                    "component",
                    f"family {family.name} is already stored",
                    "pedigree.csv",
                )
            )
    person_ids: list[tuple[int, int]] = []
    for number, record in _csv_rows(folder / "missing.csv"):
        if record["missing"] in missing_stored:
            where = missing_stored[record["missing"]]
            problems.append(
                Problem(
                    number,
                    "missing",
                    f"{record['missing']} is already a missing person of family {where}",
                    "missing.csv",
                )
            )
        text = record.get("person_id", "")
        if text:
            if not text.isdigit():
                problems.append(Problem(number, "person_id", "not a number", "missing.csv"))
            else:
                person_ids.append((int(text), number))
    found = uow.persons.get_many([p for p, _ in person_ids]) if person_ids else {}
    for person_id, number in person_ids:
        if person_id not in found:
            problems.append(
                Problem(number, "person_id", f"no registry person {person_id}", "missing.csv")
            )
    return problems


def import_references(
    uow: UnitOfWork,
    actor: Actor,
    folder: Path,
    *,
    received_on: date,
    consent_by: str = "",
    batch_id: int | None = None,
    at: datetime | None = None,
) -> ReferenceImport:
    """Store a case's reference families and body profiles; all or nothing.

    `consent_by` records, for every typed relative, consent given (on `received_on`) as
    attested by that person or office; without it the relatives' profiles are stored but not
    used until consent is recorded. `batch_id` registers bodies not yet in the instance.
    """
    actor.require(Permission.REMAINS_RECORD)
    case = read_case(folder)
    source = (folder.resolve().parent.name if folder.name == "input" else folder.name)[:200]
    person_of = {
        r["missing"]: int(r["person_id"])
        for _, r in _csv_rows(folder / "missing.csv")
        if r.get("person_id", "").isdigit()
    }
    when = at or datetime.combine(received_on, time(12), UTC)
    with uow:
        if batch_id is not None and uow.remains.batch(batch_id) is None:
            raise RemainsNotFound(f"no batch {batch_id}")
        problems = _instance_problems(uow, folder, case, batch_id)
        if problems:
            raise ImportRejected(problems[0].file, problems)
        missing = set(case.missing)
        references: list[NewReference] = []
        genotypes: list[NewGenotype] = []
        typed_donors: list[tuple[str, str]] = []
        for family in case.families:
            for person in family.members:
                references.append(
                    {
                        "family": family.name,
                        "member": person.id,
                        "father": person.father or "",
                        "mother": person.mother or "",
                        "sex": int(person.sex),
                        "missing": person.id in missing,
                        "person_id": person_of.get(person.id),
                        "received_on": received_on,
                        "source": source,
                        "recorded_by": actor.username,
                    }
                )
            for member, profile in family.profiles.items():
                if profile:
                    typed_donors.append((family.name, member))
                for k, (a, b) in sorted(profile.items()):
                    marker = case.markers[k]
                    genotypes.append(
                        {
                            "family": family.name,
                            "member": member,
                            "marker": canonical_locus(marker.name) or marker.name,
                            "allele1": marker.alleles[a],
                            "allele2": marker.alleles[b],
                            "recorded_by": actor.username,
                        }
                    )
        uow.remains.add_references(references)
        uow.remains.add_genotypes(genotypes)
        if consent_by.strip():
            for family_name, member in typed_donors:
                uow.remains.add_consent(
                    {
                        "family": family_name,
                        "member": member,
                        "state": Consent.GIVEN.value,
                        "given_by": consent_by.strip()[:200],
                        "decided_on": received_on,
                        "recorded_by": actor.username,
                    }
                )
        profiled = _store_body_profiles(uow, actor, case, batch_id, source, when)
        log(
            uow,
            actor,
            "remains.references",
            "remains_reference",
            [],
            source=source,
            families=len(case.families),
            missing=len(case.missing),
            bodies=len(profiled),
        )
        uow.commit()
    return ReferenceImport(
        source=source,
        families=len(case.families),
        missing=len(case.missing),
        donors=len(typed_donors),
        donors_without_consent=0 if consent_by.strip() else len(typed_donors),
        bodies_profiled=profiled,
        frequency_table=FREQUENCY_TABLE,
    )


def _store_body_profiles(
    uow: UnitOfWork,
    actor: Actor,
    case: DviCase,
    batch_id: int | None,
    source: str,
    when: datetime,
) -> list[str]:
    """Each body's profile, registering the body in `batch_id` if needed; walked to profiled."""
    tags = []
    for victim in case.victims:
        row = uow.remains.body_by_tag(victim.id)
        if row is None:
            assert batch_id is not None  # checked with the other problems
            row = uow.remains.add_body(
                {
                    "batch_id": batch_id,
                    "tag": victim.id,
                    "bag": "",
                    "condition": "",
                    "effects": "",
                    "documents": "",
                    "disc_halves": 0,
                    "recorded_by": actor.username,
                }
            )
        uow.remains.add_body_genotypes(
            [
                NewBodyGenotype(
                    body_id=row.id,
                    sex=int(victim.sex),
                    marker=canonical_locus(case.markers[k].name) or case.markers[k].name,
                    allele1=case.markers[k].alleles[a],
                    allele2=case.markers[k].alleles[b],
                    source=source,
                    recorded_by=actor.username,
                )
                for k, (a, b) in sorted(victim.profile.items())
            ]
        )
        walk_to(uow, actor, row.id, victim.id, BodyStatus.PROFILED, when)
        tags.append(victim.id)
    return tags


def walk_to(
    uow: UnitOfWork,
    actor: Actor,
    body_id: int,
    tag: str,
    target: BodyStatus,
    when: datetime,
    missing_ref: str = "",
    note: str = "",
) -> bool:
    """Record the steps that lead a body up to `target`, if it is not there or beyond."""
    steps = domain_steps(tag, uow.remains.steps([body_id]))
    path = [BodyStatus.RECEIVED, BodyStatus.SAMPLED, BodyStatus.PROFILED, BodyStatus.CANDIDATE]
    done = {s.status for s in steps}
    if target in done or (steps and steps[-1].status not in path[: path.index(target)]):
        return False
    for status in path[: path.index(target) + 1]:
        if status in done:
            continue
        ref = missing_ref if status is BodyStatus.CANDIDATE else ""
        step = BodyStep(tag, status, actor.username, when, ref, note if ref else "")
        check_step(steps, step)
        uow.remains.add_step(
            {
                "body_id": body_id,
                "status": status.value,
                "missing_ref": ref,
                "note": step.note,
                "recorded_by": actor.username,
                "occurred_at": when,
            }
        )
        steps.append(step)
    return True


def record_consent(
    uow: UnitOfWork,
    actor: Actor,
    family: str,
    member: str,
    state: Consent,
    *,
    given_by: str,
    on: date,
) -> FamilyView:
    """Record a donor's consent given or withdrawn; withdrawn, the profile is not used."""
    actor.require(Permission.REMAINS_RECORD)
    decision = ConsentDecision(family, member, state, given_by.strip(), on)
    check_consent(decision, datetime.now(UTC).date())
    with uow:
        rows = uow.remains.references(family)
        if not rows:
            raise RemainsNotFound(f"no reference family {family}")
        if not any(r.member == member and not r.missing for r in rows):
            raise InvalidInput(f"{member} is not a relative in family {family}", "member")
        uow.remains.add_consent(
            {
                "family": family,
                "member": member,
                "state": state.value,
                "given_by": decision.given_by[:200],
                "decided_on": on,
                "recorded_by": actor.username,
            }
        )
        log(uow, actor, f"remains.consent.{state.value}", "remains_reference", [], family=family)
        uow.commit()
    return reference_family(uow, actor, family)


def _family_view(
    name: str, rows: list[ReferenceRow], typed: dict[str, int], consent: dict[str, Consent]
) -> FamilyView:
    members = {r.member: Member(r.member, r.sex, r.father, r.mother) for r in rows}
    missing = [r for r in rows if r.missing]
    donors = [
        DonorView(
            member=r.member,
            sex=r.sex,
            relationship=relationship(members, r.member, missing[0].member) if missing else "",
            markers=typed.get(r.member, 0),
            consent=consent[r.member].value if r.member in consent else "",
            used=typed.get(r.member, 0) > 0 and consent.get(r.member) is Consent.GIVEN,
        )
        for r in rows
        if not r.missing
    ]
    return FamilyView(
        family=name,
        missing=[r.member for r in missing],
        person_ids=[r.person_id for r in missing],
        received_on=rows[0].received_on,
        source=rows[0].source,
        donors=donors,
    )


def reference_families(uow: UnitOfWork, actor: Actor) -> list[FamilyView]:
    actor.require(Permission.REMAINS_READ)
    with uow:
        rows = uow.remains.references()
        typed: dict[tuple[str, str], int] = defaultdict(int)
        for g in uow.remains.genotypes():
            typed[(g.family, g.member)] += 1
        consent = consent_in_force(_decisions(uow.remains.consents()))
    by_family: dict[str, list[ReferenceRow]] = defaultdict(list)
    for r in rows:
        by_family[r.family].append(r)
    return [
        _family_view(
            name,
            members,
            {m: n for (f, m), n in typed.items() if f == name},
            {m: c for (f, m), c in consent.items() if f == name},
        )
        for name, members in by_family.items()
    ]


def reference_family(uow: UnitOfWork, actor: Actor, family: str) -> FamilyView:
    actor.require(Permission.REMAINS_READ)
    with uow:
        rows = uow.remains.references(family)
        if not rows:
            raise RemainsNotFound(f"no reference family {family}")
        typed: dict[str, int] = defaultdict(int)
        for g in uow.remains.genotypes(family):
            typed[g.member] += 1
        consent = consent_in_force(_decisions(uow.remains.consents(family)))
    return _family_view(family, rows, typed, {m: c for (_, m), c in consent.items()})


def _decisions(rows: list[ConsentRow]) -> list[ConsentDecision]:
    return [
        ConsentDecision(r.family, r.member, Consent(r.state), r.given_by, r.decided_on)
        for r in rows
    ]
