"""The daily channel quiz: schedules, exactly-once posts, answers, reveals, stats and practice."""

from bot.quiz.listeners import register

__all__ = ["register"]
