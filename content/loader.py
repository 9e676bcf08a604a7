"""Read categories.toml and questions.toml into the immutable model, reporting every problem at once."""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from content.fields import Fields
from content.model import DIFFICULTIES, Category, Choice, Content, Difficulty, Question, Reference
from content.problems import CATEGORIES_FILE, QUESTIONS_FILE, ContentError, Problem, entry_label
from content.validate import content_problems, question_problems

DATA_DIR = Path(__file__).resolve().parent / "data"

NAME_LIMIT = 150  # Slack header block text
CHOICE_LIMIT = 75  # Slack button label
KEY_PATTERN = re.compile(r"[a-z0-9_]+")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCE_PATTERN = re.compile(r"original|\S+ (?:practice|challenge) [1-9][0-9]*")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
MAX_REFERENCES = 2  # "Learn more" stays short: one or two sources a reader can open
URL_LIMIT = 500
WHY_WORDS, WHY_SENTENCES = 40, 2  # "Why they differ" is read at a glance on the card
# The end of a sentence: . ! or ? (and any closing quote or bracket) before the end or before the
# capital, digit, quote or code that starts the next one; so "Sculley et al. showed" and "e.g. Git" are one.
_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)[.!?][\"')\]]*(?=\s*$|\s+[A-Z0-9\"'(`])")


def load(directory: Path | None = None) -> Content:
    """The content in ``directory`` (default: content/data, read once per process).

    Raises ContentError listing every problem in the files.
    """
    return _load_default() if directory is None else read(Path(directory))


@functools.lru_cache(maxsize=1)
def _load_default() -> Content:
    return read(DATA_DIR)


def read(directory: Path) -> Content:
    """Read and validate the two files in ``directory``, without caching."""
    problems: list[Problem] = []
    raw_categories = _read_file(directory, CATEGORIES_FILE, "category", problems)
    raw_questions = _read_file(directory, QUESTIONS_FILE, "question", problems)
    categories = tuple(_category(raw, n, problems) for n, raw in enumerate(raw_categories, 1))
    questions = tuple(_question(raw, n, problems) for n, raw in enumerate(raw_questions, 1))
    content = Content(categories, questions)
    problems.extend(content_problems(content))
    if problems:
        raise ContentError(sorted(problems, key=lambda problem: problem.file))
    return content


def _read_file(directory: Path, file: str, table: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """The ``[[table]]`` entries of one file; [] (and a problem) when it is missing or not valid TOML."""
    try:
        data = tomllib.loads((directory / file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(file, None, f"file not found in {directory}"))
        return []
    except UnicodeDecodeError as err:
        problems.append(Problem(file, None, f"not valid UTF-8 (byte {err.start})"))
        return []
    except tomllib.TOMLDecodeError as err:
        reason, where = str(err), ""
        if position := _TOML_POSITION.search(reason):
            reason, where = reason[: position.start()], " at line {}, column {}".format(*position.groups())
        problems.append(Problem(file, None, f"TOML syntax error{where}: {reason}"))
        return []
    fields = Fields(data, file, None, problems)
    entries = fields.tables(table)
    fields.reject_unknown()
    return entries


def _category(raw: dict[str, Any], position: int, problems: list[Problem]) -> Category:
    fields = Fields(raw, CATEGORIES_FILE, entry_label(raw.get("key"), "category", position), problems)
    key = fields.text("key")
    if key and not KEY_PATTERN.fullmatch(key):
        fields.report("key", f"{key!r} is not lowercase letters, digits and underscores")
    category = Category(
        key=key,
        name=fields.text("name", limit=NAME_LIMIT),
        aliases=fields.texts("aliases", limit=NAME_LIMIT),
        mlops=fields.text("mlops"),
        devops=fields.text("devops"),
        why=_why(fields),
        example=fields.optional_text("example"),
        see_also=fields.texts("see_also"),
        references=_references(fields),
    )
    fields.reject_unknown()
    return category


def _why(fields: Fields) -> str:
    why = fields.text("why")
    words = len(why.split())
    if words > WHY_WORDS:
        fields.report("why", f"{words} words, more than {WHY_WORDS}")
    sentences = len(_SENTENCE_END.findall(why))
    if sentences > WHY_SENTENCES:
        fields.report("why", f"{sentences} sentences, more than {WHY_SENTENCES}")
    return why


def _references(category: Fields) -> tuple[Reference, ...]:
    tables = category.tables("references")
    if len(tables) > MAX_REFERENCES:
        category.report("references", f"has {len(tables)} entries, needs 1 to {MAX_REFERENCES}")
    return tuple(_reference(category, raw, n) for n, raw in enumerate(tables, 1))


def _reference(category: Fields, raw: dict[str, Any], position: int) -> Reference:
    fields = category.nested(raw, f"reference {position}")
    title = fields.text("title", limit=NAME_LIMIT)
    url = fields.text("url", limit=URL_LIMIT)
    if url and not is_https_url(url):
        fields.report("url", f"{url!r} is not an https:// web address")
    fields.reject_unknown()
    return Reference(title=title, url=url)


def is_https_url(url: str) -> bool:
    """An absolute https address with a dotted host name and no spaces: something a reader can open."""
    if any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme == "https" and bool(host) and "." in (host or "").strip(".")


def _question(raw: dict[str, Any], position: int, problems: list[Problem]) -> Question:
    entry = entry_label(raw.get("id"), "question", position)
    fields = Fields(raw, QUESTIONS_FILE, entry, problems)
    question_id = fields.text("id")
    if question_id and not ID_PATTERN.fullmatch(question_id):
        fields.report("id", f"{question_id!r} is not lowercase kebab-case")
    prompt = fields.text("prompt")
    difficulty = fields.text("difficulty")
    if difficulty and difficulty not in DIFFICULTIES:
        fields.report("difficulty", f"{difficulty!r} is not one of {', '.join(DIFFICULTIES)}")
    category = fields.text("category")
    source = fields.text("source")
    if source and not SOURCE_PATTERN.fullmatch(source):
        fields.report("source", f"{source!r} is not 'original' or '<seed file> practice|challenge N'")
    question = Question(
        id=question_id,
        prompt=prompt,
        difficulty=cast(Difficulty, difficulty),
        category=category,
        source=source,
        answer=fields.text("answer"),
        explanation=fields.text("explanation"),
        hint=fields.text("hint"),
        mistakes=fields.texts("mistakes"),
        choices=tuple(_choice(fields, raw, n) for n, raw in enumerate(fields.tables("choices"), 1)),
    )
    fields.reject_unknown()
    if fields.clean:  # checks of the whole question only make sense once every field reads well
        problems.extend(question_problems(question, entry))
    return question


def _choice(question: Fields, raw: dict[str, Any], position: int) -> Choice:
    letter = raw.get("letter")
    fields = question.nested(raw, f"choice {letter if isinstance(letter, str) else position}")
    choice = Choice(
        letter=fields.text("letter", limit=1),
        text=fields.text("text", limit=CHOICE_LIMIT),
        why_wrong=fields.optional_text("why_wrong"),
    )
    fields.reject_unknown()
    return choice
