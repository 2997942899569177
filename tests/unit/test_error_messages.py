"""Every error message the console shows reads in Ukrainian there, the code's English kept.

The inventory is built from the code, not by hand: every `raise SomeError("…")` or
`raise SomeError(f"…")` whose class is a `ParleyError` (or a `ValueError`, or a received
bundle's failed check) in `services/`, `domain/`, the console and what they call
(`interchange/`, `store/`, `linkage/`), every `Problem(row, field, "…")` of a refused file,
`ChainBreak(seq, "…")` of a broken audit log and `note("…")` of a running job becomes a
template, each `{…}` part a named placeholder. The console's translation layer
(`web/console/sentences/errors.py`) must know it and the Ukrainian catalogue translate it:
a new message, or a reworded one, fails here until its template and translation are added.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po

from parley.domain import errors
from parley.web.console import i18n
from parley.web.console.sentences import errors as said

PARLEY = Path(errors.__file__).resolve().parents[1]
WALKED = ("services", "domain", "web/console", "interchange", "store", "linkage", "web/uploads.py")
"""Where the console's messages come from: the services and the domain, and what they call
that raises (a file's or a bundle's checks, the stores, the matching engine's notes)."""
FIELD = re.compile(r"\{(\w+)\}")
MESSAGE_AT = {"BundleRefused": 1, "Problem": 2, "ChainBreak": 1}
"""Where an error takes its message when not first (`BundleRefused(check, detail)`), and a
refused file's `Problem(row, field, message)` or a broken audit log's `ChainBreak(seq, why)`."""


def _error_classes() -> set[str]:
    """The names of every ParleyError subclass, ValueError (the console shows some) and the
    failed check of a received bundle (`interchange/bundles._Failed`, shown on its page)."""
    found = {"ValueError", "_Failed"}
    waiting: list[type] = [errors.ParleyError]
    while waiting:
        cls = waiting.pop()
        found.add(cls.__name__)
        waiting += cls.__subclasses__()
    return found


def _name(node: ast.expr) -> str:
    """A placeholder's name, from the expression it stands for (`{stage.id}` is `{id}`)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript | ast.Starred):
        return _name(node.value)
    if isinstance(node, ast.BinOp):
        return _name(node.left)
    if isinstance(node, ast.IfExp):
        return _name(node.body)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            if func.id == "len" and node.args:
                return "n_" + _name(node.args[0])
            return _name(node.args[0]) if node.args else func.id
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Constant) and node.args:  # ", ".join(names)
                return _name(node.args[0])
            return _name(func.value)
    return "value"


def _variants(node: ast.expr) -> list[list[str | ast.expr]] | None:
    """The message's parts (text, or the expression of a placeholder), once per way a
    conditional word reads (`problem{'s' if n != 1 else ''}`); None if it is no literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [[node.value]]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _variants(node.left), _variants(node.right)
        if left is None or right is None:
            return None
        return [a + b for a in left for b in right]
    if not isinstance(node, ast.JoinedStr):
        return None
    found: list[list[str | ast.expr]] = [[]]
    for part in node.values:
        if isinstance(part, ast.Constant):
            found = [[*f, str(part.value)] for f in found]
            continue
        assert isinstance(part, ast.FormattedValue)
        value = part.value
        if (
            isinstance(value, ast.IfExp)
            and isinstance(value.body, ast.Constant)
            and isinstance(value.orelse, ast.Constant)
        ):
            found = [[*f, str(c.value)] for f in found for c in (value.body, value.orelse)]
        else:
            found = [[*f, value] for f in found]
    return found


def template_of(parts: list[str | ast.expr]) -> str:
    """`f"stage {stage.id} is {state!r}"` reads `stage {id} is {state}`; a name standing for
    two different expressions gets a number (`{side}`, `{side2}`)."""
    text, names = "", {}
    for part in parts:
        if isinstance(part, str):
            text += part.replace("{", "{{").replace("}", "}}")
            continue
        key, base = ast.dump(part), _name(part)
        if key not in names:
            taken = set(names.values())
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}{n}"
            names[key] = name
        text += "{" + names[key] + "}"
    return text


def _message_of(node: ast.AST, classes: set[str]) -> ast.expr | None:
    """The message a node hands the console: an error raised, or a job's progress note
    (`note("reading the file")`, `report.note(...)`)."""
    if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        at = MESSAGE_AT.get(name, 0)
        return node.exc.args[at] if name in classes and len(node.exc.args) > at else None
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in ("Problem", "ChainBreak"):  # a refused file's problem, a broken audit log
            at = MESSAGE_AT[name]
            return node.args[at] if len(node.args) > at else None
        return node.args[0] if name == "note" else None
    return None


def _passed_checks(tree: ast.Module) -> Iterator[ast.Call]:
    """What a received bundle's passed check says (`signed by UA with key …`): each return of
    `interchange/bundles._Inspection`, as a note."""
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_Inspection"):
        for node in ast.walk(cls):
            if isinstance(node, ast.Return) and isinstance(node.value, ast.JoinedStr):
                call = ast.Call(ast.Name("note"), [node.value], [])
                yield ast.copy_location(call, node)


def raised() -> Iterator[tuple[str, str]]:
    """Each template the walked code raises or notes, with where (`services/x.py:12`)."""
    classes = _error_classes()
    for folder in WALKED:
        base = PARLEY / folder
        for path in [base] if base.is_file() else sorted(base.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in [*ast.walk(tree), *_passed_checks(tree)]:
                message = _message_of(node, classes)
                if message is None:
                    continue
                where = f"{path.relative_to(PARLEY)}:{node.lineno}"
                for parts in _variants(message) or []:
                    yield template_of(parts), where


def test_the_walk_finds_the_messages_and_names_their_values() -> None:
    found = dict(raised())
    assert len(found) > 250
    assert found["stage {stage_id} does not exist"].startswith("services/exchange/")
    assert "the statement's body names another party than its signer" in found  # a detail
    assert "'{text}' is not a whole number" in found  # raised by the console itself
    assert "engine records: {done}/{n_outdated}" in found  # a running job's note
    call = ast.parse('f"stage {stage.id} of {len(rows)} is {state!r} ({side}, {x.side})"')
    assert isinstance(call.body[0], ast.Expr)
    parts = _variants(call.body[0].value)
    assert parts is not None
    assert template_of(parts[0]) == "stage {id} of {n_rows} is {state} ({side}, {side2})"
    plural = ast.parse("f\"{n} problem{'s' if n != 1 else ''}\"").body[0]
    assert isinstance(plural, ast.Expr)
    assert [template_of(p) for p in _variants(plural.value) or []] == [
        "{n} problems",
        "{n} problem",
    ]


def test_every_raised_message_is_a_known_template() -> None:
    known = set(said.TEMPLATES)
    missing = sorted(
        f"{where}: {t}" for t, where in raised() if t not in known and FIELD.sub("", t).strip()
    )
    assert missing == []


def test_every_template_has_a_ukrainian_translation_with_its_placeholders() -> None:
    with (i18n.LOCALE_DIR / "uk" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="uk")
    wrong = []
    for template in said.TEMPLATES:
        entry = catalog.get(template)
        if entry is None or not entry.string or entry.fuzzy:
            wrong.append(f"untranslated: {template}")
        elif sorted(FIELD.findall(str(entry.string))) != sorted(FIELD.findall(template)):
            wrong.append(f"placeholders differ: {template}")
    assert wrong == []


def test_no_template_of_a_raise_outlives_its_message() -> None:
    """A reworded `raise` leaves its old wording behind in `sentences/raised.py`: caught here."""
    from parley.web.console.sentences.raised import RAISED

    found = {t for t, _where in raised()}
    assert sorted(t for t in RAISED if t not in found) == []
