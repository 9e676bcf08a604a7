from __future__ import annotations

from datetime import timedelta

from bot.quiz.records import LeaderRow, Post, UserStats, bonus_slot
from tests.fixtures.databases import Queries
from tests.fixtures.quiz_store import DAY0, T0, answer, posted


async def _days(store: Queries, channel: str, count: int) -> list[Post]:
    """A quiz a day in `channel`, posted and still open."""
    return [await posted(store, channel, DAY0 + timedelta(days=n), f"q{n}") for n in range(count)]


async def _answer(store: Queries, post: Post, user: str, correct: bool, *, counted: bool = True) -> None:
    """An answer (B is right); one that does not count is pressed after the post was revealed."""
    if not counted:
        await _reveal(store, post)
    await answer(store, post, user, "B" if correct else "A")


async def _reveal(store: Queries, *posts: Post) -> None:
    for post in posts:
        await store.record_revealed(post.id, f"{post.id}.000200", post.reveal_due)


async def test_user_without_answers_has_zero_stats(store: Queries) -> None:
    await _days(store, "C1", 3)
    assert await store.user_stats("U1") == UserStats(0, 0, 0, 0, 0)


async def test_streaks_break_on_wrong_or_missing_answers(store: Queries) -> None:
    posts = await _days(store, "C1", 9)
    for n in (0, 1, 2, 4, 6, 7):
        await _answer(store, posts[n], "U1", True)
    await _answer(store, posts[3], "U1", False)
    # posts[5]: revealed without an answer from U1 -> breaks the streak
    # posts[8]: revealed, answered after the reveal (not counted) -> breaks it as well
    await _answer(store, posts[8], "U1", True, counted=False)
    await _reveal(store, *posts)
    assert await store.user_stats("U1") == UserStats(
        answered=7, correct=6, percent=86, current_streak=0, best_streak=3
    )


async def test_todays_open_post_does_not_break_the_current_streak_until_revealed(store: Queries) -> None:
    posts = await _days(store, "C1", 2)
    for post in posts:
        await _answer(store, post, "U1", True)
    await _reveal(store, *posts)
    today = await posted(store, "C1", DAY0 + timedelta(days=2), "q-today")
    assert (await store.user_stats("U1")).current_streak == 2
    await _answer(store, today, "U1", True)
    assert await store.user_stats("U1") == UserStats(
        answered=3, correct=3, percent=100, current_streak=3, best_streak=3
    )
    tomorrow = await posted(store, "C1", DAY0 + timedelta(days=3), "q-tomorrow")
    assert (await store.user_stats("U1")).current_streak == 3
    await store.record_revealed(tomorrow.id, "1.1", tomorrow.reveal_due)
    assert (await store.user_stats("U1")).current_streak == 0


async def test_bonus_questions_and_unanswered_channels_do_not_count(store: Queries) -> None:
    posts = await _days(store, "C1", 3)
    others = await _days(store, "C3", 3)  # a channel U1 never answers in
    for post in posts:
        await _answer(store, post, "U1", True)
    quick = await posted(store, "C1", DAY0 + timedelta(days=1), "q-manual", slot=bonus_slot())
    await _answer(store, quick, "U1", False)
    await _reveal(store, *posts, quick, *others)
    assert await store.user_stats("U1") == UserStats(
        answered=3, correct=3, percent=100, current_streak=3, best_streak=3, bonus_answered=1
    )


async def test_every_channel_the_user_answers_in_is_part_of_the_streak(store: Queries) -> None:
    mine, other = await _days(store, "C1", 3), await _days(store, "C2", 3)
    for post in mine:
        await _answer(store, post, "U1", True)
    await _answer(store, other[0], "U1", True)  # then U1 ignores C2 on the following days
    await _reveal(store, *mine, *other)
    # Day 0: C1 right, C2 right; day 1: C1 right, C2 missed; day 2: C1 right, C2 missed.
    assert await store.user_stats("U1") == UserStats(
        answered=4, correct=4, percent=100, current_streak=0, best_streak=3
    )


async def test_percent_rounds_half_up(store: Queries) -> None:
    posts = await _days(store, "C1", 8)
    await _answer(store, posts[0], "U1", True)
    for post in posts[1:]:
        await _answer(store, post, "U1", False)
    assert (await store.user_stats("U1")).percent == 13  # 12.5


async def test_leaderboard_ranks_correct_then_fewer_attempts_within_the_window(store: Queries) -> None:
    posts = await _days(store, "C1", 6)
    since = posts[2].due_at
    for post in posts[:2]:  # before the window
        await _answer(store, post, "U9", True)
    for post in posts[2:]:
        await _answer(store, post, "U1", True)
        await _answer(store, post, "U4", True)
    for post, correct in zip(posts[2:], (True, True, True, False), strict=True):
        await _answer(store, post, "U2", correct)
    await _answer(store, posts[5], "U3", True)
    await _answer(store, posts[4], "U5", True, counted=False)
    quick = await posted(store, "C1", DAY0 + timedelta(days=4), "q-manual", slot=bonus_slot())
    await _answer(store, quick, "U3", True)
    elsewhere = await posted(store, "C2", DAY0 + timedelta(days=4), "q4")
    await _answer(store, elsewhere, "U3", True)

    assert await store.leaderboard("C1", since) == [
        LeaderRow("U1", 4, 4),
        LeaderRow("U4", 4, 4),
        LeaderRow("U2", 3, 4),
        LeaderRow("U3", 1, 1),
    ]
    assert await store.leaderboard("C1", since, limit=2) == [LeaderRow("U1", 4, 4), LeaderRow("U4", 4, 4)]
    assert (await store.leaderboard("C1", T0 - timedelta(days=1)))[0] == LeaderRow("U1", 4, 4)
    assert LeaderRow("U9", 2, 2) in await store.leaderboard("C1", T0 - timedelta(days=1))
    assert await store.leaderboard("C1", posts[5].due_at + timedelta(days=1)) == []
    assert await store.leaderboard("C9", since) == []


async def test_bonus_answers_are_counted_apart_for_the_leaderboards_empty_state(store: Queries) -> None:
    day = await posted(store, "C1", DAY0, "q0")
    bonus = await posted(store, "C1", DAY0, "q1", slot=bonus_slot())
    await _answer(store, day, "U1", True, counted=False)  # after the reveal: on no leaderboard
    await _answer(store, bonus, "U2", True)
    await _answer(store, bonus, "U3", False)
    assert await store.leaderboard("C1", T0 - timedelta(days=1)) == []
    assert await store.bonus_answers("C1", T0 - timedelta(days=1)) == 2
    assert await store.bonus_answers("C2", T0 - timedelta(days=1)) == 0


async def test_first_right_lists_who_got_it_before_the_reveal_earliest_first(store: Queries) -> None:
    post = await posted(store, "C1", DAY0, "q0")
    for minute, (user, letter) in enumerate((("U3", "B"), ("U1", "A"), ("U2", "B"), ("U4", "B"))):
        await answer(store, post, user, letter, post.due_at + timedelta(minutes=minute))
    assert await store.first_right(post.id, 2) == ["U3", "U2"]
    assert await store.first_right(post.id, 9) == ["U3", "U2", "U4"]
