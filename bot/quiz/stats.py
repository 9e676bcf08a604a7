"""Read-only aggregates of the quiz's answers: a post's results, a person's stats, a channel's leaderboard
(database threads only).

Stats only count answers given before the reveal (``counted``) to each day's question (scheduled, or the
day's first ``/quiz now``), so a spree of bonus questions cannot inflate anyone's numbers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from bot.quiz.models import AnswerRow, PostRow
from bot.quiz.records import BONUS_SLOT_PREFIX, LeaderRow, Results, UserStats

_DAILY = PostRow.slot.not_like(f"{BONUS_SLOT_PREFIX}%")
_BONUS = PostRow.slot.like(f"{BONUS_SLOT_PREFIX}%")
_CORRECT = func.sum(case((AnswerRow.correct, 1), else_=0))


def results(session: Session, post_id: int) -> Results:
    statement = (
        select(AnswerRow.choice, func.count(), _CORRECT)
        .where(AnswerRow.post_id == post_id, AnswerRow.counted)
        .group_by(AnswerRow.choice)
        .order_by(AnswerRow.choice)
    )
    rows = session.execute(statement).all()
    return Results(
        answered=sum(count for _, count, _ in rows),
        correct=sum(int(correct) for *_, correct in rows),
        by_choice={choice: count for choice, count, _ in rows},
    )


def first_right(session: Session, post_id: int, limit: int) -> list[str]:
    """The first *limit* who answered the post right before its reveal, earliest first."""
    statement = (
        select(AnswerRow.user_id)
        .where(AnswerRow.post_id == post_id, AnswerRow.counted, AnswerRow.correct)
        .order_by(AnswerRow.answered_at, AnswerRow.user_id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def user_stats(session: Session, user_id: str) -> UserStats:
    """Totals plus streaks over the daily questions of every channel the user has answered in, and how
    many bonus questions they answered (counted apart).

    A streak counts consecutive posts (by local date) answered right. A wrong answer, or no answer
    by the time the post was revealed, breaks it; a post still open does not break it yet.
    """
    mine = and_(AnswerRow.post_id == PostRow.id, AnswerRow.user_id == user_id, AnswerRow.counted)
    channels = select(PostRow.channel).join(AnswerRow, mine).where(_DAILY).distinct()
    statement = (
        select(AnswerRow.correct, PostRow.revealed_at)
        .select_from(PostRow)
        .outerjoin(AnswerRow, mine)
        .where(PostRow.channel.in_(channels), _DAILY, PostRow.ts.is_not(None))
        .order_by(PostRow.local_date, PostRow.due_at, PostRow.id)
    )
    answered = correct = run = best = 0
    for was_correct, revealed_at in session.execute(statement):
        if was_correct is None and revealed_at is None:
            continue
        answered += was_correct is not None
        if was_correct:
            correct += 1
            run += 1
            best = max(best, run)
        else:
            run = 0
    percent = (200 * correct + answered) // (2 * answered) if answered else 0  # rounded half up
    bonus = select(func.count()).select_from(AnswerRow).join(PostRow, AnswerRow.post_id == PostRow.id)
    return UserStats(
        answered=answered,
        correct=correct,
        percent=percent,
        current_streak=run,
        best_streak=best,
        bonus_answered=session.scalar(bonus.where(AnswerRow.user_id == user_id, _BONUS)) or 0,
    )


def answers_by_question(session: Session, user_id: str) -> list[tuple[str, bool]]:
    """(question id, right) for each counted answer the user gave to a daily question, oldest first."""
    statement = (
        select(PostRow.question_id, AnswerRow.correct)
        .join(AnswerRow, AnswerRow.post_id == PostRow.id)
        .where(AnswerRow.user_id == user_id, AnswerRow.counted, _DAILY)
        .order_by(AnswerRow.answered_at)
    )
    return [(question_id, bool(correct)) for question_id, correct in session.execute(statement)]


def leaderboard(
    session: Session, channel: str, since: dt.datetime, limit: int | None = None
) -> list[LeaderRow]:
    """Users ranked by correct answers given at or after ``since``; fewer attempts wins a tie."""
    n_correct = _CORRECT.label("n_correct")
    n_answered = func.count().label("n_answered")
    statement = (
        select(AnswerRow.user_id, n_correct, n_answered)
        .join(PostRow, AnswerRow.post_id == PostRow.id)
        .where(PostRow.channel == channel, _DAILY, AnswerRow.counted, AnswerRow.answered_at >= since)
        .group_by(AnswerRow.user_id)
        .order_by(n_correct.desc(), n_answered.asc(), AnswerRow.user_id)
        .limit(limit)
    )
    return [
        LeaderRow(user_id=user, correct=int(right), answered=int(total))
        for user, right, total in session.execute(statement)
    ]


def bonus_answers(session: Session, channel: str, since: dt.datetime) -> int:
    """Answers to the channel's bonus questions at or after ``since`` (the leaderboard leaves them out)."""
    statement = (
        select(func.count())
        .select_from(AnswerRow)
        .join(PostRow, AnswerRow.post_id == PostRow.id)
        .where(PostRow.channel == channel, _BONUS, AnswerRow.answered_at >= since)
    )
    return session.scalar(statement) or 0
