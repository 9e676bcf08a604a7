"""The local playground: a Slack-like page in the browser that drives a real app through the fake Slack.

    async with Playground(port=3000, manifest=Path("manifest.yml"), on_reset=wipe) as pg:
        # start the app with SLACK_API_URL=pg.api_url, SLACK_BOT_TOKEN=pg.bot_token,
        # SLACK_APP_TOKEN=pg.app_token (Socket Mode), then tell the person to open pg.url
        ...

The fake Slack, the page and its JSON API share one port on 127.0.0.1 and run on the fake's own thread and
event loop (not the caller's), so an app on the caller's loop and the page never block each other. The
playground prints nothing. See `slackfake/playground/server.py` for the page's API.
"""

from __future__ import annotations

from slackfake.playground.guide import GuideStep
from slackfake.playground.launcher import Person, Playground
from slackfake.playground.manifest import AppManifest, load_manifest

__all__ = ["AppManifest", "GuideStep", "Person", "Playground", "load_manifest"]
