"""The June 2025 repatriation of remains in the demo (issue 14, part 7).

Five batches reached Ukraine in June 2025 (1,212; 1,200; 1,200; 1,200; 1,245 bodies: the
"6,000 bodies" of the Istanbul memorandum); the days here are illustrative. Each batch's
declared count is the other side's list, its received count ours; a sample of bodies is
registered with a custody handoff per bag (a small demo keeps the counts at `factor`).

DNA: most sampled bodies are missing persons of the registry (status missing); their
relatives' references arrive in waves over the summer, as families come forward. Every
profile is simulated from the shipped NIST 1036 frequencies with Mendelian transmission
(a body's genotype is its missing person's; relatives' follow the pedigree), written as a
case in dvir's CSV layout and taken in through `import_references`, the same door a
laboratory's files use. After each wave the instance is screened; a candidate at or above
the 99.95 % posterior is recorded as preliminary by the forensic examiner and confirmed by
a second account a day later, families are notified, and some bodies released. So the
identification rate rises with the references, day by day.
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from parley.dna.frequencies import CODIS_CORE, nist1036_markers
from parley.dna.model import Marker
from parley.domain.accounts.accounts import Actor
from parley.domain.paging import PageRequest
from parley.domain.registry.persons import PersonQuery
from parley.domain.remains.batches import Batch, Handoff
from parley.domain.remains.bodies import BodyStatus
from parley.instance import Instance
from parley.services import remains
from parley.services.remains.screening import MUTATION_RATE

JUNE_2025 = (
    (date(2025, 6, 11), 1212),
    (date(2025, 6, 13), 1200),
    (date(2025, 6, 14), 1200),
    (date(2025, 6, 15), 1200),
    (date(2025, 6, 16), 1245),
)
PLACE = "Belarus–Ukraine border"
BODIES_PER_BATCH = 40
"""Bodies registered per batch at full scale (the demo shows the workflow, not every body)."""
WAVES = (
    (date(2025, 6, 18), 0.25),
    (date(2025, 6, 27), 0.25),
    (date(2025, 7, 9), 0.2),
    (date(2025, 7, 24), 0.15),
    (date(2025, 8, 12), 0.15),
)
"""When relatives' references came in, and the share of the families that gave them then."""
PROFILED_SHARE = 0.8
"""Bodies with a DNA profile; the rest wait for sampling."""
KNOWN_SHARE = 0.75
"""Profiled bodies whose family (in the registry) gives a reference at some point."""
UNMATCHED_FAMILIES = 0.5
"""Further families, per matched one, whose missing person is not among these bodies."""
POSTERIOR_RULE = 0.9995
FREQS = "freqs.csv"


Genotype = tuple[str, str]
Profile = dict[str, Genotype]
Member = tuple[str, str, str, int, Profile | None]
"""(id, father, mother, sex, profile or None when untyped)."""


def _draw(rng: np.random.Generator, markers: tuple[Marker, ...]) -> Profile:
    return {
        m.name: (str(a), str(b))
        for m in markers
        for a, b in [rng.choice(np.asarray(m.alleles), size=2, p=m.frequencies)]
    }


def _child(rng: np.random.Generator, father: Profile, mother: Profile) -> Profile:
    return {k: (father[k][rng.integers(2)], mother[k][rng.integers(2)]) for k in father}


def _family(
    rng: np.random.Generator, markers: tuple[Marker, ...], shape: int
) -> tuple[Profile, list[Member]]:
    """The missing person's genotype and the family: (id, father, mother, sex, profile or
    None if untyped); `shape` 0 both parents typed, 1 mother and a brother, 2 father only."""
    father, mother = _draw(rng, markers), _draw(rng, markers)
    missing = _child(rng, father, mother)
    members: list[Member]
    if shape == 0:
        members = [("F", "", "", 1, father), ("M", "", "", 2, mother)]
    elif shape == 1:
        brother = _child(rng, father, mother)
        members = [("F", "", "", 1, None), ("M", "", "", 2, mother), ("B", "F", "M", 1, brother)]
    else:
        members = [("F", "", "", 1, father), ("M", "", "", 2, None)]
    return missing, members


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _case(
    folder: Path,
    markers: tuple[Marker, ...],
    families: list[tuple[str, int | None, list[Member]]],
    bodies: list[tuple[str, Profile]],
) -> Path:
    """Write one wave as a case in dvir's layout; family = (missing id, person id, members)."""
    folder.mkdir(parents=True)
    pedigree, genotypes, missing = [], [], []
    for tag, typed in bodies:
        pedigree.append(["PM", tag, "0", "0", "1"])
        genotypes += [["PM", tag, k, a, b] for k, (a, b) in typed.items()]
    for missing_id, person_id, members in families:
        component = f"FAM-{missing_id}"
        for member, father, mother, sex, profile in members:
            pedigree.append(
                [
                    component,
                    f"{missing_id}-{member}",
                    *_parents(missing_id, father, mother),
                    str(sex),
                ]
            )
            if profile is not None:
                genotypes += [
                    [component, f"{missing_id}-{member}", k, a, b] for k, (a, b) in profile.items()
                ]
        pedigree.append([component, missing_id, f"{missing_id}-F", f"{missing_id}-M", "1"])
        missing.append([missing_id, "" if person_id is None else str(person_id)])
    _write(folder, "pedigree.csv", ["component", "id", "fid", "mid", "sex"], pedigree)
    _write(folder, "genotypes.csv", ["component", "id", "marker", "allele1", "allele2"], genotypes)
    _write(folder, "missing.csv", ["missing", "person_id"], missing)
    _write(
        folder,
        FREQS,
        ["marker", "allele", "freq"],
        [
            [m.name, a, repr(float(f))]
            for m in markers
            for a, f in zip(m.alleles, m.frequencies, strict=True)
        ],
    )
    _write(
        folder,
        "mutation.csv",
        ["marker", "sex", "model", "rate"],
        [
            [m.name, sex, "proportional", str(MUTATION_RATE)]
            for m in markers
            for sex in ("male", "female")
        ],
    )
    return folder


def _parents(missing_id: str, father: str, mother: str) -> list[str]:
    return [
        f"{missing_id}-{father}" if father else "0",
        f"{missing_id}-{mother}" if mother else "0",
    ]


def _missing_persons(instance: Instance, count: int) -> list[int]:
    """Registry persons of our side reported missing (as many as there are, up to count)."""
    with instance.uow() as uow:
        page = uow.persons.query(PersonQuery(status="missing", side="UA"), PageRequest(0, count))
        return [p.id for p in page.items][:count]


def replay_remains(
    instance: Instance,
    recorder: Actor,
    confirmer: Actor,
    seed: int,
    factor: float,
    note: Callable[[str], None],
) -> None:
    """Record the batches and bodies, then the references' waves and what followed each."""
    rng = random.Random(seed * 14 + 1)
    genes = np.random.default_rng(seed * 14 + 2)
    markers = nist1036_markers(CODIS_CORE)
    profiled: list[str] = []
    for number, (on, count) in enumerate(JUNE_2025, start=1):
        size = max(1, round(count * factor))
        note(f"remains: batch {number} of {len(JUNE_2025)} ({size:,} bodies)")
        batch = remains.record_batch(
            instance.uow(), recorder, Batch(on, PLACE, "RU", "UA", size, size, "ICRC")
        )
        bag = f"B{number}-0001"
        for hour, who, where in ((9, "ICRC", PLACE), (17, "Kyiv morgue", "Kyiv")):
            handoff = Handoff(
                bag, who, datetime.combine(on, time(hour), UTC), where, f"S{number}{hour:02d}"
            )
            remains.record_handoff(instance.uow(), recorder, batch.id, handoff)
        for k in range(1, max(2, round(BODIES_PER_BATCH * min(1.0, factor * 4))) + 1):
            tag = f"UA-25-{number}{k:04d}"
            remains.receive_body(
                instance.uow(),
                recorder,
                batch.id,
                tag,
                bag=bag,
                condition=rng.choice(("skeletonised", "decomposed", "fragmented")),
                disc_halves=rng.choice((0, 0, 1)),
                at=datetime.combine(on, time(18), UTC),
            )
            if rng.random() < PROFILED_SHARE:
                profiled.append(tag)
            else:
                remains.record_step(
                    instance.uow(),
                    recorder,
                    tag,
                    BodyStatus.SAMPLED,
                    at=datetime.combine(on + timedelta(days=1), time(10), UTC),
                )
    _dna(instance, recorder, confirmer, rng, genes, markers, profiled, note)
    note("remains: the death list of identified persons for RU")
    remains.death_list(instance.uow(), confirmer, instance.config.party, "RU")


def _dna(
    instance: Instance,
    recorder: Actor,
    confirmer: Actor,
    rng: random.Random,
    genes: np.random.Generator,
    markers: tuple[Marker, ...],
    profiled: list[str],
    note: Callable[[str], None],
) -> None:
    known = [t for t in profiled if rng.random() < KNOWN_SHARE]
    extra = round(len(known) * UNMATCHED_FAMILIES)
    persons = _missing_persons(instance, len(known) + extra)
    families = []
    bodies: list[tuple[str, Profile]] = []
    known_set = set(known)
    for i in range(len(known) + extra):
        missing, members = _family(genes, markers, rng.choice((0, 0, 1, 1, 2)))
        person_id = persons[i] if i < len(persons) else None
        missing_id = f"MP-{person_id:06d}" if person_id is not None else f"MP-X{i:05d}"
        families.append((missing_id, person_id, members))
        if i < len(known):
            bodies.append((known[i], missing))
    bodies += [(t, _draw(genes, markers)) for t in profiled if t not in known_set]
    rng.shuffle(families)
    with tempfile.TemporaryDirectory(prefix="parley-demo-dna-") as scratch:
        root = Path(scratch)
        note(f"remains: {len(bodies)} body profiles")
        remains.import_references(
            instance.uow(),
            recorder,
            _case(root / "bodies", markers, [], bodies),
            received_on=JUNE_2025[-1][0] + timedelta(days=1),
            at=datetime.combine(JUNE_2025[-1][0] + timedelta(days=1), time(15), UTC),
        )
        start = 0
        for wave, (day, share) in enumerate(WAVES, start=1):
            end = len(families) if wave == len(WAVES) else start + round(share * len(families))
            chunk = families[start:end]
            start = end
            note(f"remains: references, wave {wave} ({len(chunk)} families)")
            if chunk:
                remains.import_references(
                    instance.uow(),
                    recorder,
                    _case(root / f"wave{wave}", markers, chunk, []),
                    received_on=day,
                    consent_by="Kyiv forensic laboratory (signed consent forms)",
                )
            _screen_and_follow(instance, recorder, confirmer, rng, day)


def _screen_and_follow(
    instance: Instance, recorder: Actor, confirmer: Actor, rng: random.Random, day: date
) -> None:
    """Screen on `day`; strong candidates become preliminary, confirmed a day later by a
    second person; families are told after two days, some bodies released after five."""

    def at(offset: int, hour: int) -> datetime:
        return datetime.combine(day + timedelta(days=offset), time(hour), UTC)

    remains.screen_references(instance.uow(), recorder, at=at(0, 16))
    for body in remains.bodies(instance.uow(), recorder):
        if body.status != BodyStatus.CANDIDATE.value:
            continue
        found = remains.body(instance.uow(), recorder, body.tag)
        best = found.candidates[0] if found.candidates else None
        if best is None or best.posterior < POSTERIOR_RULE:
            continue
        remains.record_step(
            instance.uow(),
            recorder,
            body.tag,
            BodyStatus.PRELIMINARY,
            missing_ref=best.missing_ref,
            note=f"posterior {best.posterior:.6f} at prior {best.prior:.3g}",
            at=at(0, 17),
        )
        remains.record_step(
            instance.uow(),
            confirmer,
            body.tag,
            BodyStatus.CONFIRMED,
            missing_ref=best.missing_ref,
            at=at(1, 11),
        )
        if rng.random() < 0.7:
            remains.notify_family(
                instance.uow(),
                recorder,
                body.tag,
                whom="the mother",
                notified_by="Coordination HQ family liaison",
                how=rng.choice(("in person", "by telephone")),
                at=at(2, 12),
            )
            if rng.random() < 0.5:
                remains.release_body(
                    instance.uow(), recorder, body.tag, to="the family", at=at(5, 10)
                )
