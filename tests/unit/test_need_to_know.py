"""The need-to-know rule itself, and the classification every view must carry.

The classification tests fail when a view gains a field nobody has classified: a new field on a
person's record or an examination must be declared restricted (`Annotated[..., MEDICAL]`) or
ordinary here, and a field whose name sounds medical or like a contact anywhere in the services'
views must be restricted or listed below with the reason it is not.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
import typing
from typing import Any

import pytest
from pydantic import BaseModel

import parley.services
from parley.domain.accounts.accounts import ROLE_PERMISSIONS, Actor, Permission, Role
from parley.domain.accounts.need_to_know import (
    CONTACTS,
    MARKERS,
    MEDICAL,
    MEDICAL_EVENT,
    PERMISSION_OF,
    Need,
    Sensitive,
    restricted,
)
from parley.domain.exchange.commissions import Examination
from parley.domain.registry.persons import Person, Relative
from parley.services.accounts import redact, sensitivity
from parley.services.exchange import ExaminationList, QueueEntryView
from parley.services.registry import EventView, PersonView, RelativeView
from parley.web.console import i18n

CLASSIFIED: dict[str, Sensitive] = {
    "PersonView.health": MEDICAL,
    "RelativeView.contact": CONTACTS,
    "EventView.note": MEDICAL_EVENT,
    "EventView.details": MEDICAL_EVENT,
    "ExaminationView.findings": MEDICAL,
    "ExaminationView.condition": MEDICAL,
    "QueueEntryView.condition": MEDICAL,
}
"""Restricted fields of the views that show a person's record or an examination."""

ORDINARY = {
    "PersonView": "id uid side category sex birth_date birth_precision status status_since names "
    "identifiers record_id unit rank incident_place incident_date relatives created_at "
    "created_by events",
    "NameView": "surname given patronymic full script language scheme primary",
    "IdentifierView": "kind value",
    "RelativeView": "name relationship",
    "EventView": "id type effective_date source retracts retracted recorded_by recorded_at",
    "ExaminationList": "as_of items overdue",
    "ExaminationView": "id person_id person_name person_status commission_id commission "
    "visited_on votes decision decision_reason proposed_by entitled notify_by notified_on "
    "carry_out_by carried_out_on next_step overdue certificate recorded_at recorded_by",
    "OverdueView": "what due days_late",
    "ConditionView": "category item unquestionable predates_war_not_worsened description",
    "QueueEntryView": "position person_id person_name status proposed_by entitled captured_on "
    "last_examination_id last_visited_on",
}
"""Reviewed and visible to every registry reader (why: docs/accounts.md, "Need to know").
ConditionView's parts are ordinary in themselves: the whole condition is restricted where used."""

SOUNDS_SENSITIVE = re.compile(
    r"health|medic|finding|diagnos|condition|injur|wound|illness|sick|contact|phone|mail|"
    r"address|relative|effects",
    re.IGNORECASE,
)
NOT_RESTRICTED = {
    "ChildCaseOut.relatives": "children.read only (ombudsman, admin); names and proof, no contact",
    "AnswerIn.relative": "an answer the other side sends about a child: input, not shown here",
    "CounterpartLine.finding": "a reconciliation finding (listed, missing), not a medical one",
    "ReconciledOut.finding": "a list reconciliation finding, not a medical one",
    "PersonView.relatives": "the list; its contact field is restricted (RelativeView.contact)",
    "BodyView.condition": "a body's state on arrival: remains.read only (forensic, admin)",
    "BodyView.effects": "personal effects found with a body: remains.read only",
}


def _models(root: type[BaseModel]) -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()

    def visit(annotation: Any) -> None:
        is_model = inspect.isclass(annotation) and issubclass(annotation, BaseModel)
        if is_model and annotation not in found:
            found.add(annotation)
            for info in annotation.model_fields.values():
                visit(info.annotation)
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(root)
    return found


RECORD_MODELS = sorted(
    set().union(*(_models(m) for m in (PersonView, ExaminationList, QueueEntryView))),
    key=lambda m: m.__name__,
)


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda m: m.__name__)
def test_every_field_of_a_record_view_is_classified(model: type[BaseModel]) -> None:
    assert model.__name__ in ORDINARY, f"{model.__name__} is new here: classify its fields"
    ordinary = set(ORDINARY[model.__name__].split())
    for field in model.model_fields:
        key = f"{model.__name__}.{field}"
        mark = sensitivity(model, field)
        if key in CLASSIFIED:
            assert mark == CLASSIFIED[key], (
                f"{key} is classified {mark}, expected {CLASSIFIED[key]}"
            )
        else:
            assert mark is None, f"{key} is restricted here but not in CLASSIFIED"
            assert field in ordinary, (
                f"{key} is a new field of a person's record: restrict it with "
                "Annotated[..., MEDICAL or CONTACTS] or list it as ordinary here"
            )


def _service_views() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.walk_packages(parley.services.__path__, "parley.services."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseModel)
                and obj.__module__ == module.__name__
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def test_a_field_that_sounds_medical_or_like_a_contact_is_restricted_or_explained() -> None:
    unexplained = [
        f"{model.__name__}.{field}"
        for model in _service_views()
        for field in model.model_fields
        if SOUNDS_SENSITIVE.search(field)
        and sensitivity(model, field) is None
        and f"{model.__name__}.{field}" not in NOT_RESTRICTED
    ]
    assert unexplained == []
    classified = {
        f"{model.__name__}.{field}"
        for model in _service_views()
        for field in model.model_fields
        if sensitivity(model, field) is not None
    }
    assert classified == set(CLASSIFIED), "CLASSIFIED lists every restricted field, no more"


def test_every_fact_about_a_person_is_considered() -> None:
    """A new attribute of a person, a relative or an examination in the domain fails here
    until someone decides whether a view shows it and whether it is restricted."""
    assert {f.name for f in dataclasses.fields(Person)} == {
        "side", "category", "sex", "names", "birth_date", "identifiers", "unit", "rank",
        "incident_place", "incident_date", "relatives", "health", "notes", "record_id", "uid",
        "id", "created_at", "created_by",
    }  # fmt: skip
    assert {f.name for f in dataclasses.fields(Relative)} == {"name", "relationship", "contact"}
    assert {f.name for f in dataclasses.fields(Examination)} == {
        "person_key", "commission", "visited_on", "findings", "condition", "votes",
        "notified_on", "carried_out_on",
    }  # fmt: skip
    assert "notes" not in PersonView.model_fields, "internal notes are shown by no view"


def test_the_medical_staff_read_what_they_record_and_every_reader_reads_the_registry() -> None:
    for role, granted in ROLE_PERMISSIONS.items():
        if Permission.MEDICAL_RECORD in granted:
            assert Permission.REGISTRY_READ_MEDICAL in granted, role
        if granted & set(PERMISSION_OF.values()):
            assert Permission.REGISTRY_READ in granted, role
    medical = {r for r, g in ROLE_PERMISSIONS.items() if Permission.REGISTRY_READ_MEDICAL in g}
    contacts = {r for r, g in ROLE_PERMISSIONS.items() if Permission.REGISTRY_READ_CONTACTS in g}
    assert medical == {Role.ADMIN, Role.MEDICAL}
    assert contacts == {Role.ADMIN, Role.OMBUDSMAN}


# The rule -------------------------------------------------------------------------------------


def _event(type_: str, note: str, details: dict[str, Any]) -> EventView:
    return EventView.model_validate(
        {
            "id": 1,
            "type": type_,
            "effective_date": "2024-06-01",
            "source": "own_information",
            "note": note,
            "retracts": None,
            "retracted": False,
            "details": details,
            "recorded_by": "cli:admin",
            "recorded_at": None,
        }
    )


def test_a_conditional_field_is_restricted_only_where_its_condition_holds() -> None:
    reviewer = Actor("r", frozenset({Role.REVIEWER}))
    ordinary = _event("detained", "seen at a site", {"site": "A"})
    assert redact(ordinary, reviewer) is ordinary, "nothing to change: the same object"
    certified = redact(
        _event("manifest_certified", "amputation", {"condition": {"a": 1}}), reviewer
    )
    assert certified.note == restricted(Need.MEDICAL)
    assert certified.details == {"condition": restricted(Need.MEDICAL)}
    assert certified.type == "manifest_certified"


def test_empty_stays_empty_and_nested_lists_are_walked() -> None:
    reviewer = Actor("r", frozenset({Role.REVIEWER}))
    relatives = [
        RelativeView(name="A", relationship="mother", contact="+380 00 000 00 00"),
        RelativeView(name="B", relationship="father", contact=""),
    ]
    shown = [redact(r, reviewer) for r in relatives]
    assert [r.contact for r in shown] == [restricted(Need.CONTACTS), ""]
    admin = Actor("a", frozenset({Role.ADMIN}))
    assert redact(relatives[0], admin) is relatives[0]


def test_a_value_that_cannot_carry_a_marker_is_refused() -> None:
    class Bad(BaseModel):
        age: typing.Annotated[int, MEDICAL]

    with pytest.raises(TypeError, match="cannot be classified"):
        redact(Bad(age=3), Actor("r", frozenset({Role.REVIEWER})))


def test_the_markers_read_in_ukrainian() -> None:
    token = i18n.current_language.set("uk")
    try:
        assert all(i18n.gettext(m) != m and i18n.gettext(m).startswith("[") for m in MARKERS)
    finally:
        i18n.current_language.reset(token)
