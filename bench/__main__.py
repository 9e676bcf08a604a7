"""`python -m bench` (`make bench`): run the benchmarks, print the table, write bench/results.json."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import click_burst, cold_start, fanout, learn_fanout, learn_path, lookup, report, request_path

PARTS: dict[str, str] = {
    "request": "request_path",
    "fanout": "fanout",
    "cold": "cold_start",
    "clicks": "click_burst",
    "learn": "learn_fanout",
    "lookup": "lookup",
    "path": "learn_path",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each load run (default 10)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds of load runs, median kept (default 3)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="launches per cold-start figure (default 5)")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run: {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument("--readme", action="store_true", help="also rewrite the README's Benchmarks section")
    args = parser.parse_args(argv)
    args.parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) for --only: {', '.join(sorted(unknown))}")
    if not (0 < args.seconds <= 120 and 0 < args.rounds <= 10 and 0 < args.repeats <= 20):
        parser.error("keep --seconds in (0, 120], --rounds in 1..10 and --repeats in 1..20")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # A SIGTERM unwinds like Ctrl-C, so every `finally` and the atexit hook stop the child processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    runners: dict[str, Callable[[], dict[str, Any]]] = {
        "request": lambda: request_path.measure(args.seconds, args.rounds),
        "fanout": fanout.measure,
        "cold": lambda: cold_start.measure(args.repeats),
        "clicks": click_burst.measure,
        "learn": learn_fanout.measure,
        "lookup": lookup.measure,
        "path": learn_path.measure_banks,
    }
    results: dict[str, Any] = {"machine": report.machine()}
    for part in args.parts:
        print(f"running {PARTS[part]} ...", flush=True)
        started = time.monotonic()
        results[PARTS[part]] = {**runners[part](), "took_seconds": round(time.monotonic() - started, 1)}
    print()
    print(report.render(results))
    saved = report.save(results)
    print(f"\nwrote {report.RESULTS.relative_to(report.procs.ROOT)}")
    if args.readme:
        report.update_readme(saved)
        print(f"updated the {report.SECTION!r} section of README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
