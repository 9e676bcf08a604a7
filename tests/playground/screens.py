"""Screenshots of the playground with an app connected: `python -m tests.playground.screens OUTDIR`.

Starts a Playground from the repository's manifest.yml, runs the app (by default the repository's bot, in
Socket Mode, with a throwaway SQLite database), drives headless Chromium through a /compare card, a quiz
post and the Home tab, and writes PNGs at 1280 and 400 px wide:

    compare-1280.png  quiz-1280.png  home-1280.png  compare-400.png  quiz-400.png  home-400.png

Needs chromium and chromedriver (Debian: `apt-get install chromium chromium-driver`) and selenium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from slack_sdk.web import WebClient

from slackfake.playground import Playground
from slackfake.playground.browser import chrome, missing

SIZES = ((1280, 860), (400, 820))
QUIZ_CHANNEL = "CNEWHIRES"
SAMPLE_HOME = {
    "type": "home",
    "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "MLOps vs DevOps"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*Not published by the app yet.* The playground drew this sample so the tab can be "
                "checked; the app's own Home appears once it calls `views.publish`.",
            },
        },
        {"type": "divider"},
        {
            "type": "actions",
            "elements": [
                {"type": "button", "action_id": "sample", "text": {"type": "plain_text", "text": "Practice"}},
            ],
        },
    ],
}


@contextmanager
def repository_bot(pg: Playground) -> Iterator[None]:
    """The bot of this repository (bot/, tests/fixtures/harness.py) connected to `pg` over Socket Mode."""
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    from tests.fixtures.harness import RunningBot, bot_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = bot_settings(pg, Path(tmp), socket=True, QUIZ_CHANNEL=QUIZ_CHANNEL)  # type: ignore[arg-type]
        with RunningBot(settings):
            pg.fake.wait_for_socket()
            yield


def _wait(driver: Any, condition: Callable[[Any], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = condition(driver)
        except Exception:  # the page redraws while we look
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise TimeoutError("the page did not show what was expected")


def take(pg: Playground, outdir: Path) -> list[Path]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    web = WebClient(token=pg.bot_token, base_url=pg.api_url)
    for width, height in SIZES:
        driver = chrome(width, height)
        try:
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            )
            driver.get(pg.url)
            _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".nav-item"))

            def open_(target: str, d: Any = driver) -> None:
                if d.find_element(By.ID, "menu").is_displayed():
                    d.find_element(By.ID, "menu").click()
                d.find_element(By.CSS_SELECTOR, f'.nav-item[data-target="{target}"]').click()

            open_("CGENERAL")
            box = driver.find_element(By.ID, "message-input")
            box.send_keys("/compare monitoring")
            box.send_keys(Keys.ENTER)
            _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".msg-ephemeral .b-header"))
            time.sleep(0.3)
            written.append(_save(driver, outdir / f"compare-{width}.png"))

            open_(QUIZ_CHANNEL)
            if not any("Daily" in e.text for e in driver.find_elements(By.CSS_SELECTOR, ".b-header")):
                driver.find_element(By.ID, "quiz-now").click()
            _wait(
                driver,
                lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".b-header") if "quiz" in e.text],
            )
            time.sleep(0.3)
            written.append(_save(driver, outdir / f"quiz-{width}.png"))

            open_("home")
            _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".home-empty, .home-view"))
            if pg.fake.home_view(pg.admin) is None:
                web.views_publish(user_id=pg.admin, view=SAMPLE_HOME)
            _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".home-view"))
            time.sleep(0.3)
            written.append(_save(driver, outdir / f"home-{width}.png"))
        finally:
            driver.quit()
    return written


def _save(driver: Any, path: Path) -> Path:
    driver.save_screenshot(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--manifest", type=Path, default=Path("manifest.yml"))
    parser.add_argument(
        "--no-bot", action="store_true", help="connect no app (an app must be started separately)"
    )
    args = parser.parse_args(argv)
    reason = missing()
    if reason is not None:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    guide: tuple[Any, ...] = ()
    if not args.no_bot:
        from bot.playground import START_HERE

        guide = START_HERE
    with Playground(manifest=args.manifest if args.manifest.exists() else None, guide=guide) as pg:
        if args.no_bot:
            written = take(pg, args.outdir)
        else:
            with repository_bot(pg):
                written = take(pg, args.outdir)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
