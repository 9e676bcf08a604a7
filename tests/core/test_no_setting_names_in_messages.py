"""No message to people names a setting: the environment variables are for whoever runs the bot.

Every string the bot's code builds (not docstrings, log lines, settings errors, nor the modules that read
the variables and talk to the operator in the console) is checked for the name of any variable the
settings read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
NAME = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
FOR_OPERATORS = {"settings.py", "__main__.py", "playground.py"}
"""Modules whose text goes to whoever runs the bot (start-up errors, the console), never to Slack."""
TO_OPERATORS = {"SettingsError"}
"""Exceptions raised at start-up with a message for whoever runs the bot."""
LOGGING = {"debug", "info", "warning", "error", "exception", "critical"}


def setting_names() -> set[str]:
    names: set[str] = set()
    for path in BOT.rglob("settings.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(node.value):
                names.add(node.value)
    return names


def shown_strings(tree: ast.AST) -> Iterator[ast.Constant]:
    """String constants that may reach a message: not docstrings, not arguments of a log call or of an
    error for the operator."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))  # a docstring
        if isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Attribute) and node.func.attr in LOGGING)
            or (isinstance(node.func, ast.Name) and node.func.id in TO_OPERATORS)
        ):
            skipped.update(id(inner) for arg in node.args for inner in ast.walk(arg))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node


def test_the_settings_are_found() -> None:
    assert {"QUIZ_MANAGERS", "QUIZ_CHANNEL", "LEARN_TIME"} <= setting_names()


def test_no_string_the_bot_shows_names_a_setting() -> None:
    names = setting_names()
    found = []
    for path in sorted(BOT.rglob("*.py")):
        if path.name in FOR_OPERATORS:
            continue
        for node in shown_strings(ast.parse(path.read_text())):
            found += [
                f"{path.relative_to(BOT.parent)}:{node.lineno}: {name}"
                for name in NAME.findall(node.value)
                if name in names
            ]
    assert found == []
