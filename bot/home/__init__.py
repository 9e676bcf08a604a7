"""The App Home tab: sections from every feature (`bot.core.views.HomeSection`), a title, and its own
topic menu."""

from bot.home.listeners import register
from bot.home.service import Home, topic_lookup

__all__ = ["Home", "register", "topic_lookup"]
