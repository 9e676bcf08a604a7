"""Messages of the /compare command: one topic's card, every topic, the help, "not found", and the pieces the
card modal and the Home tab reuse (the card's blocks, the topic menu)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

import content
from bot.compare import ids
from bot.core.blocks import context, plain
from bot.core.message import FIELD_MAX, MAX_BLOCKS, TEXT_MAX, Message
from bot.core.text import escape, fit, one_line, shorten, user_mention
from content.model import Reference, Topic

HEADER_MAX = HeaderBlock.text_max_length
LABEL_MAX = ButtonElement.text_max_length
BUTTONS_PER_ROW = ActionsBlock.elements_max_length
FALLBACK_SIDE_MAX = 120
TYPED_MAX = 60
SUGGESTIONS_MAX = 3
CANDIDATES_MAX = 2
"""Buttons for the next closest topics under a card found by what someone typed."""
OPTIONS_MAX = 100
"""Slack's limit on the options of one static_select."""
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
MENU_PLACEHOLDER = "Open a topic…"
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{1,31}")

NEXT_STEP = "Pick one, see every topic with `/compare all`, or try another word, e.g. `/compare monitoring`."
NEXT_STEP_NO_BUTTONS = "See every topic with `/compare all`, or try another word, e.g. `/compare monitoring`."
ALL_PROMPT = "Pick a topic to see MLOps and DevOps side by side:"
ALL_HINT = f"Or type `/compare {escape('<topic>')}` anywhere, e.g. `/compare drift`."
USAGE = "\n".join(
    (
        "*/compare* shows how MLOps and DevOps differ on one topic, side by side.",
        "• `/compare monitoring` — one topic",
        "• `/compare all` — every topic, with a menu to open one",
        "• `/compare help` — this list",
        "• mention me in a channel with `compare drift`",
        "Also: `/quiz` — a practice question · `/learn` — your own path, a question in DM each working day",
    )
)


@dataclass(frozen=True, slots=True)
class Found:
    """How a card was found from what someone typed when it was not by the topic's name: the text, what it
    matched on, and the next candidates worth a button."""

    typed: str
    matched_on: str
    candidates: Sequence[Topic] = ()


def render_comparison(
    topic: Topic,
    *,
    related: Sequence[Topic] = (),
    shared_by: str | None = None,
    share_button: bool = True,
    found: Found | None = None,
) -> Message:
    """One topic side by side.

    *related* are the resolved ``topic.see_also`` entries, offered as buttons. With *shared_by* (the
    Slack user id of whoever shared it) the message is the static channel copy: a "Shared by" line and no
    buttons. Without *share_button* (cards in DMs and threads) only the related topics' buttons remain.
    With *found*, one line first says what the card is the closest topic to, and its candidates follow as
    buttons.
    """
    name = _name(topic)
    related = [c for c in _unique(related) if c.key != topic.key]
    # The static copy names the related topics; the others offer them as buttons instead.
    blocks = [*_found_blocks(topic, found), *card_blocks(topic, related if shared_by is not None else ())]
    if shared_by is not None:
        blocks.append(context(f"Shared by {user_mention(shared_by)}"))
    elif share_button:
        share = ButtonElement(
            text=plain("Share in channel", LABEL_MAX),
            action_id=ids.SHARE_COMPARISON,
            value=topic.key,
            style="primary",
        )
        blocks.append(ActionsBlock(elements=[share, *_topic_buttons(related)[: BUTTONS_PER_ROW - 1]]))
    elif related:
        blocks.append(ActionsBlock(elements=_topic_buttons(related)[:BUTTONS_PER_ROW]))
    fallback = (
        f"{fit(name, HEADER_MAX)} — MLOps: {fit(one_line(topic.mlops), FALLBACK_SIDE_MAX)}"
        f" | DevOps: {fit(one_line(topic.devops), FALLBACK_SIDE_MAX)}"
    )
    if found is not None:
        fallback = f"Closest topic to '{_typed(found.typed)}': {fallback}"
    return Message.build(fallback, blocks)


def _found_blocks(topic: Topic, found: Found | None) -> list[Block]:
    """ "Closest topic to _<typed>_: *<name>* — <what it matched on>", then the candidates as buttons."""
    if found is None:
        return []
    line = f"Closest topic to _{_typed(found.typed)}_: *{escape(fit(_name(topic), HEADER_MAX))}*"
    if found.matched_on and found.matched_on.casefold() != _name(topic).casefold():
        line += f" — {escape(fit(one_line(found.matched_on), TYPED_MAX))}"
    # verbatim: nothing the user typed gets auto-linked or turned into a mention.
    blocks: list[Block] = [ContextBlock(elements=[MarkdownTextObject(text=line, verbatim=True)])]
    candidates = [c for c in _unique(found.candidates) if c.key != topic.key][:CANDIDATES_MAX]
    if candidates:
        blocks.append(ActionsBlock(elements=_topic_buttons(candidates)))
    return blocks


def _typed(text: str) -> str:
    """What someone typed, on one line and short, escaped, without the * and _ that would end its emphasis."""
    return escape(fit(one_line(text.replace("*", " ").replace("_", " ")), TYPED_MAX))


def card_blocks(topic: Topic, related: Sequence[Topic] = ()) -> list[Block]:
    """A topic's card without buttons: the name, both sides, why they differ, an example, the *related*
    topics' names ("See also", for a card that does not offer them as buttons) and the references."""
    related = [c for c in _unique(related) if c.key != topic.key]
    blocks: list[Block] = [
        HeaderBlock(text=plain(_name(topic), HEADER_MAX)),
        SectionBlock(fields=[_side("MLOps", topic.mlops), _side("DevOps", topic.devops)]),
    ]
    for label, text in (("Why they differ", topic.why), ("Example", topic.example)):
        if text and text.strip():
            prefix = f"*{label}:* "
            blocks.append(SectionBlock(text=prefix + fit(text, TEXT_MAX - len(prefix))))
    if related:
        names = " · ".join(fit(_name(c), HEADER_MAX) for c in related)
        blocks.append(context(shorten(f"See also: {names}", TEXT_MAX)))
    if links := learn_more(topic.references):
        blocks.append(context(links))
    return blocks


def topic_button(key: str, label: str = "") -> ButtonElement:
    """A button that opens topic *key*'s card in reply (any feature may show one: /compare answers it),
    labelled *label* or the topic's name."""
    text = label or content.topic_name(key)
    return ButtonElement(text=plain(text, LABEL_MAX), action_id=ids.open_topic(key), value=key)


def topic_buttons(topics: Iterable[Topic], action_id: Callable[[str], str]) -> list[ButtonElement]:
    """One button per topic (each key once), labelled with its name; *action_id* maps a key to the
    button's action_id, which must differ per key within one block."""
    return [
        ButtonElement(text=plain(_name(c), LABEL_MAX), action_id=action_id(c.key), value=c.key)
        for c in _unique(topics)
    ]


def topic_menu(
    topics: Sequence[Topic],
    action_id: str,
    *,
    placeholder: str = MENU_PLACEHOLDER,
    selected: str | None = None,
) -> StaticSelectElement | None:
    """A static_select of topics (the first hundred, each once; option values are the keys), with
    *selected* chosen when it is one of them. None when there is no topic to offer."""
    options = {
        c.key: Option(text=plain(_name(c), OPTION_TEXT_MAX), value=c.key)
        for c in _unique(topics)
        if 0 < len(c.key) <= OPTION_VALUE_MAX
    }
    shown = list(options.values())[:OPTIONS_MAX]
    if not shown:
        return None
    initial = next((option for option in shown if option.value == selected), None)
    return StaticSelectElement(
        placeholder=plain(placeholder, OPTION_TEXT_MAX),
        action_id=action_id,
        options=shown,
        initial_option=initial,
    )


def render_shared(topic: Topic, channel_id: str) -> Message:
    """What the private copy of a card becomes once shared: where it went, and no Share button."""
    where = f"<#{channel_id}>" if _CHANNEL_ID.fullmatch(channel_id) else "this conversation"
    text = f"*{fit(_name(topic), HEADER_MAX)}* — shared in {where} ✓"
    return Message.build(
        f"{fit(_name(topic), HEADER_MAX)} — shared in {where}",
        [SectionBlock(text=text), context("Everyone there can read it now. `/compare` opens another.")],
    )


def learn_more(references: Sequence[Reference]) -> str:
    """ ":books: Learn more: <url|title> · …" for a context line; titles escaped, odd URLs left out."""
    links = [
        f"<{reference.url}|{fit(one_line(reference.title), 150).replace('|', '/')}>"
        for reference in references
        if reference.url.startswith("https://") and not set(reference.url) & set("<>| ")
    ]
    return ":books: Learn more: " + " · ".join(links) if links else ""


def render_help(topics: Sequence[Topic]) -> Message:
    """What /compare does, how to call it, and one button per topic."""
    topics = _unique(topics)
    blocks: list[Block] = [
        HeaderBlock(text=plain("MLOps vs DevOps: /compare", HEADER_MAX)),
        SectionBlock(text=USAGE),
    ]
    if topics:
        blocks.append(SectionBlock(text=f"*{len(topics)} topics* — pick one:"))
    rows_left = MAX_BLOCKS - len(blocks) - 1  # one block stays free for the "and N more" line
    buttons = _topic_buttons(topics)
    shown = buttons[: rows_left * BUTTONS_PER_ROW]
    blocks += [
        ActionsBlock(elements=shown[i : i + BUTTONS_PER_ROW]) for i in range(0, len(shown), BUTTONS_PER_ROW)
    ]
    if len(buttons) > len(shown):
        blocks.append(context(_more(len(buttons) - len(shown))))
    return Message.build(
        f"/compare shows how MLOps and DevOps differ, one topic at a time — {len(topics)} topics.",
        blocks,
    )


def render_all(topics: Sequence[Topic]) -> Message:
    """Every topic, compact: a menu that opens any of them (the card replaces this message) and their
    names in one small line."""
    topics = _unique(topics)
    title = f"MLOps vs DevOps — all {len(topics)} topics"
    names = " · ".join(fit(_name(c), HEADER_MAX) for c in topics)
    blocks: list[Block] = [HeaderBlock(text=plain(title, HEADER_MAX))]
    menu = topic_menu(topics, ids.PICK_TOPIC)
    if menu is not None:
        blocks.append(SectionBlock(text=ALL_PROMPT, accessory=menu))
    if names:
        blocks.append(context(shorten(names, TEXT_MAX)))
    hint = ALL_HINT
    if len(topics) > OPTIONS_MAX:
        hint = f"The menu lists the first {OPTIONS_MAX}. " + _more(len(topics) - OPTIONS_MAX)
    blocks.append(context(hint))
    return Message.build(f"{escape(title)}: {names}", blocks)


def render_not_found(typed: str, suggestions: Sequence[Topic] = (), popular: Sequence[Topic] = ()) -> Message:
    """No topic matches what the person typed: up to three suggestions as buttons (or, with none, a few
    *popular* topics), and what to do next."""
    sorry = f"I don't have a topic '{fit(one_line(typed), TYPED_MAX)}'."
    offer = " Did you mean one of these?" if suggestions else " Popular topics:"
    buttons = _topic_buttons(_unique(suggestions or popular)[:SUGGESTIONS_MAX])
    # verbatim: nothing the user typed gets auto-linked or turned into a mention.
    text = sorry + offer if buttons else sorry
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text, verbatim=True))]
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    blocks.append(context(NEXT_STEP if buttons else NEXT_STEP_NO_BUTTONS))
    return Message.build(f"{sorry} See every topic with /compare all.", blocks)


def _name(topic: Topic) -> str:
    return one_line(topic.name) or topic.key


def _unique(topics: Iterable[Topic]) -> list[Topic]:
    """Drop repeated keys: two buttons with the same action_id in one block are rejected by Slack."""
    return list({c.key: c for c in topics}.values())


def _side(label: str, text: str) -> MarkdownTextObject:
    prefix = f"*{label}*\n"
    return MarkdownTextObject(text=prefix + (fit(text, FIELD_MAX - len(prefix)) or "—"))


def _topic_buttons(topics: Iterable[Topic]) -> list[ButtonElement]:
    return topic_buttons(topics, ids.open_topic)


def _more(hidden: int) -> str:
    return f"…and {hidden} more — try `/compare {escape('<topic>')}`."
