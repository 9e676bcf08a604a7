"""The bot's welcome: an answer to greetings and "help", and a first hello in each new DM."""

from bot.welcome.listeners import register
from bot.welcome.service import WelcomeService

__all__ = ["WelcomeService", "register"]
