"""ORM rows into the frozen records callers get: fields copied by name, so the two cannot drift apart."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

R = TypeVar("R")


def to_record(cls: type[R], row: object, **converted: Any) -> R:
    """`cls` (a dataclass) from `row`'s attributes of the same names; `converted` gives the fields that need
    more than a copy (an enum from its stored value, say)."""
    values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in converted}  # type: ignore[arg-type]
    return cls(**values, **converted)
