"""trigger_ids: issued with a slash command, a button click or a shortcut, exchanged for a modal once.

Slack lets an app open a modal with a trigger_id for 3 seconds after the user acted, and only once.
Request builders in `slackfake.requests` record every trigger_id they make here (with the user and the
wall-clock time), so the fake knows them even when a test posts the request to the app itself. When the
fake delivers a request (Socket Mode or its own HTTP poster), it re-stamps the trigger with its own clock
(`FakeSlack(now=...)`), which is then the one that counts.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

DEFAULT_TTL = 3.0
_KEEP = 20_000  # builders are used in load tests: remember only the newest trigger_ids


@dataclass
class Trigger:
    user: str
    issued: float
    clock: str  # "wall" (time.time) or "fake" (the fake's `now`)
    used: bool = False


_lock = threading.Lock()
_issued: OrderedDict[str, Trigger] = OrderedDict()


def new_trigger_id(user: str = "U123") -> str:
    """A trigger_id in Slack's form ("<ms>.<team number>.<hex>"), remembered as issued to `user` now."""
    trigger_id = f"{int(time.time() * 1000)}.6115322735.{secrets.token_hex(16)}"
    remember(trigger_id, Trigger(user, time.time(), "wall"))
    return trigger_id


def remember(trigger_id: str, trigger: Trigger) -> None:
    with _lock:
        _issued[trigger_id] = trigger
        _issued.move_to_end(trigger_id)
        while len(_issued) > _KEEP:
            _issued.popitem(last=False)


def issued(trigger_id: str) -> Trigger | None:
    with _lock:
        return _issued.get(trigger_id)
