"""The one place the need-to-know rule is applied: a view in, the view this actor may see out.

Views classify their fields (`domain/accounts/need_to_know.py`); `redact` walks a view, its
nested views and lists of them, and puts the restriction marker where the actor lacks the
permission a field needs. Use cases call it on what they return, so the API, the CLI, the
console and the exports built from those views cannot disagree.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from parley.domain.accounts.accounts import Actor
from parley.domain.accounts.need_to_know import Need, Sensitive, needs_met, restricted

M = TypeVar("M", bound=BaseModel)


def sensitivity(model: type[BaseModel], field: str) -> Sensitive | None:
    """The classification of one field of a view, if it has one."""
    info = model.model_fields[field]
    return next((m for m in info.metadata if isinstance(m, Sensitive)), None)


def redact(view: M, actor: Actor) -> M:
    """`view` as `actor` may see it: restricted fields replaced, never dropped."""
    return _redact(view, needs_met(actor))


def redact_all(views: list[M], actor: Actor) -> list[M]:
    met = needs_met(actor)
    return [_redact(v, met) for v in views]


def _redact(view: M, met: frozenset[Need]) -> M:
    if met >= set(Need):
        return view
    fields = {name: getattr(view, name) for name in type(view).model_fields}
    update: dict[str, Any] = {}
    for name, value in fields.items():
        mark = sensitivity(type(view), name)
        if mark is not None and mark.need not in met and mark.applies(fields):
            update[name] = _blank(value, mark.need)
        else:
            walked = _walk(value, met)
            if walked is not value:
                update[name] = walked
    return view.model_copy(update=update) if update else view


def _walk(value: Any, met: frozenset[Need]) -> Any:
    if isinstance(value, BaseModel):
        return _redact(value, met)
    if isinstance(value, list):
        walked = [_walk(v, met) for v in value]
        return value if all(a is b for a, b in zip(walked, value, strict=True)) else walked
    return value


def _blank(value: Any, need: Need) -> Any:
    """The marker in place of a value; an empty value stays empty (nothing is withheld)."""
    marker = restricted(need)
    if value is None or value == "" or value == {} or value == []:
        return value
    if isinstance(value, str):
        return marker
    if isinstance(value, bool):
        return None
    if isinstance(value, BaseModel):
        return value.model_copy(
            update={name: _blank(getattr(value, name), need) for name in type(value).model_fields}
        )
    if isinstance(value, dict):
        return dict.fromkeys(value, marker)
    if isinstance(value, list):
        return [_blank(v, need) for v in value]
    raise TypeError(f"a {type(value).__name__} cannot be classified: make the field a string")
