"""`python -m bot`: load the settings, pick the transport, run until SIGTERM or Ctrl-C.

`python -m bot migrate` only brings the database schema up to date.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Coroutine
from typing import Any

from dotenv import dotenv_values

from bot.settings import Settings, SettingsError, StartupError, load_settings

EXIT_CONFIG = 2


def main(argv: list[str]) -> int:
    # Start-up builds a large, long-lived heap; collecting while it grows only slows the start.
    # The transport freezes that heap and turns collection back on once it is serving.
    gc.disable()
    # Real environment variables win over .env.
    environ = {**{k: v for k, v in dotenv_values(".env").items() if v is not None}, **os.environ}
    try:
        settings = load_settings(environ)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if argv[:1] == ["migrate"]:
            from bot.backend import open_store

            open_store(settings.database_url)
            print("database is up to date")
            return 0
        return _run_until_signalled(_serve(settings))
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG


async def _serve(settings: Settings) -> None:
    from bot.app import create_app

    bot = create_app(settings)
    if settings.slack_app_token is not None:
        from bot.socket_mode import serve_socket_mode

        await serve_socket_mode(bot, settings.slack_app_token, settings.port)
    else:
        from bot.server import serve_http

        await serve_http(bot, settings.port, settings.slack_signing_secret)


def _run_until_signalled(serve: Coroutine[Any, Any, None]) -> int:
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
