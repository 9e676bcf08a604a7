"""Escaping and truncation of text that goes into Slack messages.

Slack treats ``&``, ``<`` and ``>`` as control characters in message text: ``<!channel>``, ``<!here>`` or
``<@U123>`` typed by a user would ping people if echoed back as is. So every piece of text we did not
write as markup ourselves (user input *and* our content data) goes through :func:`escape` first, and then
through :func:`shorten`, which counts the escaped length (that is what Slack's limits apply to).

:func:`escape` also drops invisible format controls that would make an echo read differently from what
was typed: bidi embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069, which can show
``invoice\\u202egnp.exe`` as "invoiceexe.png"), bidi and zero-width marks, the soft hyphen, stray tag
characters and other control characters. What a script or an emoji needs stays: the zero-width joiner
and non-joiner (👩‍💻), tag sequences of subdivision flags, and the visible prepended number signs.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_LAST_WHITESPACE = re.compile(r"(?s)(.*\S)\s")
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")
_FLAG_TAGS = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"  # 🏴 + tags + cancel tag: a subdivision flag
_INVISIBLE = re.compile(
    f"({_FLAG_TAGS})"
    "|[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"  # control characters that are not whitespace
    "\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0001-\U000e007f]"
)


def escape(text: str) -> str:
    """Escape Slack's three control characters so *text* is shown literally, without the invisible
    format controls that would reorder or hide parts of it."""
    return drop_invisible(text).translate(_ESCAPES)


def drop_invisible(text: str) -> str:
    """*text* without bidi overrides and isolates, zero-width and bidi marks, soft hyphens, stray tag
    characters and control characters (those that are whitespace stay, for `one_line` to fold)."""
    if text.isascii() and text.isprintable():
        return text
    return _INVISIBLE.sub(_keep_flags, text)


def _keep_flags(match: re.Match[str]) -> str:
    return match.group(1) or ""


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
