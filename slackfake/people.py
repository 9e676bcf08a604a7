"""People: the workspace's users and user groups, as users.* and usergroups.* answer for them.
The `Workspace` part that holds them (see workspace.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slackfake.constants import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID
from slackfake.methods import ApiError, Args, Reply, method, required, truthy


class PeopleMixin:
    """The people part of `Workspace` (which provides these attributes)."""

    now: Callable[[], float]
    users: dict[str, dict[str, Any]]
    usergroups: dict[str, dict[str, Any]]
    changed: Callable[[], None]

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "UTC",
        tz_label: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        name = name or user_id.lower()
        real_name = real_name or name.title()
        local = datetime.fromtimestamp(self.now(), ZoneInfo(tz))
        offset = local.utcoffset()
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "deleted": deleted,
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz_label or _tz_label(local, tz),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": is_admin or is_owner,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "profile": {
                "real_name": real_name,
                "display_name": name,
                "real_name_normalized": real_name,
                "display_name_normalized": name,
                "team": TEAM_ID,
            },
            **extra,
        }
        if is_bot and user_id == BOT_USER_ID:
            user["profile"]["bot_id"] = BOT_ID
            user["profile"]["api_app_id"] = APP_ID
        self.users[user_id] = user
        self.changed()
        return user

    def add_usergroup(
        self, group_id: str, handle: str, users: list[str], *, name: str | None = None, disabled: bool = False
    ) -> dict[str, Any]:
        group = {
            "id": group_id,
            "team_id": TEAM_ID,
            "is_usergroup": True,
            "name": name or handle.title(),
            "handle": handle,
            "date_delete": 1700000000 if disabled else 0,
            "users": list(users),
            "user_count": len(users),
        }
        self.usergroups[group_id] = group
        return group

    # ---- users -------------------------------------------------------------------------------------

    @method("users.info")
    def _user_info(self, args: Args) -> Reply:
        """Deactivated users are still found, with `deleted: true`, as in Slack."""
        user = self.users.get(str(required(args, "user")))
        if user is None:
            raise ApiError("user_not_found")
        return {"ok": True, "user": copy.deepcopy(user)}

    @method("users.list")
    def _users_list(self, args: Args) -> Reply:
        members = [copy.deepcopy(u) for u in self.users.values()]
        return {"ok": True, "members": members, "cache_ts": int(self.now()), "response_metadata": {}}

    @method("usergroups.list")
    def _usergroups_list(self, args: Args) -> Reply:
        groups = [
            copy.deepcopy(g)
            for g in self.usergroups.values()
            if truthy(args.get("include_disabled")) or not g["date_delete"]
        ]
        if not truthy(args.get("include_users")):
            for group in groups:
                group.pop("users")
        return {"ok": True, "usergroups": groups}

    @method("usergroups.users.list")
    def _usergroup_users(self, args: Args) -> Reply:
        group = self.usergroups.get(str(required(args, "usergroup")))
        if group is None:
            raise ApiError("no_such_subteam")
        return {"ok": True, "users": list(group["users"])}


def _tz_label(local: datetime, tz: str) -> str:
    """Slack's label, e.g. "Central European Time"; spelled out for common zones, else the tz name."""
    abbreviation = local.tzname() or tz
    return TZ_LABELS.get(abbreviation, abbreviation)


TZ_LABELS = {
    "UTC": "Coordinated Universal Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "IST": "India Standard Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}
