"""The signature check agrees with Slack's own (slack_sdk's SignatureVerifier) on bodies of every size,
the hashing in pieces included."""

from __future__ import annotations

import string
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.transport.verify import SIGNATURE_HEADER, TIMESTAMP_HEADER, SlackSignature

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def slack_headers(body: bytes, timestamp: int) -> dict[str, str]:
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=str(timestamp), body=body)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature}


@pytest.mark.parametrize("size", [0, 1, 2046, 2047, 2048, 4094, 4095, 12_345])
def test_bodies_slack_signed_are_accepted_and_any_changed_byte_is_not(size: int) -> None:
    body = (string.printable * (size // len(string.printable) + 1)).encode()[:size]
    now = int(time.time())
    headers = slack_headers(body, now)
    check = SlackSignature(SECRET)
    assert check.is_signed(body, headers, now)
    for at in {0, size // 2, size - 1} if size else set():
        changed = body[:at] + bytes([body[at] ^ 1]) + body[at + 1 :]
        assert not check.is_signed(changed, headers, now)
    assert not check.is_signed(body + b" ", headers, now)
