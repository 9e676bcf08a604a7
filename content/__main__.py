"""``python -m content [table|quiz|check] [--dir DIR]``: show or check the teaching content."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from content.loader import load
from content.model import Content
from content.problems import ContentError
from content.table import render_table, terminal_width


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = load(getattr(args, "dir", None))
    except ContentError as err:
        print(err, file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"ok: {len(data.categories)} categories, {len(data.questions)} questions")
    elif args.command == "quiz":
        print(format_quiz(data))
    else:
        rows = [(c.name, c.mlops, c.devops) for c in data.categories]
        print(render_table(("Category", "MLOps", "DevOps"), rows, terminal_width()))
    return 0


def format_quiz(data: Content) -> str:
    blocks = []
    for number, question in enumerate(data.questions, 1):
        lines = [
            f"{number}. [{question.id}] ({question.difficulty}, {question.category}, {question.source})",
            question.prompt,
            *(f"   {choice.letter}) {choice.text}" for choice in question.choices),
            f"Answer: {question.answer} — {question.explanation}",
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _parser() -> argparse.ArgumentParser:
    # --dir is accepted before or after the command; SUPPRESS keeps a subcommand from resetting it to None.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--dir", type=Path, default=argparse.SUPPRESS, help="read the TOML files from DIR, not content/data"
    )
    parser = argparse.ArgumentParser(
        prog="python -m content", parents=[common], description="Show or check the MLOps vs DevOps content."
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("table", parents=[common], help="every category side by side (the default)")
    commands.add_parser("quiz", parents=[common], help="every question with its answer")
    commands.add_parser("check", parents=[common], help="validate the data files")
    return parser


if __name__ == "__main__":
    sys.exit(main())
