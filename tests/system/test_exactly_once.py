"""Two bot processes on PostgreSQL post the day's quizzes and learning-path DMs through a slow Slack; one is
killed with `kill -9` in the middle of the fan-out, and a replacement starts once its claims have expired.

Every channel gets exactly one quiz post and every learner exactly one DM: the survivor takes over the dead
process's claims (all of them at once, within a bound), a process proves it still owns a claim right before
it posts, and the replacement finds nothing left to take or loses every race for what is.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

import content
from bot.core.store.engine import make_engine
from bot.core.timecodes import ALL_DAYS
from bot.learn.ids import LEARN_DAY_EVENT
from bot.learn.models import DeliveryRow, LearnerRow
from bot.learn.path import MAX_IN_FLIGHT
from bot.quiz.ids import QUIZ_POST_EVENT
from bot.quiz.models import PostRow
from slackfake import FakeSlack
from tests.fixtures.driver import wait_until
from tests.fixtures.faults import on_postgresql, open_store, pg_only
from tests.fixtures.process import bot_env, bot_process, quiz_time
from tests.fixtures.sync_store import SyncStore
from tests.system.test_crashes import kill9

LATENCY = 0.5
"""Seconds the fake Slack adds to every call, as in the report that found the duplicates."""
LEARNERS = 240
CHANNELS = 40


def learner_ids() -> list[str]:
    return [f"UEXO{n:04d}" for n in range(LEARNERS)]


def channel_ids() -> list[str]:
    return [f"CEXO{n:03d}" for n in range(CHANNELS)]


def env_of(fake: FakeSlack, tmp_path: Path, url: str, lease: int) -> dict[str, str]:
    due = quiz_time()
    return bot_env(
        fake,
        tmp_path,
        DATABASE_URL=url,
        QUIZ_TIMEZONE="UTC",
        QUIZ_CLAIM_LEASE=f"{lease}s",
        QUIZ_POLL_INTERVAL="1s",
        LEARN_TIME=due,
        LEARN_DAYS="daily",
        SLACK_POST_RATE="60000",  # Slack's pace is tested in tests/core/test_pacing.py
        LOG_LEVEL="WARNING",
    )


@contextmanager
def started(env: dict[str, str], tmp_path: Path, name: str) -> Iterator[subprocess.Popen[str]]:
    workdir = tmp_path / name
    workdir.mkdir()
    with bot_process(env, workdir) as process:
        yield process


def seed(engine: Engine, store: SyncStore) -> None:
    """Every channel's quiz and every learner's day due now, committed at once (the bots are running)."""
    now = datetime.now(UTC)
    due = datetime.strptime(quiz_time(), "%H:%M").time()
    for channel in channel_ids():
        store.upsert_schedule(channel, due, "UTC", ALL_DAYS, "UADMIN", now - timedelta(days=1))  # set before
    with engine.begin() as connection:
        connection.execute(
            insert(LearnerRow), [learner(user, now, now - timedelta(seconds=1)) for user in learner_ids()]
        )


def learner(user: str, now: datetime, next_due_at: datetime) -> dict[str, object]:
    """A learner on the path since yesterday, their DM open."""
    return {
        "user_id": user,
        "status": "active",
        "timezone": "UTC",
        "tz_checked_at": now,
        "dm_channel": "D" + user[1:],
        "enrolled_by": "UADMIN",
        "enrolled_at": now - timedelta(days=1),
        "next_due_at": next_due_at,
        "days": 1,
        "unanswered_days": 0,
        "opt_out_offered": False,
        "updated_at": now,
    }


def sent(engine: Engine) -> int:
    """Quiz posts and DMs recorded as posted."""
    with engine.connect() as connection:
        posts = connection.scalar(select(func.count()).where(PostRow.ts.is_not(None)))
        days = connection.scalar(select(func.count()).where(DeliveryRow.ts.is_not(None)))
    return int(posts or 0) + int(days or 0)


def per_target(fake: FakeSlack, targets: list[str], event_type: str) -> Counter[int]:
    """How many targets got 0, 1, 2… messages of `event_type`."""
    counts: Counter[int] = Counter()
    for target in targets:
        metadata = [message.get("metadata") or {} for message in fake.messages(target)]
        counts[sum(1 for found in metadata if found.get("event_type") == event_type)] += 1
    return counts


@pg_only
@on_postgresql
@pytest.mark.parametrize(
    ("lease", "kill_after"),
    [(10, 0.15), (10, 0.5), (20, 0.3)],
    ids=["lease10s-early-kill", "lease10s-half-way", "lease20s-third-way"],
)
def test_killed_mid_fan_out_with_a_replacement_after_the_lease_sends_each_post_and_dm_once(
    fake_slack: FakeSlack, tmp_path: Path, database_url: str, lease: int, kill_after: float
) -> None:
    """`kill_after`: the share of all messages Slack had taken when the first process is killed."""
    fake = fake_slack
    for user in learner_ids():
        fake.add_user(user, name=user.lower())
        fake.workspace.dm_channel(user)
    total = LEARNERS + CHANNELS

    engine = make_engine(database_url)
    with open_store(database_url) as store, ExitStack() as processes:
        env = env_of(fake, tmp_path, database_url, lease)
        first = processes.enter_context(started(env, tmp_path, "first"))
        processes.enter_context(started(env_of(fake, tmp_path, database_url, lease), tmp_path, "second"))
        fake.set_latency(LATENCY)
        seed(engine, store)

        wait_until(lambda: len(fake.calls_to("chat.postMessage")) >= total * kill_after, timeout=60)
        killed_at = kill9(first)
        orphans = total - sent(engine)
        # The replacement starts once the dead process's claims have expired, while they are taken over.
        time.sleep(max(0.0, killed_at + 2 * lease + 2 - time.time()))
        processes.enter_context(started(env_of(fake, tmp_path, database_url, lease), tmp_path, "replacement"))
        wait_until(lambda: sent(engine) == total, timeout=lease * 3 + 60)
        time.sleep(3 * LATENCY + 1)  # a second copy of anything would have arrived by now
    engine.dispose()

    learners = per_target(fake, ["D" + user[1:] for user in learner_ids()], LEARN_DAY_EVENT)
    channels = per_target(fake, channel_ids(), QUIZ_POST_EVENT)
    assert orphans > 0, "the kill came after everything was sent"
    assert learners == Counter({1: LEARNERS}), learners
    assert channels == Counter({1: CHANNELS}), channels


ORPHANS = 120


def abandon(engine: Engine, users: list[str]) -> None:
    """Each learner's day claimed by a process that died before posting it, its lease run out."""
    now = datetime.now(UTC)
    question = content.questions()[0].id
    with engine.begin() as connection:
        connection.execute(
            insert(LearnerRow), [learner(user, now, now + timedelta(days=1)) for user in users]
        )
        connection.execute(
            insert(DeliveryRow),
            [
                {
                    "user_id": user,
                    "slot": now.date().isoformat(),
                    "kind": "day",
                    "local_date": now.date(),
                    "question_ids": question,
                    "due_at": now - timedelta(minutes=2),
                    "claimed_by": "dead",
                    "lease_until": now - timedelta(seconds=1),
                }
                for user in users
            ],
        )


@pg_only
@on_postgresql
def test_a_dead_process_s_claims_are_taken_over_many_at_once(
    fake_slack: FakeSlack, tmp_path: Path, database_url: str
) -> None:
    """F5: the survivor takes a hundred and twenty abandoned DMs over at once (within its bound), not one
    after another (two minutes at half a second a call)."""
    fake = fake_slack
    users = learner_ids()[:ORPHANS]
    for user in users:
        fake.add_user(user, name=user.lower())
        fake.workspace.dm_channel(user)
    engine = make_engine(database_url)
    with open_store(database_url), started(env_of(fake, tmp_path, database_url, 10), tmp_path, "survivor"):
        fake.set_latency(LATENCY)
        fake.reset()
        began = time.monotonic()
        abandon(engine, users)
        wait_until(lambda: sent(engine) == ORPHANS, timeout=120)
        took = time.monotonic() - began
        time.sleep(3 * LATENCY + 1)
    engine.dispose()
    print(f"{ORPHANS} abandoned DMs taken over and sent in {took:.1f} s at {LATENCY} s a call")
    assert per_target(fake, ["D" + user[1:] for user in users], LEARN_DAY_EVENT) == Counter({1: ORPHANS})
    # Each takeover looks in the DM, then posts: serial takeovers would have one call in flight at a time.
    assert fake.peak_in_flight >= MAX_IN_FLIGHT // 2
    assert fake.peak_in_flight <= MAX_IN_FLIGHT
