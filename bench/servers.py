"""The servers under test: the bot as `python -m bot` runs it, and the bare Bolt configurations."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import procs
from slackfake import BOT_TOKEN, SIGNING_SECRET

GTHREAD_THREADS = 8


@dataclass(frozen=True)
class Server:
    key: str
    label: str
    bare: bool
    command: Callable[[int], list[str]]
    """The command line for a given port."""

    def env(self, api_url: str, port: int, workdir: Path) -> dict[str, str]:
        return procs.child_env(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=api_url,
            DATABASE_URL=f"sqlite:///{workdir}/bot.db",
            PORT=str(port),
            LOG_LEVEL="WARNING",
        )


def _module(name: str, *args: str) -> Callable[[int], list[str]]:
    return lambda _port: [procs.PYTHON, "-m", name, *args]


def _gunicorn(factory: str) -> Callable[[int], list[str]]:
    return lambda port: [
        procs.PYTHON, "-m", "gunicorn",
        "--workers", "1", "--worker-class", "gthread", "--threads", str(GTHREAD_THREADS),
        "--bind", f"{procs.HOST}:{port}", "--backlog", "1024", "--log-level", "warning",
        f"bench.bare_apps:{factory}",
    ]  # fmt: skip


BOT = Server("bot", "bot (python -m bot: AsyncApp, aiohttp)", False, _module("bot"))
BARE_AIOHTTP = Server(
    "bare-aiohttp", "bare AsyncApp, aiohttp web server", True, _module("bench.bare_apps", "aiohttp")
)
BARE_INLINE = Server(
    "bare-aiohttp-inline", "bare AsyncApp, aiohttp, process_before_response=True", True,
    _module("bench.bare_apps", "aiohttp-inline"),
)  # fmt: skip
BARE_BOLT_SERVER = Server(
    "bare-bolt-server", "bare AsyncApp.start() (Bolt's aiohttp server)", True,
    _module("bench.bare_apps", "bolt-server"),
)  # fmt: skip
BARE_GUNICORN = Server(
    "bare-gunicorn", f"bare sync App, gunicorn gthread ({GTHREAD_THREADS} threads)", True,
    _gunicorn("wsgi_app()"),
)  # fmt: skip
BARE_GUNICORN_INLINE = Server(
    "bare-gunicorn-inline", "bare sync App, gunicorn gthread, process_before_response=True", True,
    _gunicorn("wsgi_app(process_before_response=True)"),
)  # fmt: skip

SERVERS = (BOT, BARE_AIOHTTP, BARE_INLINE, BARE_BOLT_SERVER, BARE_GUNICORN, BARE_GUNICORN_INLINE)
SAME_TYPE = BARE_AIOHTTP
"""The bare app on the bot's own server type (AsyncApp + aiohttp web server)."""


def gunicorn_available() -> bool:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def available() -> tuple[Server, ...]:
    needs_gunicorn = (BARE_GUNICORN, BARE_GUNICORN_INLINE)
    return tuple(s for s in SERVERS if s not in needs_gunicorn or gunicorn_available())


def start(
    server: Server, api_url: str, workdir: Path, *, cpu: str | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start `server` (pinned to `cpu`) in `workdir`; returns the process and its port. Does not wait."""
    port = procs.free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    command = procs.pinned(server.command(port), cpu)
    return procs.spawn(command, env=server.env(api_url, port, workdir), cwd=workdir), port


@contextmanager
def serving(
    server: Server, api_url: str, workdir: Path, *, cpu: str | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Start `server`, wait for its health check, and stop it (whole process group) afterwards."""
    process, port = start(server, api_url, workdir, cpu=cpu)
    try:
        procs.wait_healthy(port, process)
        yield process, port
    finally:
        procs.stop(process)
