"""Which question a channel gets next: every question once per cycle, in a per-channel shuffled order.

Nothing is stored but the channel's history of posted question ids, so the choice survives
restarts and is the same in every process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def next_question_id(channel: str, bank: Sequence[str], history: Sequence[str]) -> str:
    """The next question for ``channel`` given the ids it was already sent, oldest first.

    The history is split into cycles; a cycle is complete once every id currently in ``bank`` has
    been seen (ids no longer in the bank are ignored). The pick is the unseen id of the current
    cycle with the smallest ``sha256(f"{channel}:{cycle}:{id}")``, so questions added to the bank
    later simply join the current cycle.
    """
    if not bank:
        raise ValueError("the question bank is empty")
    ids = set(bank)
    cycle = 0
    seen: set[str] = set()
    for question_id in history:
        if question_id not in ids:
            continue
        seen.add(question_id)
        if len(seen) == len(ids):
            cycle += 1
            seen.clear()
    return min(ids - seen, key=lambda question_id: _rank(channel, cycle, question_id))


def _rank(channel: str, cycle: int, question_id: str) -> bytes:
    return hashlib.sha256(f"{channel}:{cycle}:{question_id}".encode()).digest()
