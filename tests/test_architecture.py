"""The apps' layering (README, Architecture): an app imports only the apps below it, so the import graph has no
circle. Every import counts, also those inside functions; migrations and the composition root do not (the
composition root may import any app, and nothing imports it)."""

import ast
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from django.conf import settings

# From the bottom. notifications sits below accounts: accounts sends its one-time codes through notify().
ORDER = ["portal", "notifications", "accounts", "jobs", "candidates", "training", "search", "fairs", "desk", "frontend"]
COMPOSITION_ROOT = {
    "portal/urls.py",
    "portal/settings.py",
    "portal/celery.py",
    "portal/health.py",
    "portal/management/commands/seed_demo.py",  # every app's demo data
    "portal/management/commands/notify_benchmark.py",  # a burst of messages while people search
}


def imported_modules(tree: ast.AST, package: list[str]):
    for node in ast.walk(tree):  # every node: imports inside functions count
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package upwards
                base = package[: len(package) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            else:
                yield node.lineno, node.module


def app_graph() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) → where: "path:line module"."""
    root = Path(settings.BASE_DIR)
    edges = defaultdict(list)
    for app in ORDER:
        for path in sorted((root / app).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if "/migrations/" in name or name in COMPOSITION_ROOT:
                continue
            package = name.removesuffix(".py").split("/")[:-1]
            for line, module in imported_modules(ast.parse(path.read_text(), name), package):
                imported = module.split(".")[0]
                if imported in ORDER and imported != app:
                    edges[(app, imported)].append(f"{name}:{line} {module}")
    return edges


def a_cycle(edges) -> list[str] | None:
    """One circle of apps, as a list that starts and ends with the same app, or None."""
    after = defaultdict(list)
    for importing, imported in edges:
        after[importing].append(imported)
    state, path = {}, []

    def visit(app):
        state[app] = "open"
        path.append(app)
        for following in after[app]:
            if state.get(following) == "open":
                return [*path[path.index(following) :], following]
            if following not in state and (found := visit(following)):
                return found
        path.pop()
        state[app] = "done"
        return None

    for app in ORDER:
        if app not in state and (found := visit(app)):
            return found
    return None


def test_every_app_has_its_place_in_the_order():
    root = Path(settings.BASE_DIR)
    apps = {path.parent.name for path in root.glob("*/apps.py")} | {"portal"}
    assert apps == set(ORDER)


def test_no_circle_between_apps():
    edges = app_graph()
    cycle = a_cycle(edges)
    where = [f"{a} → {b}: {', '.join(edges[(a, b)])}" for a, b in pairwise(cycle)] if cycle else []
    assert cycle is None, "apps import each other in a circle:\n" + "\n".join(where)


def test_an_app_imports_only_the_apps_below_it():
    rank = {app: index for index, app in enumerate(ORDER)}
    upwards = {edge: where for edge, where in app_graph().items() if rank[edge[0]] < rank[edge[1]]}
    assert not upwards, (
        "imports against the order "
        + " ← ".join(ORDER)
        + ":\n"
        + "\n".join(f"{a} → {b}: {', '.join(where)}" for (a, b), where in sorted(upwards.items()))
    )
