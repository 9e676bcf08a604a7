"""Who may change a channel's quiz: its managers (see `bot.core.managers`) and whoever set its schedule."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.managers import Managers
from bot.quiz.schedules import ChannelSchedule


async def may_change(managers: Managers, user: str, channel: str, current: ChannelSchedule | None) -> bool:
    if current is not None and current.created_by == user:
        return True
    return await managers.may_manage_channel(user, channel)


async def changeable(
    managers: Managers, user: str, schedules: Sequence[ChannelSchedule]
) -> list[ChannelSchedule]:
    """Those of *schedules* that *user* may change, by the same rule, asking Slack only once whether they
    are a manager."""
    if await managers.is_manager(user):
        return list(schedules)
    return [s for s in schedules if s.created_by == user or await managers.created(user, s.channel)]
