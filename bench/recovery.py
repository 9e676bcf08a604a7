"""Crash recovery of the learning path: DMs a dead process had claimed but not sent, taken over by one
`python -m bot` through a Slack that takes half a second a call (`python -m bench.recovery`).

Each run seeds learners whose day is claimed by a process that is gone, its lease already run out, and
times from the commit until every DM is recorded as sent. The baseline, in the same run: a single orphan.
Taken over one at a time, 120 orphans would cost about 120 times the baseline; many at once, within the
bound (`bot.learn.path.MAX_IN_FLIGHT`), a few times. PostgreSQL when one answers, else SQLite.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

import content
from bench import procs
from bench.click_burst import bot_env, database_url, fresh_schema
from bot.core.store.engine import make_engine
from bot.core.store.migrate import upgrade
from bot.learn.models import DeliveryRow, LearnerRow
from slackfake import FakeSlack

ORPHANS = 120
LATENCY_SECONDS = 0.5
TIMEOUT = 300.0


def _abandon(url: str, users: list[str]) -> None:
    now = datetime.now(UTC)
    engine = make_engine(url)
    learners = [
        {
            "user_id": user,
            "status": "active",
            "timezone": "UTC",
            "tz_checked_at": now,
            "dm_channel": "D" + user[1:],
            "enrolled_by": "UBENCH",
            "enrolled_at": now - timedelta(days=1),
            "next_due_at": now + timedelta(days=1),
            "days": 1,
            "unanswered_days": 0,
            "opt_out_offered": False,
            "updated_at": now,
        }
        for user in users
    ]
    deliveries = [
        {
            "user_id": user,
            "slot": now.date().isoformat(),
            "kind": "day",
            "local_date": now.date(),
            "question_ids": content.questions()[0].id,
            "due_at": now - timedelta(minutes=2),
            "claimed_by": "gone",
            "lease_until": now - timedelta(seconds=1),
        }
        for user in users
    ]
    with engine.begin() as connection:
        connection.execute(insert(LearnerRow), learners)
        connection.execute(insert(DeliveryRow), deliveries)
    engine.dispose()


def _sent(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).where(DeliveryRow.ts.is_not(None)))
    engine.dispose()
    return int(count or 0)


def _recover(url: str, orphans: int, tmp: Path) -> dict[str, Any]:
    """Seconds from the orphans' commit until all are sent, and the most Slack calls in flight at once."""
    users = [f"UREC{n:05d}" for n in range(orphans)]
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    with FakeSlack() as fake:
        for user in users:
            fake.add_user(user, name=user.lower())
            fake.workspace.dm_channel(user)
        port = procs.free_port()
        env = bot_env(fake.api_url, port, url, QUIZ_POLL_INTERVAL="1s", SLACK_POST_RATE="60000")
        with procs.running([procs.PYTHON, "-m", "bot"], env=env, cwd=tmp) as process:
            procs.wait_healthy(port, process)
            fake.set_latency(LATENCY_SECONDS)
            fake.reset()
            started = time.monotonic()
            _abandon(url, users)
            while _sent(url) < orphans:
                if time.monotonic() - started > TIMEOUT:
                    raise RuntimeError(f"only {_sent(url)} of {orphans} sent in {TIMEOUT:.0f} s")
                time.sleep(0.1)
            took = time.monotonic() - started
        return {"seconds": round(took, 2), "peak_in_flight": fake.peak_in_flight}


def measure(orphans: int = ORPHANS) -> dict[str, Any]:
    url = database_url()
    with tempfile.TemporaryDirectory(prefix="bench-recovery-") as tmp:
        runs = {}
        for name, count in (("baseline", 1), ("orphans", orphans)):
            workdir = Path(tmp) / name
            workdir.mkdir()
            if url is None:
                runs[name] = _recover(f"sqlite:///{workdir}/bot.db", count, workdir)
            else:
                with fresh_schema(url) as scoped:
                    runs[name] = _recover(scoped, count, workdir)
    return {
        "backend": "sqlite" if url is None else "postgresql",
        "orphans": orphans,
        "latency_ms": round(LATENCY_SECONDS * 1000),
        **{f"{name}_{key}": value for name, run in runs.items() for key, value in run.items()},
        "ratio_to_one": round(runs["orphans"]["seconds"] / runs["baseline"]["seconds"], 2),
    }


def render(results: dict[str, Any]) -> str:
    return (
        f"Crash recovery ({results['backend']}): {results['orphans']} abandoned learning DMs at "
        f"{results['latency_ms']} ms a Slack call, taken over in {results['orphans_seconds']} s "
        f"({results['orphans_peak_in_flight']} calls in flight at most); one alone "
        f"{results['baseline_seconds']} s; ratio {results['ratio_to_one']}x (one at a time: about "
        f"{results['orphans']}x)"
    )


if __name__ == "__main__":
    print(render(measure()))
    sys.exit(0)
