"""What /compare caches per typed text stays small, whatever people type: answers are keyed on the text
as it decides the answer (case folded, whitespace collapsed, at most KEY_MAX characters), so the same
answer is shared by every text that normalises the same and a huge text costs no more than a short one.
"""

from __future__ import annotations

import json

from bot.compare import replies
from bot.compare.replies import CACHE_SIZE, KEY_MAX, compare_reply
from slackfake.requests import slash_command
from tests.fixtures.driver import Driver

EMOJI = "\U0001f469\u200d\U0001f4bb"  # 3 code points, 11 bytes in UTF-8
HUGE = 7_000  # ~21,000 code points per text, as in the report this guards against


def huge_text(n: int) -> str:
    return f"{n} {EMOJI * HUGE}"


def key_sizes() -> list[int]:
    return [len(text) for text, _in_channel in replies.REPLIES]


def test_many_distinct_huge_texts_leave_the_cache_keys_bounded() -> None:
    for n in range(CACHE_SIZE + 500):
        compare_reply(huge_text(n))
        compare_reply(huge_text(n), in_channel=True)
    sizes = key_sizes()
    assert max(sizes) <= KEY_MAX
    assert len(replies.REPLIES) <= CACHE_SIZE
    assert sum(sizes) <= 2 * CACHE_SIZE * KEY_MAX


def test_texts_that_normalise_the_same_get_the_same_answer() -> None:
    assert compare_reply("  MONITORING\n") is compare_reply("monitoring")
    assert compare_reply("Banana  split").ephemeral_json() is compare_reply("banana split").ephemeral_json()
    long_a, long_b = "banana " * 40 + "apple", "banana " * 40 + "cherry"  # differ after KEY_MAX
    assert compare_reply(long_a) is compare_reply(long_b)


def test_huge_texts_through_the_bot_keep_the_keys_bounded(driver: Driver) -> None:
    replies.REPLIES.clear()
    for n in range(20):
        reply = driver.command(slash_command(text=huge_text(n)))
        assert reply["response_type"] == "ephemeral" and len(json.dumps(reply)) < 10_000
    assert len(replies.REPLIES) == 20
    assert max(key_sizes()) <= KEY_MAX
