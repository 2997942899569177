"""Peak memory of importing a large persons CSV, end to end through the service.

Issue 12, part 3: a 49 MB CSV once peaked at 1.6 GB (about 30 times the file). This script
writes a synthetic persons file of the given size (~350 bytes a row, Cyrillic names, a unit,
a place and a note, unique service numbers), then imports it into a fresh SQLite instance in a
child process and reports that process's peak resident memory against the file's size.

    .venv/bin/python -m benchmarks.upload_memory [--mb 49] [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import emit, note

HEADER = (
    "surname;given_name;patronymic;sex;birth_date;category;service_number;unit;rank;"
    "incident_place;incident_date;status;status_date;notes"
)
SURNAMES = ["Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник"]
GIVEN = ["Олександр", "Іван", "Андрій", "Сергій", "Дмитро", "Микола", "Василь", "Юрій"]
PATRONYMICS = ["Іванович", "Петрович", "Олександрович", "Миколайович", "Сергійович"]
PLACES = ["Бахмут", "Маріуполь", "Херсонська область", "Запорізька область", "Ізюм"]


def write_csv(path: Path, megabytes: float, seed: int) -> int:
    """A persons file of about `megabytes` MB; the number of entry rows."""
    chance = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    size = 0
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        while size < target:
            rows += 1
            line = ";".join(
                [
                    chance.choice(SURNAMES),
                    chance.choice(GIVEN),
                    chance.choice(PATRONYMICS),
                    "male",
                    f"{chance.randint(1965, 2004)}-{chance.randint(1, 12):02d}-"
                    f"{chance.randint(1, 28):02d}",
                    "military",
                    f"S-{rows:07d}",
                    f"{chance.randint(1, 250)} окрема механізована бригада",
                    "солдат",
                    chance.choice(PLACES),
                    "2024-05-01",
                    "reported_missing",
                    "2024-05-02",
                    "Повідомила родина, останній звʼязок у районі населеного пункту, свідки є",
                ]
            )
            out.write(line + "\n")
            size += len(line.encode()) + 1
    return rows


def _child(csv_path: str) -> None:
    """Import the file into a fresh instance; print rows, seconds and peak RSS as JSON."""
    from parley.domain.accounts.accounts import Actor, Role
    from parley.instance import init_instance
    from parley.services.registry import imports

    admin = Actor("bench", frozenset({Role.ADMIN}), "bench", 1)
    with tempfile.TemporaryDirectory() as tmp:
        instance, _ = init_instance(Path(tmp) / "ua", "UA", "Bench", None, "bench-password-1")
        content = Path(csv_path).read_bytes()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        outcome = imports.import_persons(
            instance.uow(), admin, Path(csv_path).name, content, "UA", "uk"
        )
        seconds = time.perf_counter() - started
        instance.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": outcome.rows, "seconds": seconds, "peak_mib": peak, "base": before}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=49.0, help="size of the CSV in MB")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--quick", action="store_true", help="a 5 MB file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    megabytes = 5.0 if args.quick else args.mb
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "persons.csv"
        rows = write_csv(path, megabytes, args.seed)
        size_mib = path.stat().st_size / 1024 / 1024
        note(f"{rows:,} rows, {size_mib:.1f} MiB; importing in a child process")
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.upload_memory", "--child", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
    child = json.loads(done.stdout.strip().splitlines()[-1])
    emit(
        "upload_memory",
        {"megabytes": megabytes, "seed": args.seed},
        {
            "rows": child["rows"],
            "file_mib": round(size_mib, 1),
            "seconds": round(child["seconds"], 1),
            "rss_before_import_mib": round(child["base"], 1),
            "peak_rss_mib": round(child["peak_mib"], 1),
            "peak_over_file": round(child["peak_mib"] / size_mib, 1),
            "import_growth_over_file": round((child["peak_mib"] - child["base"]) / size_mib, 1),
        },
    )


if __name__ == "__main__":
    main()
