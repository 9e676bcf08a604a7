"""Slack's Block Kit limits, checked the way the Web API checks them.

A real workspace rejects a message whose blocks break a documented limit (`invalid_blocks` for chat.*,
`invalid_arguments` for views.*) with one `[json-pointer:...]` message per problem. Checking the same
limits here makes a test fail where production would, instead of passing against a lenient fake.
Only documented limits are enforced; unknown fields are accepted.
"""

from __future__ import annotations

from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100

BLOCK_TYPES = frozenset(
    {
        "actions", "context", "context_actions", "divider", "file", "header", "image", "input",
        "markdown", "rich_text", "section", "table", "video",
    }
)  # fmt: skip
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
# element type -> (max chars of its `text` label, max chars of `value`)
ELEMENT_LIMITS: dict[str, tuple[int, int]] = {"button": (75, 2000), "workflow_button": (75, 2000)}
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_MAX = 100
ID_MAX = 255


def block_errors(blocks: Any, *, max_blocks: int, pointer: str = "/blocks") -> list[str]:
    """Every limit `blocks` breaks, as Slack words it (empty when the blocks are acceptable)."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"must be less than {max_blocks + 1} items [json-pointer:{pointer}]")
    seen_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"{pointer}/{index}"
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            errors.append(f"failed to match all allowed schemas [json-pointer:{where}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if len(str(block_id)) > ID_MAX:
                errors.append(f"must be less than {ID_MAX + 1} characters [json-pointer:{where}/block_id]")
            if block_id in seen_ids:
                errors.append(f"duplicate block_id [json-pointer:{where}/block_id]")
            seen_ids.add(block_id)
        errors.extend(_check_block(block, where))
    return errors


def _check_block(block: dict[str, Any], where: str) -> list[str]:
    kind = block["type"]
    if kind == "section":
        return _check_section(block, where)
    if kind == "header":
        return _text(block.get("text"), f"{where}/text", 150, plain_only=True)
    if kind == "markdown":
        return _length(block.get("text"), f"{where}/text", 12000)
    if kind == "context":
        return _elements(block, where, 10, check=_context_element)
    if kind == "actions":
        return _elements(block, where, 25, check=_element)
    return []


def _check_section(block: dict[str, Any], where: str) -> list[str]:
    if "text" not in block and "fields" not in block:
        return [f"must provide either text or fields [json-pointer:{where}]"]
    errors = _text(block["text"], f"{where}/text", 3000) if "text" in block else []
    fields = block.get("fields", [])
    if len(fields) > 10:
        errors.append(f"must be less than 11 items [json-pointer:{where}/fields]")
    for index, field in enumerate(fields):
        errors.extend(_text(field, f"{where}/fields/{index}", 2000))
    if isinstance(block.get("accessory"), dict):
        errors.extend(_element(block["accessory"], f"{where}/accessory"))
    return errors


def _elements(block: dict[str, Any], where: str, most: int, *, check: Any) -> list[str]:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        return [f"must be more than 0 items [json-pointer:{where}/elements]"]
    errors = []
    if len(elements) > most:
        errors.append(f"must be less than {most + 1} items [json-pointer:{where}/elements]")
    action_ids: set[str] = set()
    for index, element in enumerate(elements):
        errors.extend(check(element, f"{where}/elements/{index}"))
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if action_id is not None and action_id in action_ids:
            errors.append(f"duplicate action_id [json-pointer:{where}/elements/{index}/action_id]")
        action_ids.add(action_id)
    return errors


def _context_element(element: Any, where: str) -> list[str]:
    if isinstance(element, dict) and element.get("type") in TEXT_TYPES:
        return _text(element, where, 3000)
    return []


def _element(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict) or "type" not in element:
        return [f"failed to match all allowed schemas [json-pointer:{where}]"]
    errors = _length(element.get("action_id"), f"{where}/action_id", ID_MAX, required=False)
    if element["type"] in ELEMENT_LIMITS:
        text_max, value_max = ELEMENT_LIMITS[element["type"]]
        errors += _text(element.get("text"), f"{where}/text", text_max, plain_only=True)
        errors += _length(element.get("value"), f"{where}/value", value_max, required=False)
    options = element.get("options")
    if isinstance(options, list):
        if len(options) > OPTIONS_MAX:
            errors.append(f"must be less than {OPTIONS_MAX + 1} items [json-pointer:{where}/options]")
        for index, option in enumerate(options):
            at = f"{where}/options/{index}"
            errors += _text(
                option.get("text") if isinstance(option, dict) else None, f"{at}/text", OPTION_TEXT_MAX
            )
            value = option.get("value") if isinstance(option, dict) else None
            errors += _length(value, f"{at}/value", OPTION_VALUE_MAX, required=False)
    return errors


def _text(obj: Any, where: str, most: int, *, plain_only: bool = False) -> list[str]:
    allowed = {"plain_text"} if plain_only else TEXT_TYPES
    if not isinstance(obj, dict) or obj.get("type") not in allowed:
        return [f"failed to match all allowed schemas [json-pointer:{where}]"]
    return _length(obj.get("text"), f"{where}/text", most)


def _length(value: Any, where: str, most: int, *, required: bool = True) -> list[str]:
    if value is None:
        return [f"must be more than 0 characters [json-pointer:{where}]"] if required else []
    text = str(value)
    if required and not text:
        return [f"must be more than 0 characters [json-pointer:{where}]"]
    if len(text) > most:
        return [f"must be less than {most + 1} characters [json-pointer:{where}]"]
    return []
