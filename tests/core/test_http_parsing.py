"""The HTTP transport reads a body as Bolt would: an interaction's JSON, decoded on its own fast path, is
the same object Bolt's own form parsing gives, and whatever the fast path does not take is Bolt's to read."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.transport.http import bolt_request_of, interaction_json
from bot.transport.verify import is_well_formed
from slackfake.requests import block_action, interactive_body

HEADERS = {"content-type": "application/x-www-form-urlencoded"}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def bolt_reads(raw: bytes) -> dict[str, Any] | None:
    """What Bolt makes of the form body by itself, or None when that fails or is not Slack's shape."""
    try:
        body = AsyncBoltRequest(body=raw.decode("utf-8"), headers=HEADERS).body
    except (ValueError, AttributeError):
        return None
    return body if is_well_formed(body) else None


def transport_reads(raw: bytes) -> dict[str, Any] | None:
    request = bolt_request_of(raw, "", HEADERS)
    return None if request is None else request.body


def test_a_click_with_the_whole_message_takes_the_fast_path() -> None:
    message = {"ts": "1.2", "text": 'Q: 50% & "more" \\ é 💡', "blocks": [{"type": "section"}]}
    raw = interactive_body(block_action("quiz_answer:A", "7:A", message=message)).encode()
    decoded = interaction_json(raw)
    assert decoded is not None
    assert json.loads(decoded) == transport_reads(raw) == bolt_reads(raw)
    assert transport_reads(raw)["message"]["text"] == message["text"]  # type: ignore[index]


@given(st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=6))
def test_any_interaction_object_reads_as_bolt_reads_it(payload: dict[str, Any]) -> None:
    payload["type"] = "block_actions"
    payload["actions"] = [{"action_id": "a"}]
    for ensure_ascii in (True, False):
        raw = urlencode({"payload": json.dumps(payload, ensure_ascii=ensure_ascii)}).encode()
        assert interaction_json(raw) is not None
        assert transport_reads(raw) == bolt_reads(raw) == payload


ODD = 'payload=%+&{}[]"\\:0123456789abcdefABCDEFxzé '


@given(st.text(alphabet=ODD, max_size=40))
def test_odd_form_bodies_read_as_bolt_reads_them(tail: str) -> None:
    raw = ("payload=" + tail).encode()
    assert transport_reads(raw) == bolt_reads(raw)


@given(st.text(alphabet=ODD, min_size=1, max_size=6), st.integers(0, 120))
def test_a_click_with_odd_characters_spliced_in_reads_as_bolt_reads_it(splice: str, at: int) -> None:
    """Broken escapes, a second field, a backslash or a byte not form-encoded, anywhere in the body."""
    body = interactive_body({"type": "block_actions", "actions": [{"action_id": "quiz_answer:A"}]})
    raw = (body[:at] + splice + body[at:]).encode()
    assert transport_reads(raw) == bolt_reads(raw)
