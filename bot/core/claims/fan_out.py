"""Work on many claimed rows at once, within a bound, where one failure never stops the rest."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from bot.core.store.database import StoreUnavailable

T = TypeVar("T")


async def fan_out(
    slots: asyncio.Semaphore,
    items: Iterable[T],
    work: Callable[[T], Awaitable[Any]],
    describe: Callable[[T], str],
    log: logging.Logger,
) -> None:
    """Run `work` for every item, as many at once as `slots` allows; a failure is logged on the feature's
    `log`, naming the item by `describe` ("quiz work for C123"), and what the item had claimed expires, to
    be taken over by a later pass."""

    async def guarded(item: T) -> None:
        async with slots:
            try:
                await work(item)
            except StoreUnavailable as error:
                log.warning("%s stopped: the database is unavailable (%s)", describe(item), error)
            except Exception:
                log.exception("%s failed", describe(item))

    await asyncio.gather(*(guarded(item) for item in items))
