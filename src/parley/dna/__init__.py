"""DNA kinship engine for disaster victim identification (pure NumPy; see docs/dna.md).

case = read_case(folder)            # oracle CSV layout, checked as hostile input
pairwise(case).lr                   # LR of each body being each missing person
joint(case)                         # best joint assignments, posterior pairings
solve(case)                         # dvir's dviSolve pipeline, with posteriors
screen(build_index(...), codes)     # every body against every missing person, top k
"""

from parley.dna.joint import joint
from parley.dna.pairwise import pairwise
from parley.dna.reading import read_case
from parley.dna.screen import build_index, genotype_codes, screen
from parley.dna.solve import solve

__all__ = ["build_index", "genotype_codes", "joint", "pairwise", "read_case", "screen", "solve"]
