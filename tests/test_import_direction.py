"""Arrows between apps point down only (docs/architecture.md): an app imports, and its templates include, only itself,
the apps below it and the project package `drugfree`. Read from the source with `ast` and a regular expression, so
it needs neither Django nor a database; every import counts, at module level or inside a function."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Higher imports lower. Apps of the same rank are siblings and do not import each other.
RANKS = {
    "accounts": 1,
    "communes": 2,
    "residents": 3,
    "pledges": 4,
    "progress": 5,
    "imports": 5,  # the household import and exports, above pledges
    "recognition": 6,  # the recognition cycle, reads frozen figures through progress's public functions
    "workspace": 7,  # the officer's pages: the commune page shows criteria, work queue and recognition status
    "demo": 8,  # seeds every app; nothing imports it
    "backups": 8,  # backup and restore of the whole database, as a tool; nothing imports it
    "benchmarks": 9,  # builds data through every app; nothing imports it
}
PROJECT = "drugfree"  # under all: anyone may import it
# The project's wiring names the apps: the root URLconf (home view, every app's urls) and the task queue, which finds
# every app's tasks. Nothing else in drugfree/ may import an app.
WIRING = {"drugfree/urls.py", "drugfree/celery.py"}

# Known upward arrows, each a debt to pay by moving code; this list may only shrink.
# (importing file, imported module or included template)
KNOWN_UPWARD: set[tuple[str, str]] = set()

INCLUDE = re.compile(r"""\{%\s*(?:include|extends)\s+["'](([a-z_]+)/[^"']+)["']""")


def _allowed(importer: str, imported: str) -> bool:
    if imported in (importer, PROJECT):
        return True
    if importer == PROJECT or imported not in RANKS:
        return False
    return importer in RANKS and RANKS[imported] < RANKS[importer]


def _python_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def upward_arrows() -> set[tuple[str, str]]:
    apps = [*RANKS, PROJECT]
    found = set()
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            name = path.relative_to(ROOT).as_posix()
            if name in WIRING:
                continue
            for module in _python_imports(path):
                target = module.split(".")[0]
                if target in apps and not _allowed(app, target):
                    found.add((name, module))
    for app in RANKS:
        for path in (ROOT / "templates" / app).rglob("*.html"):
            for template, target in INCLUDE.findall(path.read_text(encoding="utf-8")):
                if target in RANKS and not _allowed(app, target):
                    found.add((path.relative_to(ROOT).as_posix(), template))
    return found


def test_no_app_imports_or_includes_from_an_app_above_it():
    new = upward_arrows() - KNOWN_UPWARD
    assert not new, f"Upward imports (move the code down, or the caller up; see docs/architecture.md): {sorted(new)}"


def test_the_list_of_known_upward_arrows_only_shrinks():
    gone = KNOWN_UPWARD - upward_arrows()
    assert not gone, f"Paid debts: remove them from KNOWN_UPWARD and docs/architecture.md: {sorted(gone)}"


def test_the_check_sees_an_upward_import_and_a_sibling_import(tmp_path):
    assert not _allowed("communes", "residents")
    assert not _allowed("progress", "workspace")
    assert not _allowed("drugfree", "accounts")
    assert _allowed("pledges", "residents") and _allowed("accounts", "drugfree")
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from pledges.models import HouseholdPledge\nimport residents.periods\n")
    assert set(_python_imports(module)) == {"pledges.models", "residents.periods"}


def test_only_migrations_import_the_communes_db_shim():
    # communes/db.py re-exports drugfree.db for the migrations written before the move; code imports drugfree.db.
    importers = {
        path.relative_to(ROOT).as_posix()
        for app in [*RANKS, PROJECT, "tests"]
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "communes.db" in set(_python_imports(path))
    }
    assert not importers, f"Import drugfree.db instead of the migrations' shim communes.db: {sorted(importers)}"
