"""The daily channel quiz: schedules, exactly-once posts, answers, reveals, stats, practice, and its
sections of the Home tab."""

from bot.quiz.home import managed_quizzes_section, progress_section, register_home, todays_question_section
from bot.quiz.listeners import register, register_answer

__all__ = [
    "managed_quizzes_section",
    "progress_section",
    "register",
    "register_answer",
    "register_home",
    "todays_question_section",
]
