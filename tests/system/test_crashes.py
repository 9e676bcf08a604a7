"""`kill -9` of real bot processes (`python -m bot`) at the worst moments, then a restart.

Nothing is lost and nothing is doubled: a quiz claimed but not yet recorded as posted is finished exactly
once by whoever takes the claim over once its lease (QUIZ_CLAIM_LEASE) runs out, and an answer whose
click was acknowledged is in the database. Across processes there is no fake clock, so the quiz is due
at the wall-clock time: QUIZ_TIME is a minute ago, in UTC, every day.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.timecodes import ALL_DAYS
from bot.quiz.engine import MAX_IN_FLIGHT
from bot.quiz.records import Post
from slackfake import SIGNING_SECRET, FakeSlack
from slackfake.requests import (
    block_action,
    form_body,
    interactive_body,
    post_signed,
    slash_command,
)
from tests.fixtures.driver import wait_until
from tests.fixtures.faults import on_postgresql, open_store, pg_only, recorded
from tests.fixtures.process import bot_env, bot_process, quiz_time, today
from tests.fixtures.quiz import answer_buttons, question_of, quiz_posts
from tests.fixtures.sync_store import SyncStore

CHANNEL = "CCRASH"
LEASE = "2s"
"""The claim lease in these tests (below QUIZ_CLAIM_LEASE's floor, so through `crash_bot`): how long a
restarted process waits before finishing a dead one's claim."""
POLL = "1s"
HELD = 60.0
"""Slack holds a call this long: for the rest of the test it is simply in flight."""


def quiz_env(fake: FakeSlack, tmp_path: Path, url: str, **settings: str) -> dict[str, str]:
    """The environment of one bot process (each gets its own port) on the shared database."""
    return bot_env(
        fake,
        tmp_path,
        DATABASE_URL=url,
        QUIZ_TIME=quiz_time(),
        QUIZ_TIMEZONE="UTC",
        QUIZ_DAYS="daily",
        # These tests hold many posts in flight at once; Slack's pace is tested in tests/test_pacing.py.
        SLACK_POST_RATE="60000",
        **settings,
    )


def crash_bot(env: dict[str, str], tmp_path: Path) -> AbstractContextManager[subprocess.Popen[str]]:
    """`python -m bot` with this module's short lease and poll interval."""
    return bot_process(env, tmp_path, claim_lease=LEASE, poll_interval=POLL)


def kill9(process: subprocess.Popen[str]) -> float:
    """SIGKILL: no cleanup, no shutdown hooks. Returns when it happened (wall clock, like Slack's)."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return time.time()


# ---- killed between claiming a post and recording it --------------------------------------------


@pytest.mark.parametrize("slack_took_it", [False, True], ids=["post-in-flight", "post-taken-unrecorded"])
def test_killed_between_claiming_and_recording_a_post_then_restarted_posts_exactly_once(
    fake_slack: FakeSlack,
    tmp_path: Path,
    database_url: str,
    slack_took_it: bool,
) -> None:
    """The process dies holding a claim with no ts: while its chat.postMessage is in flight, or after
    Slack took the post (a 503 hid it) while the process was checking the channel."""
    fake = fake_slack
    if slack_took_it:
        fake.fail_next("chat.postMessage", status=503, commit=True)
        fake.fail_next("conversations.history", delay=HELD, drop=True)
    else:
        fake.fail_next("chat.postMessage", delay=HELD, drop=True)

    with open_store(database_url) as store:
        with crash_bot(quiz_env(fake, tmp_path, database_url, QUIZ_CHANNEL=CHANNEL), tmp_path) as first:
            wait_until(
                lambda: fake.in_flight >= 1 and (not slack_took_it or fake.calls_to("chat.postMessage"))
            )
            claim = store.post_for_slot(CHANNEL, today())
            assert claim is not None and claim.ts is None
            killed_at = kill9(first)
        assert len(quiz_posts(fake, CHANNEL)) == (1 if slack_took_it else 0)

        with crash_bot(quiz_env(fake, tmp_path, database_url, QUIZ_CHANNEL=CHANNEL), tmp_path):
            post = wait_until(lambda: posted(store), timeout=15)

    [message] = quiz_posts(fake, CHANNEL)
    assert message["ts"] == post.ts
    assert len(fake.calls_to("chat.postMessage")) == 1  # the held one never finished
    after = [call for call in fake.calls if call.at > killed_at]
    assert after, "the restarted process never looked at Slack"
    # The restarted process left the claim alone until its lease ran out.
    assert all(call.at >= claim.lease_until.timestamp() for call in after), (
        claim.lease_until,
        [(call.method, call.at) for call in after],
    )


def posted(store: SyncStore, channel: str = CHANNEL) -> Post | None:
    return recorded(store, channel, today())


# ---- killed right after acknowledging answers -----------------------------------------------------


def test_killed_right_after_acknowledging_answers_loses_none(
    fake_slack: FakeSlack,
    tmp_path: Path,
    database_url: str,
) -> None:
    """Answers stream in; the process is killed the moment a few were acknowledged, others in flight."""
    fake = fake_slack
    users = [f"UCRASH{n:02d}" for n in range(40)]
    acknowledged: list[str] = []
    enough = threading.Event()

    with open_store(database_url) as store:
        env = quiz_env(fake, tmp_path, database_url, QUIZ_CHANNEL=CHANNEL)
        with crash_bot(env, tmp_path) as first:
            post = wait_until(lambda: posted(store))
            message = fake.message(CHANNEL, post.ts)
            assert message is not None
            letter = question_of(message).answer

            def answer(user: str) -> None:
                try:
                    status, _ = _press(int(env["PORT"]), message, letter, user)
                except OSError:  # the process is gone: this click was never acknowledged
                    return
                if status == 200:
                    acknowledged.append(user)
                    if len(acknowledged) >= 10:
                        enough.set()

            with ThreadPoolExecutor(max_workers=8) as pool:
                for user in users:
                    pool.submit(answer, user)
                assert enough.wait(timeout=10), "the bot acknowledged too few answers"
                kill9(first)

        assert len(acknowledged) < len(users), "every click was acknowledged before the kill"
        for user in acknowledged:
            assert store.user_stats(user).answered == 1, user

        env = quiz_env(fake, tmp_path, database_url, QUIZ_CHANNEL=CHANNEL)
        with crash_bot(env, tmp_path):  # the restarted bot sees them too
            stats = _command(int(env["PORT"]), "stats", acknowledged[-1])
    assert "100%" in str(stats), stats


def _press(port: int, message: dict[str, Any], letter: str, user: str) -> tuple[int, Any]:
    button = answer_buttons(message)[letter]
    payload = block_action(
        button["action_id"], button["value"], user_id=user, channel_id=CHANNEL, message=message
    )
    url = f"http://127.0.0.1:{port}/slack/events"
    return post_signed(url, interactive_body(payload), SIGNING_SECRET, timeout=5)


def _command(port: int, text: str, user: str) -> Any:
    url = f"http://127.0.0.1:{port}/slack/events"
    status, body = post_signed(
        url, form_body(slash_command("/quiz", text, user_id=user, channel_id=CHANNEL)), SIGNING_SECRET
    )
    assert status == 200, body
    return body


# ---- two processes, one killed --------------------------------------------------------------------


@pg_only
@on_postgresql
def test_two_processes_one_killed_mid_run_every_channel_gets_exactly_one_post(
    fake_slack: FakeSlack,
    tmp_path: Path,
    database_url: str,
) -> None:
    """The first process claims as many channels as it works on at once and is killed with all those
    posts in flight; the second, started beside it, posts the rest and then finishes the dead one's."""
    fake = fake_slack
    channels = [f"CMANY{n:02d}" for n in range(MAX_IN_FLIGHT + 10)]
    fake.fail_next("chat.postMessage", delay=HELD, drop=True, times=MAX_IN_FLIGHT)

    with open_store(database_url) as store:
        due = datetime.strptime(quiz_time(), "%H:%M").time()
        yesterday = datetime.now(UTC) - timedelta(days=1)  # set before today's quiz was due
        for channel in channels:
            store.upsert_schedule(channel, due, "UTC", ALL_DAYS, "UADMIN", yesterday)
        with crash_bot(quiz_env(fake, tmp_path, database_url), tmp_path) as first:
            wait_until(lambda: fake.in_flight >= MAX_IN_FLIGHT)  # its hands are full
            dead = {c: post for c in channels if (post := store.post_for_slot(c, today())) is not None}
            assert len(dead) == MAX_IN_FLIGHT
            with crash_bot(quiz_env(fake, tmp_path, database_url), tmp_path):
                wait_until(lambda: all(store.post_for_slot(c, today()) for c in channels))
                kill9(first)
                wait_until(lambda: all(posted(store, c) for c in channels), timeout=15)
        posts = {c: posted(store, c) for c in channels}

    for channel in channels:
        [message] = quiz_posts(fake, channel)
        assert message["ts"] == posts[channel].ts, channel
    sends = fake.calls_to("chat.postMessage")  # only finished calls: the held ones never finished
    assert sorted(call.body["channel"] for call in sends) == sorted(channels)  # all by the survivor
    sent_at = {call.body["channel"]: call.at for call in sends}
    for channel, claim in dead.items():  # and it left the dead process's claims alone until they expired
        assert sent_at[channel] >= claim.lease_until.timestamp(), channel
