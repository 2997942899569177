"""The allele-frequency table Parley ships: NIST 1036 U.S. population (public domain).

Frequencies are recomputed from the allele counts in the file (the `freq` column is the
same, rounded for reading), so each marker sums to exactly one. See `data/README.md`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from importlib import resources

import numpy as np

from parley.dna.model import Marker

NIST_1036 = "nist1036_us.csv"
CODIS_CORE = (
    "CSF1PO", "D3S1358", "D5S818", "D7S820", "D8S1179", "D13S317", "D16S539", "D18S51",
    "D21S11", "FGA", "TH01", "TPOX", "vWA", "D1S1656", "D2S441", "D2S1338", "D10S1248",
    "D12S391", "D19S433", "D22S1045",
)  # fmt: skip
"""The 20 autosomal CODIS core loci (FBI, 2017)."""


@cache
def _nist1036_counts() -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    text = resources.files("parley.dna").joinpath("data", NIST_1036).read_text()
    for record in csv.DictReader(text.splitlines()):
        counts[record["marker"]][record["allele"]] = int(record["count"])
    return counts


def nist1036_loci() -> tuple[str, ...]:
    """The 29 loci of the table, in its order."""
    return tuple(_nist1036_counts())


def canonical_locus(name: str) -> str | None:
    """The table's spelling of a locus named in any case (VWA, vWA; PENTA_D, Penta_D)."""
    return {n.upper(): n for n in nist1036_loci()}.get(name.strip().upper())


def nist1036_markers(names: tuple[str, ...] = CODIS_CORE) -> tuple[Marker, ...]:
    """Markers with NIST 1036 frequencies (all 1036 people pooled), in the order asked."""
    counts = _nist1036_counts()
    markers = []
    for name in names:
        table = counts[name]
        values = np.array(list(table.values()), dtype=np.float64)
        markers.append(Marker(name, tuple(table), values / values.sum()))
    return tuple(markers)
