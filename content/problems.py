"""What a failed load reports: every problem found, each pointing at a file and an entry in it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BANK = "content"
"""What a problem of the whole bank (not of one file) names as its place."""


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    entry: str | None  # a topic key, a question id, "question #3" when that is missing, or None
    message: str

    def __str__(self) -> str:
        where = f" [{self.entry}]" if self.entry else ""
        return f"{self.file}:{where} {self.message}"


class ContentError(Exception):
    """The data files have problems; ``str()`` gives one line per problem."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))


def entry_label(ident: object, kind: str, position: int) -> str:
    """Name an entry by its key or id, or by its 1-based position in the file when that is missing."""
    if isinstance(ident, str) and ident.strip():
        return ident.strip()
    return f"{kind} #{position}"
