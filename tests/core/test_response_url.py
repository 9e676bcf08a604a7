"""The bot follows a response_url only to Slack's hooks host or to SLACK_API_URL's origin.

A signed request whose response_url points anywhere else (here: a loopback port that records what
reaches it) gets nothing posted there; the person still sees the answer, privately, through
chat.postEphemeral at the (fake) Web API. Over HTTP and over Socket Mode.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.compare import ids
from bot.core.slack.respond import HOOKS_ORIGIN, Responder
from slackfake import FakeSlack
from slackfake.requests import block_action, slash_command
from tests.fixtures.driver import Driver

USER = "U456"
CHANNEL = "C777"


class Recorder:
    """An HTTP server on a loopback port that answers 200 to anything and remembers each request."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                recorder.paths.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def internal() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.close()


def ephemeral_to(fake: FakeSlack, user: str) -> dict[str, Any]:
    (call,) = fake.wait_for("chat.postEphemeral", where=lambda call: call.body.get("user") == user)
    return call.body


def test_forged_response_url_of_a_button_gets_nothing_the_person_sees_the_card_privately(
    driver: Driver, fake_slack: FakeSlack, internal: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    forged = f"{internal.url}/internal"
    driver.interact(
        block_action(
            ids.open_topic("testing"),
            "testing",
            user_id=USER,
            channel_id=CHANNEL,
            container="ephemeral",
            response_url=forged,
        )
    )
    reply = ephemeral_to(fake_slack, USER)
    assert reply["channel"] == CHANNEL
    assert reply["blocks"][0]["text"]["text"] == content.topic("testing").name
    assert internal.paths == []
    assert fake_slack.calls_to("response_url") == []
    assert forged not in caplog.text and internal.url not in caplog.text
    assert any("refused a response_url" in r.getMessage() for r in caplog.records)


def test_forged_response_url_of_a_share_posts_nothing_in_the_channel(
    driver: Driver, fake_slack: FakeSlack, internal: Recorder
) -> None:
    """Sharing asks for a public post; a request that came with a foreign URL gets a private one only."""
    driver.interact(
        block_action(
            ids.SHARE_COMPARISON,
            "monitoring",
            user_id=USER,
            channel_id=CHANNEL,
            container="ephemeral",
            response_url=f"{internal.url}/internal",
        )
    )
    assert ephemeral_to(fake_slack, USER)["blocks"][0]["text"]["text"] == "Monitoring"
    assert internal.paths == []
    assert fake_slack.messages(CHANNEL) == []


def test_forged_response_url_of_a_slash_command_answered_later_gets_nothing(
    driver: Driver, fake_slack: FakeSlack, internal: Recorder
) -> None:
    """`/quiz now` asks Slack about permissions first, so its answer goes out after the ack."""
    ack = driver.command(
        slash_command(
            "/quiz", "now", user_id=USER, channel_id=CHANNEL, response_url=f"{internal.url}/internal"
        )
    )
    assert not ack.get("blocks")  # answered later, not in the ack
    reply = ephemeral_to(fake_slack, USER)
    assert reply["channel"] == CHANNEL and reply.get("text")
    assert internal.paths == []


def test_response_url_at_the_fake_slack_origin_is_still_followed(
    driver: Driver, fake_slack: FakeSlack
) -> None:
    url = fake_slack.response_url("open")
    driver.interact(
        block_action(ids.open_topic("testing"), "testing", container="ephemeral", response_url=url)
    )
    fake_slack.wait_for("response_url")
    assert fake_slack.calls_to("chat.postEphemeral") == []


API_URL = "http://127.0.0.1:3999/api/"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://hooks.slack.com/commands/T0TEST/1234/abcd", True),
        ("https://hooks.slack.com/actions/T0TEST/1234/abcd", True),
        ("https://HOOKS.SLACK.COM/actions/T0TEST/1234/abcd", True),
        ("https://hooks.slack.com:443/actions/T0TEST/1234/abcd", True),
        ("http://127.0.0.1:3999/response/r1", True),  # SLACK_API_URL's origin: a local fake Slack
        ("http://hooks.slack.com/actions/T0TEST/1234/abcd", False),  # not TLS
        ("https://hooks.slack.com:8443/actions/x", False),
        ("https://hooks.slack.com.evil.example/actions/x", False),
        ("https://hooks.slack.com@evil.example/actions/x", False),
        ("https://evil.example\\@hooks.slack.com/actions/x", False),
        ("https://user:secret@hooks.slack.com/actions/x", False),
        ("https://slack.com/api/chat.postMessage", False),
        ("http://127.0.0.1:4000/internal", False),
        ("http://localhost:3999/response/r1", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("//hooks.slack.com/actions/x", False),
        ("https://hooks.slack.com/actions/x\r\nX-Injected: 1", False),
        ("file:///etc/passwd", False),
        ("", False),
        (None, False),
        (["https://hooks.slack.com/"], False),
    ],
)
def test_which_response_urls_are_followed(url: object, allowed: bool) -> None:
    responder = Responder(AsyncWebClient(token="xoxb-unused"), allowed=(HOOKS_ORIGIN, API_URL))
    assert responder.allows(url) is allowed
