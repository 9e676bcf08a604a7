"""`LogThrottle`: at most one log line per kind of failure per interval.

While Slack is away every request fails the same way; logging each one would bury the log (and the
disk) under thousands of identical lines. The first failure of a kind is logged at once; the others in
the same interval are only counted, and the next line of that kind says how many were left out.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock, SystemClock

DEFAULT_INTERVAL = timedelta(seconds=60)
MAX_KINDS = 256
"""Kinds remembered at once (a kind may carry an error code Slack chose); the oldest is forgotten first."""


@dataclass(slots=True)
class _Kind:
    logged_at: datetime
    left_out: int = 0


class LogThrottle:
    def __init__(
        self,
        logger: logging.Logger,
        *,
        interval: timedelta = DEFAULT_INTERVAL,
        clock: Clock | None = None,
        max_kinds: int = MAX_KINDS,
    ) -> None:
        self._logger = logger
        self._interval = interval
        self._clock = clock or SystemClock()
        self._max_kinds = max_kinds
        self._kinds: OrderedDict[str, _Kind] = OrderedDict()

    def __len__(self) -> int:
        """How many kinds are remembered."""
        return len(self._kinds)

    def warning(self, kind: str, message: str, *args: Any) -> bool:
        return self.log(logging.WARNING, kind, message, *args)

    def error(self, kind: str, message: str, *args: Any, exc_info: BaseException | None = None) -> bool:
        return self.log(logging.ERROR, kind, message, *args, exc_info=exc_info)

    def log(
        self, level: int, kind: str, message: str, *args: Any, exc_info: BaseException | None = None
    ) -> bool:
        """Log `message % args` unless a line of `kind` went out less than an interval ago; True if logged."""
        now = self._clock.now()
        seen = self._kinds.get(kind)
        if seen is not None and now - seen.logged_at < self._interval:
            seen.left_out += 1
            return False
        if seen is not None and seen.left_out:
            message += " (%d more like it since the last such line)"
            args = (*args, seen.left_out)
        self._kinds[kind] = _Kind(logged_at=now)
        self._kinds.move_to_end(kind)
        while len(self._kinds) > self._max_kinds:
            self._kinds.popitem(last=False)
        self._logger.log(level, message, *args, exc_info=exc_info)
        return True
