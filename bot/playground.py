"""`python -m bot playground` (and `make run` with nothing configured): the real bot, in Socket Mode, against
a local fake Slack with a Slack-like page at http://127.0.0.1:PORT/.

The bot runs exactly as in production (`create_app`, `serve.serving`, Socket Mode through SLACK_API_URL);
only the workspace is pretend. It keeps its own SQLite file under data/, which *Reset* deletes.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.app import create_app
from bot.serve import serving, settle_startup_heap
from bot.settings import BotSettings, load_settings
from slackfake.playground import GuideStep, Playground

log = logging.getLogger(__name__)
MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"
QUIZ_CHANNEL = "CNEWHIRES"
"""#new-hires gets the daily quiz in the playground."""
START_HERE = (
    GuideStep("Compare a topic", "Type /compare monitoring in #general", ("command:/compare",)),
    GuideStep(
        "Answer today's question as two people",
        "In #new-hires press a letter, switch Acting as, and answer again",
        ("action:quiz_answer",),  # the answer buttons' ids (tests/playground checks they still are)
        people=2,
    ),
    GuideStep(
        "Reveal the answer",
        "Press Reveal now in #new-hires (under ☰ on a phone)",
        ("control:reveal", "command:/quiz reveal"),
    ),
    GuideStep("Open the Home tab", "MLOps vs DevOps — Home, in the sidebar", ("home:home",)),
    GuideStep("Try /learn", "Type /learn, or /learn enroll @maya as Ada", ("command:/learn",)),
    GuideStep(
        "Try the shortcut",
        "On any message: ⋯ → Explain MLOps vs DevOps",
        ("shortcut:",),
    ),
)
"""The page's *Start here* checklist: what to try first, ticked as the people on the page do it."""


def banner(url: str) -> str:
    return "\n".join(
        (
            f"MLOps vs DevOps bot — local playground: open {url}",
            "This is not Slack: a pretend workspace on this machine, driving the real bot.",
            "To connect a real workspace, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or",
            "SLACK_SIGNING_SECRET (HTTP) in .env — see the README. Ctrl-C stops.",
        )
    )


async def serve_playground(port: int, data_dir: Path, log_level: str = "WARNING") -> None:
    """Serve the page on 127.0.0.1:`port` and run the bot against it until cancelled."""
    database = data_dir / "playground.db"
    reset = asyncio.Event()

    async def on_reset() -> None:  # a coroutine, so it runs on this loop, where `reset` lives
        reset.set()

    async with Playground(port=port, manifest=MANIFEST, on_reset=on_reset, guide=START_HERE) as playground:
        print(banner(playground.url), flush=True)
        while True:
            settings = _settings(playground, database, log_level)
            async with serving(create_app(settings), settings.core, host="127.0.0.1"):
                settle_startup_heap()
                await reset.wait()
            reset.clear()
            for path in data_dir.glob("playground.db*"):  # the database and its WAL files
                path.unlink(missing_ok=True)
            log.warning("playground reset: a fresh workspace and database")


def _settings(playground: Playground, database: Path, log_level: str) -> BotSettings:
    return load_settings(
        {
            "SLACK_BOT_TOKEN": playground.bot_token,
            "SLACK_APP_TOKEN": playground.app_token,
            "SLACK_API_URL": playground.api_url,
            "DATABASE_URL": f"sqlite:///{database}",
            "PORT": "0",  # the bot's own /healthz on any free port; the page has PORT
            "QUIZ_CHANNEL": QUIZ_CHANNEL,
            "LOG_LEVEL": log_level,
        }
    )
