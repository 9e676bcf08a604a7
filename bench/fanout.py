"""Quiz fan-out: 500 channels due at the same minute, one `QuizEngine.tick()`, in this process.

The fake Slack adds latency to every call and answers some with 429 + Retry-After, the way Slack
throttles a burst. The figures: the time until every channel has its question, how many questions each
channel got (exactly one), and the most Web API calls that were in flight at once.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.client import build_client, share_connections
from bot.core.store.database import Database
from bot.quiz import ids, queries
from bot.quiz.engine import MAX_IN_FLIGHT, QuizEngine
from bot.settings import load_settings
from slackfake import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from slackfake.clock import FakeClock

CHANNELS = 500
LATENCY_SECONDS = 0.05
RATE_LIMIT_EVERY = 50
RETRY_AFTER_SECONDS = 1
TARGET_SECONDS = 5.0
RUNS = 3
DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday
TICK_TIMEOUT = 120.0
BOUND = (
    f"at most {MAX_IN_FLIGHT} Web API calls in flight per process (QuizEngine max_in_flight), one "
    "question per channel; Slack holds chat.postMessage to about 1 message per second per channel and "
    "answers a workspace's excess with 429 + Retry-After, which the client waits out in its slot"
)


def channel_ids(count: int = CHANNELS) -> list[str]:
    return [f"CFAN{n:05d}" for n in range(count)]


def _quiz_posts(fake: FakeSlack, channel: str) -> int:
    return sum(
        1
        for message in fake.messages(channel)
        if (message.get("metadata") or {}).get("event_type") == ids.QUIZ_POST_EVENT
    )


async def _fan_out(
    url: str, names: list[str], clock: FakeClock, client: AsyncWebClient, fake: FakeSlack, settings: Any
) -> tuple[float, float, int]:
    """A fresh database with a schedule due now in every channel, then the ticks."""
    database = Database(url, timeout=30)
    await database.open()
    try:
        for channel in names:
            await database.write(
                queries.upsert_schedule, channel, clock_time(9, 30), "UTC", frozenset(range(7)), "UBENCH", DUE
            )
        service = QuizEngine(
            database, client, clock, settings.quiz, settings.core.scheduler, instance_id="bench"
        )
        fake.reset()
        return await _ticks(service, client, fake, len(names))
    finally:
        await database.close()


async def _ticks(
    service: QuizEngine, client: AsyncWebClient, fake: FakeSlack, channels: int
) -> tuple[float, float, int]:
    """Seconds until Slack had answered every channel's question, seconds until tick() returned, and the
    peak of calls in flight; then a second tick at the same minute (which must post nothing more).
    The client keeps its connections open, as the bot's does."""
    connections = share_connections(client)
    try:
        return await _timed_ticks(service, fake, channels)
    finally:
        await connections.close()


async def _timed_ticks(service: QuizEngine, fake: FakeSlack, channels: int) -> tuple[float, float, int]:
    started = time.perf_counter()
    done: list[float] = []

    def wait_all_posted() -> None:  # a thread of its own: the service needs the default executor
        fake.wait_for("chat.postMessage", channels, TICK_TIMEOUT, where=lambda call: call.ok)
        done.append(time.perf_counter() - started)

    watcher = threading.Thread(target=wait_all_posted, name="fanout-watcher", daemon=True)
    watcher.start()
    await asyncio.wait_for(service.tick(), TICK_TIMEOUT)
    tick_seconds = time.perf_counter() - started
    await asyncio.to_thread(watcher.join, TICK_TIMEOUT)
    peak = fake.peak_in_flight
    await asyncio.wait_for(service.tick(), TICK_TIMEOUT)
    if not done:
        raise RuntimeError(f"not every channel got its question within {TICK_TIMEOUT} s")
    return done[0], tick_seconds, peak


def run_once(workdir: Path, *, latency: float, rate_limit_every: int | None, channels: int) -> dict[str, Any]:
    """One fresh database with `channels` schedules due now, one tick against a fresh fake Slack."""
    clock = FakeClock(DUE + timedelta(seconds=1))
    names = channel_ids(channels)
    with FakeSlack(now=lambda: clock.now().timestamp()) as fake:
        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake.api_url,
            },
            cwd=workdir,
        )
        client = build_client(settings.core)
        fake.set_latency(latency)
        fake.rate_limit_every(rate_limit_every, retry_after=RETRY_AFTER_SECONDS)
        all_posted, tick_seconds, peak = asyncio.run(
            _fan_out(f"sqlite:///{workdir}/quiz.db", names, clock, client, fake, settings)
        )
        calls = fake.calls_to("chat.postMessage")
        per_channel = Counter(_quiz_posts(fake, channel) for channel in names)
    return {
        "channels": channels,
        "latency_ms": round(latency * 1000),
        "rate_limit_every": rate_limit_every,
        "all_posted_seconds": round(all_posted, 2),
        "tick_seconds": round(tick_seconds, 2),
        "posts_per_channel": {str(k): v for k, v in sorted(per_channel.items())},
        "exactly_one_each": per_channel == Counter({1: channels}),
        "post_calls": len(calls),
        "rate_limited_calls": sum(1 for c in calls if c.status == 429),
        "peak_in_flight": peak,
        "max_in_flight": MAX_IN_FLIGHT,
    }


def measure(channels: int = CHANNELS, runs: int = RUNS) -> dict[str, Any]:
    """The specified setting, and the same against an instant, never-throttling Slack (the floor: the
    database and CPU work alone), each `runs` times on a fresh database; the run with the median time is
    reported, and every run must give each channel exactly one question."""
    throttled, instant = [], []
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        for n in range(runs):
            for name, results, latency, every in (
                ("slow", throttled, LATENCY_SECONDS, RATE_LIMIT_EVERY),
                ("instant", instant, 0.0, None),
            ):
                workdir = Path(tmp) / f"{name}-{n}"
                workdir.mkdir()
                results.append(run_once(workdir, latency=latency, rate_limit_every=every, channels=channels))
    chosen = _median_run(throttled)
    every_run_ok = all(r["exactly_one_each"] for r in throttled + instant)
    peak = max(r["peak_in_flight"] for r in throttled)
    return {
        **chosen,
        "exactly_one_each": every_run_ok,
        "peak_in_flight": peak,
        "runs": runs,
        "all_posted_seconds_per_run": [r["all_posted_seconds"] for r in throttled],
        "instant_slack": {
            **_median_run(instant),
            "all_posted_seconds_per_run": [r["all_posted_seconds"] for r in instant],
        },
        "bound": BOUND,
        "target_seconds": TARGET_SECONDS,
        "met": chosen["all_posted_seconds"] <= TARGET_SECONDS and every_run_ok and peak <= MAX_IN_FLIGHT,
    }


def _median_run(results: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(results, key=lambda r: r["all_posted_seconds"])[len(results) // 2]
