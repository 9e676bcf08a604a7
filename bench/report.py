"""Figures out: the table on stdout, `bench/results.json`, and the README's "## Benchmarks" section.

`python -m bench.report` prints the table of the last run again; `--readme` also rewrites the README
section from `bench/results.json`.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import learn_path, lookup, procs

RESULTS = Path(__file__).with_name("results.json")
README = procs.ROOT / "README.md"
SECTION = "## Benchmarks"
NEXT_SECTION = "## Development"
README_WIDTH = 105


# ---- machine ---------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return {
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_generator": _wrk_version() or "python-aiohttp (wrk not on PATH)",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _memory_gib() -> float | None:
    meminfo = Path("/proc/meminfo")
    text = meminfo.read_text() if meminfo.exists() else ""
    match = re.search(r"^MemTotal:\s*(\d+) kB", text, re.MULTILINE)
    return round(int(match.group(1)) / 1024 / 1024, 1) if match else None


def _wrk_version() -> str | None:
    try:
        out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=5, check=False)
    except OSError:
        return None
    version = re.search(r"wrk \S*?(\d+\.\d+\.\d+)", out.stdout or out.stderr)
    return f"wrk {version.group(1)}" if version else None


def save(results: dict[str, Any]) -> dict[str, Any]:
    """Merge into bench/results.json (a partial run, `--only`, replaces only the parts it measured);
    returns what the file now holds."""
    merged = {**(json.loads(RESULTS.read_text()) if RESULTS.exists() else {}), **results}
    RESULTS.write_text(json.dumps(merged, indent=2) + "\n")
    return merged


# ---- the table -------------------------------------------------------------------------------------


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def render(results: dict[str, Any]) -> str:
    parts = [_render_machine(results["machine"])]
    if "request_path" in results:
        parts.append(_render_request_path(results["request_path"]))
    if "fanout" in results:
        parts.append(_render_fanout(results["fanout"]))
    if "cold_start" in results:
        parts.append(_render_cold_start(results["cold_start"]))
    if "click_burst" in results:
        parts.append(_render_click_burst(results["click_burst"]))
    if "learn_fanout" in results:
        parts.append(_render_learn_fanout(results["learn_fanout"]))
    if "lookup" in results:
        parts.append(lookup.render(results["lookup"]))
    if "learn_path" in results:
        parts.append(learn_path.render(results["learn_path"]))
    return "\n\n".join(parts)


def _render_click_burst(c: dict[str, Any]) -> str:
    lines = [
        f"Answer clicks in a burst ({c['backend']}): {c['clicks']} people press an answer on one quiz post "
        f"at once, each payload Slack's whole block_actions (the posted message included), against "
        f"{c['clicks']} /compare at once in the same run; median of {c['rounds']} rounds",
        f"  clicks: p50 {c['clicks_p50_ms']:.0f} ms, p99 {c['clicks_p99_ms']:.0f} ms; /compare: p50 "
        f"{c['compare_p50_ms']:.0f} ms, p99 {c['compare_p99_ms']:.0f} ms; ratio of the p99s "
        f"{c['ratio_p99']}x (target <= {c['target_ratio_max']}x): {_verdict(c['met'])}",
        f"  answers recorded {c['answers_recorded']} of {c['answers_expected']}, non-200 {c['non_200']}, "
        f"peak RSS {c['peak_rss_mib']} MiB",
    ]
    if "parse" in c:
        lines.append(f"  one click's body, before any listener: {_click_parts(c)}")
    return "\n".join(lines)


def _click_parts(c: dict[str, Any]) -> str:
    parse, signature = c["parse"], c["signature"]
    return (
        f"parsed in {parse['bot_us']:.0f} us against Bolt's own {parse['reference_us']:.0f} us "
        f"({parse['bytes']:,} bytes, median); signature checked in {signature['bot_us']:.0f} us against "
        f"slack_sdk's {signature['reference_us']:.0f} us (mean, beside {signature['beside_threads']} "
        f"threads working as the database's do)"
    )


def _render_learn_fanout(f: dict[str, Any]) -> str:
    t = f["targets"]
    return "\n".join(
        [
            f"Learning path fan-out ({f['backend']}, {f['processes']} processes): {f['learners']} "
            f"learners and "
            f"{f['channels']} quiz channels due at once; fake Slack enforcing "
            f"{f['workspace_posts_per_minute']} "
            f"posts/min per workspace (burst {f['workspace_burst']}) and 1/s per channel, "
            f"+{f['latency_ms']} ms",
            f"  all {f['messages']} messages sent after {f['all_sent_seconds']} s; floor "
            f"{f['floor_seconds']} s; "
            f"ratio {f['ratio_to_floor']}x (target <= {t['ratio_max']}x)",
            f"  429s: {f['refused_429']} of {f['post_calls']} calls ({100 * f['refused_share']:.2f}%, target "
            f"<= {100 * t['refused_max']:.0f}%); exactly one each: {f['exactly_once']} (learners "
            f"{f['per_learner']}, channels {f['per_channel']})",
            f"  peak RSS per process: {', '.join(f'{x} MiB' for x in f['peak_rss_mib'])} (target <= "
            f"{t['rss_max_mib']:.0f} MiB): {_verdict(f['met'])}",
        ]
    )


def _render_machine(m: dict[str, Any]) -> str:
    return (
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, "
        f"{m['date']}\nLoad generator: {m['load_generator']}; load average at start "
        f"{' '.join(map(str, m['load_average_at_start']))}"
    )


def _render_request_path(r: dict[str, Any]) -> str:
    pin = r["cpu_pinning"]
    pinning = (
        f"servers on CPU {pin['servers']}, load generator on CPU {pin['load_generator']}"
        if pin["servers"] is not None
        else "no CPU pinning"
    )
    lines = [
        f"Request path: signed /compare over {len(r['topics'])} topics, {r['seconds_per_run']:g} s per run, "
        f"median of {r['rounds']} interleaved round(s); {pinning}",
        f"{'server':<56} {'conns':>5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'peak RSS':>9}",
    ]
    for key, row in r["servers"].items():
        for conns, run in row["connections"].items():
            lines.append(
                f"{row['label'][:56]:<56} {conns:>5} {run['rps']:>8.0f} {run['p50_ms']:>7.2f} "
                f"{run['p99_ms']:>7.2f} {run['errors']:>6} {row['peak_rss_mib']:>6.1f} MiB"
                + ("  <- fastest bare" if key == r["fastest_bare"] and conns == "8" else "")
            )
    t = r["targets"]
    for name, against in (("fastest bare", r["fastest_bare"]), ("same-type bare", r["same_type_bare"])):
        ratios = r["ratios_vs_fastest_bare" if name == "fastest bare" else "ratios_vs_same_type_bare"]
        cells = ", ".join(f"{c} conns: req/s {v['rps']:.2f}x, p99 {v['p99']:.2f}x" for c, v in ratios.items())
        lines.append(f"bot / {name} ({against}): {cells}")
    lines.append(
        f"target at {t['connections']} connections: req/s >= {t['rps_ratio_min']}x and p99 <= "
        f"{t['p99_ratio_max']}x the fastest bare, no errors: {_verdict(t['met'])}"
    )
    return "\n".join(lines)


def _render_fanout(f: dict[str, Any]) -> str:
    instant = f["instant_slack"]
    per_channel = ", ".join(f"{n} post(s): {count} channels" for n, count in f["posts_per_channel"].items())
    return "\n".join(
        [
            f"Quiz fan-out: {f['channels']} channels due at once; fake Slack +{f['latency_ms']} ms per call, "
            f"429 + Retry-After on 1 call in {f['rate_limit_every']}",
            f"  every channel had its question after {f['all_posted_seconds']:.2f} s, median of {f['runs']} "
            f"runs ({', '.join(f'{x:.2f}' for x in f['all_posted_seconds_per_run'])}; tick() returned after "
            f"{f['tick_seconds']:.2f} s); target <= {f['target_seconds']:g} s: {_verdict(f['met'])}",
            f"  questions per channel: {per_channel} (exactly one each: {f['exactly_one_each']})",
            f"  chat.postMessage calls: {f['post_calls']} ({f['rate_limited_calls']} answered 429)",
            f"  peak calls in flight: {f['peak_in_flight']}; bound: {f['bound']}",
            f"  the same against an instant Slack (no latency, no 429): "
            f"{instant['all_posted_seconds']:.2f} s (median), peak in flight {instant['peak_in_flight']}",
        ]
    )


def _render_cold_start(c: dict[str, Any]) -> str:
    m = c["median_seconds"]
    labels = {
        "bot": "bot, existing database (a restart)",
        "bot-first-start": "bot, first start (creates the database)",
        c["bare"]: f"{c['bare']} (with /healthz)",
    }
    lines = [
        f"Cold start: process start to answer, median of {c['repeats']} launches each",
        f"{'':<44} {'/healthz 200':>13} {'first /compare':>15}",
    ]
    for key, label in labels.items():
        lines.append(f"{label:<44} {m[key]['healthz']:>11.3f} s {m[key]['first_compare']:>13.3f} s")
    ratios = c["ratio_bot_vs_bare"]
    lines.append(
        f"{'bot / bare':<44} {ratios['healthz']:>12.2f}x {ratios['first_compare']:>14.2f}x  "
        f"target <= {c['target_ratio_max']}x: {_verdict(c['met'])}"
    )
    return "\n".join(lines)


# ---- README ----------------------------------------------------------------------------------------


INTRO = (
    "`make bench` runs the bot as `python -m bot` against the local fake Slack and compares it with bare "
    "Bolt apps that only ack `/compare` (`bench/bare_apps.py`); it prints a table and writes "
    "[`bench/results.json`](bench/results.json). The load comes from `wrk` in its own process when it is "
    "installed (`apt-get install wrk`), otherwise from a Python generator; each server runs on one core "
    "and the load generator on the other (the click burst's sender too, its garbage collector held off "
    "while a burst is in flight). `python -m bench --help` lists the options (`--seconds`, "
    "`--only`, `--readme` to refresh this section). `python -m bench --only clicks,learn` runs the "
    "answer-click burst and the learning-path fan-out (PostgreSQL from `BENCH_DATABASE_URL` or "
    "`TEST_DATABASE_URL`, else `postgresql://postgres@127.0.0.1:5432/test`, else SQLite and one process); "
    "`python -m bench.store_drivers` compares the bot's database thread pool with SQLAlchemy's asyncio "
    "extension on the same statements; `python -m bench.recovery` times the takeover of 120 abandoned "
    "learning DMs against one; `python -m bench --only path` (or `python -m bench.learn_path`) simulates "
    "learners on the learning path with the bot's own plan and FSRS. The daily-quiz row "
    "measures the quiz engine alone: in production "
    "every post also goes through the pacer (`SLACK_POST_RATE`, 100 a minute per process by default, so "
    "500 channels due at the same minute take about five minutes), as Slack's own limits call for."
)


def readme_section(results: dict[str, Any]) -> str:
    m = results["machine"]
    rows: list[str] = []
    notes: list[str] = []
    if "request_path" in results:
        request_rows, note = _readme_request_path(results["request_path"])
        rows += request_rows
        notes.append(note)
    if "fanout" in results:
        rows.append(_readme_fanout(results["fanout"]))
    if "cold_start" in results:
        rows += _readme_cold_start(results["cold_start"])
    if "click_burst" in results:
        clicks = results["click_burst"]
        rows.append(_readme_click_burst(clicks))
        if "parse" in clicks:
            notes.append(f"Answer clicks: one click's body, before any listener: {_click_parts(clicks)}.")
    if "learn_fanout" in results:
        rows.append(_readme_learn_fanout(results["learn_fanout"]))
    if "lookup" in results:
        rows += lookup.readme_rows(results["lookup"])
    if "learn_path" in results:
        rows += learn_path.readme_rows(results["learn_path"])
    lines = [
        SECTION,
        "",
        _wrap(INTRO),
        "",
        _wrap(
            f"Latest figures: {m['date'][:10]}, {m['cpu']}, {m['cores']} cores, Python {m['python']}, "
            f"{m['load_generator']}, load average {m['load_average_at_start'][0]} at the start (the machine "
            "was not otherwise idle; repeated runs vary by 10 to 20 %)."
        ),
        "",
        "| What | Bot | Reference | Bot / reference (target) |",
        "|---|---|---|---|",
        *rows,
        *(line for note in notes for line in ("", _wrap(note))),
    ]
    return "\n".join(lines) + "\n\n"


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=README_WIDTH, break_long_words=False, break_on_hyphens=False)


def _readme_request_path(r: dict[str, Any]) -> tuple[list[str], str]:
    bot, fastest = r["servers"]["bot"], r["servers"][r["fastest_bare"]]
    t = r["targets"]
    rows = []
    for conns, b in bot["connections"].items():
        f, ratio = fastest["connections"][conns], r["ratios_vs_fastest_bare"][conns]
        target = (
            f" (>= {t['rps_ratio_min']}x, <= {t['p99_ratio_max']}x)" if conns == str(t["connections"]) else ""
        )
        rows.append(
            f"| `/compare` at {conns} connections: req/s, p99 | {b['rps']:.0f}, {b['p99_ms']:.1f} ms "
            f"| {f['rps']:.0f}, {f['p99_ms']:.1f} ms | {ratio['rps']:.2f}x, {ratio['p99']:.2f}x{target} |"
        )
    errors = sum(run["errors"] for row in r["servers"].values() for run in row["connections"].values())
    rows += [
        f"| Errors (non-2xx, socket), all runs | {errors} | | (0) |",
        f"| Peak RSS of the server | {bot['peak_rss_mib']:.0f} MiB | {fastest['peak_rss_mib']:.0f} MiB | |",
    ]
    same = r["ratios_vs_same_type_bare"][str(t["connections"])]
    note = (
        f"Reference for `/compare`: the fastest bare configuration found, {fastest['label']}; for start-up: "
        f"{r['servers'][r['same_type_bare']]['label']}. Against that one, on Bolt's defaults (which wait "
        f"for the ack in 10 ms steps), the bot reaches {same['rps']:.2f}x the requests/s and "
        f"{same['p99']:.2f}x the p99 at {t['connections']} connections."
    )
    return rows, note


def _readme_fanout(f: dict[str, Any]) -> str:
    return (
        f"| Daily quiz to {f['channels']} channels due at once (+{f['latency_ms']} ms per call, 1 call in "
        f"{f['rate_limit_every']} answered 429), median of {f['runs']} | {f['all_posted_seconds']:.1f} s, "
        f"one post each, at most {f['peak_in_flight']} calls in flight | | (<= {f['target_seconds']:g} s) |"
    )


def _readme_cold_start(c: dict[str, Any]) -> list[str]:
    bot, bare = c["median_seconds"]["bot"], c["median_seconds"][c["bare"]]
    return [
        f"| Process start to {what}, median of {c['repeats']} | {bot[probe]:.2f} s | {bare[probe]:.2f} s "
        f"| {c['ratio_bot_vs_bare'][probe]:.2f}x (<= {c['target_ratio_max']}x) |"
        for probe, what in (("healthz", "`/healthz` 200"), ("first_compare", "first `/compare` answer"))
    ]


def _readme_click_burst(c: dict[str, Any]) -> str:
    return (
        f"| {c['clicks']} answer clicks on one quiz post at once, each Slack's whole `block_actions` payload "
        f"(the posted message included), vs {c['clicks']} `/compare` at once ({c['backend']}), p99 of the "
        f"acks, median of {c['rounds']} | {c['clicks_p99_ms']:.0f} ms, all {c['answers_recorded']} answers "
        f"recorded | {c['compare_p99_ms']:.0f} ms | {c['ratio_p99']:.2f}x (<= {c['target_ratio_max']:g}x) |"
    )


def _readme_learn_fanout(f: dict[str, Any]) -> str:
    t = f["targets"]
    return (
        f"| Learning path: {f['learners']:,} learners + {f['channels']} quiz channels due at once, "
        f"{f['processes']} processes on {f['backend']}, fake Slack enforcing "
        f"{f['workspace_posts_per_minute']:,}"
        f"/min + 1/s per channel, +{f['latency_ms']} ms | {f['all_sent_seconds']:.1f} s, one message each, "
        f"{f['refused_429']} answered 429 ({100 * f['refused_share']:.2f}%), peak RSS "
        f"{max(f['peak_rss_mib']):.0f} MiB | floor {f['floor_seconds']:.1f} s | {f['ratio_to_floor']:.2f}x "
        f"(<= {t['ratio_max']}x, <= {100 * t['refused_max']:.0f}% 429, <= {t['rss_max_mib']:.0f} MiB) |"
    )


def update_readme(results: dict[str, Any], readme: Path = README) -> None:
    """Replace the Benchmarks section (or add it just before Development); nothing else changes."""
    text = readme.read_text()
    section = readme_section(results)
    existing = re.search(rf"^{re.escape(SECTION)}\n.*?(?=^## )", text, re.MULTILINE | re.DOTALL)
    if existing:
        text = text[: existing.start()] + section + text[existing.end() :]
    else:
        anchor = text.index(f"\n{NEXT_SECTION}\n") + 1
        text = text[:anchor] + section + text[anchor:]
    readme.write_text(text)


def main(argv: list[str]) -> int:
    if not RESULTS.exists():
        print(f"no {RESULTS.name} yet: run `python -m bench` first", file=sys.stderr)
        return 1
    results = json.loads(RESULTS.read_text())
    print(render(results))
    if "--readme" in argv:
        update_readme(results)
        print(f"\nupdated the {SECTION!r} section of {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
