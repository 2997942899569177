"""Learn the default model a new instance starts from: `src/parley/linkage/default_model.json`.

A first match run used to learn m and u from its own list and registry alone; a list of five
names or a registry of sixty persons teaches nothing, and the model it left scored an exact
name and date at 0.1. So Parley ships the m and u of every comparison level, learned here by
the same `engine.train` on the synthetic cross-script world (9,000 registry persons, 6,000 list
entries in every script and convention: no real person), and a run starts from them,
learning only what its list and registry are large enough to teach (`engine.train`).

    .venv/bin/python -m benchmarks.default_model [--seed N]
"""

from __future__ import annotations

import argparse
import json

from benchmarks._common import ROOT, console
from benchmarks.crossscript import build_cases
from parley.linkage import defaults, engine
from parley.scenarios.population import Scale, Surnames
from parley.services.matching import entry_record, person_record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    cases = build_cases(args.seed, Scale.FULL, 3000, Surnames.FLAT)
    registry = [person_record(p) for p in cases.registry]
    entries = [entry_record(e) for e in cases.entries]
    trained = engine.train(registry, entries, note=console.log, from_defaults=False)
    levels = defaults.levels_of(trained)
    target = ROOT / "src" / "parley" / "linkage" / defaults.FILE_NAME
    document = {
        "about": (
            "m and u of each comparison level, learned by benchmarks/default_model.py "
            f"(seed {args.seed}) on the synthetic cross-script world; see linkage/defaults.py"
        ),
        "registry_persons": len(registry),
        "list_entries": len(entries),
        "levels": levels,
    }
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    console.print(f"wrote {target}")


if __name__ == "__main__":
    main()
