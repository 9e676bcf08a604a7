"""The fake workspace's identity and the app's credentials: what a `.env` pointed at it holds."""

from __future__ import annotations

TEAM_ID = "T0TEST"
TEAM_NAME = "Test"
TEAM_DOMAIN = "test"
TEAM_URL = "https://test.slack.com/"
APP_ID = "A0TEST"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-1-test-app-token"
