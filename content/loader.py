"""Read the content's TOML files into the immutable model, reporting every problem at once.

A content folder holds any number of ``*.toml`` files, read in name order; each may hold ``[[topic]]`` and
``[[question]]`` tables, so a bank can be split by area (one file for LLMOps, one for governance…).
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from content.fields import Fields
from content.model import DIFFICULTIES, Choice, Content, Difficulty, Question, Reference, Topic
from content.problems import BANK, ContentError, Problem, entry_label
from content.validate import content_problems, question_problems, thin_topics

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
# A card must fit one phone screen: about 25 lines of 40 characters, some 150 words, less the header, the
# buttons and the two sides, which sit in half-width columns and so take twice the lines.
SIDE_WORDS = 30  # each of the MLOps and DevOps sides: about twelve lines of a half-width column
EXAMPLE_WORDS = 60  # one short scenario, not a list of tools
CARD_WORDS = 120  # both sides, "why" and the example together
SUMMARY_WORDS = 20  # the card's first line: read before deciding to read on
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
    """Read and validate every ``*.toml`` file in ``directory``, without caching."""
    problems: list[Problem] = []
    topics: list[Topic] = []
    questions: list[Question] = []
    files = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    if not files:
        problems.append(Problem(str(directory), None, "no .toml content files in this folder"))
    all_read = True
    for path in files:
        raw = _read_file(path, problems)
        all_read = all_read and raw is not None
        raw = raw or {"topic": [], "question": []}
        topics += (_topic(entry, path.name, n, problems) for n, entry in enumerate(raw["topic"], 1))
        questions += (_question(entry, path.name, n, problems) for n, entry in enumerate(raw["question"], 1))
    content = Content(tuple(topics), tuple(questions))
    if files and not problems:  # after a file that could not be read, an empty table says nothing new
        problems += [
            Problem(BANK, None, f"no [[{table}]] entries in any file of {directory}")
            for table, entries in (("topic", topics), ("question", questions))
            if not entries
        ]
    problems.extend(content_problems(content))
    if all_read:  # a file that could not be read takes its questions with it: counting them says nothing
        problems.extend(thin_topics(content))
    if problems:
        raise ContentError(sorted(problems, key=lambda problem: problem.file))
    return content


def _read_file(path: Path, problems: list[Problem]) -> dict[str, list[dict[str, Any]]] | None:
    """The ``[[topic]]`` and ``[[question]]`` entries of one file; None (and a problem) when it cannot be
    read or is not valid TOML."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        problems.append(Problem(path.name, None, f"cannot be read ({err.strerror or err})"))
        return None
    except UnicodeDecodeError as err:
        problems.append(Problem(path.name, None, f"not valid UTF-8 (byte {err.start})"))
        return None
    except tomllib.TOMLDecodeError as err:
        reason, where = str(err), ""
        if position := _TOML_POSITION.search(reason):
            reason, where = reason[: position.start()], " at line {}, column {}".format(*position.groups())
        problems.append(Problem(path.name, None, f"TOML syntax error{where}: {reason}"))
        return None
    fields = Fields(data, path.name, None, problems)
    entries = {table: fields.tables(table, required=False) for table in ("topic", "question")}
    fields.reject_unknown()
    return entries


def _topic(raw: dict[str, Any], file: str, position: int, problems: list[Problem]) -> Topic:
    fields = Fields(raw, file, entry_label(raw.get("key"), "topic", position), problems)
    key = fields.text("key")
    if key and not KEY_PATTERN.fullmatch(key):
        fields.report("key", f"{key!r} is not lowercase letters, digits and underscores")
    topic = Topic(
        key=key,
        name=fields.text("name", limit=NAME_LIMIT),
        summary=_words_at_most(fields, "summary", fields.optional_text("summary") or "", SUMMARY_WORDS),
        aliases=fields.texts("aliases", limit=NAME_LIMIT),
        mlops=_words_at_most(fields, "mlops", fields.text("mlops"), SIDE_WORDS),
        devops=_words_at_most(fields, "devops", fields.text("devops"), SIDE_WORDS),
        why=_why(fields),
        example=_words_at_most(fields, "example", fields.optional_text("example") or "", EXAMPLE_WORDS)
        or None,
        see_also=fields.texts("see_also"),
        references=_references(fields),
        file=file,
    )
    fields.reject_unknown()
    words = sum(len(text.split()) for text in (topic.mlops, topic.devops, topic.why, topic.example or ""))
    if words > CARD_WORDS:
        fields.report(None, f"the card has {words} words, more than {CARD_WORDS} (one phone screen)")
    return topic


def _words_at_most(fields: Fields, name: str, text: str, limit: int) -> str:
    if (words := len(text.split())) > limit:
        fields.report(name, f"{words} words, more than {limit}")
    return text


def _why(fields: Fields) -> str:
    why = _words_at_most(fields, "why", fields.text("why"), WHY_WORDS)
    sentences = len(_SENTENCE_END.findall(why))
    if sentences > WHY_SENTENCES:
        fields.report("why", f"{sentences} sentences, more than {WHY_SENTENCES}")
    return why


def _references(topic: Fields) -> tuple[Reference, ...]:
    tables = topic.tables("references")
    if len(tables) > MAX_REFERENCES:
        topic.report("references", f"has {len(tables)} entries, needs 1 to {MAX_REFERENCES}")
    return tuple(_reference(topic, raw, n) for n, raw in enumerate(tables, 1))


def _reference(topic: Fields, raw: dict[str, Any], position: int) -> Reference:
    fields = topic.nested(raw, f"reference {position}")
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


def _question(raw: dict[str, Any], file: str, position: int, problems: list[Problem]) -> Question:
    entry = entry_label(raw.get("id"), "question", position)
    fields = Fields(raw, file, entry, problems)
    question_id = fields.text("id")
    if question_id and not ID_PATTERN.fullmatch(question_id):
        fields.report("id", f"{question_id!r} is not lowercase kebab-case")
    prompt = fields.text("prompt")
    difficulty = fields.text("difficulty")
    if difficulty and difficulty not in DIFFICULTIES:
        fields.report("difficulty", f"{difficulty!r} is not one of {', '.join(DIFFICULTIES)}")
    topic = fields.text("topic")
    source = fields.text("source")
    if source and not SOURCE_PATTERN.fullmatch(source):
        fields.report("source", f"{source!r} is not 'original' or '<seed file> practice|challenge N'")
    question = Question(
        id=question_id,
        prompt=prompt,
        difficulty=cast(Difficulty, difficulty),
        topic=topic,
        source=source,
        answer=fields.text("answer"),
        explanation=fields.text("explanation"),
        hint=fields.text("hint"),
        mistakes=fields.texts("mistakes"),
        answered_by=fields.text("answered_by"),
        choices=tuple(_choice(fields, raw, n) for n, raw in enumerate(fields.tables("choices"), 1)),
        file=file,
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
