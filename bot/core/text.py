"""Escaping and truncation of text that goes into Slack messages.

Slack treats ``&``, ``<`` and ``>`` as control characters in message text: ``<!channel>``, ``<!here>`` or
``<@U123>`` typed by a user would ping people if echoed back as is. So every piece of text we did not
write as markup ourselves (user input *and* our content data) goes through :func:`escape` first, and then
through :func:`shorten`, which counts the escaped length (that is what Slack's limits apply to).
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_LAST_WHITESPACE = re.compile(r"(?s)(.*\S)\s")
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")


def escape(text: str) -> str:
    """Escape Slack's three control characters so *text* is shown literally."""
    return text.translate(_ESCAPES)


def shorten(text: str, limit: int) -> str:
    """Return *text* if it fits in *limit* characters, else a prefix ending in "…" that does.

    Cuts at the last whitespace when that keeps at least half of the text, and never inside an
    escape entity such as ``&amp;``.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&")
    entity = _ENTITY.match(text, amp) if amp >= 0 else None
    if entity and entity.end() > len(cut):
        cut = cut[:amp]
    if not text[len(cut)].isspace():
        word = _LAST_WHITESPACE.match(cut)
        if word and word.end(1) >= len(cut) // 2:
            cut = word.group(1)
    return cut.rstrip() + ELLIPSIS


def fit(text: str, limit: int) -> str:
    """Escape *text* and shorten it to *limit* characters: the usual way to put text into a block."""
    return shorten(escape(text.strip()), limit)


def one_line(text: str) -> str:
    """Fold every run of whitespace, line breaks included, into one space (for labels and echoes)."""
    return " ".join(text.split())


def user_mention(user_id: str) -> str:
    """``<@U123>`` for a well-formed Slack user id; anything else is shown escaped, never as markup."""
    if _USER_ID.fullmatch(user_id):
        return f"<@{user_id}>"
    return fit(one_line(user_id), 40)
