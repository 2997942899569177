"""Canonical JSON (RFC 8785) and where each member of a canonical object lies in its bytes.

Verification hashes the payload and checks the signature over the object without `signature`
by slicing the bytes received, instead of serialising the (possibly large) list again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import rfc8785


def canonical_json(value: object) -> bytes:
    """RFC 8785 bytes: one serialisation per value, so a hash or signature over it is stable.

    Raises ValueError (rfc8785.CanonicalizationError) for what JSON cannot carry exactly:
    integers beyond ±2^53, NaN, lone surrogates, non-string keys, other Python types.
    """
    try:
        return rfc8785.dumps(cast(Any, value))
    except UnicodeError as exc:  # a lone surrogate in an object key
        raise ValueError(f"not representable as canonical JSON: {exc}") from exc


@dataclass(frozen=True)
class _Span:
    member_start: int
    value_start: int
    value_end: int


def _utf16_order(name: str) -> bytes:
    return name.encode("utf-16be")


def _member_spans(canonical: bytes, document: Mapping[str, Any], large: str) -> dict[str, _Span]:
    """Where each member of `document` lies in `canonical`, its RFC 8785 bytes.

    Only the small members are serialised again; the length of `large` (the payload, the list)
    follows from the total. This keeps verification to one full canonicalisation (the format
    check) instead of four; `canonical` must be exactly `canonical_json(document)`.
    """
    names = sorted(document, key=_utf16_order)
    key_sizes = {name: len(canonical_json(name)) + 1 for name in names}  # `"name":`
    value_sizes = {name: len(canonical_json(document[name])) for name in names if name != large}
    framing = 2 + max(len(names) - 1, 0)  # braces and commas
    value_sizes[large] = (
        len(canonical) - framing - sum(key_sizes.values()) - sum(value_sizes.values())
    )
    spans: dict[str, _Span] = {}
    offset = 1
    for position, name in enumerate(names):
        offset += 1 if position else 0
        value_start = offset + key_sizes[name]
        spans[name] = _Span(offset, value_start, value_start + value_sizes[name])
        offset = spans[name].value_end
    return spans


def _member_bytes(canonical: bytes, spans: Mapping[str, _Span], name: str) -> bytes:
    span = spans[name]
    return canonical[span.value_start : span.value_end]


def _without_member(canonical: bytes, spans: Mapping[str, _Span], name: str) -> bytes:
    """The canonical bytes of the same object without member `name`, and its comma."""
    span = spans[name]
    if span.member_start > 1:  # not the first member: drop the comma before it
        return canonical[: span.member_start - 1] + canonical[span.value_end :]
    if len(spans) > 1:  # the first of several: drop the comma after it
        return canonical[: span.member_start] + canonical[span.value_end + 1 :]
    return b"{}"
