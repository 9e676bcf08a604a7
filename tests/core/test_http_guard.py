"""Slow, silent, numerous and non-HTTP clients of the HTTP server: each is bounded, and the bot keeps
answering Slack and its health check meanwhile.

The clients here are raw sockets. The bot runs with short bounds (`HttpLimits`), and a test proves a bound
by waiting for the server to close a connection with a client timeout of CLIENT_BOUND, below the 3 s
Slack gives an ack: without the bound the server never closes it and the test fails.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import resource
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.transport.guard import HttpLimits, backlog_for
from slackfake import SIGNING_SECRET, FakeSlack
from slackfake.requests import form_body, post_signed, sign, slash_command
from tests.fixtures.driver import wait_until
from tests.fixtures.harness import RunningBot, bot_settings
from tests.fixtures.process import Output, bot_env, get_json, wait_healthy

CLIENT_BOUND = 2.5
"""How long a client here waits for the server to answer or close: less than Slack's 3 s."""
SHORT = 0.3
"""The bounds under test, in seconds."""
LONG = 60.0
"""A bound that must not be the one that closes the connection in a test."""

HALF_HEADS = [
    b"",  # connects, sends nothing
    b"GE",
    b"POST /slack/events HTTP/1.1\r\n",
    b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nX-Slack-Request-Timestamp: 17",
    b"GET /healthz HTTP/1.1\r\nHost: bot\r\n",  # every header but the blank line that ends them
]


@pytest.fixture
def start_guarded(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Callable[..., RunningBot]]:
    """Starts the HTTP bot with short bounds; keyword arguments override fields of `HttpLimits`."""
    running: list[RunningBot] = []

    def start(**limits: float) -> RunningBot:
        bounds = {"header_timeout": SHORT, "body_timeout": SHORT, "idle_timeout": SHORT, "linger": SHORT}
        bot = RunningBot(
            bot_settings(fake_slack, tmp_path),
            http_limits=HttpLimits(**{"log_interval": SHORT, **bounds, **limits}),  # type: ignore[arg-type]
        )
        running.append(bot)
        bot.start()
        return bot

    yield start
    for bot in running:
        bot.stop()


def connect(bot: RunningBot, first_bytes: bytes = b"") -> socket.socket:
    client = socket.create_connection(("127.0.0.1", bot.port), timeout=CLIENT_BOUND)
    if first_bytes:
        client.sendall(first_bytes)
    return client


def read_until_closed(client: socket.socket) -> bytes | None:
    """Everything the server sends until it closes the connection, or None if it is still open after
    CLIENT_BOUND."""
    received = b""
    try:
        while chunk := client.recv(65536):
            received += chunk
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    finally:
        client.close()
    return received


def health_status(bot: RunningBot) -> int:
    with urllib.request.urlopen(f"{bot.url}/healthz", timeout=CLIENT_BOUND) as response:
        return response.status


def compare_answers(bot: RunningBot) -> bool:
    status, body = bot.command(slash_command(text="monitoring"), timeout=CLIENT_BOUND)
    return status == 200 and "Monitoring" in json.dumps(body)


def guard_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.transport.guard"]


def assert_no_errors(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []


def test_clients_that_never_finish_their_request_head_are_closed_and_the_bot_keeps_answering(
    start_guarded: Callable[..., RunningBot], caplog: pytest.LogCaptureFixture
) -> None:
    bot = start_guarded(idle_timeout=LONG, log_interval=1.0)
    held = [connect(bot, HALF_HEADS[i % len(HALF_HEADS)]) for i in range(300)]
    assert health_status(bot) == 200
    assert compare_answers(bot)

    still_open = [client for client in held if read_until_closed(client) is None]
    assert len(still_open) == 0, f"{len(still_open)} of {len(held)} connections still held"
    assert health_status(bot) == 200

    # Logged once at once, then with counts at most once a second, not once per connection.
    wait_until(lambda: closed_count(guard_warnings(caplog)) == len(held))
    lines = guard_warnings(caplog)
    assert "sent no complete request within 0.3 s" in lines[0]
    assert len(lines) <= 5, lines
    assert_no_errors(caplog)


def closed_count(lines: list[str]) -> int:
    """How many closed connections the guard's log lines add up to."""
    more = [re.match(r"closed (\d+) more connections", line) for line in lines[1:]]
    return (1 if lines else 0) + sum(int(match.group(1)) for match in more if match)


def test_body_slower_than_its_bound_gets_408_and_the_connection_closes(
    start_guarded: Callable[..., RunningBot], caplog: pytest.LogCaptureFixture
) -> None:
    bot = start_guarded(header_timeout=LONG, idle_timeout=LONG)
    body = form_body(slash_command(text="monitoring"))
    headers = {**sign(body, SIGNING_SECRET), "Content-Length": "100000", "Host": "bot"}
    head = "POST /slack/events HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    client = connect(bot, head.encode() + body.encode()[:3])

    received = read_until_closed(client)
    assert received is not None, "the connection was held past the body bound"
    assert received.startswith(b"HTTP/1.1 408 ")
    assert compare_answers(bot)
    assert_no_errors(caplog)


def test_a_kept_alive_connection_gets_the_same_bound_for_its_next_request_head(
    start_guarded: Callable[..., RunningBot],
) -> None:
    bot = start_guarded(idle_timeout=LONG)
    connection = http.client.HTTPConnection("127.0.0.1", bot.port, timeout=CLIENT_BOUND)
    connection.request("GET", "/healthz")
    assert connection.getresponse().read()
    assert connection.sock is not None
    connection.sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")  # the next request starts, and stalls
    assert read_until_closed(connection.sock) is not None


def test_an_idle_kept_alive_connection_is_closed(start_guarded: Callable[..., RunningBot]) -> None:
    bot = start_guarded(header_timeout=LONG)
    connection = http.client.HTTPConnection("127.0.0.1", bot.port, timeout=CLIENT_BOUND)
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    assert response.status == 200 and not response.will_close
    response.read()
    assert connection.sock is not None
    assert read_until_closed(connection.sock) == b""


def test_connections_beyond_the_cap_are_closed_at_once_and_health_answers_once_they_are_gone(
    start_guarded: Callable[..., RunningBot], caplog: pytest.LogCaptureFixture
) -> None:
    bot = start_guarded(max_connections=10, header_timeout=LONG, idle_timeout=LONG)
    held = [connect(bot) for _ in range(10)]

    assert read_until_closed(connect(bot)) == b""  # the eleventh: closed at once, without an answer
    with pytest.raises(OSError) as refused:
        health_status(bot)  # no room for it either, while the ten are held
    assert not isinstance(refused.value, TimeoutError) and "timed out" not in str(refused.value)
    for client in held:
        client.settimeout(0.05)
        with pytest.raises(TimeoutError):
            client.recv(1)  # still open: refusing others did not touch them
        client.close()

    assert wait_until(lambda: health_answers(bot.port))
    assert compare_answers(bot)

    wait_until(lambda: any("more new connections" in line for line in guard_warnings(caplog)))
    lines = guard_warnings(caplog)
    assert len(lines) == 2, lines
    assert "10 connections are open" in lines[0] and "refused 1 more new connections" in lines[1]
    assert_no_errors(caplog)


def health_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=CLIENT_BOUND) as response:
            return response.status == 200
    except OSError:
        return False


NOT_HTTP = {
    "tls-client-hello": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64),
    "not-a-method": b"BLAH\r\n\r\n",
    "bad-content-length": b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: abc\r\n\r\n",
    "header-too-long": b"GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n",
    "bad-chunk": b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
}


@pytest.mark.parametrize("request_bytes", NOT_HTTP.values(), ids=NOT_HTTP.keys())
def test_requests_that_are_not_http_get_400_without_a_traceback(
    start_guarded: Callable[..., RunningBot], caplog: pytest.LogCaptureFixture, request_bytes: bytes
) -> None:
    caplog.set_level(logging.DEBUG, logger="aiohttp")
    bot = start_guarded(header_timeout=LONG, idle_timeout=LONG)
    received = read_until_closed(connect(bot, request_bytes))
    assert received is not None and received.split(b"\r\n")[0].endswith(b" 400 Bad Request"), received
    lines = guard_warnings(caplog)
    assert len(lines) == 1 and "not well-formed HTTP" in lines[0]
    assert_no_errors(caplog)
    assert health_status(bot) == 200


# ---- the whole process, with the usual limit of 1024 file descriptors ---------------------------------

BOT_FILES = 1024
FLOOD = 1100
"""More silent connections than the bot has file descriptors: before the guard, this many made every
accept fail with "Too many open files" and held `/healthz` and Slack's requests off for as long as they
stayed open."""


def _room_for(files: int) -> bool:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= files:
        return True
    if hard != resource.RLIM_INFINITY and hard < files:
        return False
    resource.setrlimit(resource.RLIMIT_NOFILE, (files, hard))
    return True


def test_a_flood_of_silent_connections_never_exhausts_the_processes_file_descriptors(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    if not _room_for(FLOOD + 200):
        pytest.skip(f"the test itself needs {FLOOD + 200} file descriptors")
    env = bot_env(fake_slack, tmp_path)
    port = int(env["PORT"])
    limited = (  # `python -m bot`, in a process that may open BOT_FILES files
        "import os, resource, sys;"
        f"resource.setrlimit(resource.RLIMIT_NOFILE, ({BOT_FILES}, {BOT_FILES}));"
        "os.execv(sys.executable, [sys.executable, '-m', 'bot'])"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", limited],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    flood: list[socket.socket] = []
    try:
        output = Output(process)
        wait_healthy(port, process)
        wait_until(lambda: get_json(port, "/readyz")[0] == 200)  # started up: the database is open
        for _ in range(FLOOD):
            client = socket.create_connection(("127.0.0.1", port), timeout=CLIENT_BOUND)
            client.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nX-Slack-Req")
            flood.append(client)
        probe = socket.create_connection(("127.0.0.1", port), timeout=CLIENT_BOUND)
        assert read_until_closed(probe) is not None  # beyond the cap: closed at once, not held
        for client in flood:
            client.close()
        wait_until(lambda: health_answers(port))
        url = f"http://127.0.0.1:{port}/slack/events"
        body = form_body(slash_command(text="monitoring"))
        assert post_signed(url, body, SIGNING_SECRET, timeout=CLIENT_BOUND)[0] == 200
        process.send_signal(signal.SIGTERM)
        text = output.until_exit()
    finally:
        for client in flood:
            client.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Too many open files" not in text and "Traceback" not in text
    assert "refused a new connection: 512 connections are open, the limit" in text


def test_the_listen_backlog_takes_a_burst_of_hundreds_within_the_descriptor_limit() -> None:
    assert backlog_for(resource.RLIM_INFINITY) == 1024
    assert backlog_for(20_000) == 1024
    assert backlog_for(1024) == 1024 - 512 - 128  # the usual limit: room for max_connections first
    assert backlog_for(600) == 128
    assert HttpLimits().backlog == backlog_for(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
