"""No change to a signed bundle is accepted: not a flipped bit, not an inserted or deleted
byte, not a field changed, removed or added anywhere and the whole re-canonicalised.

Every byte of a canonical bundle is either signed or the signature itself, so whatever gets
past the format and schema checks must fail at the digest or the signature: the trust store
and the recipient are never what stops a tampered bundle.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from parley.interchange.bundles import Check, Verification, canonical_json, verify
from tests.unit.test_bundles import TRUSTED_AT_RU, a_list_bundle

ORIGINAL = a_list_bundle(entries=5)
"""Ukraine's list of five, for Russia: accepted as it is."""
ORIGINAL_DOCUMENT: dict[str, Any] = json.loads(ORIGINAL)
CONTENT_CHECKS = (Check.FORMAT, Check.SCHEMA, Check.DIGEST, Check.SIGNATURE)
RESERIALISED_CHECKS = (Check.SCHEMA, Check.DIGEST, Check.SIGNATURE)

TAMPERING = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Path = tuple[str | int, ...]


def at_ru(raw: bytes) -> Verification:
    return verify(raw, this_party="RU", trusted=TRUSTED_AT_RU)


def assert_refused(verification: Verification, allowed: tuple[Check, ...]) -> None:
    failed = verification.failed
    assert not verification.accepted and verification.bundle is None
    assert failed is not None and failed.detail
    assert failed.check in allowed, failed
    assert verification.results[-1] is failed


def test_the_original_is_accepted() -> None:
    assert at_ru(ORIGINAL).accepted


# ---------------------------------------------------------------- byte mutations


@TAMPERING
@given(st.data())
def test_a_flipped_bit_is_refused(data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(ORIGINAL) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    mutated = bytearray(ORIGINAL)
    mutated[position] ^= 1 << bit
    assert_refused(at_ru(bytes(mutated)), CONTENT_CHECKS)


@TAMPERING
@given(st.integers(0, len(ORIGINAL)), st.binary(min_size=1, max_size=16))
def test_inserted_bytes_are_refused(position: int, inserted: bytes) -> None:
    assert_refused(at_ru(ORIGINAL[:position] + inserted + ORIGINAL[position:]), CONTENT_CHECKS)


@TAMPERING
@given(st.data())
def test_a_deleted_byte_range_is_refused(data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(ORIGINAL) - 1), label="start")
    end = data.draw(st.integers(start + 1, min(len(ORIGINAL), start + 64)), label="end")
    assert_refused(at_ru(ORIGINAL[:start] + ORIGINAL[end:]), CONTENT_CHECKS)


@TAMPERING
@given(st.binary(max_size=256))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    assert_refused(at_ru(raw), CONTENT_CHECKS)


# ---------------------------------------------------------------- structural mutations


def _paths(value: object, prefix: Path = ()) -> list[Path]:
    """Every place in the document: each member and each array element, at any depth."""
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


PATHS = _paths(ORIGINAL_DOCUMENT)
CONTAINERS = [path for path in PATHS if isinstance(_at(ORIGINAL_DOCUMENT, path), dict | list)]

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "UA", "RU", "TR", "1", "0" * 64, "2025-06-02T10:00:00Z", "Шевчук"])
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _copy(document: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(document))
    return copied


@st.composite
def _changed(draw: st.DrawFn) -> dict[str, Any]:
    """The document with one value replaced, one member or element removed, or one added."""
    document = _copy(ORIGINAL_DOCUMENT)
    operation = draw(st.sampled_from(["change", "remove", "add"]))
    if operation == "add":
        path = draw(st.sampled_from(CONTAINERS))
        container = _at(document, path)
        if isinstance(container, dict):
            container[draw(st.text(max_size=12), label="member")] = draw(_values)
        else:
            container.insert(draw(st.integers(0, len(container))), draw(_values))
        return document
    path = draw(st.sampled_from(PATHS[1:]))  # not the whole document
    parent = _at(document, path[:-1])
    if operation == "remove":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(_values)
    return document


def _reserialised_checks(raw: bytes) -> tuple[Check, ...]:
    """Where a re-canonicalised document may fail. A float such as 2.0**53 serialises as
    `9007199254740992`, which reads back as an integer RFC 8785 cannot carry: such bytes
    have no canonical form and fail the format check instead."""
    try:
        canonical_json(json.loads(raw))
    except ValueError:
        return (Check.FORMAT,)
    return RESERIALISED_CHECKS


@TAMPERING
@given(_changed())
def test_a_changed_removed_or_added_field_is_refused(document: dict[str, Any]) -> None:
    raw = canonical_json(document)
    assume(raw != ORIGINAL)
    assert_refused(at_ru(raw), _reserialised_checks(raw))


@TAMPERING
@given(st.sampled_from(PATHS[1:]), st.sampled_from(PATHS[1:]))
def test_two_values_swapped_are_refused(first: Path, second: Path) -> None:
    """Moving the document's own values about (a name into another entry, one digest into
    another's place) gives nothing new to sign, and nothing that verifies."""
    document = _copy(ORIGINAL_DOCUMENT)
    a, b = _at(ORIGINAL_DOCUMENT, first), _at(ORIGINAL_DOCUMENT, second)
    assume(first[: len(second)] != second and second[: len(first)] != first)  # not nested
    _at(document, first[:-1])[first[-1]] = b
    _at(document, second[:-1])[second[-1]] = a
    raw = canonical_json(document)
    assume(raw != ORIGINAL)
    assert_refused(at_ru(raw), RESERIALISED_CHECKS)
