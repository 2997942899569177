"""Screening inside the instance: every profiled body against every stored reference family.

The vectorised screen of `parley.dna.screen` ranks all (body, missing person) pairings by
table look-up; the best of each body go back to the exact engine (`confirm`), and those
whose exact LR is above 1 (`MIN_LR`) are stored as the body's candidates with the exclusion count
and the posterior at the stated prior 1/N (N missing persons with usable references). An
excluded pairing (more than `max_incompatible` markers impossible without mutation) is
never a candidate. Only relatives whose consent is in force are used.

Frequencies are the shipped NIST 1036 table (an allele absent from it gets the minimum
frequency); every marker mutates by the proportional model at `MUTATION_RATE`, both sexes,
so one mutation between a parent and a child lowers an LR instead of zeroing it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime

import numpy as np

from parley.dna.frequencies import nist1036_loci, nist1036_markers
from parley.dna.model import Family, Marker, MutationModel, Person, Sex, Victim
from parley.dna.pairwise import DEFAULT_MAX_INCOMPATIBLE
from parley.dna.screen import build_index, confirm, genotype_codes, screen
from parley.dna.solve_common import posterior_from_lr
from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.remains.bodies import BodyStatus
from parley.domain.remains.references import Consent, ConsentDecision, consent_in_force
from parley.services.accounts import log
from parley.services.remains.references import walk_to
from parley.services.remains.rows import (
    BodyGenotypeRow,
    DnaCandidateRow,
    GenotypeRow,
    ReferenceRow,
)
from parley.services.remains.views import ScreenOutcome, latest_candidates
from parley.services.uow import UnitOfWork

MUTATION_RATE = 0.001
MUTATION = MutationModel("proportional", MUTATION_RATE)
SCREEN_TOP = 10
"""Pairings per body kept by the screen for the exact engine."""
STORE_TOP = 5
"""Candidates per body stored."""
MIN_LR = 1.0
"""A pairing is a candidate only if the evidence favours it (exact LR above 1)."""
SCREENABLE = (BodyStatus.PROFILED.value, BodyStatus.CANDIDATE.value)
"""Bodies under review (preliminary) or identified are not screened again."""


def _markers(labels: dict[str, set[str]]) -> tuple[Marker, ...]:
    """The shipped table's markers typed anywhere, with every allele seen, mutating."""
    wanted = tuple(name for name in nist1036_loci() if name in labels)
    out = []
    for marker in nist1036_markers(wanted):
        extended = marker.with_alleles(sorted(labels[marker.name]))
        out.append(
            Marker(extended.name, extended.alleles, extended.frequencies, MUTATION, MUTATION)
        )
    return tuple(out)


def _families(
    refs: list[ReferenceRow],
    genotypes: list[GenotypeRow],
    usable: set[tuple[str, str]],
    markers: tuple[Marker, ...],
) -> tuple[list[Family], int]:
    """Families with at least one usable typed relative; the count of the others."""
    order = {m.name: k for k, m in enumerate(markers)}
    members: dict[str, list[Person]] = defaultdict(list)
    for r in refs:
        members[r.family].append(Person(r.member, Sex(r.sex), r.father or None, r.mother or None))
    profiles: dict[str, dict[str, dict[int, tuple[int, int]]]] = defaultdict(dict)
    for g in genotypes:
        if (g.family, g.member) not in usable:
            continue
        marker = markers[order[g.marker]]
        profile = profiles[g.family].setdefault(g.member, {})
        profile[order[g.marker]] = (marker.index(g.allele1), marker.index(g.allele2))
    families = [Family(name, tuple(people), profiles[name]) for name, people in members.items()]
    kept = [f for f in families if profiles.get(f.name)]
    return kept, len(families) - len(kept)


def screen_references(
    uow: UnitOfWork,
    actor: Actor,
    *,
    at: datetime | None = None,
    max_incompatible: int = DEFAULT_MAX_INCOMPATIBLE,
) -> ScreenOutcome:
    """Screen every body under review against every usable reference family; keep candidates."""
    actor.require(Permission.REMAINS_RECORD)
    when = at or datetime.now(UTC)
    source = f"screen {when:%Y-%m-%d %H:%M:%S}"
    with uow:
        refs = uow.remains.references()
        genotypes = uow.remains.genotypes()
        decisions = [
            ConsentDecision(c.family, c.member, Consent(c.state), c.given_by, c.decided_on)
            for c in uow.remains.consents()
        ]
        usable = {k for k, v in consent_in_force(decisions).items() if v is Consent.GIVEN}
        status: dict[int, str] = {}
        for s in uow.remains.steps():
            status[s.body_id] = s.status
        bodies = {b.id: b for b in uow.remains.bodies()}
        under_review = [i for i, s in status.items() if s in SCREENABLE]
        typed: dict[int, list[BodyGenotypeRow]] = defaultdict(list)
        for b in uow.remains.body_genotypes(under_review):
            typed[b.body_id].append(b)
        labels: dict[str, set[str]] = defaultdict(set)
        for g in genotypes:
            if (g.family, g.member) in usable:
                labels[g.marker] |= {g.allele1, g.allele2}
        for rows in typed.values():
            for b in rows:
                labels[b.marker] |= {b.allele1, b.allele2}
        markers = _markers(labels)
        families, skipped = _families(refs, genotypes, usable, markers)
        missing = {(r.family, r.member) for r in refs if r.missing}
        targets = [
            (i, p.id)
            for i, f in enumerate(families)
            for p in f.members
            if (f.name, p.id) in missing
        ]
        order = {m.name: k for k, m in enumerate(markers)}
        body_ids = sorted(typed)
        victims = [
            Victim(
                bodies[i].tag,
                Sex(typed[i][0].sex),
                {
                    order[g.marker]: (
                        markers[order[g.marker]].index(g.allele1),
                        markers[order[g.marker]].index(g.allele2),
                    )
                    for g in typed[i]
                },
            )
            for i in body_ids
        ]
        prior = 1.0 / max(1, len(targets))
        found = _candidates(families, targets, victims, markers, max_incompatible, prior)
        stored, new = 0, []
        for body_id, victim in zip(body_ids, victims, strict=True):
            best = found.get(victim.id, [])
            if not best or _same(uow.remains.candidates(body_id), best):
                continue
            uow.remains.add_candidates(
                [
                    {
                        "body_id": body_id,
                        "missing_ref": ref,
                        "lr": lr,
                        "exclusions": exclusions,
                        "posterior": posterior,
                        "prior": prior,
                        "source": source,
                        "recorded_by": actor.username,
                    }
                    for ref, lr, exclusions, posterior in best
                ]
            )
            stored += len(best)
            if status[body_id] == BodyStatus.PROFILED.value:
                walk_to(
                    uow, actor, body_id, victim.id, BodyStatus.CANDIDATE, when, best[0][0], source
                )
                new.append(victim.id)
        log(
            uow,
            actor,
            "remains.screen",
            "remains_body",
            [],
            bodies=len(victims),
            missing=len(targets),
            candidates=stored,
        )
        uow.commit()
    return ScreenOutcome(
        source=source,
        bodies=len(victims),
        missing_persons=len(targets),
        families_skipped=skipped,
        candidates=stored,
        new_candidates=new,
        prior=prior,
    )


Found = tuple[str, float, int, float]
"""(missing person, exact LR, exclusion count, posterior at the prior)."""


def _candidates(
    families: list[Family],
    targets: list[tuple[int, str]],
    victims: list[Victim],
    markers: tuple[Marker, ...],
    max_incompatible: int,
    prior: float,
) -> dict[str, list[Found]]:
    if not targets or not victims:
        return {}
    index = build_index(families, targets, markers)
    codes = genotype_codes(victims, markers)
    wanted = np.array([int(families[f].person(m).sex) for f, m in targets])
    sexes = np.array([int(v.sex) for v in victims])
    allowed = sexes[:, np.newaxis] == wanted[np.newaxis, :]
    result = screen(index, codes, SCREEN_TOP, max_incompatible, allowed)
    pairs = [
        (i, int(column))
        for i in range(len(victims))
        for column in result.candidates[i]
        if column >= 0
    ]
    if not pairs:
        return {}
    exact = confirm(families, targets, victims, markers, pairs)
    counts = {
        (i, int(c)): int(n)
        for i in range(len(victims))
        for c, n in zip(result.candidates[i], result.exclusions[i], strict=True)
    }
    out: dict[str, list[Found]] = defaultdict(list)
    for (i, column), log10_lr in zip(pairs, exact, strict=True):
        if not math.isfinite(log10_lr) and log10_lr < 0:
            continue
        lr = math.inf if log10_lr == math.inf else 10.0 ** float(log10_lr)
        if lr <= MIN_LR:
            continue
        ref = targets[column][1]
        exclusions = counts[(i, column)]
        out[victims[i].id].append((ref, lr, exclusions, posterior_from_lr(lr, prior)))
    for found in out.values():
        found.sort(key=lambda c: (-c[1], c[0]))
        del found[STORE_TOP:]
    return out


def _same(stored: list[DnaCandidateRow], best: list[Found]) -> bool:
    """Whether the latest stored set is this one (a screening stores only what changed)."""
    latest = latest_candidates(stored)
    return [(c.missing_ref, round(math.log10(c.lr) if c.lr > 0 else 0, 6)) for c in latest] == [
        (ref, round(math.log10(lr), 6)) for ref, lr, _, _ in best
    ]
