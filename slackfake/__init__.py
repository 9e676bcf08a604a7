"""A local fake Slack: Web API, response_url and Socket Mode over real HTTP / WebSocket.

Stateful (channels, messages, threads, users), bound to a free port, and strict: it refuses messages that
break Block Kit limits, as Slack does. Tests, `bench/` and the local playground use it; it depends on
nothing but aiohttp and slack_sdk. `slackfake.requests` builds what Slack sends to an app.
"""

from __future__ import annotations

from slackfake.constants import APP_ID, APP_TOKEN, BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET, TEAM_ID
from slackfake.delivery import NoApp
from slackfake.fake import FakeSlack
from slackfake.faults import Fault
from slackfake.ratelimits import RateLimits, RateLimitStats
from slackfake.recording import Call

__all__ = [
    "APP_ID",
    "APP_TOKEN",
    "BOT_ID",
    "BOT_TOKEN",
    "BOT_USER_ID",
    "SIGNING_SECRET",
    "TEAM_ID",
    "Call",
    "FakeSlack",
    "Fault",
    "NoApp",
    "RateLimitStats",
    "RateLimits",
]
