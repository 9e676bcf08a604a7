"""What one element of a `block_actions` payload stands for."""

from __future__ import annotations

from typing import Any


def action_value(action: dict[str, Any]) -> str:
    """A button's value, or the value of the option picked in a menu; "" when there is neither."""
    option = action.get("selected_option")
    if isinstance(option, dict):
        return str(option.get("value") or "")
    return str(action.get("value") or "")
