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
OTHER_BLOCK_TYPES = frozenset({"divider", "rich_text", "markdown", "file", "video"})

# Views (modals and App Home)
VIEW_BLOCKS_MAX = 100
VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24
CALLBACK_ID_MAX = 255
PRIVATE_METADATA_MAX = 3000
EXTERNAL_ID_MAX = 255
# Input blocks and their elements
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
PLACEHOLDER_MAX = 150
PLAIN_TEXT_INPUT_MAX = 3000
CHOICES_MAX = 10
"""checkboxes and radio_buttons: at most 10 options."""
OVERFLOW_OPTIONS = (1, 5)
OPTION_GROUPS_MAX = 100
OPTION_DESCRIPTION_MAX = 75
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
INPUT_ELEMENTS = SELECTS | {
    "plain_text_input",
    "number_input",
    "email_text_input",
    "url_text_input",
    "rich_text_input",
    "file_input",
    "checkboxes",
    "radio_buttons",
    "datepicker",
    "timepicker",
    "datetimepicker",
}
ACTIONS_ELEMENTS = (SELECTS | {"button", "overflow", "checkboxes", "radio_buttons"}) | {
    "datepicker",
    "timepicker",
    "datetimepicker",
    "workflow_button",
    "rich_text_input",
}
ACCESSORY_ELEMENTS = ACTIONS_ELEMENTS | {"image"}

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


def view_problems(view: Any, *, kind: str | None = None) -> list[str]:
    """Every limit a modal or App Home view breaks (views.open / push / update / publish, response_action).

    `kind` ("modal" or "home") is the type the method wants; None accepts either.
    """
    checker = _Checker()
    checker.view(view, kind)
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

    def view(self, view: Any, kind: str | None) -> None:
        if not isinstance(view, Mapping):
            self.fail("view", "expected a view object")
            return
        view_type = view.get("type")
        if view_type not in ("modal", "home") or (kind is not None and view_type != kind):
            self.fail("view.type", f"expected {kind or 'modal or home'}, got {view_type!r}")
            return
        self.max_len("view.callback_id", view.get("callback_id"), CALLBACK_ID_MAX)
        self.max_len("view.private_metadata", view.get("private_metadata"), PRIVATE_METADATA_MAX)
        self.max_len("view.external_id", view.get("external_id"), EXTERNAL_ID_MAX)
        blocks = view.get("blocks")
        if blocks is None:
            self.fail("view.blocks", "missing")
        else:
            self.blocks(blocks, VIEW_BLOCKS_MAX)
        if view_type == "modal":
            if "title" not in view:
                self.fail("view.title", "a modal needs a title")
            else:
                self.text_object("view.title", view["title"], VIEW_TITLE_MAX, plain=True)
            for button in ("submit", "close"):
                if button in view:
                    self.text_object(f"view.{button}", view[button], VIEW_BUTTON_MAX, plain=True)
            has_inputs = isinstance(blocks, list) and any(
                isinstance(b, Mapping) and b.get("type") == "input" for b in blocks
            )
            if has_inputs and "submit" not in view:
                self.fail("view.submit", "a modal with input blocks needs a submit button")
        else:
            for field_name in ("submit", "close"):
                if field_name in view:
                    self.fail(f"view.{field_name}", "a Home tab has no submit or close button")

    def block_input(self, path: str, block: Mapping[str, Any]) -> None:
        self.text_object(f"{path}.label", block.get("label"), INPUT_LABEL_MAX, plain=True)
        if "hint" in block:
            self.text_object(f"{path}.hint", block["hint"], INPUT_HINT_MAX, plain=True)
        element = block.get("element")
        if not isinstance(element, Mapping) or element.get("type") not in INPUT_ELEMENTS:
            kind = element.get("type") if isinstance(element, Mapping) else element
            self.fail(f"{path}.element", f"{kind!r} is not an input element")
            return
        self.element(f"{path}.element", element)

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
            accessory = block["accessory"]
            kind = accessory.get("type") if isinstance(accessory, Mapping) else None
            if kind not in ACCESSORY_ELEMENTS:
                self.fail(f"{path}.accessory.type", f"{kind!r} cannot be a section accessory")
            self.element(f"{path}.accessory", accessory)

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
            kind = element.get("type") if isinstance(element, Mapping) else None
            if kind not in ACTIONS_ELEMENTS:
                self.fail(f"{path}.elements[{i}].type", f"{kind!r} cannot be in an actions block")
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
        kind = element.get("type")
        if kind == "image":
            self.image(path, element)
            return
        if kind == "button":
            self.text_object(f"{path}.text", element.get("text"), BUTTON_LABEL_MAX, plain=True)
            self.max_len(f"{path}.value", element.get("value"), BUTTON_VALUE_MAX)
            self.max_len(f"{path}.url", element.get("url"), URL_MAX)
            if "style" in element and element["style"] not in BUTTON_STYLES:
                self.fail(f"{path}.style", f"{element['style']!r} is not one of {sorted(BUTTON_STYLES)}")
        if "placeholder" in element:
            self.text_object(f"{path}.placeholder", element["placeholder"], PLACEHOLDER_MAX, plain=True)
        if kind == "plain_text_input":
            self.plain_text_input(path, element)
        elif kind == "timepicker":
            self.pattern(f"{path}.initial_time", element.get("initial_time"), TIME, "HH:mm")
        elif kind == "datepicker":
            self.pattern(f"{path}.initial_date", element.get("initial_date"), DATE, "YYYY-MM-DD")
        elif kind in ("checkboxes", "radio_buttons"):
            self.choices(path, element)
            return
        elif kind == "overflow":
            options = element.get("options")
            low, high = OVERFLOW_OPTIONS
            if not isinstance(options, list) or not low <= len(options) <= high:
                self.fail(f"{path}.options", f"an overflow menu has {low} to {high} options")
        elif kind in ("static_select", "multi_static_select"):
            if ("options" in element) == ("option_groups" in element):
                self.fail(path, "a static select needs exactly one of options and option_groups")
            for i, group in enumerate(
                self.count(f"{path}.option_groups", element.get("option_groups"), OPTION_GROUPS_MAX)
                if "option_groups" in element
                else []
            ):
                if isinstance(group, Mapping):
                    self.text_object(
                        f"{path}.option_groups[{i}].label", group.get("label"), OPTION_TEXT_MAX, plain=True
                    )
                    self.options(f"{path}.option_groups[{i}]", group.get("options"), OPTIONS_MAX)
        if kind == "multi_users_select" and not isinstance(element.get("initial_users", []), list):
            self.fail(f"{path}.initial_users", "expected a list of user IDs")
        if "options" in element:
            self.options(path, element["options"], OPTIONS_MAX)

    def options(self, path: str, options: Any, limit: int, *, mrkdwn: bool = False) -> None:
        for i, option in enumerate(self.count(f"{path}.options", options, limit)):
            option_path = f"{path}.options[{i}]"
            if not isinstance(option, Mapping):
                self.fail(option_path, "expected an option object")
                continue
            self.text_object(f"{option_path}.text", option.get("text"), OPTION_TEXT_MAX, plain=not mrkdwn)
            self.max_len(f"{option_path}.value", option.get("value"), OPTION_VALUE_MAX)
            if "description" in option:
                self.text_object(
                    f"{option_path}.description",
                    option["description"],
                    OPTION_DESCRIPTION_MAX,
                    plain=not mrkdwn,
                )

    def choices(self, path: str, element: Mapping[str, Any]) -> None:
        """checkboxes / radio_buttons: up to 10 options (mrkdwn allowed), initial ones among them."""
        options = element.get("options")
        self.options(path, options, CHOICES_MAX, mrkdwn=True)
        values = (
            {o.get("value") for o in options if isinstance(o, Mapping)}
            if isinstance(options, list)
            else set()
        )
        initial = element.get("initial_options") if element.get("type") == "checkboxes" else None
        if element.get("type") == "radio_buttons" and element.get("initial_option") is not None:
            initial = [element["initial_option"]]
        for i, option in enumerate(initial or []):
            if not isinstance(option, Mapping) or option.get("value") not in values:
                self.fail(f"{path}.initial_options[{i}]", "is not one of the options")

    def plain_text_input(self, path: str, element: Mapping[str, Any]) -> None:
        self.max_len(f"{path}.initial_value", element.get("initial_value"), PLAIN_TEXT_INPUT_MAX)
        low, high = element.get("min_length"), element.get("max_length")
        for name, value in (("min_length", low), ("max_length", high)):
            if value is not None and (not isinstance(value, int) or not 0 <= value <= PLAIN_TEXT_INPUT_MAX):
                self.fail(f"{path}.{name}", f"expected 0 to {PLAIN_TEXT_INPUT_MAX}, got {value!r}")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.fail(path, "min_length is greater than max_length")

    def pattern(self, path: str, value: Any, regex: re.Pattern[str], form: str) -> None:
        if value is not None and (not isinstance(value, str) or not regex.match(value)):
            self.fail(path, f"expected {form}, got {value!r}")
