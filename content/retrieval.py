"""Rank every topic for a free-text query, and say how sure the first place is.

Three signals, each over everything a topic says (name, aliases, both sides, why, example, its questions'
prompts and explanations) and the phrasings people used for it (the routing set's dev split):

- words: BM25 (`bm25s`) over stemmed words, after close misspellings of the bank's words are corrected
  ("reproducable" -> "reproducible") and split compounds joined ("roll back" -> "rollback");
- meaning: cosine similarity of static embeddings (`content.embedding`), the best of the topic's passages
  and the topic as a whole, for the query as typed and for its words that carry meaning;
- terms: the topic's own terms named in the query, whole or abbreviated ("model mon").

A linear weighting of them, fitted on the routing set's dev split (`content.calibration`), ranks the
topics; a logistic model of the query's figures says how likely it is to be about a topic of the bank at
all, which the bot compares with the calibrated threshold. Without the embedding model the same runs on
words and terms alone, with weights fitted that way.
"""

from __future__ import annotations

import copy
import itertools
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from content.calibration import ModeWeights, Weights
from content.embedding import StaticEmbedding
from content.model import Content, Topic
from content.terms import MAX_INPUT, TermHit, normalise, term_hits, terms_of


def _bm25s_on_numpy() -> ModuleType:
    """bm25s on its numpy backend, which ranks the same as its scipy one. When scipy is installed (the
    tests' scikit-learn brings it) and not loaded yet, bm25s would import it: 27 MiB of a bot process."""
    blocked = "scipy" not in sys.modules
    if blocked:
        sys.modules["scipy"] = None  # type: ignore[assignment]  # `import scipy` now fails, as if absent
    try:
        import bm25s
    finally:
        if blocked:
            del sys.modules["scipy"]
    return bm25s


bm25s = _bm25s_on_numpy()

TERM_REPEAT = 2  # a topic's terms count twice in its BM25 document: they say most about it
TYPO_MIN = 5  # shorter words are only ever taken as typed: "cake" is not a typo of "cace"
LENGTH_CAP = 6  # content words past this no longer make a query more specific
RARE_IN = 5  # a word in more topics' text than this says little about why one of them matched
# Question words, pronouns and negations carry no topic: "how do we know" is in every topic's text.
STOPWORDS = frozenset(normalise(word) for word in bm25s.stopwords.STOPWORDS_EN_PLUS) | frozenset(
    (
        *("actually", "anyone", "cant", "didnt", "dont", "doesnt", "get", "got", "help", "hows", "im"),
        *("isnt", "need", "please", "pls", "really", "thats", "theres", "u", "whats", "wont", "ya"),
        *("v", "versus", "vs", "explain", "mean", "tell", "hello", "hey", "hi", "thank", "thanks"),
    )
)

RANK_FEATURES = ("words", "meaning", "meaning_overall", "meaning_content", "term", "term_share")
CONFIDENCE_FEATURES = (
    "score",
    "lead",
    "known_share",
    "term",
    "term_share",
    "meaning",
    "topic_share",
    "length",
    "context_fit",
    "bank_words",
)


@dataclass(frozen=True, slots=True)
class Ranked:
    """One query's ranking: topic indexes best first, each topic's share of belief (a softmax of the fused
    scores), how likely the query is about a topic of the bank, and what the first place matched on."""

    order: tuple[int, ...]
    shares: tuple[float, ...]
    confidence: float
    matched_on: str
    features: tuple[float, ...]  # CONFIDENCE_FEATURES of the query, for calibration


@dataclass(frozen=True, slots=True)
class _Query:
    words: list[str]  # normalised, misspellings corrected
    content: list[str]  # words that carry meaning, with joined compounds
    embedded: str  # what the embedding model reads
    stem_ids: list[int]  # BM25 vocabulary ids of the content words' stems
    known_share: float  # of the content words, the share the bank uses


@dataclass(frozen=True, slots=True)
class _Vectors:
    typed: np.ndarray  # the query as typed
    content: np.ndarray  # its words that carry meaning
    words: np.ndarray  # one row per content word


class TopicIndex:
    """Everything a content's topics say, and what people asked of them, indexed for ranking."""

    def __init__(
        self,
        content: Content,
        embedding: StaticEmbedding | None,
        weights: Weights,
        examples: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """``examples``: phrases people typed, by the key of the topic that answers them."""
        self.topics = content.topics
        self.embedding = embedding
        self.weights: ModeWeights = weights.semantic if embedding is not None else weights.lexical
        self._terms = terms_of(content.topics)
        self._position = {topic.key: n for n, topic in enumerate(self.topics)}
        self._stemmer = Stemmer.Stemmer("english")
        questions: dict[str, list[str]] = {}
        for question in content.questions:
            questions.setdefault(question.topic, []).extend((question.prompt, question.explanation))
        names = [[topic.key.replace("_", " "), topic.name, *topic.aliases] for topic in self.topics]
        bodies = [
            [topic.mlops, topic.devops, topic.why, topic.example or "", *questions.get(topic.key, ())]
            for topic in self.topics
        ]
        documents = [
            [word for text in terms for word in normalise(text).split()] * TERM_REPEAT
            + self._content_words(body)
            for terms, body in zip(names, bodies, strict=True)
        ]
        # The bank's own words decide what is known and what is a typo; people's phrasings only rank.
        self._known = frozenset(word for document in documents for word in document)
        self._spellings = sorted(self._known)
        asked = [list((examples or {}).get(topic.key, ())) for topic in self.topics]
        said = [self._stemmer.stemWords(document) for document in documents]
        stemmed = [
            stems + self._stemmer.stemWords(self._content_words(phrases))
            for stems, phrases in zip(said, asked, strict=True)
        ]
        self._bm25 = bm25s.BM25()
        self._bm25.index(stemmed, show_progress=False)
        self._stem_ids: dict[str, int] = self._bm25.vocab_dict
        self._bank_stems = frozenset(stem for stems in said for stem in stems)
        self._topic_stems = [frozenset(self._stem_ids[stem] for stem in stems) for stems in stemmed]
        # what each card itself says, so that the words a card says it matched on are on the card
        self._card_stems = [frozenset(self._stem_ids[stem] for stem in stems) for stems in said]
        self._document_counts = Counter(stem for stems in self._card_stems for stem in stems)
        if embedding is not None:
            self._embed_passages(names, [body + phrases for body, phrases in zip(bodies, asked, strict=True)])

    @staticmethod
    def _content_words(texts: list[str]) -> list[str]:
        words = (word for text in texts for word in normalise(text, len(text)).split())
        return [word for word in words if word not in STOPWORDS]

    def _embed_passages(self, names: list[list[str]], bodies: list[list[str]]) -> None:
        assert self.embedding is not None
        passages: list[str] = []
        self._term_rows: list[tuple[int, int]] = []  # each topic's rows of terms: [start, end)
        for terms, body in zip(names, bodies, strict=True):
            self._term_rows.append((len(passages), len(passages) + len(terms)))
            passages += [normalise(text, len(text)) for text in (*terms, *body)]
        self._passages = self.embedding.embed(passages)
        self._first_rows = np.asarray([start for start, _ in self._term_rows])  # each topic's rows follow
        self._end_rows = np.asarray([*self._first_rows[1:], len(passages)])
        overall = np.stack(
            [self._passages[a:b].mean(axis=0) for a, b in zip(self._first_rows, self._end_rows, strict=True)]
        )
        self._overall = overall / np.maximum(np.linalg.norm(overall, axis=1, keepdims=True), 1e-9)

    # --- ranking ---------------------------------------------------------------------------------

    def rank(self, text: str, limit: int = MAX_INPUT) -> Ranked:
        return self.rank_many([text], limit)[0]

    def rank_many(self, texts: list[str], limit: int = MAX_INPUT) -> list[Ranked]:
        """Rank the topics for each text (at most ``limit`` characters of each), embedding them together."""
        queries = [self._query(text, limit) for text in texts]
        vectors = self._vectors(queries)
        return [self._ranked(query, vectors[n] if vectors else None) for n, query in enumerate(queries)]

    def _vectors(self, queries: list[_Query]) -> list[_Vectors] | None:
        """Each query's vectors, from one call to the model."""
        if self.embedding is None:
            return None
        texts = [text for q in queries for text in (q.embedded, " ".join(q.content), *q.content)]
        rows = self.embedding.embed(texts)
        found, start = [], 0
        for q in queries:
            found.append(_Vectors(rows[start], rows[start + 1], rows[start + 2 : start + 2 + len(q.content)]))
            start += 2 + len(q.content)
        return found

    def _query(self, text: str, limit: int) -> _Query:
        typed = normalise(text, limit).split()
        words = [self._corrected(word) for word in typed]
        compounds = [a + b for a, b in itertools.pairwise(words) if a + b in self._known]
        content = [word for word in words if word not in STOPWORDS]
        stems = self._stemmer.stemWords(content + compounds)
        embedded = " ".join(typed + [w for w, t in zip(words, typed, strict=True) if w != t] + compounds)
        known = sum(self._is_known(word) for word in content)
        return _Query(
            words,
            content + compounds,
            embedded,
            [self._stem_ids[stem] for stem in stems if stem in self._stem_ids],
            known / len(content) if content else 0.0,
        )

    def _is_known(self, word: str) -> bool:
        return word in self._known or self._stemmer.stemWord(word) in self._bank_stems

    def _corrected(self, word: str) -> str:
        """The bank's word ``word`` misspells: same first letter, one edit away (two from seven letters),
        not shorter unless the typed word is long. Words the bank uses, short words and common words stay
        as typed."""
        if len(word) < TYPO_MIN or not word.isalpha() or word in STOPWORDS or self._is_known(word):
            return word
        if self.embedding is not None and self.embedding.is_whole_word(word):
            return word  # a common word of its own ("lunch"), not a misspelling of ours ("launch")
        edits = 1 if len(word) <= 6 else 2
        best = process.extractOne(word, self._spellings, scorer=OSA.distance, score_cutoff=edits)
        if best is None or best[0][0] != word[0] or (len(best[0]) < len(word) and len(word) < 6):
            return word
        return best[0]

    def uses_a_word_of(self, text: str) -> bool:
        """Whether the bank uses a word of ``text`` that carries meaning (as typed or as misspelt)."""
        return self._query(text, MAX_INPUT).known_share > 0

    def position(self, key: str) -> int:
        return self._position[key]

    def rank_features(self, text: str) -> np.ndarray:
        """The topics x RANK_FEATURES matrix the ranking weighs, for fitting its weights."""
        query = self._query(text, MAX_INPUT)
        vectors = self._vectors([query])
        return self._features(query, vectors[0] if vectors else None)[0]

    def reweighted(self, weights: ModeWeights) -> TopicIndex:
        """The same index ranking with other weights (calibration tries them)."""
        other = copy.copy(self)
        other.weights = weights
        return other

    def _features(self, query: _Query, vectors: _Vectors | None) -> tuple[np.ndarray, list[TermHit]]:
        features = np.zeros((len(self.topics), len(RANK_FEATURES)), dtype=np.float32)
        if query.stem_ids:
            words = self._bm25.get_scores_from_ids(query.stem_ids)
            if words.max() > 0:
                features[:, 0] = words / words.max()
        if vectors is not None:
            features[:, 1] = np.maximum.reduceat(self._passages @ vectors.typed, self._first_rows)
            features[:, 2] = self._overall @ vectors.typed
            features[:, 3] = np.maximum.reduceat(self._passages @ vectors.content, self._first_rows)
        hits = term_hits(query.words, self._terms, self._known)
        content_count = max(len([w for w in query.words if w not in STOPWORDS]), 1)
        for hit in hits:
            n = self._position[hit.topic.key]
            features[n, 4] = 1.0
            features[n, 5] += (
                len([w for w in hit.term.split() if normalise(w) not in STOPWORDS]) / content_count
            )
        return features, hits

    def _ranked(self, query: _Query, vectors: _Vectors | None) -> Ranked:
        count = len(self.topics)
        features, hits = self._features(query, vectors)
        scores = features @ np.asarray(self.weights.rank, dtype=np.float32)
        order = tuple(int(n) for n in np.argsort(-scores, kind="stable"))
        shares = np.exp(scores - scores.max())
        shares /= shares.sum()
        first, second = order[0], order[1] if count > 1 else order[0]
        own = self._topic_stems[first]
        topic_share = (
            sum(stem in own for stem in query.stem_ids) / len(query.stem_ids) if query.stem_ids else 0
        )
        bank_words = (
            float(np.log1p(self._bm25.get_scores_from_ids(query.stem_ids).max())) if query.stem_ids else 0.0
        )
        figures = (
            float(scores[first]),
            float(scores[first] - scores[second]),
            query.known_share,
            float(features[first, 4]),
            float(features[first, 5]),
            float(features[first, 1]),
            topic_share,
            min(len(set(query.content)), LENGTH_CAP) / LENGTH_CAP,  # "why why why" says one thing
            self._context_fit(first, hits, query, vectors),
            bank_words,
        )
        confidence = self.weights.confidence(figures) if query.content else 0.0
        matched_on = self._matched_on(first, hits, query, vectors)
        return Ranked(order, tuple(float(s) for s in shares), confidence, matched_on, figures)

    def _context_fit(self, first: int, hits: list[TermHit], query: _Query, vectors: _Vectors | None) -> float:
        """How well the query's other words fit the first place: of the words that are not its term, the one
        least like anything the topic says ("phone" in "data contract for my phone"); 1 with no such word."""
        if vectors is None or not query.content:
            return 0.0
        key = self.topics[first].key
        named = {word for hit in hits if hit.topic.key == key for word in normalise(hit.term).split()}
        others = [n for n, word in enumerate(query.content) if word not in named]
        if not others:
            return 1.0
        passages = self._passages[self._first_rows[first] : self._end_rows[first]]
        return float((vectors.words[others] @ passages.T).max(axis=1).min())

    def _matched_on(self, first: int, hits: list[TermHit], query: _Query, vectors: _Vectors | None) -> str:
        """The first place's term the query names; else the query's rarest words its text uses ("roll back"
        finds "rollback"); else its term closest in meaning."""
        topic: Topic = self.topics[first]
        for hit in hits:
            if hit.topic.key == topic.key:
                return hit.term
        own = self._card_stems[first]
        shared: dict[str, int] = {}
        for word in query.content:
            stem = self._stem_ids.get(self._stemmer.stemWord(word))
            if stem is not None and stem in own:
                shared.setdefault(word, self._document_counts[stem])
        rare = [
            word
            for word, count in sorted(shared.items(), key=lambda item: item[1])
            if count <= RARE_IN and not any(word != other and word in other for other in shared)
        ]
        if rare:
            return ", ".join(rare[:2])
        if vectors is None:
            return ""
        start, end = self._term_rows[first]
        best = start + int(np.argmax(self._passages[start:end] @ vectors.typed))
        return [topic.key.replace("_", " "), topic.name, *topic.aliases][best - start]
