"""/compare: the MLOps and DevOps sides of one topic, by command, mention, DM or button."""

from bot.compare.listeners import register, register_command

__all__ = ["register", "register_command"]
