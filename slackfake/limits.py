"""Checks for any message the bot sends: Slack's Block Kit limits and unescaped mentions.

Both take a ``bot.blocks.Message`` or a plain dict such as the body the fake Slack recorded for a
chat.postMessage call (``blocks`` may be a list or a JSON string). The numbers are Slack's documented
limits, written out here on purpose rather than imported from the code under test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

MESSAGE_TEXT_MAX = 40_000
BLOCKS_MAX = 50
BLOCK_ID_MAX = 255
TEXT_OBJECT_MAX = 3000
HEADER_MAX = 150
FIELDS_MAX = 10
FIELD_MAX = 2000
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
ACTION_ID_MAX = 255
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
IMAGE_ALT_TEXT_MAX = 2000
BUTTON_STYLES = frozenset({"primary", "danger"})
OTHER_BLOCK_TYPES = frozenset({"divider", "input", "rich_text", "markdown", "file", "video"})

MENTION = re.compile(r"<[!@#][^<>]*>")
"""Slack's special parsing: <!channel>, <!here>, <!everyone>, <@U123>, <#C123>, <!subteam^S123>, <!date…>."""


def assert_message_within_limits(message: Any) -> None:
    problems = limit_problems(message)
    assert not problems, "message breaks Slack limits:\n" + "\n".join(problems)


def limit_problems(message: Any) -> list[str]:
    """Every limit *message* breaks, one line each, prefixed by the path of the offending value."""
    checker = _Checker()
    checker.message(_as_dict(message))
    return checker.problems


def block_problems(blocks: Any, *, max_blocks: int = BLOCKS_MAX) -> list[str]:
    """Every limit a list of blocks breaks (also used by the fake Slack, which refuses such blocks)."""
    checker = _Checker()
    checker.blocks(blocks, max_blocks)
    return checker.problems


def iter_texts(message: Any) -> Iterator[tuple[str, str]]:
    """``(path, text)`` for the top-level text and every text object's text, however deeply nested."""
    yield from _walk_texts(_as_dict(message), "message")


def find_unescaped_mentions(message: Any) -> list[str]:
    """Every mention or special parsing sequence Slack would act on, in order of appearance."""
    return [match.group() for _, text in iter_texts(message) for match in MENTION.finditer(text)]


def _as_dict(message: Any) -> dict[str, Any]:
    if hasattr(message, "as_kwargs"):
        message = message.as_kwargs()
    if not isinstance(message, Mapping):
        raise TypeError(f"expected a message dict, got {type(message).__name__}")
    result = dict(message)
    if isinstance(result.get("blocks"), str):
        result["blocks"] = json.loads(result["blocks"])
    return result


def _walk_texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield f"{path}.text", item
            else:
                yield from _walk_texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_texts(item, f"{path}[{i}]")


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.block_ids: set[str] = set()

    def fail(self, path: str, problem: str) -> None:
        self.problems.append(f"{path}: {problem}")

    def max_len(self, path: str, value: Any, limit: int) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {type(value).__name__}")
        elif len(value) > limit:
            self.fail(path, f"{len(value)} characters, limit {limit}")

    def count(self, path: str, items: Any, limit: int) -> list[Any]:
        if not isinstance(items, list) or not items:
            self.fail(path, "expected a non-empty list")
            return []
        if len(items) > limit:
            self.fail(path, f"{len(items)} items, limit {limit}")
        return items

    def text_object(self, path: str, obj: Any, limit: int = TEXT_OBJECT_MAX, *, plain: bool = False) -> None:
        allowed = ("plain_text",) if plain else ("plain_text", "mrkdwn")
        if not isinstance(obj, Mapping) or obj.get("type") not in allowed:
            self.fail(path, f"expected a text object of type {' or '.join(allowed)}, got {obj!r:.80}")
            return
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            self.fail(f"{path}.text", "empty")
        self.max_len(f"{path}.text", text, limit)

    def message(self, message: Mapping[str, Any]) -> None:
        text, blocks = message.get("text"), message.get("blocks")
        self.max_len("text", text, MESSAGE_TEXT_MAX)
        if blocks is None:
            if not text:
                self.fail("message", "neither text nor blocks")
            return
        self.blocks(blocks, BLOCKS_MAX)

    def blocks(self, blocks: Any, max_blocks: int) -> None:
        if not isinstance(blocks, list):
            self.fail("blocks", f"expected a list, got {type(blocks).__name__}")
            return
        if len(blocks) > max_blocks:
            self.fail("blocks", f"{len(blocks)} blocks, limit {max_blocks}")
        for i, block in enumerate(blocks):
            self.block(f"blocks[{i}]", block)

    def block(self, path: str, block: Any) -> None:
        if not isinstance(block, Mapping):
            self.fail(path, "expected a block object")
            return
        block_id = block.get("block_id")
        self.max_len(f"{path}.block_id", block_id, BLOCK_ID_MAX)
        if block_id is not None:
            if block_id in self.block_ids:
                self.fail(f"{path}.block_id", f"{block_id!r} used twice")
            self.block_ids.add(block_id)
        kind = block.get("type")
        check = getattr(self, f"block_{kind}", None)
        if check is not None:
            check(path, block)
        elif kind not in OTHER_BLOCK_TYPES:
            self.fail(f"{path}.type", f"unknown block type {kind!r}")

    def block_header(self, path: str, block: Mapping[str, Any]) -> None:
        self.text_object(f"{path}.text", block.get("text"), HEADER_MAX, plain=True)

    def block_section(self, path: str, block: Mapping[str, Any]) -> None:
        if "text" not in block and "fields" not in block:
            self.fail(path, "a section needs text or fields")
        if "text" in block:
            self.text_object(f"{path}.text", block["text"])
        if "fields" in block:
            for i, field in enumerate(self.count(f"{path}.fields", block["fields"], FIELDS_MAX)):
                self.text_object(f"{path}.fields[{i}]", field, FIELD_MAX)
        if "accessory" in block:
            self.element(f"{path}.accessory", block["accessory"])

    def block_context(self, path: str, block: Mapping[str, Any]) -> None:
        elements = self.count(f"{path}.elements", block.get("elements"), CONTEXT_ELEMENTS_MAX)
        for i, element in enumerate(elements):
            if isinstance(element, Mapping) and element.get("type") == "image":
                self.image(f"{path}.elements[{i}]", element)
            else:
                self.text_object(f"{path}.elements[{i}]", element)

    def block_actions(self, path: str, block: Mapping[str, Any]) -> None:
        action_ids: set[str] = set()
        elements = self.count(f"{path}.elements", block.get("elements"), ACTIONS_ELEMENTS_MAX)
        for i, element in enumerate(elements):
            self.element(f"{path}.elements[{i}]", element)
            action_id = element.get("action_id") if isinstance(element, Mapping) else None
            if action_id is not None:
                if action_id in action_ids:
                    self.fail(f"{path}.elements[{i}].action_id", f"{action_id!r} used twice in one block")
                action_ids.add(action_id)

    def block_image(self, path: str, block: Mapping[str, Any]) -> None:
        self.image(path, block)
        if "title" in block:
            self.text_object(f"{path}.title", block["title"], IMAGE_ALT_TEXT_MAX, plain=True)

    def image(self, path: str, image: Mapping[str, Any]) -> None:
        self.max_len(f"{path}.image_url", image.get("image_url"), URL_MAX)
        self.max_len(f"{path}.alt_text", image.get("alt_text"), IMAGE_ALT_TEXT_MAX)

    def element(self, path: str, element: Any) -> None:
        if not isinstance(element, Mapping):
            self.fail(path, "expected a block element")
            return
        self.max_len(f"{path}.action_id", element.get("action_id"), ACTION_ID_MAX)
        if element.get("type") == "button":
            self.text_object(f"{path}.text", element.get("text"), BUTTON_LABEL_MAX, plain=True)
            self.max_len(f"{path}.value", element.get("value"), BUTTON_VALUE_MAX)
            self.max_len(f"{path}.url", element.get("url"), URL_MAX)
            if "style" in element and element["style"] not in BUTTON_STYLES:
                self.fail(f"{path}.style", f"{element['style']!r} is not one of {sorted(BUTTON_STYLES)}")
        if "options" in element:
            for i, option in enumerate(self.count(f"{path}.options", element["options"], OPTIONS_MAX)):
                option_path = f"{path}.options[{i}]"
                if not isinstance(option, Mapping):
                    self.fail(option_path, "expected an option object")
                    continue
                self.text_object(f"{option_path}.text", option.get("text"), OPTION_TEXT_MAX)
                self.max_len(f"{option_path}.value", option.get("value"), OPTION_VALUE_MAX)
