"""Need to know: which fields of a record only some roles may read, and what the others see.

Registry read opens a person's record; it does not open everything in it. A health note and
what a medical commission found are for the medical staff; how to reach a relative is for those
who contact families. Everyone else sees that the field holds something, `[restricted:
medical]`, never its content: the field is redacted, not hidden, so nobody mistakes it for
"nothing known". A field that is empty stays empty; nothing is withheld there.

A view field is classified by annotating its type, `Annotated[str, Sensitive(Need.MEDICAL)]`;
`services/accounts/need_to_know.redact` applies the rule to any view, so the API, the CLI, the
console and every export show the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.registry.events import EventType


class Need(StrEnum):
    """Why a field is restricted: the word shown in its place."""

    MEDICAL = "medical"
    CONTACTS = "contacts"


PERMISSION_OF: dict[Need, Permission] = {
    Need.MEDICAL: Permission.REGISTRY_READ_MEDICAL,
    Need.CONTACTS: Permission.REGISTRY_READ_CONTACTS,
}


def restricted(need: Need) -> str:
    """What stands in for a field the reader may not see."""
    return f"[restricted: {need.value}]"


MARKERS: frozenset[str] = frozenset(restricted(n) for n in Need)


def needs_met(actor: Actor) -> frozenset[Need]:
    return frozenset(n for n, p in PERMISSION_OF.items() if actor.can(p))


MEDICAL_EVENTS: frozenset[str] = frozenset(
    {EventType.EXAMINED.value, EventType.MANIFEST_CERTIFIED.value}
)
"""Events whose note and details are a medical finding (a condition, an examination); the
event itself, its type and its day, stays visible: eligibility depends on it."""


@dataclass(frozen=True)
class Sensitive:
    """A view field's classification; `when` narrows it to records where another field of
    the same view holds one of the given values (an event's note is medical only for a
    medical event)."""

    need: Need
    when: tuple[str, frozenset[str]] | None = None

    def applies(self, fields: Mapping[str, Any]) -> bool:
        if self.when is None:
            return True
        name, values = self.when
        return str(fields.get(name)) in values


MEDICAL = Sensitive(Need.MEDICAL)
CONTACTS = Sensitive(Need.CONTACTS)
MEDICAL_EVENT = Sensitive(Need.MEDICAL, ("type", MEDICAL_EVENTS))
