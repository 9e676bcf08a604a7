"""The lookup on its own: time per query and memory, on today's bank and on generated banks 10x and 100x as
large, each in a fresh process (`python -m bench.lookup SCALE` prints one JSON line).

A generated bank repeats every topic and its questions SCALE times under new keys, names and aliases, so the
index has SCALE times the passages, words and terms to rank. The queries are the routing set's phrases and
decoys, each looked up once after one warm-up pass; the index build is timed on its own.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import procs

SCALES = (1, 10, 100)


def generated(scale: int) -> Any:
    """Today's bank with every topic and question repeated ``scale`` times under new keys."""
    import content
    from content.model import Content

    data = content.load()
    if scale == 1:
        return data
    topics, questions = [], []
    for copy in range(scale):
        suffix = "" if copy == 0 else f" {copy}"
        rename = {topic.key: f"{topic.key}_{copy}" if copy else topic.key for topic in data.topics}
        topics += [
            replace(
                topic,
                key=rename[topic.key],
                name=topic.name + suffix,
                aliases=tuple(alias + suffix for alias in topic.aliases),
                see_also=tuple(rename.get(key, key) for key in topic.see_also),
            )
            for topic in data.topics
        ]
        questions += [replace(q, id=f"{q.id}-{copy}", topic=rename[q.topic]) for q in data.questions]
    return Content(tuple(topics), tuple(questions))


def measure_one(scale: int) -> dict[str, Any]:
    """In this process: build the index for the bank of ``scale`` and time every routing text's lookup."""
    from content import embedding, lookup
    from content.routing_set import load_routing_set

    bank = generated(scale)
    routing = load_routing_set()
    texts = [phrase.text for phrase in routing.phrases] + [decoy.text for decoy in routing.decoys]
    started = time.perf_counter()
    index = lookup.build_index(bank, embedding.load())
    build_seconds = time.perf_counter() - started
    for text in texts:  # warm-up: caches, lazily imported modules
        lookup.find(text, bank, index)
    times = []
    for text in texts:
        started = time.perf_counter()
        lookup.find(text, bank, index)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "scale": scale,
        "topics": len(bank.topics),
        "questions": len(bank.questions),
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 3),
        "build_seconds": round(build_seconds, 2),
        "peak_rss_mib": round(_peak_rss_kib() / 1024, 1),
    }


def _peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def measure(scales: tuple[int, ...] = SCALES) -> dict[str, Any]:
    """Every scale in its own process, so each peak RSS is that bank's alone."""
    cpu, _ = procs.split_cpus()
    rows = []
    for scale in scales:
        command = [procs.PYTHON, "-m", "bench.lookup", str(scale)]
        if cpu is not None:
            command = ["taskset", "-c", cpu, *command]
        done = subprocess.run(
            command, cwd=procs.ROOT, capture_output=True, text=True, check=True, timeout=900
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"  lookup, {row['topics']} topics: p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms", flush=True)
    base = rows[0]
    for row in rows:
        row["p50_vs_today"] = round(row["p50_ms"] / base["p50_ms"], 2)
        row["p99_vs_today"] = round(row["p99_ms"] / base["p99_ms"], 2)
    return {"rows": rows}


def render(result: dict[str, Any]) -> str:
    lines = [
        "Lookup per query (the routing set's phrases and decoys), one process per bank",
        f"{'bank':<28} {'p50 ms':>8} {'p99 ms':>8} {'p50, p99 vs today':>18} {'index build':>12} "
        f"{'peak RSS':>9}",
    ]
    for row in result["rows"]:
        bank = f"{row['topics']} topics, {row['questions']} questions"
        lines.append(
            f"{bank:<28} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['p50_vs_today']:>8.1f}x, {row['p99_vs_today']:>5.1f}x {row['build_seconds']:>10.2f} s "
            f"{row['peak_rss_mib']:>5.0f} MiB"
        )
    return "\n".join(lines)


def readme_rows(result: dict[str, Any]) -> list[str]:
    return [
        f"| Lookup per query, {row['topics']} topics ({row['scale']}x today's bank): p50, p99; index build; "
        f"peak RSS | {row['p50_ms']:.2f} ms, {row['p99_ms']:.2f} ms; {row['build_seconds']:.1f} s; "
        f"{row['peak_rss_mib']:.0f} MiB | today's bank | "
        f"{row['p50_vs_today']:.1f}x, {row['p99_vs_today']:.1f}x |"
        for row in result["rows"]
    ]


if __name__ == "__main__":
    print(json.dumps(measure_one(int(sys.argv[1]))))
