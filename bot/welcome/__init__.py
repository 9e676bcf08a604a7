"""The bot's welcome: an answer to greetings and "help", and a first hello in each new DM."""

from bot.welcome.listeners import register
from bot.welcome.service import WelcomeService
from bot.welcome.store import Welcomes

__all__ = ["WelcomeService", "Welcomes", "register"]
