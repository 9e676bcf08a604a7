"""Child processes: start them pinned to a CPU, wait until they answer, measure their memory, kill them.

Every child gets its own session (process group), so a server that forks workers is stopped whole, and
every child still running when the benchmark exits is killed by an `atexit` hook.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PYTHON = sys.executable
STOP_TIMEOUT = 5.0

_running: set[subprocess.Popen[bytes]] = set()


def cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def split_cpus() -> tuple[str | None, str | None]:
    """(server CPU, load generator CPU): one core each when there are two or more, else no pinning.

    Pinning keeps the load generator from taking CPU time from the server it measures, and gives every
    server, bot or bare, the same single core.
    """
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or shutil.which("taskset") is None:
        return None, None
    return str(cpus[0]), str(cpus[1])


def pinned(command: Sequence[str], cpu: str | None) -> list[str]:
    return ["taskset", "-c", cpu, *command] if cpu is not None else list(command)


@contextlib.contextmanager
def on_cpu(cpu: str | None) -> Iterator[None]:
    """This process (the load it sends) on `cpu` for a while; no change when `cpu` is None."""
    if cpu is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {int(cpu)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def child_env(**extra: str) -> dict[str, str]:
    """This environment without Slack or quiz settings, with the repository importable, plus `extra`."""
    ours = ("SLACK_", "QUIZ_", "LEARN_", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def spawn(
    command: Sequence[str], *, env: Mapping[str, str], cwd: Path, capture: bool = False
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        list(command),
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
        start_new_session=True,
    )
    _running.add(process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's process group, then SIGKILL what is left after `STOP_TIMEOUT`."""
    _running.discard(process)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # workers the leader left behind
        return


@contextlib.contextmanager
def running(
    command: Sequence[str], *, env: Mapping[str, str], cwd: Path
) -> Iterator[subprocess.Popen[bytes]]:
    process = spawn(command, env=env, cwd=cwd)
    try:
        yield process
    finally:
        stop(process)


@atexit.register
def _kill_all() -> None:
    for process in list(_running):
        stop(process)


# ---- waiting ---------------------------------------------------------------------------------------


def http_status(
    port: int, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
) -> tuple[int, bytes] | None:
    """One request to 127.0.0.1:`port`; None while nothing listens there."""
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request(method, path, body=body or None, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.read()
    except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
        return None
    finally:
        connection.close()


def wait_until(
    probe: Callable[[], bool], process: subprocess.Popen[bytes], *, timeout: float, poll: float = 0.002
) -> float:
    """Poll `probe` until it holds; returns the monotonic time it first did. Fails if the child exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return time.monotonic()
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode} before it answered")
        time.sleep(poll)
    raise RuntimeError(f"{process.args!r} did not answer within {timeout} s")


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> float:
    def healthy() -> bool:
        reply = http_status(port, "GET", "/healthz")
        return reply is not None and reply[0] == 200

    return wait_until(healthy, process, timeout=timeout)


# ---- memory ----------------------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants (from /proc/*/stat)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        tree.extend(children)
        frontier = children
    return tree


def peak_rss_mib(root: int) -> float:
    """Sum of the peak resident set size (VmHWM) of every process in the tree, in MiB."""
    total_kib = 0
    for pid in process_tree(root):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kib += int(line.split()[1])
    return round(total_kib / 1024, 1)
