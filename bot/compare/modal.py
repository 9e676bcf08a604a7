"""Topic cards in a modal: what the message shortcut "Explain MLOps vs DevOps" and the Home tab's topic menu
open, and what picking another topic in it turns it into.

A modal has no response_url, so its cards carry no Share button; their related topics and the topic menu
update the modal itself (views.update). Opened on a message, each card offers *Reply in thread with this
card* (`bot.compare.thread_reply`). The modal remembers which topics its menu offers and which message it
came from in its private_metadata (`CardModal`), so an update keeps both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

import content
from bot.compare import ids
from bot.compare.blocks import (
    BUTTONS_PER_ROW,
    LABEL_MAX,
    card_blocks,
    example_button,
    topic_buttons,
    topic_menu,
)
from bot.core.blocks import plain
from bot.core.text import fit, one_line, shorten
from content.model import Topic

Intro = Literal["found", "many", "none", "pick"]
"""How the modal opens: the topics a message names (one to three cards, or a menu of more), none named, or one
topic picked from a menu."""

TITLE = "MLOps vs DevOps"
"""The modal's title when it shows no card or several; one card's title is its topic's name."""
TITLE_MAX = 24
"""Slack's limit on a modal's title."""
VIEW_BLOCKS_MAX = 100
CARDS_MAX = 3
"""Up to this many topics named in a message are shown as cards at once; more get a menu."""
FOUND_MAX = 8
"""Topics of a message the modal counts and offers in its menu; a message naming more is about everything."""
METADATA_MAX = 3000
MESSAGE_TEXT_MAX = 4000
"""Characters of a message read for topics (`content.find_all` reads no more)."""
REPLY_LABEL = "Reply in thread with this card"
NAME_MAX = 60
"""Characters of a topic's name in the footer's `/compare <name>`."""
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
    channel: str = ""
    """With *thread_ts*: the thread of the message it was opened on, where its cards can be posted."""
    thread_ts: str = ""
    posted: tuple[str, ...] = ()
    """Topics whose card was posted in that thread from this modal."""
    examples: tuple[str, ...] = ()
    """Topics whose card shows its example (asked for with *Example*); the others keep it behind it."""

    @classmethod
    def for_message(
        cls, found: Sequence[str], every: Sequence[str], channel: str = "", thread_ts: str = ""
    ) -> CardModal:
        """The modal for a message naming the topics *found* (keys, in order) in the thread *thread_ts* of
        *channel*; *every* topic key."""
        if not found:
            return cls((), tuple(every), "none", channel, thread_ts)
        if len(found) <= CARDS_MAX:
            return cls(tuple(found), (), "found", channel, thread_ts)
        return cls((found[0],), tuple(found), "many", channel, thread_ts)

    @classmethod
    def for_topic(cls, key: str, every: Sequence[str]) -> CardModal:
        """One topic's card with a menu of every topic (the Home tab's topic menu)."""
        return cls((key,), tuple(every), "pick")

    def showing(self, key: str, every: Sequence[str]) -> CardModal:
        """The modal after the person picked *key*: its card, with the same menu when it offers *key*
        and otherwise a menu of every topic."""
        if key in self.offered:
            return replace(self, shown=(key,))
        return replace(self, shown=(key,), offered=tuple(every), intro="pick")

    def with_example(self, key: str) -> CardModal:
        """The modal once the person asked for *key*'s example."""
        return replace(self, examples=tuple(dict.fromkeys((*self.examples, key))))

    def posting(self, key: str) -> CardModal:
        """The modal once *key*'s card was posted in the thread."""
        return replace(self, posted=tuple(dict.fromkeys((*self.posted, key))))

    @property
    def in_thread(self) -> bool:
        """Whether its cards can be posted in the thread of the message it was opened on."""
        return bool(self.channel and self.thread_ts)

    def metadata(self) -> str:
        """The state as the view's private_metadata (at most 3000 characters: the menu is cut short
        before that, which no real content comes near)."""
        offered = list(self.offered)
        while True:
            text = json.dumps(
                {
                    "shown": list(self.shown),
                    "offered": offered,
                    "intro": self.intro,
                    "channel": self.channel,
                    "thread_ts": self.thread_ts,
                    "posted": list(self.posted),
                    "examples": list(self.examples),
                }
            )
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
            channel=_text(data.get("channel")),
            thread_ts=_text(data.get("thread_ts")),
            posted=_keys(data.get("posted")),
            examples=_keys(data.get("examples")),
        )


def render_card_modal(
    cards: Sequence[tuple[Topic, Sequence[Topic]]],
    offered: Sequence[Topic] = (),
    *,
    intro: Intro = "pick",
    metadata: str = "",
    reply_in_thread: bool = False,
    posted: Sequence[str] = (),
    examples: Sequence[str] = (),
    notice: str = "",
) -> dict[str, Any]:
    """The modal: an introduction (with a menu of *offered* topics, the first shown card chosen), the
    *notice* (what happened to the last card posted), then each card of *cards* ((topic, related topics)
    pairs) with its related topics as buttons and, with *reply_in_thread*, a button that posts it in the
    thread unless its key is in *posted*, right under its summary. A card shows its example only when its
    key is in *examples*; otherwise an *Example* button offers it. At most 100 blocks: cards that would
    not fit are left out. Its title is the topic's name when it shows one card."""
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
    if notice:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=notice)]))
    shown: list[Topic] = []
    for topic, related in cards:
        example = topic.key in examples
        card: list[Block] = [DividerBlock(), *card_blocks(topic, example=example)]
        if reply_in_thread and topic.key not in posted:  # the main action, before the card's detail
            below_summary = 2 + bool(topic.summary.strip())  # after the divider, header and summary
            reply = ActionsBlock(elements=[reply_button(topic, primary=len(cards) == 1)])
            card.insert(below_summary, reply)
        folded = not example and bool((topic.example or "").strip())
        buttons = [example_button(topic, ids.MODAL_SHOW_EXAMPLE)] if folded else []
        buttons += topic_buttons([c for c in related if c.key != topic.key], ids.modal_open_topic)
        if buttons:
            card.append(ActionsBlock(elements=buttons[:BUTTONS_PER_ROW]))
        if len(blocks) + len(card) + 1 > VIEW_BLOCKS_MAX:
            break
        blocks += card
        shown.append(topic)
    if shown:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer(shown, reply_in_thread))]))
    title = one_line(shown[0].name) if len(shown) == 1 else TITLE
    view = View(
        type="modal",
        callback_id=ids.CARD_MODAL,
        title=plain(title or TITLE, TITLE_MAX),
        close=PlainTextObject(text="Close"),
        blocks=blocks,
        private_metadata=metadata[:METADATA_MAX],
    )
    return view.to_dict()


def reply_button(topic: Topic, *, primary: bool) -> ButtonElement:
    """Posts *topic*'s card in the thread of the message the modal was opened on (value = the key); green
    when it is the modal's one main action."""
    return ButtonElement(
        text=plain(REPLY_LABEL, LABEL_MAX),
        action_id=ids.MODAL_REPLY_IN_THREAD,
        value=topic.key,
        style="primary" if primary else None,
        accessibility_label=shorten(f"Reply in the thread with the {one_line(topic.name)} card", LABEL_MAX),
    )


def footer(topics: Sequence[Topic], reply_in_thread: bool) -> str:
    """How to show these topics to a team: "type `/compare data drift` in any channel and press *Share in
    channel*" (after what the reply button does, when the modal offers it)."""
    commands = " or ".join(f"`/compare {fit(one_line(topic.name).casefold(), NAME_MAX)}`" for topic in topics)
    anywhere = f"type {commands} in any channel and press *Share in channel*."
    if reply_in_thread:
        return f"*{REPLY_LABEL}* posts it under that message. Elsewhere, {anywhere}"
    return f"To show your team, {anywhere}"


# --- what the listeners call: the modal for a state, resolved against the content -------------------


def card_modal(state: CardModal, notice: str = "") -> dict[str, Any]:
    """The modal for *state*, with *notice* under its introduction."""
    known = {topic.key: topic for topic in content.topics()}
    cards = [
        (known[key], [known[k] for k in known[key].see_also if k in known])
        for key in state.shown
        if key in known
    ]
    offered = [known[key] for key in state.offered if key in known]
    return render_card_modal(
        cards,
        offered,
        intro=state.intro,
        metadata=state.metadata(),
        reply_in_thread=state.in_thread,
        posted=state.posted,
        examples=state.examples,
        notice=notice,
    )


def explain_modal(message: Any, channel: str = "") -> dict[str, Any]:
    """The message shortcut's modal for a message (the `message` of its payload) in *channel*: its cards
    can be posted in that message's thread."""
    found = [topic.key for topic in content.find_all(message_text(message), limit=FOUND_MAX)]
    thread_ts = ""
    if isinstance(message, Mapping) and channel:
        thread_ts = _text(message.get("thread_ts")) or _text(message.get("ts"))
    return card_modal(CardModal.for_message(found, every_topic(), channel, thread_ts))


def topic_modal(key: str) -> dict[str, Any] | None:
    """One topic's card with a menu of every topic; None when *key* is no topic."""
    every = every_topic()
    return card_modal(CardModal.for_topic(key, every)) if key in every else None


def example_modal(metadata: Any, key: str) -> dict[str, Any] | None:
    """The modal after the person pressed *Example* under *key*'s card; None when *key* is no topic."""
    if key not in every_topic():
        return None
    return card_modal(CardModal.from_metadata(metadata).with_example(key))


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


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _keys(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(item for item in value if isinstance(item, str) and item))
