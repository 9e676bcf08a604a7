"""Plain-text tables for the terminal."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

MIN_WIDTH = 80
_GAP = " | "


def terminal_width() -> int:
    return max(MIN_WIDTH, shutil.get_terminal_size().columns)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    """Columns no wider than ``width`` in total, long cells wrapped onto more lines.

    The first column is as wide as its longest cell (up to a quarter of the width); the other columns
    share the rest evenly.
    """
    usable = width - len(_GAP) * (len(headers) - 1)
    first = min(max(len(row[0]) for row in [headers, *rows]), usable // 4)
    rest = (usable - first) // (len(headers) - 1)
    widths = [first] + [rest] * (len(headers) - 1)
    rule = "-+-".join("-" * w for w in widths)
    lines = [*_row(headers, widths), rule]
    for row in rows:
        lines += [*_row(row, widths), rule]
    return "\n".join(lines[:-1])


def _row(cells: Sequence[str], widths: Sequence[int]) -> list[str]:
    wrapped = [
        textwrap.wrap(cell, width, break_on_hyphens=False) or [""]
        for cell, width in zip(cells, widths, strict=True)
    ]
    height = max(len(lines) for lines in wrapped)
    padded = [lines + [""] * (height - len(lines)) for lines in wrapped]
    return [
        _GAP.join(lines[i].ljust(width) for lines, width in zip(padded, widths, strict=True)).rstrip()
        for i in range(height)
    ]
