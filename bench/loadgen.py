"""Load generation: signed `/compare` requests for a fixed time over N keep-alive connections.

The generator always runs in its own process: `wrk` when it is on PATH, otherwise this module
(`python -m bench.loadgen URL POOL CONNECTIONS SECONDS`, an aiohttp client). wrk's Lua cannot compute
an HMAC, so both read a pool of requests signed beforehand (timestamp, signature, body per line) and
cycle through it; Slack signatures stay valid for five minutes, far longer than a run.
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import procs
from slackfake import SIGNING_SECRET
from slackfake.requests import form_body, sign, slash_command

POOL_SIZE = 2000
TIMEOUT_SECONDS = 5
WRK_SCRIPT = Path(__file__).with_name("signed_pool.lua")
RESULT_PREFIX = "BENCH "


@dataclass(frozen=True)
class LoadResult:
    tool: str
    connections: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    """Non-2xx answers plus socket errors (connect, read, write, timeout)."""
    error_detail: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def write_pool(path: Path, topics: Sequence[str], size: int = POOL_SIZE) -> Path:
    """`size` signed slash commands, rotating over `topics`, signed now."""
    lines = []
    for i in range(size):
        body = form_body(slash_command("/compare", topics[i % len(topics)], user_id=f"U{i % 97:04d}"))
        headers = sign(body, SIGNING_SECRET)
        lines.append(f"{headers['X-Slack-Request-Timestamp']}\t{headers['X-Slack-Signature']}\t{body}\n")
    path.write_text("".join(lines))
    return path


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run(url: str, pool: Path, connections: int, seconds: float, *, cpu: str | None = None) -> LoadResult:
    """Drive `url` from a separate process (wrk, or the Python fallback) and collect its figures."""
    if wrk_available():
        command = [
            "wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{seconds:g}s",
            "--timeout", f"{TIMEOUT_SECONDS}s", "--script", str(WRK_SCRIPT), url, "--", str(pool),
        ]  # fmt: skip
    else:
        command = [procs.PYTHON, "-m", "bench.loadgen", url, str(pool), str(connections), f"{seconds:g}"]
    completed = subprocess.run(
        procs.pinned(command, cpu),
        env=procs.child_env(),
        cwd=procs.ROOT,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith(RESULT_PREFIX)), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"load generator failed ({completed.returncode}): {completed.stderr.strip()}")
    return _result(json.loads(line.removeprefix(RESULT_PREFIX)), connections)


def _result(raw: dict[str, int], connections: int) -> LoadResult:
    """Figures from the generator's summary line (times in microseconds)."""
    detail = {k: int(raw[k]) for k in ("status", "connect", "read", "write", "timeout") if raw.get(k)}
    seconds = raw["duration_us"] / 1e6
    return LoadResult(
        tool=str(raw.get("tool", "wrk")),
        connections=connections,
        seconds=round(seconds, 2),
        requests=int(raw["requests"]),
        rps=round(raw["requests"] / seconds, 1),
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        errors=sum(detail.values()),
        error_detail=detail,
    )


# ---- the Python fallback (runs as its own process) --------------------------------------------------


def _read_pool(pool: Path) -> list[tuple[bytes, dict[str, str]]]:
    requests = []
    for line in pool.read_text().splitlines():
        timestamp, signature, body = line.split("\t", 2)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature,
        }
        requests.append((body.encode(), headers))
    return requests


async def _drive(url: str, pool: Path, connections: int, seconds: float) -> dict[str, object]:
    import aiohttp

    requests = _read_pool(pool)
    latencies: list[float] = []
    errors = {"status": 0, "read": 0}
    started = time.monotonic()
    deadline = started + seconds

    async def worker(session: aiohttp.ClientSession, offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            body, headers = requests[i % len(requests)]
            i += connections
            sent = time.monotonic()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    if not 200 <= response.status < 300:
                        errors["status"] += 1
            except (aiohttp.ClientError, TimeoutError):
                errors["read"] += 1
                continue
            latencies.append(time.monotonic() - sent)

    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(worker(session, n) for n in range(connections)))
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "tool": "python-aiohttp",
        "requests": len(latencies) + errors["status"],
        "duration_us": int(elapsed * 1e6),
        "p50_us": int(_percentile(latencies, 50) * 1e6),
        "p99_us": int(_percentile(latencies, 99) * 1e6),
        **errors,
    }


def _percentile(sorted_values: Sequence[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, math.ceil(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def main(argv: Sequence[str]) -> int:
    url, pool, connections, seconds = argv
    summary = asyncio.run(_drive(url, Path(pool), int(connections), float(seconds)))
    print(RESULT_PREFIX + json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
