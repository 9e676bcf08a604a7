"""The `/compare` request path: the bot against bare Bolt apps, all running at once, same load for each.

Each server runs in its own process pinned to one core; the load generator runs pinned to the other.
Runs are interleaved (every server at 8 connections, then every server at 64, for each round), so a
slow patch of the machine hits them all alike; with several rounds the median is kept.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import content
from bench import loadgen, procs, servers
from bench.bare_apps import EVENTS_PATH
from bench.loadgen import LoadResult
from bench.servers import Server
from slackfake import SIGNING_SECRET, FakeSlack
from slackfake.requests import form_body, sign, slash_command

TOPICS = ("monitoring", "deployment", "testing", "versioning", "pipeline", "feedback loop", "data", "tools")
"""What the load asks about: topic keys and one name typed with a space, as people write them."""
CONNECTIONS = (8, 64)
WARMUP_SECONDS = 2.0
TARGET_RPS_RATIO = 0.8
TARGET_P99_RATIO = 1.3
TARGET_CONNECTIONS = 8


def check_answers(server: Server, port: int) -> None:
    """Every topic gets a 200 with the right answer (the bot's card names the topic)."""
    for topic in TOPICS:
        body = form_body(slash_command("/compare", topic))
        reply = procs.http_status(port, "POST", EVENTS_PATH, body.encode(), sign(body, SIGNING_SECRET))
        if reply is None or reply[0] != 200:
            raise RuntimeError(f"{server.key}: /compare {topic} answered {reply}")
        if server.bare:
            expected_ok = reply[1].decode().startswith("MLOps vs DevOps")
        else:
            topic = content.find(topic).topic
            answer = json.loads(reply[1])
            expected_ok = topic is not None and topic.name in json.dumps(answer.get("blocks"))
        if not expected_ok:
            raise RuntimeError(f"{server.key}: unexpected answer to /compare {topic}: {reply[1][:200]!r}")


def measure(seconds: float, rounds: int = 1, connections: Sequence[int] = CONNECTIONS) -> dict[str, Any]:
    server_cpu, load_cpu = procs.split_cpus()
    chosen = servers.available()
    results: dict[str, dict[int, list[LoadResult]]] = {s.key: {c: [] for c in connections} for s in chosen}
    rss: dict[str, float] = {}
    with FakeSlack() as fake, tempfile.TemporaryDirectory(prefix="bench-") as tmp, ExitStack() as stack:
        ports: dict[str, int] = {}
        pids: dict[str, int] = {}
        for server in chosen:
            process, port = stack.enter_context(
                servers.serving(server, fake.api_url, Path(tmp) / server.key, cpu=server_cpu)
            )
            check_answers(server, port)
            ports[server.key], pids[server.key] = port, process.pid

        def load(server: Server, conns: int, duration: float) -> LoadResult:
            pool = loadgen.write_pool(Path(tmp) / "pool.txt", TOPICS)  # fresh timestamps for every run
            url = f"http://{procs.HOST}:{ports[server.key]}{EVENTS_PATH}"
            return loadgen.run(url, pool, conns, duration, cpu=load_cpu)

        for server in chosen:
            load(server, connections[0], WARMUP_SECONDS)
        for round_number in range(rounds):
            for conns in connections:
                for server in chosen:
                    result = load(server, conns, seconds)
                    results[server.key][conns].append(result)
                    print(f"  round {round_number + 1}, {conns:>2} conns, {server.key:<20} "
                          f"{result.rps:>8.0f} req/s  p99 {result.p99_ms:>6.2f} ms  errors {result.errors}",
                          flush=True)  # fmt: skip
        for server in chosen:
            rss[server.key] = procs.peak_rss_mib(pids[server.key])

    return _summary(chosen, results, rss, seconds, rounds, server_cpu, load_cpu)


def _median_run(runs: list[LoadResult]) -> dict[str, Any]:
    return {
        "tool": runs[0].tool,
        "rps": round(statistics.median(r.rps for r in runs), 1),
        "p50_ms": round(statistics.median(r.p50_ms for r in runs), 2),
        "p99_ms": round(statistics.median(r.p99_ms for r in runs), 2),
        "errors": sum(r.errors for r in runs),
        "requests": sum(r.requests for r in runs),
        "rounds": [r.as_dict() for r in runs],
    }


def _summary(
    chosen: Sequence[Server],
    results: dict[str, dict[int, list[LoadResult]]],
    rss: dict[str, float],
    seconds: float,
    rounds: int,
    server_cpu: str | None,
    load_cpu: str | None,
) -> dict[str, Any]:
    table = {
        s.key: {
            "label": s.label,
            "bare": s.bare,
            "peak_rss_mib": rss[s.key],
            "connections": {str(c): _median_run(runs) for c, runs in results[s.key].items()},
        }
        for s in chosen
    }
    target = str(TARGET_CONNECTIONS)
    fastest = max((s for s in chosen if s.bare), key=lambda s: table[s.key]["connections"][target]["rps"])
    bot = table[servers.BOT.key]["connections"]

    def ratios(against: str) -> dict[str, dict[str, float]]:
        other = table[against]["connections"]
        return {
            c: {
                "rps": round(bot[c]["rps"] / other[c]["rps"], 3),
                "p99": round(bot[c]["p99_ms"] / other[c]["p99_ms"], 3),
            }
            for c in bot
        }

    vs_fastest = ratios(fastest.key)
    errors = sum(run["errors"] for row in table.values() for run in row["connections"].values())
    return {
        "seconds_per_run": seconds,
        "rounds": rounds,
        "topics": list(TOPICS),
        "cpu_pinning": {"servers": server_cpu, "load_generator": load_cpu},
        "servers": table,
        "fastest_bare": fastest.key,
        "same_type_bare": servers.SAME_TYPE.key,
        "ratios_vs_fastest_bare": vs_fastest,
        "ratios_vs_same_type_bare": ratios(servers.SAME_TYPE.key),
        "targets": {
            "connections": TARGET_CONNECTIONS,
            "rps_ratio_min": TARGET_RPS_RATIO,
            "p99_ratio_max": TARGET_P99_RATIO,
            "errors": 0,
            "met": vs_fastest[target]["rps"] >= TARGET_RPS_RATIO
            and vs_fastest[target]["p99"] <= TARGET_P99_RATIO
            and errors == 0,
        },
    }
