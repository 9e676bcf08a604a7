"""`bot.core.logs.Redact`: response_urls and tokens never leave a log record, whatever shape they are in.

End to end, `python -m bot` at DEBUG over both transports: tests/test_process.py.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest

from bot.core.logs import REDACTED, Redact, pseudonym, redact

HOOK = "https://hooks.slack.com/commands/T0TEST/6207381830277/dVdXZ2mhSu9C3vLwRLZ8pZqm"
LOCAL = "http://127.0.0.1:45257/response/secret-name"
TOKENS = [
    "xoxb-123-456-abcDEF",
    "xoxp-1-2-3-4-abc",
    "xoxe.xoxp-1-Mi0yLTE",
    "xoxe-1-My0xLTM",
    "xapp-1-A0-12-ab",
]
"""The secret parts: every sample below must lose these."""
SECRETS = ["dVdXZ2mhSu9C3vLwRLZ8pZqm", "secret-name", *[token.split("-", 1)[1] for token in TOKENS]]

SHAPES = {
    "json": json.dumps({"response_url": LOCAL, "text": "hi"}),
    "repr": repr({"response_url": LOCAL, "text": "hi"}),
    "repr-of-json": repr(json.dumps({"envelope_id": "e1", "payload": {"response_url": LOCAL}})),
    "json-in-json": json.dumps({"data": json.dumps({"response_url": LOCAL})}),
    "escaped-slashes": json.dumps({"response_url": HOOK}).replace("/", "\\/"),
    "form": urlencode({"command": "/compare", "response_url": LOCAL, "trigger_id": "1.2"}),
    "keyword": f"respond(response_url={LOCAL}, text=hi)",
    "list": json.dumps({"response_urls": [{"block_id": "b", "response_url": LOCAL}]}),
    "hooks-url-alone": f"posting to {HOOK} now",
    "hooks-url-encoded": urlencode({"next": HOOK}),
    "tokens": "headers: {'Authorization': 'Bearer " + "', '".join(TOKENS) + "'}",
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_response_urls_and_tokens_are_redacted_in_any_shape(text: str) -> None:
    cleaned = redact(text)
    assert REDACTED in cleaned
    for secret in SECRETS:
        assert secret not in cleaned, cleaned


def test_what_is_not_secret_is_left_alone() -> None:
    text = "GET /healthz 200; url: https://slack.com/api/chat.postMessage; event Ev123 in C123"
    assert redact(text) == text


def test_socket_mode_ticket_is_redacted() -> None:
    cleaned = redact("{'ok': True, 'url': 'wss://wss.slack.com/link/?ticket=abc-123&app_id=A0TEST'}")
    assert "abc-123" not in cleaned and "app_id=A0TEST" in cleaned


def record(name: str, message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord(name, logging.DEBUG, __file__, 1, message, args, exc_info)


def test_the_filter_redacts_the_formatted_message_and_the_traceback() -> None:
    try:
        raise RuntimeError(f"could not post to {HOOK}")
    except RuntimeError as error:
        logged = record("slack_bolt.App", "body: %s, token %s", {"response_url": LOCAL}, TOKENS[0], exc=error)
    assert Redact().filter(logged) is True
    text = logging.Formatter().format(logged)
    assert "RuntimeError" in text and REDACTED in text
    for secret in SECRETS[:3]:
        assert secret not in text


def test_every_url_in_what_the_webhook_client_logs_is_redacted() -> None:
    """slack_sdk's webhook client logs the URL it posts to, with no key name: it only posts to
    response_urls (and incoming webhooks), so every URL it logs is one."""
    logged = record("slack_sdk.webhook.async_client", "Sending a request - url: %s, body: {}", LOCAL)
    Redact().filter(logged)
    assert logged.getMessage() == f"Sending a request - url: {REDACTED}, body: {{}}"
    other = record("slack_sdk.web.async_base_client", "Sending a request - url: %s", LOCAL)
    Redact().filter(other)
    assert LOCAL in other.getMessage()  # the Web API's own URL is no secret


def test_a_pseudonym_is_stable_within_the_process_and_hides_the_id() -> None:
    alice, again, bob = pseudonym("U0ALICE"), pseudonym("U0ALICE"), pseudonym("U0BOB")
    assert alice == again != bob
    assert alice.startswith("person-") and "ALICE" not in alice and "U0" not in alice
