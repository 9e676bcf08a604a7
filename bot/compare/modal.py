"""Topic cards in a modal: what the message shortcut "Explain MLOps vs DevOps" and the Home tab's topic menu
open, and what picking another topic in it turns it into.

A modal has no response_url and no channel, so its cards carry no Share button; their related topics and
the topic menu update the modal itself (views.update). The modal remembers which topics its menu offers
in its private_metadata (`CardModal`), so an update keeps the same menu.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

import content
from bot.compare import ids
from bot.compare.blocks import BUTTONS_PER_ROW, card_blocks, topic_buttons, topic_menu
from content.model import Topic

Intro = Literal["found", "many", "none", "pick"]
"""How the modal opens: the topics a message names (one to three cards, or a menu of more), none named, or one
topic picked from a menu."""

TITLE = "MLOps vs DevOps"
"""The modal's title (Slack allows 24 characters)."""
VIEW_BLOCKS_MAX = 100
CARDS_MAX = 3
"""Up to this many topics named in a message are shown as cards at once; more get a menu."""
METADATA_MAX = 3000
MESSAGE_TEXT_MAX = 4000
"""Characters of a message read for topics (`content.find_all` reads no more)."""
FOOTER = (
    "To show a topic to your team, type `/compare monitoring` in the channel and press *Share in channel*."
)
INTROS: dict[Intro, str] = {
    "many": "That message mentions {count} topics. Pick one:",
    "none": "That message doesn't name a topic I know. Pick one to see how MLOps and DevOps differ:",
    "pick": "See how MLOps and DevOps differ on any topic:",
}


@dataclass(frozen=True, slots=True)
class CardModal:
    """What a card modal shows: the topics whose cards it shows, those its menu offers (none: no menu),
    and how it introduces them."""

    shown: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()
    intro: Intro = "pick"

    @classmethod
    def for_message(cls, found: Sequence[str], every: Sequence[str]) -> CardModal:
        """The modal for a message naming the topics *found* (keys, in order); *every* topic key."""
        if not found:
            return cls((), tuple(every), "none")
        if len(found) <= CARDS_MAX:
            return cls(tuple(found), (), "found")
        return cls((found[0],), tuple(found), "many")

    @classmethod
    def for_topic(cls, key: str, every: Sequence[str]) -> CardModal:
        """One topic's card with a menu of every topic (the Home tab's topic menu)."""
        return cls((key,), tuple(every), "pick")

    def showing(self, key: str, every: Sequence[str]) -> CardModal:
        """The modal after the person picked *key*: its card, with the same menu when it offers *key*
        and otherwise a menu of every topic."""
        if key in self.offered:
            return replace(self, shown=(key,))
        return CardModal.for_topic(key, every)

    def metadata(self) -> str:
        """The state as the view's private_metadata (at most 3000 characters: the menu is cut short
        before that, which no real content comes near)."""
        offered = list(self.offered)
        while True:
            text = json.dumps({"shown": list(self.shown), "offered": offered, "intro": self.intro})
            if len(text) <= METADATA_MAX or not offered:
                return text[:METADATA_MAX]
            offered.pop()

    @classmethod
    def from_metadata(cls, text: Any) -> CardModal:
        """The state `metadata()` wrote; an empty state for anything else (an older or foreign view)."""
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            data = None
        if not isinstance(data, Mapping):
            return cls()
        intro = data.get("intro")
        return cls(
            shown=_keys(data.get("shown")),
            offered=_keys(data.get("offered")),
            intro=intro if intro in ("found", "many", "none", "pick") else "pick",
        )


def render_card_modal(
    cards: Sequence[tuple[Topic, Sequence[Topic]]],
    offered: Sequence[Topic] = (),
    *,
    intro: Intro = "pick",
    metadata: str = "",
) -> dict[str, Any]:
    """The modal: an introduction (with a menu of *offered* topics, the first shown card chosen), then each
    card of *cards* ((topic, related topics) pairs) with its related topics as buttons. At most 100
    blocks: cards that would not fit are left out."""
    selected = cards[0][0].key if cards else None
    menu = topic_menu(offered, ids.MODAL_PICK_TOPIC, placeholder="Pick a topic…", selected=selected)
    if intro == "found" or menu is None:
        count = len(cards)
        text = "That message mentions one topic:" if count == 1 else f"That message mentions {count} topics:"
        if not cards:
            text = "I have no topic to show here. Type `/compare all` in any channel to see every topic."
        blocks: list[Block] = [ContextBlock(elements=[MarkdownTextObject(text=text)])]
    else:
        text = INTROS[intro].format(count=len(offered))
        blocks = [SectionBlock(text=MarkdownTextObject(text=text), accessory=menu)]
    footer = ContextBlock(elements=[MarkdownTextObject(text=FOOTER)])
    for topic, related in cards:
        card: list[Block] = [DividerBlock(), *card_blocks(topic)]  # related topics: buttons below
        others = [c for c in related if c.key != topic.key]
        if others:
            buttons = topic_buttons(others, ids.modal_open_topic)[:BUTTONS_PER_ROW]
            card.append(ActionsBlock(elements=buttons))
        if len(blocks) + len(card) + 1 > VIEW_BLOCKS_MAX:
            break
        blocks += card
    if cards:
        blocks.append(footer)
    view = View(
        type="modal",
        callback_id=ids.CARD_MODAL,
        title=PlainTextObject(text=TITLE),
        close=PlainTextObject(text="Close"),
        blocks=blocks,
        private_metadata=metadata[:METADATA_MAX],
    )
    return view.to_dict()


# --- what the listeners call: the modal for a state, resolved against the content -------------------


def card_modal(state: CardModal) -> dict[str, Any]:
    known = {topic.key: topic for topic in content.topics()}
    cards = [
        (known[key], [known[k] for k in known[key].see_also if k in known])
        for key in state.shown
        if key in known
    ]
    offered = [known[key] for key in state.offered if key in known]
    return render_card_modal(cards, offered, intro=state.intro, metadata=state.metadata())


def explain_modal(message: Any) -> dict[str, Any]:
    """The message shortcut's modal for a message (the `message` of its payload)."""
    found = [topic.key for topic in content.find_all(message_text(message))]
    return card_modal(CardModal.for_message(found, every_topic()))


def topic_modal(key: str) -> dict[str, Any] | None:
    """One topic's card with a menu of every topic; None when *key* is no topic."""
    every = every_topic()
    return card_modal(CardModal.for_topic(key, every)) if key in every else None


def picked_modal(metadata: Any, key: str) -> dict[str, Any] | None:
    """The modal after the person picked *key* in it (menu or related button); None when *key* is no topic."""
    every = every_topic()
    if key not in every:
        return None
    return card_modal(CardModal.from_metadata(metadata).showing(key, every))


def every_topic() -> tuple[str, ...]:
    return tuple(topic.key for topic in content.topics())


def message_text(message: Any) -> str:
    """The words of a Slack message: its text, and the text in its blocks and attachments (a bot's card
    keeps most of its words there), each piece once, at most 4000 characters."""
    pieces: dict[str, None] = {}

    def walk(node: Any) -> None:
        if len(pieces) > 500:
            return
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in ("text", "fallback", "pretext", "title") and isinstance(value, str):
                    pieces.setdefault(value.strip(), None)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    if isinstance(message, Mapping):
        walk({key: message.get(key) for key in ("text", "blocks", "attachments")})
    return "\n".join(piece for piece in pieces if piece)[:MESSAGE_TEXT_MAX]


def _keys(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(item for item in value if isinstance(item, str) and item))
