"""Kinship questions the pipeline asks of a pedigree: are two members related, and how."""

from __future__ import annotations

from parley.dna.model import Family


def ancestors(family: Family, person_id: str) -> set[str]:
    """The person and every ancestor of theirs within the pedigree."""
    found: set[str] = set()
    stack = [person_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        person = family.person(current)
        stack += [p for p in (person.father, person.mother) if p is not None]
    return found


def related(family: Family, a: str, b: str) -> bool:
    """Kinship coefficient above zero: one common ancestor (founders are unrelated)."""
    return bool(ancestors(family, a) & ancestors(family, b))


def describe(family: Family, a: str, b: str) -> str:
    """A short name for the relationship of two members, for reports ("full siblings")."""
    pa, pb = family.person(a), family.person(b)
    if pa.father is not None and (pa.father, pa.mother) == (pb.father, pb.mother):
        return "full siblings"
    both_have_parents = pa.father is not None and pb.father is not None
    if both_have_parents and (pa.father == pb.father or pa.mother == pb.mother):
        return "half siblings"
    if a in (pb.father, pb.mother) or b in (pa.father, pa.mother):
        return "parent-child"
    return "relatives" if related(family, a, b) else "unrelated"
