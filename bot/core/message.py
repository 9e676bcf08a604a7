"""`Message`, what every pure Block Kit builder returns, and Slack's message limits.

Every builder returns a :class:`Message`; a listener sends it with ``await say(**message.as_kwargs())``
or ``client.chat_postMessage(channel=..., **message.as_kwargs())``. Blocks are built with
``slack_sdk.models.blocks`` and turned into dicts right away, so slack_sdk validates its limits while the
message is built; builders shorten text beforehand so that never raises for any content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block, SectionBlock

from bot.core.text import escape, fit, shorten

MAX_BLOCKS = 50
"""Slack's limit on blocks in one message (not checked by slack_sdk)."""
FIELD_MAX = 2000
"""Slack's limit on one section field (not checked by slack_sdk)."""
TEXT_MAX = 3000
"""Slack's limit on the text of a section or of one context element."""
GENERIC_ERROR = "Something went wrong on my side — please try again in a moment."
FALLBACK_MAX = 300
"""Our cap on ``Message.text``: it is what notifications and screen readers show, so keep it short."""


@dataclass(frozen=True, slots=True)
class Message:
    """A message ready to send: ``text`` is the plain fallback, ``blocks`` are JSON-ready dicts."""

    text: str
    blocks: list[dict[str, Any]]
    _ephemeral_json: str | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, fallback: str, blocks: Iterable[Block]) -> Message:
        """Validate and serialise *blocks*; *fallback* must already be escaped (Slack parses it as mrkdwn)."""
        dicts = [block.to_dict() for block in blocks]
        if len(dicts) > MAX_BLOCKS:
            raise ValueError(f"a message holds at most {MAX_BLOCKS} blocks, not {len(dicts)}")
        return cls(text=shorten(fallback, FALLBACK_MAX), blocks=dicts)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}

    def ephemeral_json(self) -> str:
        """The message as the JSON body of an ack that shows it to the person alone; serialised once (a
        cached reply, such as a `/compare` card, is sent many times)."""
        if self._ephemeral_json is None:
            body = json.dumps({"response_type": "ephemeral", **self.as_kwargs()})
            object.__setattr__(self, "_ephemeral_json", body)  # frozen, but this is a cache of its own fields
        return self._ephemeral_json  # type: ignore[return-value]


def render_error(message: str = GENERIC_ERROR) -> Message:
    """A polite error. *message* is shown to the user: never put exception details in it."""
    prefix = ":warning: "
    text = fit(message, TEXT_MAX - len(prefix)) or escape(GENERIC_ERROR)
    return Message.build(text, [SectionBlock(text=prefix + text)])
