"""The learning path's DM: a question's topic shows only once it is answered (its name can point at the
choice that names it)."""

from __future__ import annotations

from datetime import UTC, datetime

import content
from bot.learn.blocks import render_day
from bot.learn.records import Pick, Progress, Status

PROGRESS = Progress("U1", Status.ACTIVE, None, 3, 3, 1, 45, 5, 4, None, datetime(2026, 12, 8, 10, tzinfo=UTC))


def test_the_topic_waits_for_the_answer() -> None:
    question = content.question("seed-practice-1")
    topic = content.topic(question.topic).name
    before = str(render_day(1, [question], {}, PROGRESS).blocks)
    after = str(render_day(1, [question], {question.id: Pick("B", True, False)}, PROGRESS).blocks)
    assert f"_{topic}_" not in before
    assert f"_{topic}_" in after
