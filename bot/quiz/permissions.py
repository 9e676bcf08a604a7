"""Who may change a channel's quiz: its managers (see `bot.core.managers`) and whoever set its schedule."""

from __future__ import annotations

from bot.core.managers import Managers
from bot.quiz.schedules import ChannelSchedule


async def may_change(managers: Managers, user: str, channel: str, current: ChannelSchedule | None) -> bool:
    if current is not None and current.created_by == user:
        return True
    return await managers.may_manage_channel(user, channel)
