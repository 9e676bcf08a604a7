"""Reveals (exactly once, also after crashes and downtime), answers and the live answer count."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import content
from bot.quiz import ids
from bot.quiz.answers import NOT_HERE, Answers
from bot.quiz.blocks.post import NOT_COUNTED_NOTE, quiz_reveal_metadata
from bot.quiz.engine import QuizEngine
from bot.quiz.records import Post, scheduled_slot
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.databases import Queries
from tests.fixtures.quiz import (
    CHANNEL,
    LEASE,
    MONDAY,
    QUIZ,
    MakeService,
    at,
    has_buttons,
    quiz_posts,
    reveals,
)

TODAY = scheduled_slot(MONDAY.date())


async def _posted(service: QuizEngine, store: Queries, clock: FakeClock) -> Post:
    at(clock, 9, 30)
    await service.tick()
    post = await store.post_for_slot(CHANNEL, TODAY)
    assert post is not None and post.ts is not None
    return post


def _right_letter(post: Post) -> str:
    return content.question(post.question_id).answer


def _wrong_letter(post: Post) -> str:
    return next(
        c.letter for c in content.question(post.question_id).choices if c.letter != _right_letter(post)
    )


async def test_reveal_after_reveal_after_replies_in_thread_and_removes_buttons(
    service: QuizEngine, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(service, store, clock)
    clock.advance(QUIZ.reveal_after - timedelta(seconds=1))
    await service.tick()
    assert reveals(fake) == []

    clock.advance(timedelta(seconds=1))
    await service.tick()
    await service.tick()

    [reply] = reveals(fake)
    assert reply["thread_ts"] == post.ts
    assert reply["metadata"]["event_payload"]["post_id"] == post.id
    [message] = quiz_posts(fake)
    assert not has_buttons(message) and "edited" in message
    revealed = await store.get_post(post.id)
    assert revealed is not None and revealed.revealed_at is not None and revealed.reveal_ts == reply["ts"]


async def test_overdue_reveal_happens_at_start(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(await make_service(instance_id="before-restart"), store, clock)
    clock.advance(QUIZ.reveal_after * 3)  # the bot was down when the reveal was due

    await (await make_service(instance_id="after-restart", own_engine=True)).tick()

    assert len(reveals(fake)) == 1
    assert len(quiz_posts(fake)) == 1
    assert (await store.get_post(post.id)).revealed_at is not None


async def test_two_processes_reveal_once(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    first = await make_service(instance_id="proc-a")
    second = await make_service(instance_id="proc-b", own_engine=True)
    await _posted(first, store, clock)
    clock.advance(QUIZ.reveal_after)

    await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())

    assert len(reveals(fake)) == 1
    assert len(fake.calls_to("chat.update")) == 1


async def _crash_during_reveal(service: QuizEngine, store: Queries, clock: FakeClock) -> Post:
    """A post whose reveal was claimed by a process that died; its lease ran out since."""
    post = await _posted(service, store, clock)
    clock.advance(QUIZ.reveal_after)
    assert await store.claim_reveal(post.id, "dead-process", clock.now(), LEASE)
    clock.advance(LEASE * 2)
    return post


async def test_reveal_sent_before_a_crash_is_not_sent_again(
    service: QuizEngine, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _crash_during_reveal(service, store, clock)
    sent = fake.add_message(
        CHANNEL, "the answer", bot=True, thread_ts=post.ts, metadata=quiz_reveal_metadata(post.id)
    )

    await service.tick()

    assert len(reveals(fake)) == 1
    assert not has_buttons(quiz_posts(fake)[0])
    assert (await store.get_post(post.id)).reveal_ts == sent["ts"]


async def test_reveal_lost_in_a_crash_is_sent_once(
    service: QuizEngine, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _crash_during_reveal(service, store, clock)
    await service.tick()
    await service.tick()
    assert len(reveals(fake)) == 1
    assert fake.calls_to("conversations.replies"), "looked for an earlier reveal first"
    assert (await store.get_post(post.id)).revealed_at is not None


async def test_reveal_survives_a_server_error_that_hid_the_reply(
    service: QuizEngine, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    await _posted(service, store, clock)
    clock.advance(QUIZ.reveal_after)
    fake.fail_next("chat.postMessage", status=500, commit=True)

    await service.tick()

    assert len(reveals(fake)) == 1
    assert not has_buttons(quiz_posts(fake)[0])


async def test_reveal_now_reveals_the_latest_post_once(
    service: QuizEngine, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    assert not await service.reveal_now(CHANNEL)  # nothing posted yet
    await _posted(service, store, clock)

    assert await service.reveal_now(CHANNEL)
    assert not await service.reveal_now(CHANNEL)
    clock.advance(QUIZ.reveal_after)
    await service.tick()

    assert len(reveals(fake)) == 1


async def test_first_answer_wins_and_late_answers_are_not_counted(
    service: QuizEngine, answers: Answers, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(service, store, clock)
    right, wrong = _right_letter(post), _wrong_letter(post)

    first = await answers.feedback(await answers.record(f"{post.id}:{right}", "U1", CHANNEL))
    again = await answers.feedback(await answers.record(f"{post.id}:{wrong}", "U1", CHANNEL))
    assert first.text.startswith("Right")
    assert "your first answer counts" in again.text
    assert f"*{right}." in again.text  # the stored first answer, not the one pressed now
    assert await store.answer_count(post.id) == 1

    assert await service.reveal_now(CHANNEL)
    late = await answers.feedback(await answers.record(f"{post.id}:{wrong}", "U2", CHANNEL))
    assert NOT_COUNTED_NOTE in str(late.blocks)
    assert await store.answer_count(post.id) == 1


async def test_unknown_post_or_letter_is_not_here_not_an_error(
    service: QuizEngine, answers: Answers, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(service, store, clock)
    for value, channel in [
        (f"{post.id + 1000}:A", CHANNEL),
        (f"{post.id}:A", "COTHER"),  # another channel's post
        (f"{post.id}:Z", CHANNEL),
        (f"{post.id}:", CHANNEL),
        ("not-a-post:A", CHANNEL),
        (f"{2**64}:A", CHANNEL),
    ]:
        result = await answers.record(value, "U1", channel)
        assert result.recorded is None and (await answers.feedback(result)).text == NOT_HERE
    assert await store.answer_count(post.id) == 0


async def test_a_burst_of_answers_becomes_a_few_count_updates(
    service: QuizEngine, answers: Answers, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(service, store, clock)
    letter = _wrong_letter(post)
    answers.counts.loop.start()
    try:
        results = await asyncio.gather(
            *(answers.record(f"{post.id}:{letter}", f"U{n:03d}", CHANNEL) for n in range(30))
        )
        await asyncio.gather(*(answers.feedback(result) for result in results))  # after the acks
        await asyncio.sleep(0.5)  # the count interval is 0.2 s in these tests
    finally:
        await answers.counts.loop.stop()

    updates = fake.calls_to("chat.update")
    assert 1 <= len(updates) <= 10  # coalesced: far fewer updates than answers
    [message] = quiz_posts(fake)
    count = next(b for b in message["blocks"] if b.get("block_id") == ids.QUIZ_COUNT_BLOCK)
    assert "30 people" in str(count)
    assert has_buttons(message)
    shown = str(message["blocks"]) + message["text"]
    assert "U000" not in shown and "U029" not in shown  # never who answered, let alone what


async def test_counts_never_bring_buttons_back_after_the_reveal(
    service: QuizEngine, answers: Answers, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(service, store, clock)
    await answers.feedback(await answers.record(f"{post.id}:{_wrong_letter(post)}", "U1", CHANNEL))
    assert await service.reveal_now(CHANNEL)
    updates_at_reveal = len(fake.calls_to("chat.update"))

    await answers.counts.flush()

    assert len(fake.calls_to("chat.update")) == updates_at_reveal
    assert not has_buttons(quiz_posts(fake)[0])


async def test_count_update_racing_a_reveal_restores_the_revealed_post(
    service: QuizEngine, answers: Answers, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(service, store, clock)
    await answers.feedback(await answers.record(f"{post.id}:{_wrong_letter(post)}", "U1", CHANNEL))
    fake.fail_next("chat.update", delay=0.3)  # the count update is slow to land...

    flushing = asyncio.create_task(answers.counts.flush())
    await asyncio.sleep(0.05)
    assert await service.reveal_now(CHANNEL)  # ...and the reveal overtakes it
    await flushing

    assert not has_buttons(quiz_posts(fake)[0])


async def test_count_update_errors_are_logged_not_raised(
    service: QuizEngine, answers: Answers, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post = await _posted(service, store, clock)
    await answers.feedback(await answers.record(f"{post.id}:{_wrong_letter(post)}", "U1", CHANNEL))
    fake.fail_next("chat.update", error="message_not_found")
    assert await answers.counts.flush() == 1
