"""Need to know through the services and a real database: every role against every restricted
field (SQLite; PostgreSQL too when CI provides one). See docs/accounts.md, "Need to know"."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from parley.domain.accounts.accounts import Role
from parley.domain.accounts.need_to_know import MARKERS
from parley.domain.errors import PermissionDenied
from parley.domain.lists import ListPurpose
from parley.domain.registry.events import EventType, Status
from parley.instance import Instance
from parley.services import exchange, lists, registry
from parley.services.lists import bundles
from parley.services.lists import documents as lists_documents
from parley.services.registry import PersonView
from tests.conftest import make_account
from tests.need_to_know_seed import (
    ADMIN,
    CERTIFIED_ITEM,
    CERTIFIED_NOTE,
    CONDITION_ITEM,
    CONTACT,
    CONTACT_READERS,
    CONTACT_SECRETS,
    CONTACTS_MARK,
    FINDINGS,
    HEALTH,
    MEDICAL_MARK,
    MEDICAL_READERS,
    MEDICAL_SECRETS,
    NON_READERS,
    ORDINARY_NOTE,
    PERSON_MEDICAL,
    RELATIVE,
    check_text,
    seed,
)

AS_OF = date(2025, 2, 1)


def test_every_role_sees_each_restricted_field_or_its_marker(instance: Instance) -> None:
    seeded = seed(instance)
    for role in Role:
        actor = make_account(instance, f"u-{role.value.replace('_', '-')}", role)
        if role in NON_READERS:
            with pytest.raises(PermissionDenied):
                registry.show_person(instance.uow(), actor, seeded.person_id)
            with pytest.raises(PermissionDenied):
                exchange.list_examinations(instance.uow(), actor, AS_OF)
            continue
        medical, contacts = role in MEDICAL_READERS, role in CONTACT_READERS

        view = PersonView.of(registry.show_person(instance.uow(), actor, seeded.person_id), actor)
        assert view.health == (HEALTH if medical else MEDICAL_MARK), role
        mother, father = view.relatives
        assert (mother.name, mother.relationship) == (RELATIVE, "mother"), role
        assert mother.contact == (CONTACT if contacts else CONTACTS_MARK), role
        assert father.contact == "", "an empty field stays empty: nothing is withheld"
        detained, certified = view.events
        assert detained.type == EventType.DETAINED and detained.note == ORDINARY_NOTE, role
        assert certified.type == EventType.MANIFEST_CERTIFIED, "the event itself is visible"
        assert certified.effective_date == date(2024, 6, 1)
        if medical:
            assert certified.note == CERTIFIED_NOTE
            assert certified.details["condition"]["item"] == CERTIFIED_ITEM
        else:
            assert certified.note == MEDICAL_MARK
            assert certified.details == {"condition": MEDICAL_MARK}, "keys stay, values go"
        assert view.status == "held" and view.names[0].surname == "Сорокін"
        check_text(view.model_dump_json(), role, medical=PERSON_MEDICAL)

        [exam] = exchange.list_examinations(instance.uow(), actor, AS_OF).items
        one = exchange.get_examination(instance.uow(), actor, seeded.examination_id)
        [waiting] = exchange.examination_queue(instance.uow(), actor, AS_OF)
        for shown in (exam, one):
            assert shown.decision == "reexamine" and len(shown.votes) == 3, "outcome is visible"
            assert shown.findings == (FINDINGS if medical else MEDICAL_MARK), role
        for condition in (exam.condition, one.condition, waiting.condition):
            assert condition is not None
            if medical:
                assert (condition.category, condition.item) == ("A2", CONDITION_ITEM)
                assert condition.unquestionable is False
            else:
                assert condition.category == condition.item == MEDICAL_MARK
                assert condition.description == MEDICAL_MARK
                assert condition.unquestionable is None, "a flag is not guessed at"
        assert waiting.person_id == seeded.person_id and waiting.position == 1
        check_text(one.model_dump_json(), role, medical=(FINDINGS, CONDITION_ITEM), contacts=())
        check_text(waiting.model_dump_json(), role, medical=(CONDITION_ITEM,), contacts=())


def test_whoever_records_an_examination_reads_what_it_recorded(instance: Instance) -> None:
    """Nobody holds medical.record without registry.read_medical: the commission's clerk is
    never shown a marker in place of the findings it just typed."""
    seeded = seed(instance)
    medical = make_account(instance, "doctor", Role.MEDICAL)
    view = exchange.record_step(
        instance.uow(), medical, seeded.examination_id, "notified", date(2025, 1, 20)
    )
    assert view.findings == FINDINGS


def test_writing_is_not_reading(instance: Instance) -> None:
    """A coordinator may register a person with a health note (an import carries it), and is
    shown the marker in return, as on every later read."""
    seeded = seed(instance)
    coordinator = make_account(instance, "coord", Role.COORDINATOR)
    record = registry.show_person(instance.uow(), coordinator, seeded.person_id)
    assert PersonView.of(record, coordinator).health == MEDICAL_MARK
    ombudsman = make_account(instance, "ombud", Role.OMBUDSMAN)
    shown = PersonView.of(
        registry.show_person(instance.uow(), ombudsman, seeded.person_id), ombudsman
    )
    assert shown.relatives[0].contact == CONTACT and shown.health == MEDICAL_MARK


def _pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        xml = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    return html.unescape(xml)  # inline strings may carry Cyrillic as &#1057;…


def test_what_leaves_the_instance_carries_no_restricted_field_whoever_exports(
    sqlite_instance: Instance,
) -> None:
    """Lists (CSV, XLSX, PDF), their signed bundle and PFIF carry the person, never a health
    note, a relative's contact, a certified condition or a commission's findings; even for an
    admin, who may read them all."""
    seed(sqlite_instance)
    built = lists.build_list(
        sqlite_instance.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Held", ListPurpose.OFFER, ("RU",), "all held", "round 1"),
        lists.RegistrySelection(Status.HELD, None, "RU"),
    )
    keyring = sqlite_instance.keyring()
    out: dict[str, str] = {}
    for fmt in ("csv", "xlsx", "pdf"):
        document = lists_documents.render(
            sqlite_instance.uow(), ADMIN, keyring, built.stored.id, fmt
        )
        out[fmt] = {"csv": lambda b: b.decode(), "xlsx": _xlsx_text, "pdf": _pdf_text}[fmt](
            document.content
        )
    _, bundle = bundles.export_bundle(sqlite_instance.uow(), ADMIN, keyring, built.stored.id)
    out["bundle"] = bundle.decode()
    out["pfif"] = registry.export_pfif(sqlite_instance.uow(), ADMIN, domain="parley.test").decode()
    for kind, text in out.items():
        assert "Сорокін" in text or "\\u0421\\u043e\\u0440" in text, f"{kind}: the person is there"
        leaked = [s for s in (*MEDICAL_SECRETS, *CONTACT_SECRETS, RELATIVE) if s in text]
        assert leaked == [], kind
        assert not any(m in text for m in MARKERS), f"{kind}: not even a marker, no such column"
