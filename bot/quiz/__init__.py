"""The daily channel quiz: schedules, exactly-once posts, answers, reveals, stats and practice."""

from bot.quiz.listeners import register, register_answer

__all__ = ["register", "register_answer"]
