"""Every setting of the bot, read once from the environment: the shared ones and each feature's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.settings import Env, SchedulerSettings, Settings, read_settings
from bot.learn.settings import LearnSettings, read_learn_settings
from bot.quiz.settings import QuizSettings, read_quiz_settings


@dataclass(frozen=True, slots=True)
class BotSettings:
    core: Settings
    quiz: QuizSettings
    learn: LearnSettings = field(default_factory=LearnSettings)


def load_settings(
    environ: Mapping[str, str], *, cwd: Path | None = None, scheduler: SchedulerSettings | None = None
) -> BotSettings:
    """Build the settings from `environ`; raises `SettingsError` on the first problem.

    `scheduler`, for tests only, replaces QUIZ_CLAIM_LEASE and QUIZ_POLL_INTERVAL with timings shorter than
    a user may set (a test waits out leases and ticks in real time)."""
    env = Env(environ)
    core = read_settings(env, cwd=cwd)
    return BotSettings(
        core=core if scheduler is None else replace(core, scheduler=scheduler),
        quiz=read_quiz_settings(env),
        learn=read_learn_settings(env),
    )
