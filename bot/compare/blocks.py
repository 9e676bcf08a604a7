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
from bot.core.message import FIELD_MAX, TEXT_MAX, Message
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
ALL_PROMPT = "pick one from the menu, or a popular one, to see MLOps and DevOps side by side:"
POPULAR_MAX = 6
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
    """How a card was found when it was not by the topic's own name: the text, the term it matched on,
    whether it was only the closest topic to the text (ranked) rather than one of its terms, and the next
    candidates worth a button."""

    typed: str
    matched_on: str
    candidates: Sequence[Topic] = ()
    ranked: bool = True


def render_comparison(
    topic: Topic,
    *,
    related: Sequence[Topic] = (),
    shared_by: str | None = None,
    share_button: bool = True,
    found: Found | None = None,
    example: bool = False,
) -> Message:
    """One topic side by side, short enough for a phone: its example stays behind an *Example* button
    unless *example* asks for it.

    *related* are the resolved ``topic.see_also`` entries, offered as buttons. With *shared_by* (the
    Slack user id of whoever shared it) the message is the channel copy: a "Shared by" line and no Share
    button. Without *share_button* (cards in DMs and threads) the Example and related topics' buttons
    remain. With *found*, one line first says why this card answers what was typed, and its candidates
    follow as buttons.
    """
    name = _name(topic)
    related = [c for c in _unique(related) if c.key != topic.key]
    blocks = [*_found_blocks(topic, found), *card_blocks(topic, example=example)]
    buttons: list[ButtonElement] = []
    if share_button and shared_by is None:
        buttons.append(
            ButtonElement(
                text=plain("Share in channel", LABEL_MAX),
                action_id=ids.SHARE_COMPARISON,
                value=topic.key,
                style="primary",
                accessibility_label=shorten(f"Share the {name} card with everyone here", LABEL_MAX),
            )
        )
    if not example and _has_example(topic):
        buttons.append(example_button(topic))
    buttons += _topic_buttons(related)
    if buttons:
        blocks.append(ActionsBlock(elements=buttons[:BUTTONS_PER_ROW]))
    if shared_by is not None:
        blocks.append(context(f"Shared by {user_mention(shared_by)}"))
    fallback = f"{fit(name, HEADER_MAX)} — {fit(one_line(topic.summary), FALLBACK_SIDE_MAX)}"
    if not topic.summary.strip():
        fallback = (
            f"{fit(name, HEADER_MAX)} — MLOps: {fit(one_line(topic.mlops), FALLBACK_SIDE_MAX)}"
            f" | DevOps: {fit(one_line(topic.devops), FALLBACK_SIDE_MAX)}"
        )
    if found is not None and found.ranked:
        fallback = f"Closest topic to '{_typed(found.typed)}': {fallback}"
    return Message.build(fallback, blocks)


def example_button(topic: Topic, action_id: str = ids.SHOW_EXAMPLE) -> ButtonElement:
    """*Example*: shows the card again with its example (value = the topic key); *action_id* says who
    answers it (the card's listener, or the modal's)."""
    return ButtonElement(
        text=plain("Example", LABEL_MAX),
        action_id=action_id,
        value=topic.key,
        accessibility_label=shorten(f"Show an example of {_name(topic)}", LABEL_MAX),
    )


def _found_blocks(topic: Topic, found: Found | None) -> list[Block]:
    """Why this card answers what was typed ("Closest topic to _<typed>_: *<name>*, which covers _<term>_"
    or "_<term>_ is covered under *<name>*"), then the candidates as buttons."""
    if found is None:
        return []
    name = f"*{fit(_name(topic), HEADER_MAX)}*"
    term = _typed(found.matched_on) if found.matched_on.casefold() != _name(topic).casefold() else ""
    if found.ranked:
        line = f"Closest topic to _{_typed(found.typed)}_: {name}"
        if term:
            line += f", which covers _{term}_"
    elif term:
        line = f"_{term}_ is covered under {name}."
    else:
        return []
    # verbatim: nothing the user typed gets auto-linked or turned into a mention.
    blocks: list[Block] = [ContextBlock(elements=[MarkdownTextObject(text=line, verbatim=True)])]
    candidates = [c for c in _unique(found.candidates) if c.key != topic.key][:CANDIDATES_MAX]
    if candidates:
        blocks.append(ActionsBlock(elements=_topic_buttons(candidates)))
    return blocks


def _typed(text: str) -> str:
    """What someone typed, on one line and short, escaped, without the * and _ that would end its emphasis."""
    return fit(one_line(text.replace("*", " ").replace("_", " ")), TYPED_MAX)


def card_blocks(topic: Topic, *, example: bool = True) -> list[Block]:
    """A topic's card without buttons: the name, the difference in one line, both sides, why they differ,
    the example (unless *example* is False: then a button offers it) and the references."""
    blocks: list[Block] = [HeaderBlock(text=plain(_name(topic), HEADER_MAX))]
    if topic.summary.strip():
        blocks.append(SectionBlock(text=fit(topic.summary, TEXT_MAX)))
    blocks.append(SectionBlock(fields=[_side("MLOps", topic.mlops), _side("DevOps", topic.devops)]))
    shown = [("Why they differ", topic.why)] + ([("Example", topic.example or "")] if example else [])
    for label, text in shown:
        if text and text.strip():
            prefix = f"*{label}:* "
            blocks.append(SectionBlock(text=prefix + fit(text, TEXT_MAX - len(prefix))))
    if links := learn_more(topic.references):
        blocks.append(context(links))
    return blocks


def _has_example(topic: Topic) -> bool:
    return bool(topic.example and topic.example.strip())


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


def render_help(topics: Sequence[Topic], popular: Sequence[Topic] = ()) -> Message:
    """What /compare does, how to call it, and the topic picker (`render_all`'s too)."""
    topics = _unique(topics)
    blocks: list[Block] = [
        HeaderBlock(text=plain("MLOps vs DevOps: /compare", HEADER_MAX)),
        SectionBlock(text=USAGE),
        *_picker(topics, popular),
    ]
    return Message.build(
        f"/compare shows how MLOps and DevOps differ, one topic at a time — {len(topics)} topics.",
        blocks,
    )


def render_all(topics: Sequence[Topic], popular: Sequence[Topic] = ()) -> Message:
    """Every topic: the topic picker, as under `render_help`, and how to ask for one by name."""
    topics = _unique(topics)
    title = f"MLOps vs DevOps — all {len(topics)} topics"
    blocks: list[Block] = [HeaderBlock(text=plain(title, HEADER_MAX)), *_picker(topics, popular)]
    hint = ALL_HINT
    if len(topics) > OPTIONS_MAX:
        hint = f"The menu lists the first {OPTIONS_MAX}. " + _more(len(topics) - OPTIONS_MAX)
    blocks.append(context(hint))
    names = " · ".join(fit(_name(c), HEADER_MAX) for c in topics)
    return Message.build(shorten(f"{escape(title)}: {names}", TEXT_MAX), blocks)


def _picker(topics: Sequence[Topic], popular: Sequence[Topic]) -> list[Block]:
    """ "*N topics*: pick one", then one row: a menu of every topic and the *popular* ones as buttons."""
    if not topics:
        return []
    known = {topic.key for topic in topics}
    menu = topic_menu(topics, ids.PICK_TOPIC)
    buttons = _topic_buttons(c for c in popular if c.key in known)[:POPULAR_MAX]
    return [
        SectionBlock(text=f"*{len(topics)} topics* — {ALL_PROMPT}"),
        ActionsBlock(elements=[*([menu] if menu is not None else []), *buttons]),
    ]


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
