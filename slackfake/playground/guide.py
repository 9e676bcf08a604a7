"""The playground's *Start here* checklist: steps that tick themselves as the people on the page do them.

Each step names what counts as doing it, as "kind:target" prefixes of what the page records: "command:/compare
monitoring" (a slash command and its text), "action:<action_id>" (a button or menu in a message),
"control:reveal" (the page's own buttons), "home:home" (the App Home opened) and "shortcut:<callback_id>".
A step asks for `people` different people: "answer as two people".
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class GuideStep:
    title: str
    hint: str
    done_by: tuple[str, ...]
    people: int = 1


class Progress:
    """What the people on the page did, as far as the checklist cares; cleared by *Reset*."""

    def __init__(self, steps: Iterable[GuideStep] = ()) -> None:
        self.steps = tuple(steps)
        self._done: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def record(self, kind: str, target: str, user: str) -> None:
        with self._lock:
            self._done.add((f"{kind}:{target}", user))

    def clear(self) -> None:
        with self._lock:
            self._done.clear()

    def as_json(self) -> list[dict[str, object]]:
        """Each step with whether it is done."""
        with self._lock:
            done = set(self._done)
        return [
            {
                "title": step.title,
                "hint": step.hint,
                "done": len({user for what, user in done if what.startswith(step.done_by)}) >= step.people,
            }
            for step in self.steps
        ]
