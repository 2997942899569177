"""DNA screen: 6,000 bodies against 30,000 reference families, 23 STR markers.

A mass-grave scale identification: every body compared with every missing person through
that person's family references (one parent, both parents, one or two full siblings, or a
spouse with a child), the ten best kept per body. Genotypes are simulated (seeded NumPy
gene dropping) from the NIST 1036 U.S. frequencies Parley ships, for the 20 CODIS core
loci plus Penta D, Penta E and SE33; 80 % of the bodies are missing persons of some
family, the rest unrelated; 5 % of body markers fail to type.

The time is building the screen tables (once per family) and scoring every body against
every missing person. A straightforward implementation — the exact engine run pair by pair,
as dvir's `pairwiseLR` does — is timed on a sample in the same run, for the ratio, and the
sample's LRs are checked against the screen's. Then every body's best candidates go through
the exact engine (batched by family shape; `--confirm-top`, default the best one). Goal for
the screen itself: under 60 s and 8 GB on 2 cores.

    .venv/bin/python -m benchmarks.dvi_screen [--quick] [--seed N] [--bodies N] [--families N]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.table import Table

from benchmarks._common import Timer, console, emit, note
from parley.dna.frequencies import CODIS_CORE, nist1036_markers
from parley.dna.likelihood import family_logliks, victim_loglik
from parley.dna.model import Family, Marker, Person, Profile, Sex, Victim
from parley.dna.screen import build_index, confirm, genotype_codes, screen

GOAL_SECONDS = 60.0
GOAL_GIB = 8.0
MARKER_NAMES = (*CODIS_CORE, "Penta_D", "Penta_E", "SE33")
SHAPES = ("parent", "parents", "sibling", "siblings", "spouse_and_child")
TOP = 10
TRUE_SHARE = 0.8
DROPOUT = 0.05


@dataclass
class Simulated:
    families: list[Family]
    missing_ids: list[str]
    missing_sex: np.ndarray
    bodies: list[Victim]
    truth: np.ndarray
    """Per body, the family index it belongs to, or −1 (unrelated)."""


def _founders(rng: np.random.Generator, markers: tuple[Marker, ...], count: int) -> np.ndarray:
    """(count, markers, 2) allele indices drawn from the frequencies."""
    out = np.empty((count, len(markers), 2), dtype=np.int16)
    for k, marker in enumerate(markers):
        out[:, k, :] = rng.choice(len(marker.alleles), size=(count, 2), p=marker.frequencies)
    return out


def _child(rng: np.random.Generator, father: np.ndarray, mother: np.ndarray) -> np.ndarray:
    """Mendelian transmission, one allele from each parent, for every family and marker."""
    pick_f = rng.integers(0, 2, size=father.shape[:2])
    pick_m = rng.integers(0, 2, size=mother.shape[:2])
    paternal = np.take_along_axis(father, pick_f[..., np.newaxis], axis=2)[..., 0]
    maternal = np.take_along_axis(mother, pick_m[..., np.newaxis], axis=2)[..., 0]
    return np.stack([paternal, maternal], axis=2)


def _profile(genotypes: np.ndarray, typed: np.ndarray | None = None) -> Profile:
    return {
        k: (int(genotypes[k, 0]), int(genotypes[k, 1]))
        for k in range(genotypes.shape[0])
        if typed is None or typed[k]
    }


def simulate(markers: tuple[Marker, ...], families: int, bodies: int, seed: int) -> Simulated:
    rng = np.random.default_rng(seed)
    father = _founders(rng, markers, families)
    mother = _founders(rng, markers, families)
    missing = _child(rng, father, mother)
    sibling_1 = _child(rng, father, mother)
    sibling_2 = _child(rng, father, mother)
    spouse = _founders(rng, markers, families)
    sexes = rng.integers(1, 3, size=families)
    shapes = rng.integers(0, len(SHAPES), size=families)
    out: list[Family] = []
    ids: list[str] = []
    for f in range(families):
        name = f"F{f}"
        sex = Sex(int(sexes[f]))
        fa, mo = Person("FA", Sex.MALE), Person("MO", Sex.FEMALE)
        shape = SHAPES[shapes[f]]
        if shape == "spouse_and_child":
            # The missing person is the child's parent; the typed spouse is the other one.
            spouse_sex = Sex.FEMALE if sex is Sex.MALE else Sex.MALE
            mp, sp = Person("MP", sex), Person("SP", spouse_sex)
            parents = ("MP", "SP") if sex is Sex.MALE else ("SP", "MP")
            child_genotype = _child(rng, missing[f : f + 1], spouse[f : f + 1])[0]
            members: tuple[Person, ...] = (mp, sp, Person("CH", Sex.MALE, *parents))
            profiles = {"SP": _profile(spouse[f]), "CH": _profile(child_genotype)}
        else:
            mp = Person("MP", sex, "FA", "MO")
            s1, s2 = Person("S1", Sex.FEMALE, "FA", "MO"), Person("S2", Sex.MALE, "FA", "MO")
            members = (fa, mo, mp, s1, s2)
            profiles = {
                "parent": {"FA": _profile(father[f])},
                "parents": {"FA": _profile(father[f]), "MO": _profile(mother[f])},
                "sibling": {"S1": _profile(sibling_1[f])},
                "siblings": {"S1": _profile(sibling_1[f]), "S2": _profile(sibling_2[f])},
            }[shape]
        out.append(Family(name, members, profiles))
        ids.append("MP")
    true_count = int(bodies * TRUE_SHARE)
    truth = np.full(bodies, -1)
    truth[:true_count] = rng.choice(families, size=true_count, replace=False)
    unrelated = _founders(rng, markers, bodies - true_count)
    typed = rng.random((bodies, len(markers))) >= DROPOUT
    people = []
    for b in range(bodies):
        if truth[b] >= 0:
            genotypes, sex = missing[truth[b]], Sex(int(sexes[truth[b]]))
        else:
            genotypes, sex = unrelated[b - true_count], Sex(int(rng.integers(1, 3)))
        people.append(Victim(f"B{b}", sex, _profile(genotypes, typed[b])))
    return Simulated(out, ids, sexes, people, truth)


def per_pair_seconds(
    sim: Simulated, markers: tuple[Marker, ...], pairs: list[tuple[int, int]]
) -> tuple[float, np.ndarray]:
    """The straightforward way: one exact likelihood computation per (body, family) pair.

    As dvir's `pairwiseLR`: the body placed on the missing person, the family's likelihood
    computed again; the family's own likelihood and the body's are computed beforehand
    (once each, outside the timing), so only the per-pair work is timed.
    """
    baseline = {f: family_logliks(sim.families[f], markers, [{}])[0] for _, f in pairs}
    alone = {b: victim_loglik(sim.bodies[b], markers) for b, _ in pairs}
    values = np.empty(len(pairs))
    start = time.perf_counter()
    for i, (b, f) in enumerate(pairs):
        placed = family_logliks(sim.families[f], markers, [{"MP": sim.bodies[b].profile}])[0]
        values[i] = np.exp(placed - baseline[f] - alone[b])
    return time.perf_counter() - start, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="600 bodies, 3,000 families")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--bodies", type=int, default=6_000)
    parser.add_argument("--families", type=int, default=30_000)
    parser.add_argument("--sample", type=int, default=200, help="pairs for the per-pair run")
    parser.add_argument(
        "--confirm-top", type=int, default=1, help="candidates per body re-scored exactly"
    )
    args = parser.parse_args()
    bodies = 600 if args.quick else args.bodies
    families = 3_000 if args.quick else args.families
    sample = 50 if args.quick else args.sample
    markers = nist1036_markers(MARKER_NAMES)
    timer = Timer()
    load = [round(x, 2) for x in os.getloadavg()]
    cpu_start = time.process_time()

    with timer.section("simulating families and bodies"):
        sim = simulate(markers, families, bodies, args.seed)
    targets = [(f, "MP") for f in range(families)]
    with timer.section("screen tables (once per missing person)"):
        index = build_index(sim.families, targets, markers)
    with timer.section("screening every body against every missing person"):
        codes = genotype_codes(sim.bodies, markers)
        body_sex = np.array([int(v.sex) for v in sim.bodies])
        allowed = body_sex[:, np.newaxis] == sim.missing_sex[np.newaxis, :]
        result = screen(index, codes, top=TOP, allowed=allowed)
    screen_cpu = time.process_time() - cpu_start
    screen_seconds = (
        timer.seconds["screen tables (once per missing person)"]
        + timer.seconds["screening every body against every missing person"]
    )
    comparisons = bodies * families
    confirm_top = args.confirm_top
    with timer.section(f"exact engine on every body's top {confirm_top}"):
        kept = [
            (b, int(c)) for b in range(bodies) for c in result.candidates[b, :confirm_top] if c >= 0
        ]
        exact_top = confirm(sim.families, targets, sim.bodies, markers, kept)
    screened_top = np.array(
        [result.log10_lr[b, list(result.candidates[b]).index(c)] for b, c in kept]
    )
    top_worst = float(np.abs(exact_top - screened_top).max()) if kept else 0.0

    rng = np.random.default_rng(args.seed + 1)
    pairs = []
    for b in rng.choice(bodies, size=sample, replace=False):
        # Half the sample: the body's best candidate; half: a random missing person of its sex.
        column = int(result.candidates[b, 0])
        if column < 0 or rng.random() < 0.5:
            column = int(rng.choice(np.flatnonzero(allowed[b])))
        pairs.append((int(b), column))
    with timer.section(f"straightforward per-pair LRs on {sample} pairs"):
        pair_seconds, exact = per_pair_seconds(sim, markers, pairs)
    screened = np.array([_screen_value(index, codes, allowed, b, f) for b, f in pairs])
    with np.errstate(divide="ignore"):
        exact_log10 = np.log10(exact)
    both = np.isfinite(exact_log10) & np.isfinite(screened)
    agree_zero = bool(np.array_equal(np.isfinite(exact_log10), np.isfinite(screened)))
    worst = float(np.abs(exact_log10[both] - screened[both]).max()) if both.any() else 0.0

    found = sim.truth >= 0
    rank1 = float(np.mean(result.candidates[found, 0] == sim.truth[found]))
    in_top = float(np.mean((result.candidates[found] == sim.truth[found, None]).any(axis=1)))
    per_second = comparisons / screen_seconds
    pair_rate = sample / pair_seconds
    figures: dict[str, Any] = {
        "seconds": timer.seconds,
        "screen_seconds": round(screen_seconds, 2),
        "cpu_seconds_simulation_and_screen": round(screen_cpu, 2),
        "load_average_at_start": load,
        "comparisons": comparisons,
        "comparisons_per_second": round(per_second),
        "per_pair_comparisons_per_second": round(pair_rate, 1),
        "speedup_vs_per_pair": round(per_second / pair_rate),
        "true_match_rank_1": round(rank1, 4),
        "true_match_in_top_10": round(in_top, 4),
        "sample_max_abs_log10_lr_difference": worst,
        "exact_confirmation_pairs": len(kept),
        "exact_confirmation_seconds": timer.seconds[
            f"exact engine on every body's top {confirm_top}"
        ],
        "top_candidates_max_abs_log10_lr_difference": top_worst,
        "sample_zero_lrs_agree": agree_zero,
    }
    _print(figures, bodies, families, len(markers))
    emit(
        "dvi_screen",
        {
            "bodies": bodies,
            "families": families,
            "markers": list(MARKER_NAMES),
            "top": TOP,
            "true_share": TRUE_SHARE,
            "dropout": DROPOUT,
            "seed": args.seed,
            "frequencies": "NIST 1036 U.S. pooled (public domain)",
        },
        figures,
    )


def _screen_value(
    index: Any, codes: np.ndarray, allowed: np.ndarray, body: int, column: int
) -> float:
    """log10 LR of one (body, missing person) from the tables (−inf where impossible)."""
    if not allowed[body, column]:
        return float("-inf")
    total = sum(float(index.log_lr[k][codes[body, k], column]) for k in range(codes.shape[1]))
    return total / float(np.log(10))


def _print(figures: dict[str, Any], bodies: int, families: int, markers: int) -> None:
    table = Table(title=f"DNA screen: {bodies:,} bodies × {families:,} families, {markers} markers")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("screen time (tables + scoring)", f"{figures['screen_seconds']:.1f} s")
    table.add_row("comparisons per second", f"{figures['comparisons_per_second']:,}")
    table.add_row(
        "per-pair exact, comparisons/s", f"{figures['per_pair_comparisons_per_second']:,}"
    )
    table.add_row("speed-up vs per pair", f"{figures['speedup_vs_per_pair']:,}×")
    table.add_row("true match ranked first", f"{figures['true_match_rank_1']:.2%}")
    table.add_row("true match in top 10", f"{figures['true_match_in_top_10']:.2%}")
    table.add_row(
        "max |Δ log10 LR| vs exact", f"{figures['sample_max_abs_log10_lr_difference']:.1e}"
    )
    table.add_row(
        f"exact engine on {figures['exact_confirmation_pairs']:,} top candidates",
        f"{figures['exact_confirmation_seconds']:.1f} s",
    )
    console.print(table)
    verdict = "met" if figures["screen_seconds"] < GOAL_SECONDS else "MISSED"
    note(f"goal {GOAL_SECONDS:.0f} s, {GOAL_GIB:.0f} GB: time {verdict} (memory in the JSON line)")


if __name__ == "__main__":
    main()
