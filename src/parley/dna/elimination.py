"""Variable elimination over discrete factors: the exact engine behind every likelihood.

A pedigree likelihood is a sum over every allele every member could carry of a product of
small tables (founder frequencies, transmissions, genotype evidence). Summing the variables
out one at a time, cheapest first, is the classical peeling of Elston–Stewart and
Lange–Elston generalised: it needs no special case for loops, inbreeding or half-sibships,
because it never looks at the pedigree as a tree. NumPy's `einsum` does each product-and-sum.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from math import prod

import numpy as np

from parley.dna.model import FloatArray

Factor = tuple[tuple[int, ...], FloatArray]
"""Variables (integer names) and a table with one axis per variable, in that order."""

_LETTERS = string.ascii_letters


def eliminate(
    factors: Sequence[Factor], keep: Sequence[int], sizes: Mapping[int, int]
) -> FloatArray:
    """Sum out every variable not in `keep`; the result has one axis per kept variable.

    `sizes` gives each variable's number of states (needed for kept variables no factor
    mentions). The order is greedy: always the variable whose elimination builds the
    smallest table (kept variables aside), which is optimal on the tree-like pedigrees
    families draw.
    """
    kept = set(keep)
    pool: dict[int, Factor] = dict(enumerate(factors))
    touching: dict[int, set[int]] = {}
    for key, (vars_, _) in pool.items():
        for v in vars_:
            touching.setdefault(v, set()).add(key)
    remaining = set(touching) - kept
    next_key = len(pool)
    costs = {v: _cost(pool, touching[v], sizes, kept) for v in remaining}
    while remaining:
        variable = min(remaining, key=lambda v: (costs[v], v))
        keys = touching.pop(variable)
        chosen = [pool.pop(k) for k in sorted(keys)]
        out = tuple(sorted({v for vars_, _ in chosen for v in vars_} - {variable}))
        for v in out:
            touching[v] -= keys
            touching[v].add(next_key)
        pool[next_key] = (out, _contract(chosen, out, kept))
        next_key += 1
        remaining.discard(variable)
        for v in out:  # only the new table's variables see their neighbourhood change
            if v in remaining:
                costs[v] = _cost(pool, touching[v], sizes, kept)
    result = _contract(list(pool.values()), tuple(keep)) if pool else np.ones(())
    shape = tuple(sizes[v] for v in keep)
    return np.broadcast_to(result, shape).copy() if result.shape != shape else result


def _cost(
    pool: Mapping[int, Factor], keys: set[int], sizes: Mapping[int, int], kept: set[int]
) -> int:
    """Size of the table eliminating a variable builds, not counting kept variables.

    Kept variables (a batch axis, an open genotype) multiply every later table alike;
    counting them would push the order towards wide tables that avoid them.
    """
    neighbours = {v for k in keys for v in pool[k][0]} - kept
    return prod(sizes[v] for v in neighbours)


def _contract(
    factors: Sequence[Factor], out: tuple[int, ...], kept: set[int] | None = None
) -> FloatArray:
    """Multiply `factors` and sum every variable not in `out` (einsum, one letter a variable)."""
    names: dict[int, str] = {}
    for vars_, _ in factors:
        for v in vars_:
            names.setdefault(v, _LETTERS[len(names)])
    for v in out:
        names.setdefault(v, _LETTERS[len(names)])
    inputs = ",".join("".join(names[v] for v in vars_) for vars_, _ in factors)
    spec = f"{inputs}->{''.join(names[v] for v in out)}"
    present = {v for vars_, _ in factors for v in vars_}
    if not set(out) <= present:
        # A kept variable no factor mentions: contract without it, then add a unit axis.
        inner = tuple(v for v in out if v in present)
        table = _contract(factors, inner)
        return table.reshape([table.shape[inner.index(v)] if v in present else 1 for v in out])
    if kept and len(factors) > 2:
        # Multiply the tables without a kept (batch) axis first, keeping every variable,
        # then meet the batched tables once: the batch multiplies one product, not all.
        plain = [f for f in factors if not kept & set(f[0])]
        batched = [f for f in factors if kept & set(f[0])]
        if len(plain) > 1 and batched:
            union = tuple(sorted({v for vars_, _ in plain for v in vars_}))
            return _contract([(union, _contract(plain, union)), *batched], out)
    arrays = [array for _, array in factors]
    if len(arrays) <= 2:
        result: FloatArray = np.einsum(spec, *arrays)
        return result
    # Pairwise products (BLAS) where they pay, but never a table larger than the plain
    # product over all variables involved: NumPy's greedy path alone may build huge ones.
    dims: dict[int, int] = {}
    for vars_, array in factors:
        dims.update(zip(vars_, array.shape, strict=True))
    ceiling = prod(dims.values())
    result = np.einsum(spec, *arrays, optimize=("greedy", ceiling * 64))
    return result
