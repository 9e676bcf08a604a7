"""The new-hire learning path: a personal question in DM each working day, scheduled by FSRS."""

from bot.learn.listeners import register, register_small_talk

__all__ = ["register", "register_small_talk"]
