from __future__ import annotations

from datetime import timedelta

from bot.store import LeaderRow, Post, QuizStore, UserStats, manual_slot
from tests.store.helpers import DAY0, T0, posted


def _days(store: QuizStore, channel: str, count: int, *, reveal: bool = True) -> list[Post]:
    return [posted(store, channel, DAY0 + timedelta(days=n), f"q{n}", reveal=reveal) for n in range(count)]


def _answer(store: QuizStore, post: Post, user: str, correct: bool, *, counted: bool = True) -> None:
    store.record_answer(
        post.id, user, "B" if correct else "A", correct, post.due_at + timedelta(minutes=5), counted
    )


def test_user_without_answers_has_zero_stats(store: QuizStore) -> None:
    _days(store, "C1", 3)
    assert store.user_stats("U1") == UserStats(0, 0, 0, 0, 0)


def test_streaks_break_on_wrong_or_missing_answers(store: QuizStore) -> None:
    posts = _days(store, "C1", 9)
    for n in (0, 1, 2, 4, 6, 7):
        _answer(store, posts[n], "U1", True)
    _answer(store, posts[3], "U1", False)
    # posts[5]: revealed without an answer from U1 -> breaks the streak
    # posts[8]: revealed, answered after the reveal (not counted) -> breaks it as well
    _answer(store, posts[8], "U1", True, counted=False)
    assert store.user_stats("U1") == UserStats(
        answered=7, correct=6, percent=86, current_streak=0, best_streak=3
    )


def test_todays_open_post_does_not_break_the_current_streak_until_revealed(store: QuizStore) -> None:
    posts = _days(store, "C1", 2)
    for post in posts:
        _answer(store, post, "U1", True)
    today = posted(store, "C1", DAY0 + timedelta(days=2), "q-today")
    assert store.user_stats("U1").current_streak == 2
    _answer(store, today, "U1", True)
    assert store.user_stats("U1") == UserStats(
        answered=3, correct=3, percent=100, current_streak=3, best_streak=3
    )
    tomorrow = posted(store, "C1", DAY0 + timedelta(days=3), "q-tomorrow")
    assert store.user_stats("U1").current_streak == 3
    store.record_revealed(tomorrow.id, "1.1", tomorrow.reveal_due)
    assert store.user_stats("U1").current_streak == 0


def test_manual_posts_and_unanswered_channels_do_not_count(store: QuizStore) -> None:
    posts = _days(store, "C1", 3)
    _days(store, "C3", 3)  # a channel U1 never answers in
    for post in posts:
        _answer(store, post, "U1", True)
    quick = posted(store, "C1", DAY0 + timedelta(days=1), "q-manual", slot=manual_slot(), reveal=True)
    _answer(store, quick, "U1", False)
    assert store.user_stats("U1") == UserStats(
        answered=3, correct=3, percent=100, current_streak=3, best_streak=3
    )


def test_every_channel_the_user_answers_in_is_part_of_the_streak(store: QuizStore) -> None:
    mine, other = _days(store, "C1", 3), _days(store, "C2", 3)
    for post in mine:
        _answer(store, post, "U1", True)
    _answer(store, other[0], "U1", True)  # then U1 ignores C2 on the following days
    # Day 0: C1 right, C2 right; day 1: C1 right, C2 missed; day 2: C1 right, C2 missed.
    assert store.user_stats("U1") == UserStats(
        answered=4, correct=4, percent=100, current_streak=0, best_streak=3
    )


def test_percent_rounds_half_up(store: QuizStore) -> None:
    posts = _days(store, "C1", 8)
    _answer(store, posts[0], "U1", True)
    for post in posts[1:]:
        _answer(store, post, "U1", False)
    assert store.user_stats("U1").percent == 13  # 12.5


def test_leaderboard_ranks_correct_then_fewer_attempts_within_the_window(store: QuizStore) -> None:
    posts = _days(store, "C1", 6)
    since = posts[2].due_at
    for post in posts[:2]:  # before the window
        _answer(store, post, "U9", True)
    for post in posts[2:]:
        _answer(store, post, "U1", True)
        _answer(store, post, "U4", True)
    for post, correct in zip(posts[2:], (True, True, True, False), strict=True):
        _answer(store, post, "U2", correct)
    _answer(store, posts[5], "U3", True)
    _answer(store, posts[4], "U5", True, counted=False)
    quick = posted(store, "C1", DAY0 + timedelta(days=4), "q-manual", slot=manual_slot())
    _answer(store, quick, "U3", True)
    elsewhere = posted(store, "C2", DAY0 + timedelta(days=4), "q4")
    _answer(store, elsewhere, "U3", True)

    assert store.leaderboard("C1", since) == [
        LeaderRow("U1", 4, 4),
        LeaderRow("U4", 4, 4),
        LeaderRow("U2", 3, 4),
        LeaderRow("U3", 1, 1),
    ]
    assert store.leaderboard("C1", since, limit=2) == [LeaderRow("U1", 4, 4), LeaderRow("U4", 4, 4)]
    assert store.leaderboard("C1", T0 - timedelta(days=1))[0] == LeaderRow("U1", 4, 4)
    assert LeaderRow("U9", 2, 2) in store.leaderboard("C1", T0 - timedelta(days=1))
    assert store.leaderboard("C1", posts[5].due_at + timedelta(days=1)) == []
    assert store.leaderboard("C9", since) == []
