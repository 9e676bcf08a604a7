"""The App Home tab: the person's quiz progress and weakest topic, today's quiz question, a topic menu,
the quizzes they manage, and any section another feature adds (`HomeSection`)."""

from bot.home.listeners import register, register_fallbacks
from bot.home.sections import managed_quizzes, quiz_progress, todays_question, topic_lookup
from bot.home.service import Home, HomeSection

__all__ = [
    "Home",
    "HomeSection",
    "managed_quizzes",
    "quiz_progress",
    "register",
    "register_fallbacks",
    "todays_question",
    "topic_lookup",
]
