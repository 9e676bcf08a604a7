"""Cold start: from starting the process to its first answered `/compare`, and to `/healthz` 200.

Each figure is its own launch (a fresh process each time), repeated; the median is kept. The bot
restarts on an existing database, as it does after a deploy; its very first start, which also creates
the database, is measured too. Every server's modules are compiled to bytecode first, as an install's are
once they have run: where PYTHONDONTWRITEBYTECODE is set, each launch would otherwise compile the bot's
hundred-odd modules again (60 ms of its start), and the bare apps' one.
"""

from __future__ import annotations

import compileall
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import procs, servers
from bench.bare_apps import EVENTS_PATH
from bench.servers import Server
from slackfake import SIGNING_SECRET, FakeSlack
from slackfake.requests import form_body, sign, slash_command

REPEATS = 5
TARGET_RATIO = 1.3
START_TIMEOUT = 60.0

Probe = Callable[[int], bool]


def answers_compare(port: int) -> bool:
    body = form_body(slash_command("/compare", "monitoring"))
    reply = procs.http_status(port, "POST", EVENTS_PATH, body.encode(), sign(body, SIGNING_SECRET))
    return reply is not None and reply[0] == 200 and b"onitoring" in reply[1]


def healthy(port: int) -> bool:
    reply = procs.http_status(port, "GET", "/healthz")
    return reply is not None and reply[0] == 200


PROBES: dict[str, Probe] = {"first_compare": answers_compare, "healthz": healthy}


def launch(server: Server, api_url: str, workdir: Path, probe: Probe, cpu: str | None) -> float:
    """Seconds from starting `server` until `probe` holds."""
    started = time.monotonic()
    process, port = servers.start(server, api_url, workdir, cpu=cpu)
    try:
        return procs.wait_until(lambda: probe(port), process, timeout=START_TIMEOUT) - started
    finally:
        procs.stop(process)


def measure(repeats: int = REPEATS) -> dict[str, Any]:
    for package in ("bot", "content", "slackfake", "bench"):
        compileall.compile_dir(procs.ROOT / package, quiet=1)
    cpu, _ = procs.split_cpus()
    bare = servers.SAME_TYPE
    runs: dict[str, dict[str, list[float]]] = {}
    with FakeSlack() as fake, tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        root = Path(tmp)
        launch(servers.BOT, fake.api_url, root / "bot", healthy, cpu)  # creates the database, not timed
        for repeat in range(repeats):
            cases = {
                servers.BOT.key: (servers.BOT, root / "bot"),
                "bot-first-start": (servers.BOT, root / f"fresh-{repeat}"),
                bare.key: (bare, root / "bare"),
            }
            for name, probe in PROBES.items():
                for key, (server, workdir) in cases.items():
                    if key == "bot-first-start":
                        workdir = workdir / name  # a new database for every launch
                    seconds = launch(server, fake.api_url, workdir, probe, cpu)
                    runs.setdefault(key, {}).setdefault(name, []).append(round(seconds, 3))
    medians = {
        key: {name: round(statistics.median(times), 3) for name, times in by_probe.items()}
        for key, by_probe in runs.items()
    }
    ratios = {name: round(medians[servers.BOT.key][name] / medians[bare.key][name], 3) for name in PROBES}
    return {
        "repeats": repeats,
        "median_seconds": medians,
        "runs_seconds": runs,
        "bare": bare.key,
        "ratio_bot_vs_bare": ratios,
        "target_ratio_max": TARGET_RATIO,
        "met": all(ratio <= TARGET_RATIO for ratio in ratios.values()),
    }
