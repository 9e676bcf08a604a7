"""Learning-path fan-out: 10,000 learners and 500 quiz channels due the same minute, two `python -m bot`
processes on one PostgreSQL, a fake Slack that enforces Slack's rate limits.

The fake answers chat.postMessage beyond about one a second per channel, or beyond the workspace rate,
with 429 + Retry-After, and adds 50 ms to every call. Each bot process paces itself at half the workspace
rate (`SLACK_POST_RATE`). The figures: the time from the moment everything is due until every learner
and channel had its message, against the floor the workspace rate allows ((messages - burst) / rate);
the share of calls refused with 429; messages per learner and per channel (exactly one each); and the
peak RSS of each bot process.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import procs
from bench.click_burst import bot_env, database_url, fresh_schema
from slackfake import FakeSlack, RateLimits

LEARNERS = 10_000
CHANNELS = 500
PROCESSES = 2
WORKSPACE_PER_MINUTE = 12_000
WORKSPACE_BURST = 100
LATENCY_SECONDS = 0.05
TARGET_RATIO = 1.15
TARGET_REFUSED = 0.01
TARGET_RSS_MIB = 150.0
TIMEOUT = 600.0
PACE_SHARE = 0.97


def _users(count: int) -> list[str]:
    return [f"UL{n:06d}" for n in range(count)]


def _channels(count: int) -> list[str]:
    return [f"CLF{n:05d}" for n in range(count)]


async def _seed(database: str, users: list[str], channels: list[str], at: str, now: datetime) -> None:
    """Every learner and every channel's quiz due now, committed at once (the bots are already running)."""
    from datetime import time as clock_time

    from sqlalchemy import insert

    from bot.core.store.database import Database
    from bot.learn.models import LearnerRow
    from bot.quiz.models import ScheduleRow

    db = Database(database, timeout=60)
    await db.open()
    hour, minute = (int(part) for part in at.split(":"))
    learners = [
        {
            "user_id": user,
            "status": "active",
            "reason": None,
            "timezone": "UTC",
            "tz_checked_at": now,
            "dm_channel": "D" + user[1:],
            "enrolled_by": "UBENCH",
            "enrolled_at": now - timedelta(days=1),
            "next_due_at": now - timedelta(seconds=1),
            "last_due_at": None,
            "days": 1,
            "unanswered_days": 0,
            "opt_out_offered": False,
            "graduated_at": None,
            "updated_at": now,
        }
        for user in users
    ]
    schedules = [
        {
            "channel": channel,
            "time": clock_time(hour, minute).strftime("%H:%M"),
            "timezone": "UTC",
            "days": "daily",
            "active": True,
            "created_by": "UBENCH",
            "updated_by": "UBENCH",
            "created_at": now,
            "updated_at": now,
        }
        for channel in channels
    ]

    def write(session: Any) -> None:
        session.execute(insert(LearnerRow), learners)
        session.execute(insert(ScheduleRow), schedules)

    try:
        await db.write_within(60, write)
    finally:
        await db.close()


def _per_target(fake: FakeSlack, targets: list[str]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for target in targets:
        sent = sum(1 for m in fake.messages(target) if (m.get("metadata") or {}).get("event_type"))
        counts[sent] += 1
    return counts


def run(
    database: str,
    backend: str,
    *,
    learners: int = LEARNERS,
    channels: int = CHANNELS,
    processes: int = PROCESSES,
    per_minute: int = WORKSPACE_PER_MINUTE,
) -> dict[str, Any]:
    users, names = _users(learners), _channels(channels)
    limits = RateLimits(
        workspace_posts_per_minute=per_minute, workspace_post_burst=WORKSPACE_BURST, latency=LATENCY_SECONDS
    )
    now = datetime.now(UTC)
    if now.hour == 0 and now.minute < 3:  # the due minute must be on today's date in UTC
        time.sleep(180)
        now = datetime.now(UTC)
    due = (now - timedelta(minutes=1)).strftime("%H:%M")
    with FakeSlack(rate_limits=limits) as fake, tempfile.TemporaryDirectory(prefix="bench-learn-") as tmp:
        with fake.workspace.lock:
            for user in users:
                fake.workspace.add_user(user, name=user.lower())
                fake.workspace.dm_channel(user)
        # Each process paces itself a little under its share, so network jitter never adds up to a 429.
        share = max(1, int(per_minute * PACE_SHARE) // processes)
        pids = []
        with ExitStack() as stack:
            for n in range(processes):
                port = procs.free_port()
                env = bot_env(
                    fake.api_url,
                    port,
                    database,
                    SLACK_POST_RATE=str(share),
                    LEARN_TIME=due,
                    LEARN_DAYS="daily",
                    QUIZ_POLL_INTERVAL="1s",
                )
                workdir = Path(tmp) / f"bot{n}"
                workdir.mkdir()
                command = [procs.PYTHON, "-m", "bot"]
                process = stack.enter_context(procs.running(command, env=env, cwd=workdir))
                procs.wait_healthy(port, process)
                pids.append(process.pid)
            fake.reset()
            fake.enforce_rate_limits(limits)
            began = time.perf_counter()
            asyncio.run(_seed(database, users, names, due, datetime.now(UTC)))
            started = time.perf_counter()  # committed: from now on everything is due
            seeded = started - began
            total = learners + channels
            fake.wait_for("chat.postMessage", total, TIMEOUT, where=lambda call: call.ok)
            elapsed = time.perf_counter() - started
            time.sleep(2.0)  # anything sent twice would arrive now
            rss = [procs.peak_rss_mib(pid) for pid in pids]
        calls = fake.calls_to("chat.postMessage")
        first = min(call.at for call in calls)
        timeline = Counter(int((call.at - first) // 5) for call in calls if call.ok)
        refused = sum(1 for call in calls if call.status == 429)
        per_learner = _per_target(fake, ["D" + user[1:] for user in users])
        per_channel = _per_target(fake, names)
        stats = fake.rate_limit_stats
    floor = max(total - WORKSPACE_BURST, 0) / (per_minute / 60)
    ratio = round(elapsed / floor, 3) if floor else None
    refused_share = refused / len(calls) if calls else 0.0
    exactly_once = per_learner == Counter({1: learners}) and per_channel == Counter({1: channels})
    return {
        "backend": backend,
        "processes": processes,
        "learners": learners,
        "channels": channels,
        "workspace_posts_per_minute": per_minute,
        "workspace_burst": WORKSPACE_BURST,
        "post_rate_per_process": share,
        "latency_ms": round(LATENCY_SECONDS * 1000),
        "messages": total,
        "all_sent_seconds": round(elapsed, 1),
        "seed_seconds": round(seeded, 2),
        "floor_seconds": round(floor, 1),
        "ratio_to_floor": ratio,
        "post_calls": len(calls),
        "refused_429": refused,
        "refused_share": round(refused_share, 4),
        "refused_by_method": dict(stats.by_method),
        "refused_by_channel": dict(stats.by_channel.most_common(5)),
        "per_learner": {str(k): v for k, v in sorted(per_learner.items())},
        "per_channel": {str(k): v for k, v in sorted(per_channel.items())},
        "exactly_once": exactly_once,
        "peak_rss_mib": rss,
        "posts_per_5s": [timeline[n] for n in range(max(timeline) + 1)] if timeline else [],
        "targets": {
            "ratio_max": TARGET_RATIO,
            "refused_max": TARGET_REFUSED,
            "rss_max_mib": TARGET_RSS_MIB,
        },
        "met": ratio is not None
        and ratio <= TARGET_RATIO
        and refused_share <= TARGET_REFUSED
        and exactly_once
        and max(rss) <= TARGET_RSS_MIB,
    }


def measure(**options: Any) -> dict[str, Any]:
    url = database_url()
    if url is None:
        with tempfile.TemporaryDirectory(prefix="bench-learn-db-") as tmp:
            return run(f"sqlite:///{tmp}/bot.db", "sqlite", processes=1, **options)
    with fresh_schema(url) as scoped:
        return run(scoped, "postgresql", **options)


if __name__ == "__main__":
    import json
    import sys

    learners = int(sys.argv[1]) if len(sys.argv) > 1 else LEARNERS
    print(json.dumps(measure(learners=learners), indent=2))
