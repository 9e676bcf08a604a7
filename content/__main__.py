"""``python -m content [table|quiz|check|stats|eval] [--dir DIR]``: show or check the teaching content."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from content import evaluate, fairness, guesser
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
    if hasattr(args, "run"):
        return args.run(data, args)
    if args.command == "check":
        if unfair := fairness.problems(data) + guesser.problems(data):
            print("\n".join(map(str, unfair)), file=sys.stderr)
            return 1
        print(f"ok: {len(data.topics)} topics, {len(data.questions)} questions")
    elif args.command == "stats":
        print(format_stats(data))
    elif args.command == "quiz":
        print(format_quiz(data))
    else:
        rows = [(c.name, c.mlops, c.devops) for c in data.topics]
        print(render_table(("Topic", "MLOps", "DevOps"), rows, terminal_width()))
    return 0


def format_quiz(data: Content) -> str:
    blocks = []
    for number, question in enumerate(data.questions, 1):
        lines = [
            f"{number}. [{question.id}] ({question.difficulty}, {question.topic}, {question.source})",
            question.prompt,
            *(f"   {choice.letter}) {choice.text}" for choice in question.choices),
            f"Answer: {question.answer} — {question.explanation}",
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_stats(data: Content) -> str:
    """The figures the fairness rules look at, and how the bank spreads over difficulty and topics."""
    bank = fairness.figures(data)

    def counted(count: int) -> str:
        return f"{count} ({bank.share(count):.0%})"

    low, high = fairness.POSITION_RANGE
    per_topic = bank.per_topic.values()
    width = max((len(key) for key in bank.per_topic), default=0)
    lines = [
        f"{len(data.topics)} topics, {bank.total} questions",
        f"Correct choice strictly the longest: {counted(len(bank.longest))}"
        f" (at most {fairness.LONGEST_LIMIT:.0%})",
        "Answer positions: "
        + " · ".join(f"{letter} {counted(len(ids))}" for letter, ids in bank.positions.items())
        + f" (each {low:.0%}-{high:.0%})",
        "Difficulty: " + " · ".join(f"{level} {counted(n)}" for level, n in bank.difficulty.items()),
        f"Questions per topic: {min(per_topic, default=0)} to {max(per_topic, default=0)}",
        *(f"  {key:<{width}}  {count}" for key, count in bank.per_topic.items()),
        *_guesser_lines(data),
    ]
    return "\n".join(lines)


def _guesser_lines(data: Content) -> list[str]:
    """Each guesser's share right on every group of questions, one column a group, best guesser first."""
    shares: dict[str, dict[str, float]] = {}
    for score in guesser.scores(data):
        shares.setdefault(score.name, {})[score.group] = score.share
    header = (
        f"Guessers who know no MLOps, share right (chance 25%, at most {guesser.LIMIT:.0%}) "
        f"on {' and on '.join(guesser.GROUPS)}:"
    )
    rows = sorted(shares.items(), key=lambda row: -max(row[1].values()))
    return [
        header,
        *(
            "  "
            + "  ".join(f"{by_group[g]:6.1%}" if g in by_group else "     -" for g in guesser.GROUPS)
            + f"  {name}"
            for name, by_group in rows
        ),
    ]


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
    commands.add_parser("table", parents=[common], help="every topic side by side (the default)")
    commands.add_parser("quiz", parents=[common], help="every question with its answer")
    commands.add_parser("check", parents=[common], help="validate the data files and the quiz's fairness")
    commands.add_parser(
        "stats", parents=[common], help="the quiz bank's figures: positions, mix, and every guesser's score"
    )
    evaluate.add_command(commands, [common])
    return parser


if __name__ == "__main__":
    sys.exit(main())
