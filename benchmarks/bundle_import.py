"""Import of a signed 10,000-entry list bundle, end to end through the service.

UA builds a list of synthetic entries (Faker uk_UA names, partial and full birth dates,
documents), signs it for RU; RU's instance verifies the bundle (all six checks), keeps its bytes,
stores the list and its entries, and signs a receipt. Goal: under 10 s on the reference machine.

    .venv/bin/python -m benchmarks.bundle_import [--entries 10000] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
from pathlib import Path

from faker import Faker

from benchmarks._common import Timer, emit, note
from parley.domain.accounts.accounts import Actor, Role
from parley.domain.lists import ListPurpose
from parley.instance import init_instance
from parley.interchange.keys import load_public_key, public_key_text
from parley.services import lists
from parley.services.lists import bundles

ADMIN = Actor("bench", frozenset({Role.ADMIN}), "bench", 1)
GOAL_SECONDS = 10.0


def synthetic_list(count: int, seed: int) -> bytes:
    faker = Faker("uk_UA")
    faker.seed_instance(seed)
    chance = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["ref", "surname", "given_name", "patronymic", "birth_date", "sex", "passport"])
    for number in range(1, count + 1):
        male = chance.random() < 0.9
        born = faker.date_of_birth(minimum_age=18, maximum_age=60)
        writer.writerow(
            [
                f"E{number}",
                faker.last_name_male() if male else faker.last_name_female(),
                faker.first_name_male() if male else faker.first_name_female(),
                faker.middle_name_male() if male else faker.middle_name_female(),
                str(born.year) if chance.random() < 0.1 else born.isoformat(),
                "male" if male else "female",
                f"FE{number:06d}" if chance.random() < 0.6 else "",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--quick", action="store_true", help="1,000 entries")
    args = parser.parse_args()
    count = 1_000 if args.quick else args.entries
    timer = Timer()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ua, _ = init_instance(root / "ua", "UA", "UA bench", None, "bench-password-1")
        ru, _ = init_instance(root / "ru", "RU", "RU bench", None, "bench-password-1")
        ru.trust_store.add("UA", "UA bench", public_key_text(load_public_key(ua.directory)))
        note(f"{count:,} synthetic entries")
        content = synthetic_list(count, args.seed)
        with timer.section("build list (UA)"):
            built = lists.import_list(
                ua.uow(),
                ADMIN,
                "UA",
                lists.ListDraft("Bench list", ListPurpose.OFFER, ("RU",)),
                "bench.csv",
                content,
            ).stored
        with timer.section("sign bundle (UA)"):
            _, raw = bundles.export_bundle(ua.uow(), ADMIN, ua.keyring(), built.id)
        with timer.section("import bundle (RU)"):
            outcome = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "bench.json", raw)
        assert outcome.stored is not None and outcome.stored.entry_count == count
        with timer.section("import again (RU, no-op)"):
            again = bundles.import_bundle(ru.uow(), ADMIN, ru.keyring(), "bench.json", raw)
        assert again.already
        ua.close()
        ru.close()
    seconds = timer.seconds["import bundle (RU)"]
    emit(
        "bundle_import",
        {"entries": count, "seed": args.seed, "bundle_bytes": len(raw)},
        {
            **{f"{k} s": v for k, v in timer.seconds.items()},
            "goal_seconds": GOAL_SECONDS,
            "goal_met": seconds < GOAL_SECONDS,
        },
    )


if __name__ == "__main__":
    main()
