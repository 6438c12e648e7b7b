"""The portal's layers: the base package imports no domain app, nothing imports the composition, and no module
comes back to itself through its imports.

portal/ has two floors. The ground (scoping, workdays, phones, photos, outbox, SMS, accounts, notifications) is
what every domain app (orgs, members, consultations, activities) stands on, so it imports none of them. The roof,
portal/site/, puts the apps together (root URLs, home page, an organization's public page, media readers, demo
data): it may import every app, and nothing imports it. portal/settings/ names apps by string only.

Imports are read from the source wherever they are: at the top of a module, inside a function, under
TYPE_CHECKING, and as importlib.import_module(...) or import_string(...) of a literal name. A function-level
import hides a cycle from Python at import time, not from the design. Tests, migrations and .venv are left out.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_APPS = frozenset({"orgs", "members", "consultations", "activities"})
BASE_PACKAGE = "portal"
ROOF = "portal.site"
NOT_BASE = (ROOF, "portal.settings")
LEFT_OUT_DIRS = frozenset({"tests", "migrations", "node_modules"})
# Calls that import the module named by their first argument.
IMPORTING_CALLS = frozenset({"import_module", "import_string", "__import__"})


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.importer} imports {self.imported} ({self.path}:{self.line})"


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def project_modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file (relative to `root`), for every Python file of the project not left out."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        path = path.relative_to(root)
        parts = path.with_suffix("").parts
        if any(part.startswith(".") or part in LEFT_OUT_DIRS for part in parts[:-1]):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            modules[".".join(parts)] = path
    return modules


def _project_module(dotted: str, modules: Mapping[str, Path]) -> str | None:
    """The project module an import of `dotted` runs: the longest prefix that is one (`orgs.models.Region`,
    the attribute of a module, is `orgs.models`); None for Django, the standard library and other packages."""
    while dotted and dotted not in modules:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _imported_names(node: ast.AST, package: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        # `from consultations import services` imports the module consultations.services, `from orgs.models
        # import Region` the module orgs.models: resolving base.name to its longest module prefix finds both.
        yield from (f"{base}.{alias.name}" for alias in node.names)
    elif isinstance(node, ast.Call):
        function = node.func
        called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        first = node.args[0] if node.args else None
        if called in IMPORTING_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


def module_imports(root: Path, name: str, modules: Mapping[str, Path]) -> list[Import]:
    path = modules[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, Import] = {}
    for node in ast.walk(ast.parse((root / path).read_text(encoding="utf-8"), filename=str(path))):
        for dotted in _imported_names(node, package):
            imported = _project_module(dotted, modules)
            if imported is not None and imported != name and imported not in found:
                found[imported] = Import(name, imported, path, getattr(node, "lineno", 0))
    return sorted(found.values(), key=lambda edge: edge.line)


def import_graph(root: Path) -> dict[str, list[Import]]:
    modules = project_modules(root)
    return {name: module_imports(root, name, modules) for name in modules}


def _strongly_connected(graph: Mapping[str, list[Import]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative: a long chain of imports must not hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            edge = next(edges, None)
            if edge is not None:
                target = edge.imported
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components


def import_cycles(graph: Mapping[str, list[Import]]) -> list[list[Import]]:
    """One shortest cycle for each group of modules that import each other, as the imports that close it."""
    cycles = []
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        start = min(component)
        came_by: dict[str, Import] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for edge in graph[node]:
                if edge.imported == start:
                    path = [edge]
                    while path[0].importer != start:
                        path.insert(0, came_by[path[0].importer])
                    cycles.append(path)
                    queue.clear()
                    break
                if edge.imported in component and edge.imported not in came_by:
                    came_by[edge.imported] = edge
                    queue.append(edge.imported)
    return cycles


def base_imports_of_domain_apps(graph: Mapping[str, list[Import]]) -> list[Import]:
    return [
        edge
        for name, edges in graph.items()
        if _inside(name, BASE_PACKAGE) and not any(_inside(name, package) for package in NOT_BASE)
        for edge in edges
        if edge.imported.split(".")[0] in DOMAIN_APPS
    ]


def imports_of_the_roof(graph: Mapping[str, list[Import]]) -> list[Import]:
    return [
        edge
        for name, edges in graph.items()
        if not _inside(name, ROOF)
        for edge in edges
        if _inside(edge.imported, ROOF)
    ]


def _listing(problems: list[Import] | list[list[Import]]) -> str:
    return "\n".join(
        " -> ".join(str(edge) for edge in problem) if isinstance(problem, list) else str(problem)
        for problem in problems
    )


# ---- the project ------------------------------------------------------------------------------------------------


def test_the_graph_covers_the_whole_project_and_leaves_tests_and_migrations_out():
    graph = import_graph(ROOT)

    assert {"portal.scoping", "portal.site.urls", "consultations.services", "activities.tasks", "manage"} <= set(graph)
    assert not [name for name in graph if ".migrations" in name or name.startswith(("tests", ".venv"))]
    assert "orgs.urls" in {edge.imported for edge in graph["portal.site.urls"]}


def test_the_base_package_imports_no_domain_app():
    upward = base_imports_of_domain_apps(import_graph(ROOT))

    assert not upward, "portal/ outside portal/site/ must not import orgs, members, consultations or activities:\n" + (
        _listing(upward)
    )


def test_nothing_outside_the_composition_imports_it():
    inward = imports_of_the_roof(import_graph(ROOT))

    assert not inward, "portal/site/ puts the apps together; no app may import it:\n" + _listing(inward)


def test_no_import_cycle_among_the_project_modules():
    cycles = import_cycles(import_graph(ROOT))

    assert not cycles, "modules that import each other, function-level imports included:\n" + _listing(cycles)


# ---- the checks themselves, on a made-up project -------------------------------------------------------------------


def _project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_an_import_inside_a_function_of_the_base_is_caught_and_the_roof_may_import_anything(tmp_path):
    root = _project(
        tmp_path,
        {
            "portal/__init__.py": "",
            "portal/workdays.py": "def holidays():\n    from consultations.models import Issue\n    return Issue\n",
            "portal/site/__init__.py": "",
            "portal/site/views.py": "from consultations import models\n",
            "portal/settings/base.py": "import orgs.models\n",
            "consultations/__init__.py": "",
            "consultations/models.py": "from portal import workdays\n",
            "orgs/__init__.py": "",
            "orgs/models.py": "",
        },
    )

    upward = base_imports_of_domain_apps(import_graph(root))

    assert [(edge.importer, edge.imported, edge.line) for edge in upward] == [
        ("portal.workdays", "consultations.models", 2)
    ]


def test_a_cycle_closed_by_a_relative_import_in_a_function_is_caught_and_named_import_by_import(tmp_path):
    root = _project(
        tmp_path,
        {
            "consultations/__init__.py": "",
            "consultations/services.py": "from consultations.reminders import notify\n",
            "consultations/reminders.py": "def notify():\n    from .services import close\n",
            "consultations/states.py": "from . import models\n",
            "consultations/models.py": "",
            "tests/test_loop.py": "from consultations import services\nimport tests.test_loop\n",
        },
    )

    cycles = import_cycles(import_graph(root))

    assert [[(edge.importer, edge.imported) for edge in cycle] for cycle in cycles] == [
        [("consultations.reminders", "consultations.services"), ("consultations.services", "consultations.reminders")]
    ]
    assert "consultations/reminders.py:2" in _listing(cycles)


def test_a_module_imported_by_name_through_importlib_counts_as_an_import(tmp_path):
    root = _project(
        tmp_path,
        {
            "portal/__init__.py": "",
            "portal/media.py": "import importlib\nREADER = importlib.import_module('activities.scoping')\n",
            "activities/__init__.py": "",
            "activities/scoping.py": "",
            "orgs/__init__.py": "",
            "orgs/views.py": "from portal.site.views import home\n",
            "portal/site/__init__.py": "",
            "portal/site/views.py": "",
        },
    )
    graph = import_graph(root)

    assert [str(edge.imported) for edge in base_imports_of_domain_apps(graph)] == ["activities.scoping"]
    assert [(edge.importer, edge.imported) for edge in imports_of_the_roof(graph)] == [
        ("orgs.views", "portal.site.views")
    ]
