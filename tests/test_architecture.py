"""The shape the architecture promises, checked from the imports (docs/architecture.md).

Layers point one way, tracks depend on one another in one order and only through the door a
track opens (its package `__init__`, or its `rows` for the shapes its repository gives), and no
module grows past 600 lines. A failure names the import or the module at fault.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PARLEY = SRC / "parley"
MAX_LINES = 600

TRACKS = (
    "accounts", "registry", "matching", "lists", "children", "exchange", "remains", "agreements",
    "jobs",  # runs other tracks' long use cases in the background, so it comes after them all
)  # fmt: skip
"""In dependency order: a track may use the tracks before it, never one after it."""
MAY_USE = {track: set(TRACKS[:i]) for i, track in enumerate(TRACKS)}
MAY_USE["registry"] = {"accounts", "matching"}  # storing a person refreshes its link record
MAY_USE["matching"] = {"accounts"}
TOOLS = ("names", "linkage", "dna", "interchange")

SHARED = {
    "cli": {"main", "_common", "keys", "reference", "backup", "serving"},
    "web.api": {"system"},
    "web.console": {"auth", "i18n", "pages", "rendering", "sentences", "session"},
    "store": {
        "tables",
        "database",
        "uow",
        "_sql",
        "_time",
        "_link_records",
        "migrations",
        "audit_spool",
    },
    "domain": {"errors", "paging", "dates"},
}
"""What a layer holds besides its tracks: the composition, shared helpers, instance-wide pages."""


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every `parley` module a file imports, resolved to the most specific module named."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("parley")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("parley"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                as_file = SRC / Path(*candidate.split("."))
                is_module = as_file.with_suffix(".py").exists() or as_file.is_dir()
                found.append((node.lineno, candidate if is_module else node.module))
    return found


FILES = sorted(p for p in PARLEY.rglob("*.py"))
EDGES = [(_module(p), line, target) for p in FILES for line, target in _imports(p)]


def _under(module: str, *prefixes: str) -> bool:
    return any(module == f"parley.{p}" or module.startswith(f"parley.{p}.") for p in prefixes)


def _broken(rule: str) -> list[str]:
    return [f"{src}:{line} imports {dst}" for src, line, dst in EDGES if RULES[rule](src, dst)]


def _track(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] == "services" and parts[2] in TRACKS:
        return parts[2]
    return None


def _cross_track(src: str, dst: str) -> bool:
    mine, theirs = _track(src), _track(dst)
    if mine is None or theirs is None or mine == theirs:
        return False
    if theirs not in MAY_USE[mine]:
        return True
    door = dst.split(".")[3:]  # what follows parley.services.<track>
    return door not in ([], ["rows"])


RULES = {
    "the domain imports nothing else from parley": lambda s, d: (
        _under(s, "domain") and not _under(d, "domain")
    ),
    "the tools import only the domain and themselves": lambda s, d: (
        _under(s, *TOOLS) and not _under(d, "domain", *TOOLS)
    ),
    "services never import store, web, cli, scenarios or the instance": lambda s, d: (
        _under(s, "services") and _under(d, "store", "web", "cli", "scenarios", "instance")
    ),
    "a track uses earlier tracks only, through their package or rows": _cross_track,
    "the store imports the domain, the uow Protocols and the tracks' rows": lambda s, d: (
        _under(s, "store")
        and _under(d, "services")
        and not (d == "parley.services.uow" or d.endswith(".rows"))
        and not (s.endswith("0003_link_records") and d == "parley.services.matching")
    ),
    "web and cli never import the store": lambda s, d: (
        _under(s, "web", "cli") and _under(d, "store")
    ),
    "the console imports nothing from the API": lambda s, d: (
        _under(s, "web.console") and _under(d, "web.api")
    ),
    "nothing below the doors imports web or cli": lambda s, d: (
        not _under(s, "web", "cli") and _under(d, "web", "cli")
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_imports_keep_the_layers_and_tracks(rule: str) -> None:
    assert _broken(rule) == []


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in FILES
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("layer", SHARED)
def test_a_layer_holds_its_tracks_by_their_names(layer: str) -> None:
    """`cli/exchange/`, never `cli/stages.py` beside `cli/medical.py`: one name per track."""
    folder = PARLEY.joinpath(*layer.split("."))
    names = {p.stem for p in folder.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert names - {"__init__"} - SHARED[layer] <= set(TRACKS)


def test_every_track_is_a_service_package_whose_init_names_its_use_cases() -> None:
    for track in TRACKS:
        init = PARLEY / "services" / track / "__init__.py"
        tree = ast.parse(init.read_text())
        exported = next(
            n
            for n in tree.body
            if isinstance(n, ast.Assign) and n.targets[0].id == "__all__"  # type: ignore[attr-defined]
        )
        assert ast.get_docstring(tree) and exported, track


def test_what_crosses_the_store_boundary_is_typed() -> None:
    """Repositories take a track's typed rows (`rows.py`), never a bare `Mapping[str, Any]`,
    in the Protocols, the repositories or the use cases that call them."""
    untyped = [
        f"{p.relative_to(SRC)}:{n}"
        for folder in ("services", "store")
        for p in sorted((PARLEY / folder).rglob("*.py"))
        for n, line in enumerate(p.read_text().splitlines(), start=1)
        if "Mapping[str, Any]" in line
    ]
    assert untyped == []


def _classes_in(folder: Path) -> list[tuple[str, ast.ClassDef]]:
    return [
        (str(p.relative_to(SRC)), node)
        for p in sorted(folder.rglob("*.py"))
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.ClassDef)
    ]


def test_the_api_defines_no_shape_it_returns() -> None:
    """What the API returns is a track's view (`services/<track>/views.py`), the one the CLI
    prints with `--json`; `web/api` defines only request bodies (`*In`), never a response."""
    models = [
        (path, c.name)
        for path, c in _classes_in(PARLEY / "web" / "api")
        if any(ast.unparse(base) in ("BaseModel", "pydantic.BaseModel") for base in c.bases)
    ]
    assert models, "no request bodies found: the test no longer reads web/api"
    assert [m for m in models if not m[1].endswith("In")] == []


def _response_models(annotation: object) -> Iterator[type]:
    """The Pydantic models a response annotation names, through list[...] and the like."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        # PageView[X] is made where it is written; the generic it comes from is what counts.
        yield annotation.__pydantic_generic_metadata__["origin"] or annotation
        for field in annotation.model_fields.values():
            yield from _response_models(field.annotation)
    for arg in getattr(annotation, "__args__", ()):
        yield from _response_models(arg)


def test_every_response_model_comes_from_the_services() -> None:
    from fastapi.routing import APIRoute

    from parley.web.api import (
        agreements,
        children,
        jobs,
        lists,
        matching,
        system,
    )
    from parley.web.api.exchange import medical, stages
    from parley.web.api.registry import imports, persons
    from parley.web.api.remains import references, remains

    modules = (agreements, children, jobs, lists, matching, system, medical, stages, imports)
    modules += (persons, references, remains)
    found = {
        f"{m.__name__}: {route.path} returns {model.__module__}.{model.__qualname__}"
        for m in modules
        for route in m.router.routes
        if isinstance(route, APIRoute)
        for model in _response_models(route.response_model)
        if not model.__module__.startswith(
            ("parley.services.", "parley.domain.", "parley.interchange.")
        )
    }
    assert found == set()


DOORS = (PARLEY / "web" / "api", PARLEY / "cli")


def test_the_doors_print_the_views_the_use_cases_give() -> None:
    """No `*Out.of(row)` in the API or the CLI: a use case (or its track's `shown` module)
    gives the view, so the API's JSON and the CLI's `--json` cannot drift apart."""
    calls = {
        (str(p.relative_to(SRC)), ast.unparse(node.func.value))
        for folder in DOORS
        for p in sorted(folder.rglob("*.py"))
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "of"
    }
    assert calls == set()
