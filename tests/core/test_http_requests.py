"""The HTTP endpoint's guard rails: signatures, stale and malformed requests, and the health checks."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
import urllib.request
from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from slackfake import SIGNING_SECRET, FakeSlack
from slackfake.requests import app_mention_event, event_body, form_body, slash_command
from tests.fixtures.harness import RunningBot

FORM = "application/x-www-form-urlencoded"


def unsigned_post(bot: RunningBot, body: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(bot.events_url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def get(bot: RunningBot, path: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(f"{bot.url}{path}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def raw_post(bot: RunningBot, headers: dict[str, bytes], body: bytes) -> int:
    """POST with header values and body exactly as given (urllib would refuse or re-encode odd ones)."""
    head = b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n"
    head += b"".join(name.encode() + b": " + value + b"\r\n" for name, value in headers.items())
    head += b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", bot.port), timeout=5) as client:
        client.sendall(head + body)
        reply = b""
        while chunk := client.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


def bytes_signature(body: bytes, timestamp: bytes) -> bytes:
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + timestamp + b":" + body, hashlib.sha256).hexdigest()
    return b"v0=" + digest.encode()


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_health_check(http_bot: RunningBot) -> None:
    status, body = get(http_bot, "/healthz")
    assert status == 200
    assert isinstance(body, dict)
    assert body["ok"] is True and body["mode"] == "http" and body["database"] == "open"


def test_ready_check(http_bot: RunningBot) -> None:
    assert get(http_bot, "/readyz") == (200, {"ready": True, "database": "ok"})


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/slack/events", 405), ("POST", "/healthz", 405), ("GET", "/", 404), ("GET", "/admin", 404)],
)
def test_other_paths_and_methods_are_4xx(http_bot: RunningBot, method: str, path: str, status: int) -> None:
    request = urllib.request.Request(
        f"{http_bot.url}{path}", method=method, data=b"" if method == "POST" else None
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == status


def now() -> bytes:
    return str(int(time.time())).encode()


def full_width(digits: bytes) -> bytes:
    return "".join(chr(0xFF10 + int(digit)) for digit in digits.decode()).encode()


ODD_SIGNATURE_HEADERS: dict[str, Callable[[bytes], dict[str, bytes]]] = {
    "timestamp-letters": lambda _: {"X-Slack-Request-Timestamp": b"abc"},
    "timestamp-with-fraction": lambda _: {"X-Slack-Request-Timestamp": b"1795925801.6"},
    "timestamp-5000-digits": lambda _: {"X-Slack-Request-Timestamp": b"9" * 5000},
    "timestamp-negative": lambda ts: {"X-Slack-Request-Timestamp": b"-" + ts},
    "timestamp-full-width-digits": lambda ts: {"X-Slack-Request-Timestamp": full_width(ts)},
    "timestamp-empty": lambda _: {"X-Slack-Request-Timestamp": b""},
    "signature-not-ascii": lambda _: {"X-Slack-Signature": "v0=é".encode() + b"0" * 62},
    "signature-latin-1-bytes": lambda _: {"X-Slack-Signature": b"v0=\xe9" + b"0" * 63},
    "signature-too-long": lambda _: {"X-Slack-Signature": b"v0=" + b"0" * 5000},
    "signature-empty": lambda _: {"X-Slack-Signature": b""},
}


@pytest.mark.parametrize("odd", ODD_SIGNATURE_HEADERS.values(), ids=ODD_SIGNATURE_HEADERS.keys())
def test_odd_signature_headers_get_401_without_a_traceback(
    http_bot: RunningBot, caplog: pytest.LogCaptureFixture, odd: Callable[[bytes], dict[str, bytes]]
) -> None:
    body = form_body(slash_command(text="monitoring")).encode()
    timestamp = now()
    headers = {
        "Content-Type": b"application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": bytes_signature(body, timestamp),
    }
    assert raw_post(http_bot, headers, body) == 200  # as Slack sends it
    assert raw_post(http_bot, {**headers, **odd(timestamp)}, body) == 401
    assert errors_logged(caplog) == []


def test_body_that_is_not_utf8_gets_401_unless_signed_and_400_if_it_is(
    http_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    body = b"payload=\xff\xfe{}"
    timestamp = now()
    headers = {"Content-Type": b"application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp}
    forged = {**headers, "X-Slack-Signature": b"v0=" + b"0" * 64}
    assert raw_post(http_bot, forged, body) == 401
    signed = {**headers, "X-Slack-Signature": bytes_signature(body, timestamp)}
    assert raw_post(http_bot, signed, body) == 400  # signed with our secret, but nothing Slack sends
    assert errors_logged(caplog) == []


@pytest.mark.parametrize(
    ("how", "depth"),
    [("event", 100_000), ("event", 2_000), ("interactive", 40_000), ("interactive", 2_000)],
)
def test_signed_json_nested_too_deep_is_a_400(
    http_bot: RunningBot, caplog: pytest.LogCaptureFixture, how: str, depth: int
) -> None:
    """Deeper than Python's recursion limit: the JSON parser gives up (a RecursionError), the sender gets a
    400. (Interactive payloads are URL-encoded, three bytes a bracket, so they stay under the size limit.)"""
    nested = "[" * depth + "]" * depth
    if how == "event":
        body = '{"type": "event_callback", "event": {"type": "app_mention", "x": ' + nested + "}}"
        status, _ = http_bot.post(body, content_type="application/json")
    else:
        status, _ = http_bot.post(
            urlencode({"payload": '{"type": "block_actions", "x": ' + nested + "}"}),
            content_type="application/x-www-form-urlencoded",
        )
    assert status == 400
    assert errors_logged(caplog) == []


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "stale by six minutes", "from the future", "no signature", "tampered body"],
)
def test_forged_or_stale_requests_get_401_and_reach_no_listener(
    http_bot: RunningBot, fake_slack: FakeSlack, how: str
) -> None:
    mention = event_body(app_mention_event("monitoring"))
    if how == "wrong secret":
        status, _ = http_bot.post(mention, content_type="application/json", secret="not-the-secret")
    elif how == "stale by six minutes":
        status, _ = http_bot.post(mention, content_type="application/json", timestamp=int(time.time()) - 360)
    elif how == "from the future":
        status, _ = http_bot.post(mention, content_type="application/json", timestamp=int(time.time()) + 360)
    elif how == "no signature":
        status = unsigned_post(http_bot, mention, {"Content-Type": "application/json"})
    else:
        status, _ = http_bot.post(
            mention, content_type="application/json", headers={"X-Slack-Signature": "v0=" + "0" * 64}
        )
    assert status == 401
    time.sleep(0.2)  # give a wrongly dispatched listener the chance to reach the fake
    assert fake_slack.calls_to("chat.postMessage") == []


def test_forged_slash_command_gets_no_answer(http_bot: RunningBot) -> None:
    status, body = http_bot.command(slash_command(text="monitoring"), secret="wrong")
    assert status == 401
    assert "Monitoring" not in json.dumps(body)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ("payload=%7Bbroken", FORM),
        (urlencode({"payload": "[]"}), FORM),
        ("", FORM),
        ("\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), FORM),
        (json.dumps({"type": "event_callback"}), "application/json"),
        (json.dumps({"type": "event_callback", "event": "not an object", "event_id": 5}), "application/json"),
        (json.dumps({"type": "block_actions", "actions": "nope"}), "application/json"),
        (urlencode({"payload": json.dumps({"type": "block_actions", "actions": [{}]})}), FORM),
        (form_body({"command": "/compare"}), FORM),
        (form_body({"command": "/unknown", "text": "x"}), FORM),
    ],
)
def test_malformed_bodies_get_a_4xx_not_a_5xx(
    http_bot: RunningBot, fake_slack: FakeSlack, body: str, content_type: str
) -> None:
    status, _ = http_bot.post(body, content_type=content_type)
    assert 200 <= status < 500, status
    assert status != 500


def test_oversized_body_is_refused(http_bot: RunningBot) -> None:
    status, _ = http_bot.post("x=" + "a" * 400_000, content_type=FORM)
    assert status == 413


def test_url_verification_challenge(http_bot: RunningBot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "t"})
    status, reply = http_bot.post(body, content_type="application/json")
    assert status == 200
    assert "abc123" in json.dumps(reply)


def test_signing_secret_is_required_for_the_signature(http_bot: RunningBot) -> None:
    status, _ = http_bot.command(slash_command(text="monitoring"), secret=SIGNING_SECRET)
    assert status == 200
