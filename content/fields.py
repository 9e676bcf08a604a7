"""Typed reading of one TOML table.

Every bad value is recorded as a Problem and replaced by an empty one instead of raising, so that one
load reports every mistake in a file at once.
"""

from __future__ import annotations

from typing import Any

from content.problems import Problem

TEXT_LIMIT = 2000  # longest text we put in one Slack section

_TYPE_NAMES = {str: "string", int: "integer", float: "float", bool: "boolean", list: "array", dict: "table"}


def type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class Fields:
    def __init__(
        self, table: dict[str, Any], file: str, entry: str | None, problems: list[Problem], label: str = ""
    ) -> None:
        self._table = table
        self._file = file
        self._entry = entry
        self._problems = problems
        self._label = label
        self._known: list[str] = []
        self._start = len(problems)

    @property
    def clean(self) -> bool:
        """No problem so far in this table (or a table nested in it)."""
        return len(self._problems) == self._start

    def nested(self, table: dict[str, Any], label: str) -> Fields:
        return Fields(table, self._file, self._entry, self._problems, label)

    def report(self, name: str | None, message: str) -> None:
        label = " ".join(part for part in (self._label, name) if part)
        self._problems.append(Problem(self._file, self._entry, f"{label}: {message}" if label else message))

    def text(self, name: str, *, limit: int = TEXT_LIMIT) -> str:
        """A required, non-empty string ("" when it is not there)."""
        return self._text(name, limit, required=True) or ""

    def optional_text(self, name: str, *, limit: int = TEXT_LIMIT) -> str | None:
        return self._text(name, limit, required=False)

    def texts(self, name: str, *, limit: int = TEXT_LIMIT) -> tuple[str, ...]:
        """An optional array of non-empty strings."""
        value = self._get(name, list, "an array", required=False)
        items = []
        for number, item in enumerate(value or (), 1):
            if not isinstance(item, str):
                self.report(name, f"item {number} is {type_name(item)}, expected a string")
            elif self._fits(f"{name} item {number}", item.strip(), limit):
                items.append(item.strip())
        return tuple(items)

    def tables(self, name: str, *, required: bool = True) -> list[dict[str, Any]]:
        """An array of tables: by default required and non-empty."""
        value = self._get(name, list, "an array of tables", required=required)
        if required and value == []:
            self.report(name, "empty")
        for number, item in enumerate(value or (), 1):
            if not isinstance(item, dict):
                self.report(name, f"item {number} is {type_name(item)}, expected a table")
        return [item for item in value or () if isinstance(item, dict)]

    def reject_unknown(self) -> None:
        """Report every field that was not read: usually a typo such as ``why_wrng``."""
        for name in self._table:
            if name not in self._known:
                self.report(name, f"unknown field (expected one of: {', '.join(self._known)})")

    def _text(self, name: str, limit: int, *, required: bool) -> str | None:
        value = self._get(name, str, "a string", required=required)
        if value is None:
            return None
        value = value.strip()
        self._fits(name, value, limit)
        return value

    def _fits(self, label: str, value: str, limit: int) -> bool:
        if not value:
            self.report(label, "empty")
        elif len(value) > limit:
            self.report(label, f"longer than {limit} characters ({len(value)})")
        else:
            return True
        return False

    def _get(self, name: str, kind: type, kind_name: str, *, required: bool) -> Any:
        self._known.append(name)
        if name not in self._table:
            if required:
                self.report(name, "missing")
            return None
        value = self._table[name]
        if not isinstance(value, kind):
            self.report(name, f"expected {kind_name}, got {type_name(value)}")
            return None
        return value
