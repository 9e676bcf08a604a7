"""Answer clicks in a burst: N people press an answer on one channel quiz post at the same moment.

The bot runs as `python -m bot` (HTTP) on PostgreSQL when one is reachable (`BENCH_DATABASE_URL`, else
`TEST_DATABASE_URL`, else the local default), each run in a fresh schema; otherwise on SQLite. A quiz
manager runs `/quiz now` in the burst's channel through the fake Slack, so the bot posts a real quiz. Each
round sends N signed `block_actions` at once, each in the shape Slack sends: the whole posted message as
the fake holds it at the start of the round (blocks, metadata, the live count line), the container,
channel, team, user, trigger_id, response_url and state, built as the fake's own click builds it (every
one a different person, all on the same post); in the same round, N `/compare` commands at once. The figure
is each burst's ack time (request sent to HTTP 200), p50 and p99, median over the rounds. Every click must be
answered 200 and every answer be in the database. With two cores or more the bot runs on one and the
bursts are sent from another, as in the request path.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bench import click_parts, procs
from bot.quiz import ids as quiz_ids
from bot.serve import SETTLE_AFTER
from slackfake import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from slackfake.acting import action_of, find_element
from slackfake.requests import (
    block_action,
    form_body,
    interactive_body,
    new_trigger_id,
    sign,
    slash_command,
)

CLICKS = 500
ROUNDS = 5
CHANNEL = "CBURST"
MANAGER = "UBENCHADMIN"
TARGET_RATIO = 2.0
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
EVENTS_PATH = "/slack/events"


def database_url() -> str | None:
    """A PostgreSQL URL that answers, or None."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    try:
        from bot.core.store.engine import make_engine

        engine = make_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return None
    return url


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new schema on `url` (selected through search_path), dropped afterwards."""
    from bot.core.store.engine import make_engine, normalise_url

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    scoped = normalise_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def bot_env(api_url: str, port: int, database: str, **extra: str) -> dict[str, str]:
    return procs.child_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database,
        PORT=str(port),
        LOG_LEVEL="WARNING",
        **extra,
    )


def _post_quiz(fake: FakeSlack, port: int) -> dict[str, Any]:
    """A quiz manager runs `/quiz now` in CHANNEL; returns the quiz post as the fake Slack stored it."""
    fake.set_request_url(f"http://{procs.HOST}:{port}{EVENTS_PATH}")
    fake.add_user(MANAGER, name="bench-manager", is_admin=True)
    fake.command(MANAGER, CHANNEL, "/quiz", "now")
    fake.wait_for("chat.postMessage", 1, 60, where=lambda c: c.body.get("channel") == CHANNEL and c.ok)
    return _quiz_post(fake)


def _quiz_post(fake: FakeSlack) -> dict[str, Any]:
    """The quiz post in CHANNEL as it is now (its live count line changes as people answer)."""
    (post,) = [
        m
        for m in fake.messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == quiz_ids.QUIZ_POST_EVENT
    ]
    return post


def _post_id(post: dict[str, Any]) -> int:
    return int(post["metadata"]["event_payload"]["post_id"])


async def _count_answers(database: str, post_id: int) -> int:
    from bot.core.store.database import Database
    from bot.quiz import queries

    db = Database(database, timeout=30)
    await db.open()
    try:
        return await db.read(queries.answer_count, post_id)
    finally:
        await db.close()


def _burst(port: int, bodies: list[tuple[str, dict[str, str]]]) -> tuple[list[float], int]:
    """Send every body at once; returns the ack times (seconds) and how many were not HTTP 200. The
    sender's garbage collector waits until the burst is over: its pauses are not the bot's latency."""
    gc.collect()
    gc.disable()
    try:
        return asyncio.run(_send_all(port, bodies))
    finally:
        gc.enable()


async def _send_all(port: int, bodies: list[tuple[str, dict[str, str]]]) -> tuple[list[float], int]:
    url = f"http://{procs.HOST}:{port}{EVENTS_PATH}"
    start = asyncio.Event()
    failures = 0

    async def one(session: aiohttp.ClientSession, body: str, headers: dict[str, str]) -> float:
        nonlocal failures
        await start.wait()
        began = time.perf_counter()
        async with session.post(url, data=body.encode(), headers=headers) as response:
            await response.read()
            if response.status != 200:
                failures += 1
        return time.perf_counter() - began

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        tasks = [asyncio.create_task(one(session, body, headers)) for body, headers in bodies]
        await asyncio.sleep(0.2)  # every task is waiting at the start line
        start.set()
        times = await asyncio.gather(*tasks)
    return list(times), failures


def _clicks(fake: FakeSlack, count: int, round_: int) -> list[tuple[str, dict[str, str]]]:
    """`count` people press answer A on the quiz post as it is now: the payload the fake's own click
    sends (`Acting.click`), the whole message included, signed as Slack signs it."""
    post = _quiz_post(fake)
    found = find_element(post["blocks"], f"{quiz_ids.QUIZ_ANSWER}:A")
    assert found is not None, "the quiz post has no answer A"
    block_id, button = found
    bodies = []
    for n in range(count):
        user = f"UB{round_:02d}{n:05d}"
        payload = block_action(
            button["action_id"],
            "",
            user_id=user,
            channel_id=CHANNEL,
            message_ts=post["ts"],
            message=post,
            response_url=fake.response_url(f"burst-{round_}-{n}"),
            action=action_of(block_id, button),
            trigger_id=new_trigger_id(user),
        )
        payload["channel"]["name"] = CHANNEL.lower()
        body = interactive_body(payload)
        bodies.append((body, sign(body, SIGNING_SECRET)))
    return bodies


def _compares(fake: FakeSlack, count: int, round_: int) -> list[tuple[str, dict[str, str]]]:
    bodies = []
    for n in range(count):
        fields = slash_command(
            "/compare",
            "monitoring",
            user_id=f"UC{round_:02d}{n:05d}",
            response_url=fake.response_url(f"c{n}"),
        )
        body = form_body(fields)
        bodies.append((body, sign(body, SIGNING_SECRET)))
    return bodies


def _quantiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
        "max_ms": round(1000 * ordered[-1], 1),
    }


def run(database: str, backend: str, clicks: int = CLICKS, rounds: int = ROUNDS) -> dict[str, Any]:
    click_runs, compare_runs = [], []
    failures = 0
    server_cpu, client_cpu = procs.split_cpus()
    with (
        FakeSlack() as fake,
        tempfile.TemporaryDirectory(prefix="bench-clicks-") as tmp,
        procs.on_cpu(client_cpu),
    ):
        port = procs.free_port()
        env = bot_env(fake.api_url, port, database)
        command = procs.pinned([procs.PYTHON, "-m", "bot"], server_cpu)
        with procs.running(command, env=env, cwd=Path(tmp)) as process:
            procs.wait_healthy(port, process)
            time.sleep(SETTLE_AFTER + 0.5)  # a bot in its steady state: the start-up heap has settled
            post_id = _post_id(_post_quiz(fake, port))
            # Warm up: the first requests pay for imports and connections.
            _burst(port, _clicks(fake, 20, 99))
            fake.wait_for("response_url", 20, 60, where=lambda c: c.name.startswith("burst-99-"))
            _burst(port, _compares(fake, 20, 99))
            for round_ in range(rounds):
                click_bodies = _clicks(fake, clicks, round_)
                times, failed = _burst(port, click_bodies)
                click_runs.append(_quantiles(times))
                failures += failed
                # Every presser's private feedback arrives before the next burst starts.
                fake.wait_for(
                    "response_url", clicks, 60, where=lambda c, r=round_: c.name.startswith(f"burst-{r}-")
                )
                times, failed = _burst(port, _compares(fake, clicks, round_))
                compare_runs.append(_quantiles(times))
                failures += failed
                print(
                    f"  round {round_ + 1}: clicks p99 {click_runs[-1]['p99_ms']:.0f} ms, "
                    f"/compare p99 {compare_runs[-1]['p99_ms']:.0f} ms",
                    flush=True,
                )
            rss = procs.peak_rss_mib(process.pid)
        recorded = asyncio.run(_count_answers(database, post_id))
        parts = click_parts.measure(*click_bodies[-1], SIGNING_SECRET)
    clicks_p99 = statistics.median(r["p99_ms"] for r in click_runs)
    compare_p99 = statistics.median(r["p99_ms"] for r in compare_runs)
    ratio = round(clicks_p99 / compare_p99, 2) if compare_p99 else None
    expected = 20 + clicks * rounds
    return {
        "backend": backend,
        "clicks": clicks,
        "rounds": rounds,
        "cpu_pinning": {"bot": server_cpu, "bursts": client_cpu},
        "clicks_p50_ms": statistics.median(r["p50_ms"] for r in click_runs),
        "clicks_p99_ms": clicks_p99,
        "compare_p50_ms": statistics.median(r["p50_ms"] for r in compare_runs),
        "compare_p99_ms": compare_p99,
        "ratio_p99": ratio,
        "non_200": failures,
        "answers_recorded": recorded,
        "answers_expected": expected,
        "peak_rss_mib": rss,
        "target_ratio_max": TARGET_RATIO,
        "met": ratio is not None and ratio <= TARGET_RATIO and failures == 0 and recorded == expected,
        "per_round": {"clicks": click_runs, "compare": compare_runs},
        **parts,
    }


def measure(clicks: int = CLICKS, rounds: int = ROUNDS) -> dict[str, Any]:
    url = database_url()
    if url is None:
        with tempfile.TemporaryDirectory(prefix="bench-clicks-db-") as tmp:
            return run(f"sqlite:///{tmp}/bot.db", "sqlite", clicks, rounds)
    with fresh_schema(url) as scoped:
        return run(scoped, "postgresql", clicks, rounds)


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))
