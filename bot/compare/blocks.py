"""Messages of the /compare command: one category, the whole table, the help, "not found" and errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.message import FIELD_MAX, MAX_BLOCKS, TEXT_MAX, Message
from bot.core.text import escape, fit, one_line, shorten, user_mention
from content.model import Category, Reference

HEADER_MAX = HeaderBlock.text_max_length
LABEL_MAX = ButtonElement.text_max_length
BUTTONS_PER_ROW = ActionsBlock.elements_max_length
FALLBACK_SIDE_MAX = 120
SUMMARY_SIDE_MAX = 200
"""Characters per side in the table of render_all; /compare <topic> shows the full text."""
TYPED_MAX = 60
SUGGESTIONS_MAX = 3
PACK_SEPARATOR = "\n\n"

HELP_HINT = "Try `/compare help` for the list."
DETAILS_HINT = f"Type `/compare {escape('<topic>')}` to see one topic in full, with an example."
USAGE = "\n".join(
    (
        "*/compare* shows how MLOps and DevOps differ on one topic, side by side.",
        "• `/compare monitoring` — one topic",
        "• `/compare all` — the whole table",
        "• `/compare help` — this list",
        "• mention me in a channel with `compare drift`",
    )
)


def render_comparison(
    category: Category,
    *,
    related: Sequence[Category] = (),
    shared_by: str | None = None,
    share_button: bool = True,
) -> Message:
    """One category side by side.

    *related* are the resolved ``category.see_also`` entries. With *shared_by* (the Slack user id of
    whoever shared it) the message is the static channel copy: a "Shared by" line and no buttons.
    """
    name = _name(category)
    related = [c for c in _unique(related) if c.key != category.key]
    blocks: list[Block] = [
        HeaderBlock(text=_plain(name, HEADER_MAX)),
        SectionBlock(fields=[_side("MLOps", category.mlops), _side("DevOps", category.devops)]),
    ]
    for label, text in (("Why they differ", category.why), ("Example", category.example)):
        if text and text.strip():
            prefix = f"*{label}:* "
            blocks.append(SectionBlock(text=prefix + fit(text, TEXT_MAX - len(prefix))))
    if related:
        names = " · ".join(fit(_name(c), HEADER_MAX) for c in related)
        blocks.append(_context(shorten(f"See also: {names}", TEXT_MAX)))
    if links := learn_more(category.references):
        blocks.append(_context(links))
    if shared_by is not None:
        blocks.append(_context(f"Shared by {user_mention(shared_by)}"))
    elif share_button:
        share = ButtonElement(
            text=_plain("Share in channel", LABEL_MAX),
            action_id=ids.SHARE_COMPARISON,
            value=category.key,
            style="primary",
        )
        blocks.append(ActionsBlock(elements=[share, *_category_buttons(related)[: BUTTONS_PER_ROW - 1]]))
    fallback = (
        f"{fit(name, HEADER_MAX)} — MLOps: {fit(one_line(category.mlops), FALLBACK_SIDE_MAX)}"
        f" | DevOps: {fit(one_line(category.devops), FALLBACK_SIDE_MAX)}"
    )
    return Message.build(fallback, blocks)


def learn_more(references: Sequence[Reference]) -> str:
    """ ":books: Learn more: <url|title> · …" for a context line; titles escaped, odd URLs left out."""
    links = [
        f"<{reference.url}|{fit(one_line(reference.title), 150).replace('|', '/')}>"
        for reference in references
        if reference.url.startswith("https://") and not set(reference.url) & set("<>| ")
    ]
    return ":books: Learn more: " + " · ".join(links) if links else ""


def render_help(categories: Sequence[Category]) -> Message:
    """What /compare does, how to call it, and one button per category."""
    categories = _unique(categories)
    blocks: list[Block] = [
        HeaderBlock(text=_plain("MLOps vs DevOps: /compare", HEADER_MAX)),
        SectionBlock(text=USAGE),
    ]
    if categories:
        blocks.append(SectionBlock(text=f"*{len(categories)} topics* — pick one:"))
    rows_left = MAX_BLOCKS - len(blocks) - 1  # one block stays free for the "and N more" line
    buttons = _category_buttons(categories)
    shown = buttons[: rows_left * BUTTONS_PER_ROW]
    blocks += [
        ActionsBlock(elements=shown[i : i + BUTTONS_PER_ROW]) for i in range(0, len(shown), BUTTONS_PER_ROW)
    ]
    if len(buttons) > len(shown):
        blocks.append(_context(_more(len(buttons) - len(shown))))
    return Message.build(
        f"/compare shows how MLOps and DevOps differ, one topic at a time — {len(categories)} topics.",
        blocks,
    )


def render_all(categories: Sequence[Category]) -> Message:
    """The whole table in one message, several categories per section (shortened sides)."""
    categories = _unique(categories)
    title = f"MLOps vs DevOps — all {len(categories)} categories"
    groups = _pack((_summary(c) for c in categories), TEXT_MAX)
    shown = groups[: MAX_BLOCKS - 2]  # the header and the closing hint take two blocks
    hidden = sum(len(group) for group in groups[len(shown) :])
    blocks: list[Block] = [
        HeaderBlock(text=_plain(title, HEADER_MAX)),
        *(SectionBlock(text=PACK_SEPARATOR.join(group)) for group in shown),
        _context(_more(hidden) if hidden else DETAILS_HINT),
    ]
    names = ", ".join(fit(_name(c), HEADER_MAX) for c in categories)
    return Message.build(f"{escape(title)}: {names}", blocks)


def render_not_found(typed: str, suggestions: Sequence[Category] = ()) -> Message:
    """No category matches what the user typed; offer up to three suggestions as buttons."""
    sorry = f"I don't have a category '{fit(one_line(typed), TYPED_MAX)}'."
    buttons = _category_buttons(_unique(suggestions)[:SUGGESTIONS_MAX])
    # verbatim: nothing the user typed gets auto-linked or turned into a mention.
    text = f"{sorry} Did you mean one of these?" if buttons else sorry
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text, verbatim=True))]
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    blocks.append(_context(HELP_HINT))
    return Message.build(f"{sorry} {HELP_HINT}", blocks)


def _name(category: Category) -> str:
    return one_line(category.name) or category.key


def _unique(categories: Iterable[Category]) -> list[Category]:
    """Drop repeated keys: two buttons with the same action_id in one block are rejected by Slack."""
    return list({c.key: c for c in categories}.values())


def _plain(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=fit(one_line(text), limit), emoji=True)


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=mrkdwn)])


def _side(label: str, text: str) -> MarkdownTextObject:
    prefix = f"*{label}*\n"
    return MarkdownTextObject(text=prefix + (fit(text, FIELD_MAX - len(prefix)) or "—"))


def _category_buttons(categories: Iterable[Category]) -> list[ButtonElement]:
    return [
        ButtonElement(text=_plain(_name(c), LABEL_MAX), action_id=ids.open_category(c.key), value=c.key)
        for c in categories
    ]


def _summary(category: Category) -> str:
    return (
        f"*{fit(_name(category), HEADER_MAX)}*\n"
        f"MLOps: {fit(one_line(category.mlops), SUMMARY_SIDE_MAX)}\n"
        f"DevOps: {fit(one_line(category.devops), SUMMARY_SIDE_MAX)}"
    )


def _pack(entries: Iterable[str], limit: int) -> list[list[str]]:
    """Group *entries* (each at most *limit* long) in order so each group joined stays within *limit*."""
    groups: list[list[str]] = []
    size = limit
    for entry in entries:
        if size + len(PACK_SEPARATOR) + len(entry) > limit:
            groups.append([])
            size = -len(PACK_SEPARATOR)
        groups[-1].append(entry)
        size += len(PACK_SEPARATOR) + len(entry)
    return groups


def _more(hidden: int) -> str:
    return f"…and {hidden} more — try `/compare {escape('<name>')}`."
