"""Tampering: is any changed bundle ever accepted, and what does verifying one cost?

Ukraine's list of the Russian prisoners it holds (200 entries of the synthetic world) is sealed
for Russia, then changed 10,000 ways: bits flipped, bytes inserted and deleted, fields changed,
removed and added at any depth (and the whole re-canonicalised), a signature taken from another
valid bundle, the content re-signed by a stranger's key or by the mediator's, a bundle meant for
the mediator readdressed to Russia or simply delivered to Russia. Russia's instance verifies
each: none may be accepted, and the refusals are counted by the check that made them. Then a
request list of 10,000 entries is sealed and verified, for the cost of a large bundle.

    .venv/bin/python -m benchmarks.tamper [--quick] [--seed N] [--mutations N] [--entries N]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rich.table import Table

from benchmarks._common import Timer, console, emit, note, tracked
from parley.domain.registry.persons import Person
from parley.interchange.bundles import (
    BundleKind,
    Check,
    Verification,
    canonical_json,
    list_payload,
    seal,
    verify,
)
from parley.interchange.keys import TrustedKey, fingerprint, public_key_text
from parley.scenarios.population import Scale, generate_world

SEALED_AT = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
LOOKALIKES = "абвгдеєжзиіїклмнопрстуфхцчшщьюяАВЕКМНОРСТХaceopxABEKMHOPCTX0123456789-' "
"""Replacement characters for a nudged text: Cyrillic, and the Latin letters that look alike."""

Path = tuple[str | int, ...]


# ---------------------------------------------------------------- the bundles


def _entry(position: int, person: Person) -> dict[str, Any]:
    """What may be shared of a registry person, as a list entry."""
    name = next((n for n in person.names if n.primary), person.names[0])
    return {
        "ref": str(position + 1),
        "key": hashlib.sha256(f"{person.uid}/{position}".encode()).hexdigest(),
        "surname": name.surname,
        "given_name": name.given,
        "patronymic": name.patronymic,
        "birth_date": str(person.birth_date) if person.birth_date else "",
        "sex": person.sex.value,
        "identifiers": [{"kind": i.kind.value, "value": i.value} for i in person.identifiers],
        "unit": person.unit,
        "category_evidence": "",
        "response": None,
    }


def _list(
    people: Sequence[Person], count: int, purpose: str, recipients: list[str]
) -> dict[str, Any]:
    """A list of `count` entries; the people are reused (with other refs) if there are fewer."""
    chosen = itertools.islice(itertools.cycle(people), count)
    return {
        "name": f"UA {purpose} ({count})",
        "version": 1,
        "purpose": purpose,
        "category": "",
        "reference": "Istanbul-2",
        "sender": "UA",
        "recipients": recipients,
        "created_at": "2025-06-02T09:00:00Z",
        "previous_sha256": None,
        "changes": {"added": [], "removed": []},
        "entries": [_entry(position, person) for position, person in enumerate(chosen)],
    }


@dataclass(frozen=True)
class Keys:
    ukraine: Ed25519PrivateKey
    mediator: Ed25519PrivateKey
    stranger: Ed25519PrivateKey

    def trusted_at_russia(self) -> tuple[TrustedKey, ...]:
        return tuple(
            TrustedKey(party, f"{party} HQ", public_key_text(k), fingerprint(k), "")
            for party, k in (
                ("UA", self.ukraine.public_key()),
                ("TR", self.mediator.public_key()),
            )
        )


def _key(rng: random.Random) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))


# ---------------------------------------------------------------- mutations


def _paths(value: object, prefix: Path = ()) -> list[Path]:
    found: list[Path] = [prefix]
    if isinstance(value, dict):
        for name, member in value.items():
            found += _paths(member, (*prefix, name))
    elif isinstance(value, list):
        for position, element in enumerate(value):
            found += _paths(element, (*prefix, position))
    return found


def _at(document: Any, path: Path) -> Any:
    for step in path:
        document = document[step]
    return document


def _nudged(rng: random.Random, text: str) -> str:
    """One character changed, dropped or added: the edit a forger would make to a name."""
    if not text:
        return rng.choice(LOOKALIKES)
    position = rng.randrange(len(text))
    edit = rng.randrange(3)
    if edit == 0:
        return text[:position] + text[position + 1 :]
    if edit == 1:
        return text[:position] + rng.choice(LOOKALIKES) + text[position:]
    return text[:position] + rng.choice(LOOKALIKES) + text[position + 1 :]


def _other_value(rng: random.Random, current: object) -> object:
    """Mostly a plausible edit of the same type; sometimes anything at all."""
    if rng.random() < 0.7:
        if isinstance(current, str):
            return _nudged(rng, current)
        if isinstance(current, int) and not isinstance(current, bool):
            return current + rng.choice((-1, 1, 100))
    return rng.choice(
        [None, True, False, 0, 1, -1, 2.5, "", "RU", "UA", "TR", "0" * 64, [], {}, ["x"], {"a": 1}]
    )


class Mutator:
    """Makes each kind of tampered bundle from the original, with a seeded generator."""

    def __init__(
        self,
        original: bytes,
        other_signature: str,
        for_mediator: bytes,
        list_object: dict[str, Any],
        keys: Keys,
        rng: random.Random,
    ) -> None:
        self.original = original
        self.document: dict[str, Any] = json.loads(original)
        self.paths = _paths(self.document)
        self.containers = [p for p in self.paths if isinstance(_at(self.document, p), dict | list)]
        self.other_signature = other_signature
        self.for_mediator = for_mediator
        self.list_object = list_object
        self.keys = keys
        self.rng = rng

    def kinds(self) -> dict[str, Callable[[], bytes]]:
        return {
            "bit flip": self.bit_flip,
            "bytes inserted": self.insertion,
            "bytes deleted": self.deletion,
            "field changed": self.field_changed,
            "field removed": self.field_removed,
            "field added": self.field_added,
            "signature from another bundle": self.signature_swap,
            "re-signed by a stranger's key": lambda: self.resigned(self.keys.stranger),
            "re-signed by the mediator's key": lambda: self.resigned(self.keys.mediator),
            "readdressed to RU": self.readdressed,
            "delivered to the wrong party": lambda: self.for_mediator,
        }

    def _copy(self) -> dict[str, Any]:
        copied: dict[str, Any] = json.loads(self.original)
        return copied

    def _reserialised(self, document: dict[str, Any]) -> bytes | None:
        """Canonical bytes of a changed document, or None if the change changed nothing."""
        try:
            raw = canonical_json(document)
        except ValueError:  # e.g. an integer beyond 2^53 after an edit: no canonical form
            raw = json.dumps(document, ensure_ascii=False).encode()
        return None if raw == self.original else raw

    def bit_flip(self) -> bytes:
        mutated = bytearray(self.original)
        mutated[self.rng.randrange(len(mutated))] ^= 1 << self.rng.randrange(8)
        return bytes(mutated)

    def insertion(self) -> bytes:
        at = self.rng.randrange(len(self.original) + 1)
        inserted = self.rng.randbytes(self.rng.randint(1, 16))
        return self.original[:at] + inserted + self.original[at:]

    def deletion(self) -> bytes:
        start = self.rng.randrange(len(self.original))
        end = min(len(self.original), start + self.rng.randint(1, 64))
        return self.original[:start] + self.original[end:]

    def field_changed(self) -> bytes:
        while True:
            document = self._copy()
            path = self.rng.choice(self.paths[1:])
            parent = _at(document, path[:-1])
            parent[path[-1]] = _other_value(self.rng, parent[path[-1]])
            if (raw := self._reserialised(document)) is not None:
                return raw

    def field_removed(self) -> bytes:
        document = self._copy()
        path = self.rng.choice(self.paths[1:])
        del _at(document, path[:-1])[path[-1]]
        raw = self._reserialised(document)
        assert raw is not None
        return raw

    def field_added(self) -> bytes:
        while True:
            document = self._copy()
            container = _at(document, self.rng.choice(self.containers))
            value = _other_value(self.rng, "")
            if isinstance(container, dict):
                container[self.rng.choice(["note", "extra", "ref", "id", "signature2"])] = value
            else:
                container.insert(self.rng.randrange(len(container) + 1), value)
            if (raw := self._reserialised(document)) is not None:
                return raw

    def signature_swap(self) -> bytes:
        return canonical_json({**self._copy(), "signature": self.other_signature})

    def resigned(self, key: Ed25519PrivateKey) -> bytes:
        """A forged list, sealed properly (digests, signature) but with a key of the forger's."""
        forged = json.loads(json.dumps(self.list_object))
        entry = self.rng.choice(forged["entries"])
        entry["surname"] = _nudged(self.rng, entry["surname"])
        return seal(BundleKind.LIST, "UA", "RU", list_payload(forged), key, SEALED_AT)

    def readdressed(self) -> bytes:
        document: dict[str, Any] = json.loads(self.for_mediator)
        document["recipient"] = "RU"
        return canonical_json(document)


# ---------------------------------------------------------------- measuring


def _timed_verify(raw: bytes, trusted: tuple[TrustedKey, ...]) -> tuple[Verification, float]:
    start = time.perf_counter()
    verification = verify(raw, this_party="RU", trusted=trusted)
    return verification, time.perf_counter() - start


def _seconds(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "mean": round(statistics.fmean(ordered), 6),
        "median": round(statistics.median(ordered), 6),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 6),
        "max": round(ordered[-1], 6),
    }


def _print_refusals(by_kind: dict[str, Counter[str]], accepted: Counter[str]) -> None:
    table = Table(title="Refusals by mutation and check")
    table.add_column("mutation")
    checks = [c.value for c in Check]
    for check in checks:
        table.add_column(check, justify="right")
    table.add_column("accepted", justify="right")
    for kind, counts in by_kind.items():
        table.add_row(kind, *(str(counts.get(c, "")) for c in checks), str(accepted[kind]))
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small world, a smoke run")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--mutations", type=int, default=None, help="default 10,000 (quick 500)")
    parser.add_argument("--entries", type=int, default=200, help="entries of the tampered list")
    parser.add_argument(
        "--large", type=int, default=None, help="entries of the large list (default 10,000)"
    )
    args = parser.parse_args()
    mutations = args.mutations or (500 if args.quick else 10_000)
    large = args.large or (1_000 if args.quick else 10_000)
    rng = random.Random(f"tamper/{args.seed}")
    timer = Timer()

    with timer.section("generating the world"):
        world = generate_world(args.seed, Scale.SMALL if args.quick else Scale.FULL)
        ukraine = world.registry("UA")
        prisoners = [d.person for d in ukraine if d.person.side == "RU"]
        own = [d.person for d in ukraine if d.person.side == "UA"]
    keys = Keys(_key(rng), _key(rng), _key(rng))
    trusted = keys.trusted_at_russia()

    with timer.section(f"sealing the {args.entries}-entry list"):
        offer = _list(prisoners, args.entries, "offer", ["RU", "TR"])
        original = seal(BundleKind.LIST, "UA", "RU", list_payload(offer), keys.ukraine, SEALED_AT)
        later = SEALED_AT + timedelta(hours=1)
        other = seal(BundleKind.LIST, "UA", "RU", list_payload(offer), keys.ukraine, later)
        for_mediator = seal(
            BundleKind.LIST, "UA", "TR", list_payload(offer), keys.ukraine, SEALED_AT
        )
    valid_times = [_timed_verify(original, trusted)[1] for _ in range(50)]
    if not verify(original, this_party="RU", trusted=trusted).accepted:
        sys.exit("the original bundle is not accepted: the benchmark is broken")
    note(f"original: {len(original):,} bytes, verified in {statistics.median(valid_times):.4f} s")

    mutator = Mutator(original, json.loads(other)["signature"], for_mediator, offer, keys, rng)
    kinds = mutator.kinds()
    names = list(kinds)
    by_check: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    accepted: Counter[str] = Counter()
    times: list[float] = []
    times_by_check: dict[str, list[float]] = defaultdict(list)
    examples: dict[str, str] = {}
    with timer.section(f"{mutations:,} mutations, each verified"):
        for number in tracked(range(mutations), mutations, "tampering"):
            kind = names[number % len(names)]
            raw = kinds[kind]()
            verification, took = _timed_verify(raw, trusted)
            times.append(took)
            failed = verification.failed
            if failed is None:
                accepted[kind] += 1
                continue
            by_check[failed.check.value] += 1
            by_kind[kind][failed.check.value] += 1
            times_by_check[failed.check.value].append(took)
            examples.setdefault(f"{kind} / {failed.check.value}", failed.detail)
    _print_refusals(by_kind, accepted)
    for where, detail in examples.items():
        note(f"{where}: {detail[:160]}")

    with timer.section(f"sealing a {large:,}-entry list"):
        request = _list(own or prisoners, large, "request", ["RU", "TR"])
        started = time.perf_counter()
        big = seal(BundleKind.LIST, "UA", "RU", list_payload(request), keys.ukraine, SEALED_AT)
        seal_seconds = time.perf_counter() - started
    with timer.section(f"verifying the {large:,}-entry list"):
        big_times = []
        for _ in range(5):
            verification, took = _timed_verify(big, trusted)
            assert verification.accepted, verification.failed
            big_times.append(took)
        canonicalise_times = []
        for _ in range(5):
            started = time.perf_counter()
            canonical_json(json.loads(big))
            canonicalise_times.append(time.perf_counter() - started)
    note(
        f"{large:,} entries: {len(big):,} bytes, sealed in {seal_seconds:.2f} s, verified in "
        f"{statistics.median(big_times):.2f} s (parse and canonicalise alone "
        f"{statistics.median(canonicalise_times):.2f} s)"
    )

    total_accepted = sum(accepted.values())
    if total_accepted:
        console.print(f"[bold red]{total_accepted} tampered bundles were ACCEPTED[/bold red]")
    else:
        console.print(
            f"[bold green]none of {mutations:,} tampered bundles was accepted[/bold green]"
        )
    emit(
        "tamper",
        {
            "seed": args.seed,
            "quick": args.quick,
            "entries": args.entries,
            "mutations": mutations,
            "large_entries": large,
        },
        {
            "bundle_bytes": len(original),
            "accepted": total_accepted,
            "accepted_by_mutation": dict(accepted),
            "refusals_by_check": {c.value: by_check.get(c.value, 0) for c in Check},
            "refusals_by_mutation": {k: dict(v) for k, v in by_kind.items()},
            "verify_seconds": {
                "valid": _seconds(valid_times),
                "tampered": _seconds(times),
                "tampered_by_failed_check": {c: _seconds(t) for c, t in times_by_check.items()},
            },
            "large": {
                "entries": large,
                "bytes": len(big),
                "seal_seconds": round(seal_seconds, 3),
                "verify_seconds": _seconds(big_times),
                "parse_and_canonicalise_seconds": _seconds(canonicalise_times),
            },
            "seconds": timer.seconds,
        },
    )
    if total_accepted:
        sys.exit(1)


if __name__ == "__main__":
    main()
