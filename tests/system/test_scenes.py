"""docs/scenes.py builds every scene from the real builders, and what it shows stays within Slack's limits."""

from __future__ import annotations

from docs.scenes import scenes
from slackfake.limits import assert_message_within_limits, block_problems


def test_every_scene_builds_and_its_messages_are_valid() -> None:
    built = scenes()
    assert len({scene["name"] for scene in built}) == len(built)
    for scene in built:
        shown = [*scene.get("messages", []), *((scene.get("thread") or {}).get("replies") or [])]
        for message in (m for m in shown if m.get("bot")):
            if len(message["blocks"]) > 50:  # a modal or the Home tab drawn as a message: up to 100
                assert block_problems(message["blocks"], max_blocks=100) == [], scene["name"]
            else:
                assert_message_within_limits(message)
