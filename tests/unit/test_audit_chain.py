from dataclasses import replace
from datetime import UTC, datetime, timedelta

from parley.domain.accounts.audit import GENESIS, AuditEntry, AuditRecord, chain, verify_chain

START = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def a_chain(length: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS
    for seq in range(1, length + 1):
        entry = chain(
            seq,
            START + timedelta(seconds=seq),
            AuditRecord("cli:admin", "person.read", "person", (str(seq),)),
            prev,
        )
        entries.append(entry)
        prev = entry.hash
    return entries


def test_an_untouched_chain_verifies() -> None:
    report = verify_chain(a_chain(5))
    assert report.ok and report.checked == 5


def test_an_altered_entry_is_named() -> None:
    entries = a_chain(5)
    entries[2] = replace(entries[2], actor="cli:somebody-else")
    report = verify_chain(entries)
    assert not report.ok
    assert report.breaks[0].entry_id == 3
    assert "altered" in report.breaks[0].reason


def test_a_removed_entry_is_named() -> None:
    entries = a_chain(5)
    del entries[1]
    report = verify_chain(entries)
    assert report.breaks[0].entry_id == 2
    assert "missing" in report.breaks[0].reason


def test_a_rehashed_entry_still_breaks_the_link_to_the_next() -> None:
    entries = a_chain(4)
    forged = chain(2, entries[1].at, AuditRecord("cli:x", "person.read"), entries[0].hash)
    entries[1] = forged
    report = verify_chain(entries)
    assert report.breaks[0].entry_id == 3
