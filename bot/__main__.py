"""`python -m bot`: load the settings, pick the transport, run until SIGTERM or Ctrl-C.

`python -m bot migrate` only brings the database schema up to date; a database it cannot open is one line
and exit code 2. The bot itself starts without its database and keeps trying to open it (`bot.app`). With
no Slack settings at all, or as `python -m bot playground`, it serves the local playground instead.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.core.logs import configure as configure_logging
from bot.core.settings import SchedulerSettings, Settings, SettingsError, playground_settings
from bot.core.store.database import Database, StoreUnavailable
from bot.settings import BotSettings, load_settings

EXIT_CONFIG = 2
SLACK = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
"""With none of these set anywhere, `python -m bot` serves the playground."""


def main(argv: list[str], *, scheduler: SchedulerSettings | None = None) -> int:
    """`scheduler` replaces the claim lease and poll interval the environment sets, with values below what
    a user may set: only tests that kill and restart processes pass it (tests/fixtures/timed_bot.py)."""
    # Start-up builds a large, long-lived heap; collecting while it grows only slows the start.
    # `bot.serve` freezes that heap and turns collection back on once it is serving.
    gc.disable()
    # Real environment variables win over .env.
    environ = {**{k: v for k, v in dotenv_values(".env").items() if v is not None}, **os.environ}
    if argv[:1] == ["playground"] or (not argv and not any(environ.get(name, "").strip() for name in SLACK)):
        return _playground(environ)
    try:
        settings = load_settings(environ, scheduler=scheduler)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings.core.log_level)
    try:
        if argv[:1] == ["migrate"]:
            return _run(_migrate(settings.core))
        return _run(_serve(settings))
    except SettingsError as error:  # what only building the bot can check: LEARN_TOPICS against the content
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except StoreUnavailable as error:  # `migrate` only: the bot itself keeps trying
        print(f"error: DATABASE_URL: cannot open the database ({error})", file=sys.stderr)
        return EXIT_CONFIG


def _playground(environ: dict[str, str]) -> int:
    try:
        port, level = playground_settings(environ)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(level)
    from bot.playground import serve_playground

    return _run(serve_playground(port, Path.cwd() / "data", level))


async def _migrate(settings: Settings) -> None:
    database = Database(settings.database_url)
    try:
        await database.open()
    finally:
        await database.close()
    print("database is up to date")


async def _serve(settings: BotSettings) -> None:
    from bot.app import create_app
    from bot.serve import serve_forever

    await serve_forever(create_app(settings), settings.core)


def _run(serve: Coroutine[Any, Any, None]) -> int:
    """Run until done, or until SIGTERM or Ctrl-C."""

    async def runner() -> None:
        task = asyncio.ensure_future(serve)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, task.cancel)
        try:
            await task
        except asyncio.CancelledError:
            logging.getLogger("bot").info("stopped")

    asyncio.run(runner())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
