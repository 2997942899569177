"""Signed bundles: what a party seals verifies on the other side, and each check refuses what
it exists to refuse, with a message that names it."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.errors import ALL_ERRORS, BundleRefused
from parley.interchange.bundle_payloads import (
    KeyAnnouncementPayload,
    ListPayload,
    ReceiptPayload,
)
from parley.interchange.bundles import (
    SCHEMA_ID,
    Bundle,
    BundleKind,
    Check,
    Verification,
    _member_bytes,
    _member_spans,
    _without_member,
    announced_key,
    bundle_sha256,
    canonical_json,
    key_announcement_payload,
    list_payload,
    list_sha256,
    receipt_payload,
    require_accepted,
    seal,
    verify,
)
from parley.interchange.keys import TrustedKey, TrustStore, fingerprint, public_key_text

SEALED_AT = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)


def a_key(name: str) -> Ed25519PrivateKey:
    """The same key every run, so a failing example can be replayed."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


UA_KEY = a_key("UA signing key")
RU_KEY = a_key("RU signing key")
TR_KEY = a_key("TR signing key")


def trust(party: str, key: Ed25519PrivateKey) -> TrustedKey:
    public = key.public_key()
    return TrustedKey(party, f"{party} HQ", public_key_text(public), fingerprint(public), "")


TRUSTED_AT_RU = (trust("UA", UA_KEY), trust("TR", TR_KEY))
"""What Russia's instance trusts: Ukraine's key and the mediator's."""

_PEOPLE = (
    ("Коваленко", "Олександр", "Петрович", "1999-04-17", "male", "ВК123456"),
    ("Ковальов", "Андрій", "Миколайович", "2001", "male", "ЕМ-9876543"),
    ("Шевчук", "Ганна", "Іванівна", "1987-11", "female", ""),
    ("Бондаренко", "Юрій", "", "", "unknown", "1234567890"),
    ("Егорычев", "Дмитрий", "Фёдорович", "1985-07-02", "male", "5205828212"),
)


def an_entry(position: int) -> dict[str, Any]:
    surname, given_name, patronymic, born, sex, document = _PEOPLE[position % len(_PEOPLE)]
    ref = f"{position + 1}"
    return {
        "ref": ref,
        "key": hashlib.sha256(f"person {ref}".encode()).hexdigest(),
        "surname": surname,
        "given_name": given_name,
        "patronymic": patronymic,
        "birth_date": born,
        "sex": sex,
        "identifiers": [{"kind": "passport", "value": document}] if document else [],
        "unit": "в/ч А0000" if position % 2 else "",
        "category_evidence": "aged 18–25 on the stage date" if position % 3 == 0 else "",
        "response": None
        if position % 4
        else {"in_reply_to": f"RU-{ref}", "verdict": "confirm", "reason": ""},
    }


def a_list(entries: int = 3, **changed: Any) -> dict[str, Any]:
    listed = [an_entry(position) for position in range(entries)]
    body: dict[str, Any] = {
        "name": "Обмін: поранені",
        "version": 2,
        "purpose": "offer",
        "category": "seriously wounded or sick",
        "reference": "Istanbul-2 / stage 1",
        "sender": "UA",
        "recipients": ["RU", "TR"],
        "created_at": "2025-06-02T09:30:00Z",
        "previous_sha256": "0" * 64,
        "changes": {"added": [listed[0]["key"]] if listed else [], "removed": ["f" * 64]},
        "entries": listed,
    }
    return {**body, **changed}


def a_list_bundle(
    entries: int = 3,
    *,
    recipient: str = "RU",
    key: Ed25519PrivateKey = UA_KEY,
    created_at: datetime = SEALED_AT,
) -> bytes:
    return seal(BundleKind.LIST, "UA", recipient, list_payload(a_list(entries)), key, created_at)


def parsed(raw: bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(raw)
    return document


def signed(document: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """Sign whatever `document` says, as a forger holding `key` (or a careless sealer) would:
    the crafted bundle gets past the signature and so shows the later checks at work."""
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    signature = base64.b64encode(key.sign(canonical_json(unsigned))).decode()
    return canonical_json({**unsigned, "signature": signature})


def with_signer(document: dict[str, Any], party: str, key: Ed25519PrivateKey) -> dict[str, Any]:
    public = key.public_key()
    signer = {
        "party": party,
        "public_key": public_key_text(public),
        "fingerprint": fingerprint(public),
    }
    return {**document, "signer": signer}


def at_ru(raw: bytes, trusted: tuple[TrustedKey, ...] = TRUSTED_AT_RU) -> Verification:
    return verify(raw, this_party="RU", trusted=trusted)


def refused_at(verification: Verification, check: Check) -> str:
    """The detail of the failed check, after asserting it is `check` and nothing ran after it."""
    failed = verification.failed
    assert failed is not None, verification.results
    assert failed.check is check, failed
    assert verification.results[-1] == failed
    assert [r.check for r in verification.results] == list(Check)[: list(Check).index(check) + 1]
    assert not verification.accepted and verification.bundle is None
    return failed.detail


# ---------------------------------------------------------------- accepted


def test_a_sealed_list_verifies_at_its_recipient() -> None:
    raw = a_list_bundle()
    verification = at_ru(raw)
    assert verification.accepted, verification.failed
    assert [r.check for r in verification.results] == list(Check)
    assert all(r.passed and r.detail for r in verification.results)
    bundle = require_accepted(verification)
    assert bundle.kind is BundleKind.LIST
    assert (bundle.sender, bundle.recipient) == ("UA", "RU")
    assert bundle.created_at == SEALED_AT
    assert bundle.raw == raw
    assert bundle.sha256 == verification.sha256 == bundle_sha256(raw)
    assert isinstance(bundle.payload, ListPayload)
    assert bundle.payload.list_body.entries[0].surname == "Коваленко"
    assert bundle.payload.list_sha256 == list_sha256(a_list())
    assert bundle.signer.fingerprint == fingerprint(UA_KEY.public_key())


def test_a_receipt_verifies() -> None:
    received = a_list_bundle()
    payload = receipt_payload(bundle_sha256(received), "UA", "RU", SEALED_AT)
    raw = seal(BundleKind.RECEIPT, "RU", "UA", payload, RU_KEY, SEALED_AT)
    bundle = require_accepted(verify(raw, this_party="UA", trusted=[trust("RU", RU_KEY)]))
    assert isinstance(bundle.payload, ReceiptPayload)
    assert bundle.payload.bundle_sha256 == bundle_sha256(received)
    assert (bundle.payload.role, bundle.payload.forwarded_to) == ("recipient", None)


def test_a_relays_receipt_names_where_the_bundle_went() -> None:
    payload = receipt_payload("a" * 64, "UA", "TR", SEALED_AT, forwarded_to="RU")
    raw = seal(BundleKind.RECEIPT, "TR", "UA", payload, TR_KEY, SEALED_AT)
    bundle = require_accepted(verify(raw, this_party="UA", trusted=[trust("TR", TR_KEY)]))
    assert isinstance(bundle.payload, ReceiptPayload)
    assert (bundle.payload.role, bundle.payload.forwarded_to) == ("relay", "RU")


def test_a_key_announcement_verifies() -> None:
    new_key = a_key("UA new key").public_key()
    payload = key_announcement_payload("UA", new_key, SEALED_AT)
    raw = seal(BundleKind.KEY_ANNOUNCEMENT, "UA", "RU", payload, UA_KEY, SEALED_AT)
    bundle = require_accepted(at_ru(raw))
    assert isinstance(bundle.payload, KeyAnnouncementPayload)
    announced = announced_key(bundle)
    assert announced.party == "UA"
    assert announced.public_key == public_key_text(new_key)
    assert announced.fingerprint == fingerprint(new_key)
    assert announced.effective_from == SEALED_AT
    assert announced.announced_with == fingerprint(UA_KEY.public_key())


def test_an_empty_list_verifies() -> None:
    raw = seal(
        BundleKind.LIST,
        "UA",
        "RU",
        list_payload(a_list(0, changes={"added": [], "removed": []})),
        UA_KEY,
        SEALED_AT,
    )
    assert at_ru(raw).accepted


def test_sealing_is_deterministic_and_the_identity_is_the_hash_of_the_bytes() -> None:
    assert a_list_bundle() == a_list_bundle()
    assert bundle_sha256(a_list_bundle()) == hashlib.sha256(a_list_bundle()).hexdigest()
    assert list_sha256(a_list()) == hashlib.sha256(canonical_json(a_list())).hexdigest()


# ---------------------------------------------------------------- format


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        (lambda raw: json.dumps(parsed(raw), indent=2).encode(), "canonical form"),
        (lambda raw: raw + b"\n", "canonical form"),
        (lambda raw: b" " + raw, "canonical form"),
        (lambda raw: json.dumps(parsed(raw), ensure_ascii=True).encode(), "canonical form"),
        (lambda raw: raw.replace(b"{", b'{"schema":"x",', 1), "canonical form"),  # duplicate
        (lambda raw: b"\xef\xbb\xbf" + raw, "not JSON"),  # a byte-order mark
        (lambda raw: raw.replace("Коваленко".encode(), b"\xd0\xd0", 1), "not UTF-8"),
        (lambda raw: raw[:-1], "not JSON"),
        (lambda _raw: b"[]", "JSON object"),
        (lambda _raw: b'{"n":NaN}', "canonical form"),
        (lambda _raw: b'{"n":9007199254740993}', "canonical form"),
        (lambda _raw: b"", "not JSON"),
        (lambda _raw: b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ],
    ids=[
        "indented",
        "trailing newline",
        "leading space",
        "escaped non-ASCII",
        "duplicate member",
        "byte-order mark",
        "invalid UTF-8",
        "truncated",
        "array",
        "NaN",
        "integer beyond 2^53",
        "empty",
        "nested too deeply",
    ],
)
def test_anything_but_canonical_json_fails_the_format_check(
    mangle: Callable[[bytes], bytes], expected: str
) -> None:
    assert expected in refused_at(at_ru(mangle(a_list_bundle())), Check.FORMAT)


# ---------------------------------------------------------------- schema


def test_a_newer_schema_version_is_reported_as_unsupported() -> None:
    document = {**parsed(a_list_bundle()), "schema": "parley.bundle/2"}
    detail = refused_at(at_ru(signed(document, UA_KEY)), Check.SCHEMA)
    assert "unsupported schema version 'parley.bundle/2'" in detail
    assert SCHEMA_ID in detail


def test_a_foreign_document_is_not_a_parley_bundle() -> None:
    document = {**parsed(a_list_bundle()), "schema": "something/1"}
    assert "unknown schema" in refused_at(at_ru(signed(document, UA_KEY)), Check.SCHEMA)
    assert "'schema' member is missing" in refused_at(at_ru(b'{"a":1}'), Check.SCHEMA)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("created_at"), "created_at: Field required"),
        (lambda d: d.update(extra="x"), "extra: Extra inputs are not permitted"),
        (lambda d: d.update(kind="memo"), "kind:"),
        (lambda d: d.update(sender="ua"), "sender:"),
        (lambda d: d.update(created_at="2025-06-02 10:00:00"), "created_at:"),
        (lambda d: d.update(created_at="2025-02-30T10:00:00Z"), "created_at:"),
        (lambda d: d["signer"].pop("fingerprint"), "signer.fingerprint: Field required"),
        (lambda d: d.update(payload_sha256="A" * 64), "payload_sha256:"),
    ],
    ids=[
        "missing member",
        "unknown member",
        "unknown kind",
        "lower-case party",
        "timestamp without T and Z",
        "impossible date",
        "missing signer member",
        "upper-case hex",
    ],
)
def test_a_malformed_envelope_fails_the_schema_check(
    change: Callable[[dict[str, Any]], object], where: str
) -> None:
    document = parsed(a_list_bundle())
    change(document)
    assert where in refused_at(at_ru(signed(document, UA_KEY)), Check.SCHEMA)


def _entry_change(name: str, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda body: body["entries"][1].update({name: value})


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (_entry_change("birth_date", "1990-13"), "payload.list.entries[1].birth_date"),
        (_entry_change("birth_date", "17.04.1999"), "payload.list.entries[1].birth_date"),
        (_entry_change("sex", "m"), "payload.list.entries[1].sex"),
        (_entry_change("ref", ""), "payload.list.entries[1].ref"),
        (_entry_change("ref", "1"), "ref '1' appears twice"),
        (_entry_change("key", "xyz"), "payload.list.entries[1].key"),
        (_entry_change("notes", "wounded in the leg"), "payload.list.entries[1].notes"),
        (lambda body: body["entries"][1].pop("unit"), "payload.list.entries[1].unit"),
        (lambda body: body.update(version="2"), "payload.list.version"),
        (lambda body: body.update(version=0), "payload.list.version"),
        (lambda body: body.update(version=True), "payload.list.version"),
        (lambda body: body.update(purpose="ultimatum"), "payload.list.purpose"),
        (lambda body: body.update(recipients=[]), "payload.list.recipients"),
        (lambda body: body.update(name=""), "payload.list.name"),
        (lambda body: body.update(sender="RU"), "payload.list.sender is RU"),
        (lambda body: body.update(recipients=["TR"]), "not among the list's recipients"),
        (lambda body: body["changes"].update(added=["1" * 64]), "changes.added"),
    ],
    ids=[
        "impossible month",
        "dotted birth date",
        "unknown sex",
        "empty ref",
        "ref twice",
        "key not hex",
        "private notes",
        "missing unit",
        "version as text",
        "version zero",
        "version as boolean",
        "unknown purpose",
        "no recipients",
        "nameless list",
        "list from another party",
        "bundle to a party not on the list",
        "added key not on the list",
    ],
)
def test_a_bad_list_fails_the_schema_check(
    change: Callable[[dict[str, Any]], object], where: str
) -> None:
    """The list is sealed honestly (right digests, right signature), only its content is bad."""
    body = a_list(4)
    change(body)
    document = parsed(a_list_bundle())
    document["payload"] = list_payload(body)
    document["payload_sha256"] = hashlib.sha256(canonical_json(document["payload"])).hexdigest()
    assert where in refused_at(at_ru(signed(document, UA_KEY)), Check.SCHEMA)


def test_base64_must_be_in_its_one_canonical_form() -> None:
    """Flipping the unused low bits of the last character decodes to the same signature; a
    lenient decoder would accept other bytes under the same signature."""
    document = parsed(a_list_bundle())
    signature = document["signature"]
    assert signature.endswith("==")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(signature[-3])
    sibling = alphabet[last ^ 1]
    assert base64.b64decode(signature[:-3] + sibling + "==") == base64.b64decode(signature)
    document["signature"] = signature[:-3] + sibling + "=="
    detail = refused_at(at_ru(canonical_json(document)), Check.SCHEMA)
    assert "signature" in detail and "canonical base64" in detail


def test_a_public_key_in_another_encoding_is_refused() -> None:
    document = parsed(a_list_bundle())
    key = document["signer"]["public_key"]
    document["signer"]["public_key"] = key.rstrip("=")
    assert "signer.public_key" in refused_at(at_ru(signed(document, UA_KEY)), Check.SCHEMA)


# ---------------------------------------------------------------- digest


def test_a_payload_that_does_not_match_its_digest_fails_the_digest_check() -> None:
    document = parsed(a_list_bundle())
    document["payload"]["list"]["entries"][0]["surname"] = "Коваль"
    detail = refused_at(at_ru(signed(document, UA_KEY)), Check.DIGEST)
    assert detail.startswith("payload_sha256 is")


def test_a_list_that_does_not_match_its_digest_fails_the_digest_check() -> None:
    """Even when payload_sha256 was recomputed over the changed list."""
    document = parsed(a_list_bundle())
    document["payload"]["list"]["entries"][0]["birth_date"] = "1998-04-17"
    document["payload_sha256"] = hashlib.sha256(canonical_json(document["payload"])).hexdigest()
    assert refused_at(at_ru(signed(document, UA_KEY)), Check.DIGEST).startswith("list_sha256 is")


# ---------------------------------------------------------------- signature


def test_a_changed_bundle_fails_the_signature_check() -> None:
    document = parsed(a_list_bundle(recipient="TR"))
    document["recipient"] = "RU"
    detail = refused_at(at_ru(canonical_json(document)), Check.SIGNATURE)
    assert "does not verify" in detail


def test_a_signature_taken_from_another_bundle_fails_the_signature_check() -> None:
    other = parsed(a_list_bundle(created_at=datetime(2025, 6, 3, tzinfo=UTC)))
    document = {**parsed(a_list_bundle()), "signature": other["signature"]}
    refused_at(at_ru(canonical_json(document)), Check.SIGNATURE)


def test_a_signer_that_is_not_the_sender_fails_the_signature_check() -> None:
    document = with_signer(parsed(a_list_bundle()), "TR", TR_KEY)
    detail = refused_at(at_ru(signed(document, TR_KEY)), Check.SIGNATURE)
    assert detail == "signed on behalf of TR, but the sender is UA"


def test_a_fingerprint_that_is_not_the_keys_fails_the_signature_check() -> None:
    document = parsed(a_list_bundle())
    document["signer"]["fingerprint"] = fingerprint(RU_KEY.public_key())
    assert "is not the fingerprint" in refused_at(at_ru(signed(document, UA_KEY)), Check.SIGNATURE)


def test_a_bundle_signed_by_another_key_than_it_names_fails_the_signature_check() -> None:
    refused_at(at_ru(signed(parsed(a_list_bundle()), RU_KEY)), Check.SIGNATURE)


# ---------------------------------------------------------------- trusted key


def test_an_unknown_key_fails_the_trusted_key_check() -> None:
    stranger = a_key("someone claiming to be UA")
    detail = refused_at(at_ru(a_list_bundle(key=stranger)), Check.TRUSTED_KEY)
    assert fingerprint(stranger.public_key()) in detail
    assert "not in the trust store for UA" in detail


def test_a_key_trusted_for_another_party_fails_the_trusted_key_check() -> None:
    """The mediator's key is trusted, but only to speak for the mediator."""
    raw = a_list_bundle(key=TR_KEY)
    detail = refused_at(at_ru(raw), Check.TRUSTED_KEY)
    assert detail == f"key {fingerprint(TR_KEY.public_key())} is trusted for TR, not for UA"


def test_with_nothing_trusted_nothing_is_accepted() -> None:
    refused_at(at_ru(a_list_bundle(), trusted=()), Check.TRUSTED_KEY)


# ---------------------------------------------------------------- recipient


def test_a_bundle_for_another_party_fails_the_recipient_check() -> None:
    raw = a_list_bundle(recipient="TR")
    assert refused_at(at_ru(raw), Check.RECIPIENT) == "addressed to TR, not to this instance (RU)"


def test_a_relay_passes_on_a_bundle_addressed_to_another_party() -> None:
    verification = verify(
        a_list_bundle(), this_party="TR", trusted=[trust("UA", UA_KEY)], relay=True
    )
    assert verification.accepted
    assert verification.results[list(Check).index(Check.RECIPIENT)].detail == "relay to RU"


def test_a_relay_still_verifies_everything_else() -> None:
    stranger = a_list_bundle(key=a_key("stranger"))
    verification = verify(stranger, this_party="TR", trusted=TRUSTED_AT_RU, relay=True)
    refused_at(verification, Check.TRUSTED_KEY)


# ---------------------------------------------------------------- refusal and sealing


def test_a_refusal_raises_an_error_naming_the_check() -> None:
    tampered = a_list_bundle().replace("Коваленко".encode(), "Коваленкo".encode())  # Latin o
    verification = at_ru(tampered)
    with pytest.raises(BundleRefused) as raised:
        require_accepted(verification)
    error = raised.value
    assert error.code == "bundle_refused"
    assert error.check == "digest"
    assert error.bundle_sha256 == bundle_sha256(tampered)
    assert error.message.startswith("bundle refused: digest check failed: payload_sha256 is")
    assert BundleRefused in ALL_ERRORS


@pytest.mark.parametrize(
    "payload",
    [
        {"list": a_list(), "list_sha256": "0" * 64},
        list_payload(a_list(sender="RU")),
        list_payload({**a_list(), "notes": "x"}),
        {"bundle_sha256": "a" * 64},
        {"list": {"when": datetime(2025, 1, 1, tzinfo=UTC)}, "list_sha256": "0" * 64},
    ],
    ids=[
        "wrong list digest",
        "list from another party",
        "extra member",
        "missing members",
        "a datetime",
    ],
)
def test_sealing_an_invalid_payload_is_a_programming_error(payload: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"seal|canonical|unsupported"):
        seal(BundleKind.LIST, "UA", "RU", payload, UA_KEY, SEALED_AT)


def test_sealing_needs_an_aware_timestamp_and_a_relay_receipt_a_destination() -> None:
    with pytest.raises(ValueError, match="timezone"):
        seal(BundleKind.LIST, "UA", "RU", list_payload(a_list()), UA_KEY, datetime(2025, 6, 2))
    payload = {**receipt_payload("a" * 64, "UA", "TR", SEALED_AT), "role": "relay"}
    with pytest.raises(ValueError, match="forwarded"):
        seal(BundleKind.RECEIPT, "TR", "UA", payload, TR_KEY, SEALED_AT)


def test_verify_takes_any_iterable_of_trusted_keys_once() -> None:
    assert verify(a_list_bundle(), this_party="ru", trusted=iter(TRUSTED_AT_RU)).accepted


# ---------------------------------------------------------------- key rotation


def test_a_rotated_key_is_trusted_once_announced_and_the_old_one_stays_trusted(
    tmp_path: Path,
) -> None:
    store = TrustStore(tmp_path / "trust.json")
    store.create_empty()
    store.add("UA", "UA HQ", public_key_text(UA_KEY.public_key()))
    old_list = a_list_bundle()
    new_key = a_key("UA key of 2026")
    new_list = a_list_bundle(key=new_key, created_at=datetime(2026, 1, 2, tzinfo=UTC))

    assert verify(old_list, this_party="RU", trusted=store.trusted()).accepted
    refused_at(verify(new_list, this_party="RU", trusted=store.trusted()), Check.TRUSTED_KEY)

    announcement = seal(
        BundleKind.KEY_ANNOUNCEMENT,
        "UA",
        "RU",
        key_announcement_payload("UA", new_key.public_key(), datetime(2026, 1, 1, tzinfo=UTC)),
        UA_KEY,
        datetime(2025, 12, 31, tzinfo=UTC),
    )
    announced = announced_key(
        require_accepted(verify(announcement, this_party="RU", trusted=store.trusted()))
    )
    store.add(announced.party, "UA HQ (2026)", announced.public_key)

    assert verify(old_list, this_party="RU", trusted=store.trusted()).accepted
    assert verify(new_list, this_party="RU", trusted=store.trusted()).accepted


def test_a_key_cannot_vouch_for_itself() -> None:
    """An announcement signed with the new key proves nothing: the old key must sign it."""
    new_key = a_key("UA key of 2026")
    payload = key_announcement_payload("UA", new_key.public_key(), SEALED_AT)
    raw = seal(BundleKind.KEY_ANNOUNCEMENT, "UA", "RU", payload, UA_KEY, SEALED_AT)
    by_itself = signed(with_signer(parsed(raw), "UA", new_key), new_key)
    assert "very key" in refused_at(at_ru(by_itself), Check.SCHEMA)
    same = key_announcement_payload("UA", UA_KEY.public_key(), SEALED_AT)
    with pytest.raises(ValueError, match="very key"):
        seal(BundleKind.KEY_ANNOUNCEMENT, "UA", "RU", same, UA_KEY, SEALED_AT)


def test_an_announcement_under_an_untrusted_key_announces_nothing() -> None:
    stranger = a_key("someone claiming to be UA")
    payload = key_announcement_payload("UA", a_key("their next key").public_key(), SEALED_AT)
    raw = seal(BundleKind.KEY_ANNOUNCEMENT, "UA", "RU", payload, stranger, SEALED_AT)
    refused_at(at_ru(raw), Check.TRUSTED_KEY)


def test_an_announcement_for_another_party_or_with_a_wrong_fingerprint_is_refused() -> None:
    new_key = a_key("UA key of 2026").public_key()
    for payload, expected in (
        (key_announcement_payload("RU", new_key, SEALED_AT), "announces a key for RU"),
        (
            {**key_announcement_payload("UA", new_key, SEALED_AT), "new_fingerprint": "x"},
            "new_fingerprint",
        ),
    ):
        document = parsed(
            seal(
                BundleKind.KEY_ANNOUNCEMENT,
                "UA",
                "RU",
                key_announcement_payload("UA", new_key, SEALED_AT),
                UA_KEY,
                SEALED_AT,
            )
        )
        document["payload"] = payload
        document["payload_sha256"] = hashlib.sha256(canonical_json(payload)).hexdigest()
        assert expected in refused_at(at_ru(signed(document, UA_KEY)), Check.SCHEMA)


def test_only_a_key_announcement_announces_a_key() -> None:
    bundle: Bundle = require_accepted(at_ru(a_list_bundle()))
    with pytest.raises(ValueError, match="announces no key"):
        announced_key(bundle)


# ---------------------------------------------------------------- slicing canonical bytes

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=6), _json_values, min_size=1, max_size=6),
    st.data(),
)
def test_a_member_sliced_from_canonical_bytes_is_its_own_canonical_form(
    document: dict[str, Any], data: st.DataObject
) -> None:
    """Verification hashes slices of the bytes instead of serialising them again; the slices
    must be exactly what serialising again would give, whatever the keys (astral planes sort
    by UTF-16 in RFC 8785, not by code point)."""
    canonical = canonical_json(document)
    large = data.draw(st.sampled_from(sorted(document)))
    spans = _member_spans(canonical, document, large)
    for name in document:
        assert _member_bytes(canonical, spans, name) == canonical_json(document[name])
        rest = {key: value for key, value in document.items() if key != name}
        assert _without_member(canonical, spans, name) == canonical_json(rest)


# ---------------------------------------------------------------- issue 12, part 7


def test_a_bundle_dated_beyond_the_clock_skew_is_refused_at_created_at() -> None:
    from parley.interchange.bundles import CLOCK_SKEW

    within = a_list_bundle(created_at=SEALED_AT + CLOCK_SKEW)
    accepted = verify(within, this_party="RU", trusted=TRUSTED_AT_RU, now=SEALED_AT)
    assert accepted.accepted, accepted.failed
    ahead = a_list_bundle(created_at=SEALED_AT + CLOCK_SKEW + CLOCK_SKEW)
    refused = verify(ahead, this_party="RU", trusted=TRUSTED_AT_RU, now=SEALED_AT)
    assert "minutes after this instance's clock" in refused_at(refused, Check.CREATED_AT)


def test_the_trust_store_marks_mediators_and_reads_files_without_the_flag(
    tmp_path: Path,
) -> None:
    store = TrustStore(tmp_path / "trust.json")
    old = {k: v for k, v in trust("UA", UA_KEY).__dict__.items() if k != "mediator"}
    store.path.write_text(json.dumps({"keys": [old]}))
    assert store.trusted()[0].mediator is False and store.mediators() == frozenset()
    store.add("TR", "Ankara", public_key_text(TR_KEY.public_key()), mediator=True)
    assert store.mediators() == frozenset({"TR"})
    store.add("TR", "Ankara, next key", public_key_text(a_key("TR next").public_key()))
    assert all(k.mediator for k in store.trusted() if k.party == "TR")
