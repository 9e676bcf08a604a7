"""The new-hire learning path: a personal question in DM each working day, scheduled by FSRS."""

from bot.learn.listeners import register

__all__ = ["register"]
