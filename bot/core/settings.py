"""Settings shared by every feature, and `Env`, through which every setting is read.

The environment (and `.env`) is read once at start (`bot.settings.load_settings`); nothing else in the bot
reads it. Each feature keeps its own settings in `bot/<feature>/settings.py`, read with `Env` and the
parsers here. Every problem is a `SettingsError` that names the variable and says what a good value looks
like; secret values never appear in messages or reprs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from bot.core.timecodes import parse_duration

DEFAULT_API_URL = "https://slack.com/api/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEFAULT_CLAIM_LEASE = timedelta(seconds=60)
"""How long a claim is its process's before another may take it over; longer than all in-tick retries."""
DEFAULT_POLL_INTERVAL = timedelta(seconds=5)
CLAIM_LEASE_RANGE = (timedelta(seconds=10), timedelta(hours=1))
"""Shorter, a claim can expire while its post is still under way (Slack slow, a retry, the pacer's queue)
and another process sends it again."""
POLL_INTERVAL_RANGE = (timedelta(seconds=1), timedelta(hours=1))
"""Faster polling only keeps a core busy: what is due is due to the minute."""
RATE_RANGE = (20, 60_000)
"""Posts or updates a minute the pacer can keep. Slower than 20, a learning-path batch (ten DMs at least)
outlasts the half lease a DM waits for its turn, so waiting DMs are taken over again and again, each with a
history look-up; faster than 60,000 (a turn a millisecond), the event loop's timer cannot space them."""
SHOWN_MAX = 12
"""Longer values are never echoed whole in an error (they may be a secret pasted in the wrong place)."""
TOKEN_PREFIXES = ("xox", "xapp", "xoxe")
WHERE_TOKENS = "your Slack app's settings at https://api.slack.com/apps"

T = TypeVar("T")


class SettingsError(Exception):
    """A missing or malformed setting; `str()` is one line naming the variable."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable


class Env:
    """The environment, read once: each setting by name, parsed, with a `SettingsError` naming it when its
    value does not parse. Features read their own settings through it (`bot/<feature>/settings.py`)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._values = {key: value.strip() for key, value in environ.items() if value and value.strip()}

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def raw(self, name: str) -> str | None:
        return self._values.get(name)

    def get(self, name: str, default: str, parse: Callable[[str], T], expected: str) -> T:
        """`parse` of the variable's value (or of `default`); `expected` says what a good value looks like."""
        raw = self._values.get(name, default)
        try:
            return parse(raw)
        except ValueError:
            # The parsers' own messages quote the value, so only our masked echo is shown: a token pasted
            # into the wrong variable must not reach a log.
            raise SettingsError(name, f"{masked(raw)} is not valid; expected {expected}") from None


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """What every background sender shares (the quiz, the learning path): how often it looks for due work,
    and how long a claim is its process's before another may take it over."""

    claim_lease: timedelta = DEFAULT_CLAIM_LEASE
    """Shorter than a post can take with its retries (up to about a minute while Slack is slow), another
    process may send it a second time. Users may set 10 s at least (`CLAIM_LEASE_RANGE`); only tests build
    this with less."""
    poll_interval: timedelta = DEFAULT_POLL_INTERVAL


@dataclass(frozen=True, slots=True)
class PacingSettings:
    """How fast this process posts to Slack (`bot.core.slack.pacing`)."""

    posts_per_minute: int = 100
    """chat.postMessage per minute for this process, across the workspace. Slack allows several hundred a
    minute per workspace; with several processes give each its share."""
    updates_per_minute: int = 50
    """chat.update per minute (Slack's tier 3)."""


@dataclass(frozen=True, slots=True)
class Settings:
    slack_bot_token: str = field(repr=False)
    slack_signing_secret: str | None = field(repr=False)
    slack_app_token: str | None = field(repr=False)
    slack_api_url: str
    port: int
    database_url: str = field(repr=False)  # may hold a password
    log_level: str
    pacing: PacingSettings = field(default_factory=PacingSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    managers: tuple[str, ...] = ()
    """User ids (U…) and user group ids (S…) who may manage any channel's quiz and the learning path,
    besides admins and owners."""

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None


def read_settings(env: Env, *, cwd: Path | None = None) -> Settings:
    """The shared settings; raises `SettingsError` on the first problem."""
    bot_token = _token(env, "SLACK_BOT_TOKEN", "xoxb-", "OAuth & Permissions → Bot User OAuth Token")
    app_token = (
        _token(env, "SLACK_APP_TOKEN", "xapp-", "Basic Information → App-Level Tokens")
        if "SLACK_APP_TOKEN" in env
        else None
    )
    signing_secret = env.raw("SLACK_SIGNING_SECRET")
    if signing_secret is None and app_token is None:
        raise SettingsError(
            "SLACK_SIGNING_SECRET",
            f"not set; HTTP mode needs it (Basic Information → Signing Secret in {WHERE_TOKENS}), "
            "or set SLACK_APP_TOKEN to use Socket Mode",
        )
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_api_url=_api_url(env.raw("SLACK_API_URL") or DEFAULT_API_URL),
        port=env.get("PORT", "3000", _port, "a TCP port number from 0 to 65535"),
        database_url=_database_url(env.raw("DATABASE_URL"), cwd or Path.cwd()),
        log_level=env.get("LOG_LEVEL", "INFO", _log_level, f"one of {', '.join(LOG_LEVELS)}"),
        pacing=PacingSettings(
            posts_per_minute=env.get(
                "SLACK_POST_RATE", "100", int_within(*RATE_RANGE), "messages a minute from 20 to 60000"
            ),
            updates_per_minute=env.get(
                "SLACK_UPDATE_RATE", "50", int_within(*RATE_RANGE), "updates a minute from 20 to 60000"
            ),
        ),
        scheduler=SchedulerSettings(
            claim_lease=env.get(
                "QUIZ_CLAIM_LEASE", "60s", within(*CLAIM_LEASE_RANGE), "a duration from 10s to 1h, e.g. 60s"
            ),
            poll_interval=env.get(
                "QUIZ_POLL_INTERVAL", "5s", within(*POLL_INTERVAL_RANGE), "a duration from 1s to 1h, e.g. 5s"
            ),
        ),
        managers=env.get("QUIZ_MANAGERS", "", _ids, "user or user group ids such as U0123,S0456"),
    )


def playground_settings(environ: Mapping[str, str]) -> tuple[int, str]:
    """The playground's port (PORT, default 3000) and LOG_LEVEL (default WARNING)."""
    env = Env(environ)
    port = env.get("PORT", "3000", _port, "a TCP port number from 0 to 65535")
    level = env.get("LOG_LEVEL", "WARNING", _log_level, f"one of {', '.join(LOG_LEVELS)}")
    return port, level


def _token(env: Env, name: str, prefix: str, where: str) -> str:
    value = env.raw(name)
    if value is None:
        raise SettingsError(name, f"not set; copy it from {where} in {WHERE_TOKENS} into .env")
    if not value.startswith(prefix):
        raise SettingsError(name, f"should start with '{prefix}'; copy it from {where} in {WHERE_TOKENS}")
    return value


def masked(raw: str) -> str:
    """A value as an error message may show it: whole when short and not token-like, else its first
    three characters and its length."""
    if len(raw) <= SHOWN_MAX and not raw.lower().startswith(TOKEN_PREFIXES):
        return f"'{raw}'"
    return f"'{raw[:3]}…' ({len(raw)} characters)"


def within(low: timedelta, high: timedelta) -> Callable[[str], timedelta]:
    def parse(raw: str) -> timedelta:
        duration = parse_duration(raw)
        if not low <= duration <= high:
            raise ValueError("out of range")
        return duration

    return parse


def _port(raw: str) -> int:
    port = _ascii_int(raw)
    if not 0 <= port <= 65535:  # 0: any free port (the bot logs the one it got)
        raise ValueError("out of range")
    return port


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in LOG_LEVELS:
        raise ValueError("unknown level")
    return level


def channel_id(raw: str) -> str:
    if raw and not (raw.isascii() and raw[0] in "CG" and raw[1:].isalnum() and raw.isupper()):
        raise ValueError("not a channel id")
    return raw


def _ascii_int(raw: str) -> int:
    """A whole number in the digits 0-9 only: `int()` alone also takes other scripts' digits (Arabic-Indic,
    full-width …), underscores and a sign."""
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError("not a number")
    return int(raw)


def int_within(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        number = _ascii_int(raw)
        if not low <= number <= high:
            raise ValueError("out of range")
        return number

    return parse


def keys(raw: str) -> tuple[str, ...]:
    keys = tuple(dict.fromkeys(item.strip().lower() for item in raw.split(",") if item.strip()))
    if not all(key.isascii() and key.replace("_", "").isalnum() and len(key) <= 64 for key in keys):
        raise ValueError("not a list of keys")
    return keys


def _ids(raw: str) -> tuple[str, ...]:
    ids = tuple(item for item in raw.replace(" ", ",").split(",") if item)
    if not all(item.isascii() and item[0] in "UWS" and item[1:].isalnum() and item.isupper() for item in ids):
        raise ValueError("not a list of ids")
    return ids


def _api_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError("SLACK_API_URL", "should be an http(s) URL such as https://slack.com/api/")
    return raw if raw.endswith("/") else raw + "/"


def _database_url(raw: str | None, cwd: Path) -> str:
    """Checked without echoing any of it: the URL may hold a password."""
    if raw is None:
        return f"sqlite:///{cwd / 'data' / 'bot.db'}"
    scheme = raw.split(":", 1)[0].split("+", 1)[0]
    usage = "should be sqlite:///path/to/file.db or postgresql://user@host:5432/dbname"
    if scheme not in ("sqlite", "postgresql", "postgres") or "://" not in raw:
        raise SettingsError("DATABASE_URL", usage)
    if scheme != "sqlite":
        try:
            parts = urlsplit(raw)
            port = parts.port  # raises ValueError for a port that is not a number or out of range
        except ValueError:
            raise SettingsError(
                "DATABASE_URL", f"the port is not a number from 1 to 65535; {usage}"
            ) from None
        if not parts.hostname or port == 0:
            raise SettingsError("DATABASE_URL", f"no host or port; {usage}")
    return raw
