"""python -m content: the comparison table, the quiz bank, and the data check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import content
from tests.content.test_validation import CASES, broken_dir

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "content", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_the_table_fits_the_terminal(columns: int) -> None:
    result = run(columns=columns)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [cell.strip() for cell in lines[0].split(" | ")] == ["Topic", "MLOps", "DevOps"]
    assert max(len(line) for line in lines) <= columns
    assert len({line.index(" | ") for line in lines if " | " in line}) == 1  # the columns line up
    words = result.stdout.split()
    for topic in content.topics():
        assert set(f"{topic.name} {topic.mlops} {topic.devops}".split()) <= set(words)


def test_a_narrow_terminal_still_gets_80_columns() -> None:
    lines = run(columns=20).stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert max(len(line) for line in lines) > 60


def test_a_wide_table_shows_the_seed_rows_whole() -> None:
    lines = run("table", columns=200).stdout.splitlines()
    row = next(line for line in lines if line.startswith("Monitoring "))
    assert "Model performance and data drift monitoring" in row
    assert row.rstrip().endswith("Application and infrastructure monitoring")


def test_quiz_prints_every_question_with_its_answer() -> None:
    result = run("quiz")
    assert result.returncode == 0, result.stderr
    for question in content.questions():
        assert question.prompt in result.stdout
        assert f"Answer: {question.answer} — {question.explanation}" in result.stdout
        for choice in question.choices:
            assert f"{choice.letter}) {choice.text}" in result.stdout


def test_check_passes_on_the_real_data() -> None:
    result = run("check")
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        result.stdout == f"ok: {len(content.topics())} topics, {len(content.questions())} questions\n"
    )


@pytest.mark.parametrize(
    "args", [("check", "--dir", "DIR"), ("--dir", "DIR", "check"), ("--dir", "DIR"), ("quiz", "--dir", "DIR")]
)
def test_broken_data_fails_with_file_and_entry(args: tuple[str, ...], tmp_path: Path) -> None:
    directory = str(broken_dir("several_problems", tmp_path))
    result = run(*(directory if arg == "DIR" else arg for arg in args))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == CASES["several_problems"]


def test_check_reports_a_folder_without_content(tmp_path: Path) -> None:
    result = run("check", "--dir", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"{tmp_path}: no .toml content files in this folder\n"
