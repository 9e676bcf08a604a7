"""Imports point down only: core <- transport, features <- app, serve <- __main__; nothing imports tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = {"core", "transport", "settings", "app", "serve", "playground", "__main__"}
FEATURES = {
    path.stem
    for path in (ROOT / "bot").iterdir()
    if (path.is_dir() or path.suffix == ".py") and path.stem not in SHARED | {"__init__", "__pycache__"}
}
"""Feature packages (`bot/quiz/`), and single-module features (`bot/glossary.py`)."""
# Which top-level parts of `bot` each part may import (besides itself). A feature imports `core`, and
# `compare` only (any feature may show a topic's card); what else one feature needs of another,
# create_app passes in. A feature reaches another through its package (`from bot.compare import
# topic_button`), never its modules.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "transport": {"core"},
    "compare": {"core"},
    "settings": {"core", *FEATURES},
    "app": {"core", "settings", *FEATURES},
    "serve": {"core", "transport", "app"},
    "playground": {"core", "settings", "app", "serve"},
    "__main__": {"core", "settings", "app", "serve", "playground"},
}


def _part(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "bot":
        return None
    return parts[1] if len(parts) > 1 else "bot"


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names if node.module == "bot"]
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_imports_point_down(path: Path) -> None:
    relative = path.relative_to(ROOT / "bot")
    part = relative.parts[0].removesuffix(".py")
    if part == "__init__":
        return
    allowed = ALLOWED.get(part, {"core", "compare"}) | {part}
    outside = ("tests", "bench") if part == "playground" else ("tests", "bench", "slackfake")
    for module in _imports(path):
        assert not module.startswith(outside), f"{relative} imports {module}"
        target = _part(module)
        if target is not None and target != "bot":
            assert target in allowed, f"{relative} ({part}) imports {module} ({target})"
            if part in FEATURES and target in FEATURES and target != part:
                assert module == f"bot.{target}", (
                    f"{relative} reaches into {module}: use bot.{target}'s package"
                )


@pytest.mark.parametrize("package", ["content", "slackfake"])
def test_lower_packages_import_no_bot_and_no_tests(package: str) -> None:
    for path in _modules(package):
        for module in _imports(path):
            assert not module.startswith(("bot", "tests", "bench", "pytest")), f"{path} imports {module}"


def test_bench_imports_no_tests() -> None:
    for path in _modules("bench"):
        for module in _imports(path):
            assert not module.startswith("tests"), f"{path} imports {module}"


def test_no_import_cycles_at_import_time() -> None:
    """Every module imports on its own, in a fresh interpreter, in any order (a cycle would fail one)."""
    import subprocess
    import sys

    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in _modules("bot")
        if "migrations" not in path.parts
    ]
    # Each module first, with every bot module forgotten before it: a cycle would fail to import.
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m == 'bot' or m.startswith('bot.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as error:\n"
        "        sys.exit(f'{name}: {error}')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *modules], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-1000:]


SQL_MODULES = ("queries.py", "models.py", "stats.py", "base.py", "engine.py", "migrate.py")
"""Modules that run only on the database's threads (or at its opening): where SQLAlchemy may be imported."""


@pytest.mark.parametrize("path", _modules("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sql_is_imported_where_the_event_loop_runs(path: Path) -> None:
    """SQLAlchemy is imported by the `*queries` modules that `Database` runs on its threads, never at the top
    of a module the event loop runs (a type-only import, or one inside a function, is fine)."""
    if path.name.endswith(SQL_MODULES) or "migrations" in path.parts:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:  # top level only; `if TYPE_CHECKING:` blocks are not run
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        sql = [name for name in names if name.startswith(("sqlalchemy", "alembic"))]
        assert not sql, f"{path} imports {sql}"
