"""Every action, view and shortcut id has exactly one owner: the listeners of one feature answer it, never
two, so the order in which `create_app` registers them decides only speed."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.app import BotApp, create_app
from bot.settings import load_settings
from tests.fixtures.harness import BOT_TOKEN, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]
FEATURE_IDS = sorted(
    path.parent.name for path in (ROOT / "bot").glob("*/ids.py") if path.parent.name != "core"
)


def _ids() -> list[tuple[str, str]]:
    """(feature, id) for every string id a feature declares; an id that carries a key gets a sample key."""
    found = []
    for feature in FEATURE_IDS:
        module = importlib.import_module(f"bot.{feature}.ids")
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str):
                found.append((feature, value))
            elif name.endswith("_PATTERN") and isinstance(value, re.Pattern):
                found.append((feature, _sample(value)))
    return found


def _sample(pattern: re.Pattern[str]) -> str:
    """An id the pattern of keyed ids matches: `^quiz_answer:[A-Z]$` -> `quiz_answer:A`."""
    sample = pattern.pattern.strip("^$").replace(r"\d+", "1").replace("[A-Z]", "A").replace(".+", "x")
    sample = sample.replace("\\", "")
    assert pattern.fullmatch(sample), sample
    return sample


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> BotApp:
    data = tmp_path_factory.mktemp("ids")
    environ = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    return create_app(load_settings({**environ, "DATABASE_URL": f"sqlite:///{data}/bot.db"}))


def _requests(some_id: str) -> list[dict[str, Any]]:
    """What Slack sends for `some_id` as a button, a form's callback and a message shortcut."""
    user, team = {"id": "U1", "team_id": "T1"}, {"id": "T1"}
    return [
        {
            "type": "block_actions",
            "user": user,
            "team": team,
            "actions": [{"action_id": some_id, "block_id": "b"}],
        },
        {
            "type": "view_submission",
            "user": user,
            "team": team,
            "view": {"callback_id": some_id, "type": "modal"},
        },
        {"type": "message_action", "user": user, "team": team, "callback_id": some_id, "message": {}},
    ]


async def _answered_by(app: BotApp, body: dict[str, Any]) -> list[str]:
    """The modules of the listeners whose matchers take `body` (the catch-alls for stale ids aside)."""
    request = AsyncBoltRequest(body=json.dumps(body), mode="socket_mode")
    owners = []
    for listener in app.bolt._async_listeners:
        for matcher in listener.matchers:  # in order, as Bolt does: the first that says no ends it
            if not await matcher.async_matches(request, BoltResponse(status=404)):
                break
        else:
            owners.append(listener.ack_function.__module__)
    return [owner for owner in owners if owner != "bot.core.slack.fallbacks"]


@pytest.mark.parametrize(("feature", "some_id"), _ids(), ids=lambda value: str(value))
async def test_each_id_has_at_most_one_listener_and_it_is_its_features(
    app: BotApp, feature: str, some_id: str
) -> None:
    for body in _requests(some_id):
        owners = await _answered_by(app, body)
        assert len(owners) <= 1, f"{some_id} ({body['type']}) is answered by {owners}"
        assert all(owner.startswith(f"bot.{feature}.") for owner in owners), (some_id, owners)


async def test_every_feature_button_is_answered(app: BotApp) -> None:
    unanswered = [
        some_id
        for _, some_id in _ids()
        if not any([await _answered_by(app, body) for body in _requests(some_id)])
    ]
    prefixes = {
        "compare.open",
        "compare.modal_open",
        "learn_answer",
        "learn_hint",
        "quiz_answer",
        "quiz_practice_answer",
    }
    not_interactions = {
        "quiz_answers",
        "quiz_count",
        "quiz_post",
        "quiz_reveal",
        "quiz_weekly_board",
        "learn_day",
    }  # blocks, metadata
    modals_without_a_submit = {"compare.card_modal"}
    assert set(unanswered) == prefixes | not_interactions | modals_without_a_submit
