"""The HTTP endpoint's guard rails: signatures, stale and malformed requests, and the health check."""

from __future__ import annotations

import json
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from slackfake import SIGNING_SECRET, FakeSlack
from slackfake.requests import app_mention_event, event_body, form_body, slash_command
from tests.harness import RunningBot

FORM = "application/x-www-form-urlencoded"


def unsigned_post(bot: RunningBot, body: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(bot.events_url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_health_check(http_bot: RunningBot) -> None:
    with urllib.request.urlopen(f"{http_bot.url}/healthz", timeout=5) as response:
        assert response.status == 200
        body = json.loads(response.read())
    assert body["ok"] is True and body["mode"] == "http"


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
