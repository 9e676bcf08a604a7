"""Which table a feature's claims are in, named without importing it (the event loop never loads SQL)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClaimTable:
    """A model with the `Leased` columns and an integer `id`: `ClaimTable("bot.quiz.models", "PostRow")`."""

    module: str
    model: str
