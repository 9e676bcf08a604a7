"""Find the topics a user means from free text, in three steps, the first that answers winning:

1. term: the text is a topic's key, name or alias, as a whole or once filler words are dropped ("what is
   ct?") -> that topic;
2. spelling: the text is a close misspelling of one topic's term ("kubflow"), or shorthand for one ("model
   mon") -> that topic;
3. retrieval: every topic is ranked on everything it says and on how people asked for it
   (`content.retrieval`); the first is shown when the calibrated confidence that the text is about a topic
   of the bank at all clears the threshold, with the runners-up that come close; below it, no topic and the
   likeliest candidates as suggestions.

Terms only match whole words, so "inference" never finds the "ference" of "difference" and "ct" is not the
end of "act". The retrieval index is built once per content, when first needed or ahead of time by
`warm_up` (its imports, the model and the index take about half a second); the first two steps need none of
it. Whatever the text, the answer is a Match, never an exception.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from content.model import Content, Match, Topic
from content.terms import FILLER, MAX_INPUT, abbreviated, named_topics, normalise, term_hits, terms_of

if TYPE_CHECKING:  # these load numpy and the model, so they are imported when first needed
    from content.calibration import Weights
    from content.embedding import StaticEmbedding
    from content.retrieval import Ranked, TopicIndex

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # characters `find_all` reads: a long Slack message
MATCH_SCORE = 80  # fuzz.ratio at or above this is a typo of the term ("montoring", "versoning")
FUZZY_MIN_LENGTH = 4  # shorter words only match exactly: "cat" is not a typo of "ct", nor "a" of "qa"
MAX_SUGGESTIONS = 3
CLOSE_SHARE = 0.35  # a runner-up with this share of the first place's belief is offered beside its card
SUGGEST_SHARE = 0.05  # without a card, candidates with at least this share of belief are suggested...
SUGGEST_CONFIDENCE = 0.2  # ...when the text is at least this likely ours: "the weather today" gets none
MESSAGE_TOPICS = 3  # topics a long message is about, unless the caller asks for more
MESSAGE_TOPICS_MAX = 8  # the most a caller may ask for: beyond that a message is about nothing in particular
CHUNK_WORDS = 30  # a long message is ranked in pieces of at most this many words
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def find(text: str, content: Content, index: TopicIndex | None = None) -> Match:
    """The topic ``text`` is about, how it was found and its close candidates; or Match(None, candidates).
    ``index`` ranks instead of the content's own retrieval index (the evaluation tries others)."""
    if (early := first_steps(text, content)) is not None:
        return early
    index = index or index_for(content)
    if index is None:  # retrieval could not be built: whole terms named anywhere in the text still count
        named = named_topics(normalise(text).split(), terms_of(content.topics))
        return Match(named[0], tuple(named[1:MAX_SUGGESTIONS]), "term") if named else Match(None)
    chunks = _chunks(text[: MAX_INPUT * 2])
    if len(chunks) > 1:
        about = _about(index, chunks)
        if about:
            topics = [index.topics[n] for n, _, _ in about]
            return Match(topics[0], tuple(topics[1:]), "retrieval", about[0][2])
    ranked = index.rank(text)
    first = index.topics[ranked.order[0]]
    belief = ranked.shares[ranked.order[0]]
    if ranked.confidence > index.weights.threshold and says_enough(ranked):
        named = named_topics(normalise(text).split(), terms_of(content.topics))  # "monitoring and retraining"
        runners_up = [index.topics[n] for n in ranked.order[1:] if ranked.shares[n] >= CLOSE_SHARE * belief]
        close = named + runners_up
        others = list({topic.key: topic for topic in close if topic.key != first.key}.values())
        return Match(first, tuple(others[: MAX_SUGGESTIONS - 1]), "retrieval", ranked.matched_on)
    if ranked.confidence < SUGGEST_CONFIDENCE or not says_enough(ranked):  # "lunch" is known, but no question
        return Match(None)
    candidates = [
        index.topics[n] for n in ranked.order[:MAX_SUGGESTIONS] if ranked.shares[n] >= SUGGEST_SHARE
    ]
    return Match(None, tuple(candidates))


def says_enough(ranked: Ranked) -> bool:
    """Two words that carry meaning, or a term: one other word ("decision", "example") is no question."""
    from content.retrieval import CONFIDENCE_FEATURES, LENGTH_CAP

    figures = dict(zip(CONFIDENCE_FEATURES, ranked.features, strict=True))
    return figures["length"] * LENGTH_CAP >= 2 or figures["term"] > 0


def first_steps(text: str, content: Content) -> Match | None:
    """The answer of the term and spelling steps (Match(None) for a text with no word); None when the text
    is for retrieval to rank."""
    query = normalise(text)
    if not query:
        return Match(None)
    terms = terms_of(content.topics)
    target = " ".join(word for word in query.split() if word not in FILLER) or query
    for candidate in (query, target):
        if topic := terms.exact.get(candidate):
            return Match(topic, how="term", matched_on=terms.spelling[candidate])
    if len(target) >= FUZZY_MIN_LENGTH and (spelt := _close_spelling(target, terms.listed)):
        return Match(terms.exact[spelt], how="spelling", matched_on=terms.spelling[spelt])
    for candidate in (query, target):  # shorthand for one topic's term, word for word: "model mon"
        if " " not in candidate:
            continue  # one word alone is no shorthand here: "cat" is a word of its own, not "catalog"
        term, topic = abbreviated(candidate.split(), terms)
        if topic is not None:
            return Match(topic, how="spelling", matched_on=terms.spelling.get(term, term))
    return None


def find_all(
    text: str, content: Content, index: TopicIndex | None = None, limit: int = MESSAGE_TOPICS
) -> tuple[Topic, ...]:
    """Up to ``limit`` (at most MESSAGE_TOPICS_MAX) topics a longer text (a whole Slack message) is about,
    the surest first."""
    limit = max(1, min(limit, MESSAGE_TOPICS_MAX))
    index = index or index_for(content)
    if index is None:
        return tuple(named_topics(normalise(text, MAX_TEXT).split(), terms_of(content.topics))[:limit])
    return tuple(index.topics[n] for n, _, _ in _about(index, _chunks(text[:MAX_TEXT]), limit))


def _about(index: TopicIndex, chunks: list[str], limit: int = MESSAGE_TOPICS) -> list[tuple[int, float, str]]:
    """(topic index, score, what it matched on) of the topics the chunks are about, the surest first, at
    most ``limit``. A chunk counts for its first place when that is sure, and, unless it is plainly about
    something else, for each topic it names by a term (a message may name a topic in passing)."""
    terms = terms_of(index.topics)
    best: dict[int, tuple[float, str]] = {}

    def count(topic: int, score: float, matched_on: str) -> None:
        if score > best.get(topic, (0.0, ""))[0]:
            best[topic] = (score, matched_on)

    for chunk, ranked in zip(chunks, index.rank_many(chunks), strict=True):
        if not says_enough(ranked):
            continue  # one word out of a message ("main()" in a stack trace) is no topic
        if ranked.confidence > index.weights.threshold:
            count(ranked.order[0], ranked.confidence, ranked.matched_on)
        if ranked.confidence < SUGGEST_CONFIDENCE:
            continue  # "my monitor keeps flickering" names no topic of ours
        for hit in term_hits(normalise(chunk).split(), terms):
            n = index.position(hit.topic.key)
            count(n, index.weights.threshold * ranked.shares[n], hit.term)
    surest = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
    return [(n, score, matched_on) for n, (score, matched_on) in surest]


def _chunks(text: str) -> list[str]:
    """The sentences of ``text``, long ones cut into pieces of CHUNK_WORDS words."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        pieces += [" ".join(words[n : n + CHUNK_WORDS]) for n in range(0, len(words), CHUNK_WORDS)]
    return pieces


def _close_spelling(target: str, terms: tuple[str, ...]) -> str | None:
    """The one term ``target`` is a close misspelling of, word for word, if exactly one is closest. A typo
    rarely changes the first letter, and requiring it keeps "inference" away from "difference"; counting
    words keeps "version of the song" away from "versions"."""
    from rapidfuzz import fuzz, process  # only typos need it: an exact term answers without loading it

    words = len(target.split())
    scored = [
        (score, term)
        for term, score, _ in process.extract(
            target, terms, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE, limit=5
        )
        if term[0] == target[0] and len(term) >= FUZZY_MIN_LENGTH and len(term.split()) == words
    ]
    if scored and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


# --- the retrieval index, built once per content --------------------------------------------------------

_lock = threading.Lock()
_built: dict[int, tuple[Content, TopicIndex | None]] = {}


def index_for(content: Content) -> TopicIndex | None:
    """The content's retrieval index with the embedding model (words and terms alone when the model cannot
    be read); None when it cannot be built at all, which is logged once."""
    with _lock:
        if (entry := _built.get(id(content))) is not None and entry[0] is content:
            return entry[1]
        try:
            index: TopicIndex | None = build_index(content, _model())
        except Exception:  # the lookup must answer with its first steps whatever happens here
            log.exception(
                "lookup: cannot build the retrieval index; only whole terms and spellings will match"
            )
            index = None
        _built[id(content)] = (content, index)
        return index


def build_index(
    content: Content,
    embedding: StaticEmbedding | None,
    examples: Mapping[str, Sequence[str]] | None = None,
    weights: Weights | None = None,
) -> TopicIndex:
    """The retrieval index of ``content``, ranking with ``examples`` (default: the routing set's dev phrases,
    how people asked for each topic) and ``weights`` (default: the calibrated ones)."""
    from content.calibration import load_weights
    from content.retrieval import TopicIndex
    from content.routing_set import examples as asked_for
    from content.routing_set import load_routing_set

    if examples is None:
        examples = asked_for(load_routing_set().in_split("dev").phrases)
    return TopicIndex(content, embedding, weights or load_weights(), examples)


@functools.cache
def _model() -> StaticEmbedding | None:
    """The embedding model, read once per process (a missing model is one warning, not one per content)."""
    from content import embedding

    return embedding.load()


def warm_up(load_content: Callable[[], Content], delay: float = 0.0) -> threading.Timer:
    """Build the retrieval index in a background thread ``delay`` seconds from now, so the first question
    that needs it does not wait; the first requests after a start do not wait for it either."""
    timer = threading.Timer(delay, lambda: index_for(load_content()))
    timer.daemon = True
    timer.start()
    return timer
