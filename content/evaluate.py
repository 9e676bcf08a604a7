"""`python -m content eval`: how well the lookup routes the routing set, split by split; `--calibrate`
refits the lookup's weights and threshold on the dev split first.

Top-1 counts a phrase when the card the bot shows is one of its topics; top-3 when one of its topics is the
card or one of the buttons offered with it (or, without a card, among the suggestions). A decoy is found
when it gets a card. "First place" is top-1 without abstention: the ranking's first topic, card or not.

The lookup ranks with the dev phrases, so a dev phrase is measured by cross-validation: the dev split is cut
in FOLDS folds by a hash of each text, and a phrase or decoy is ranked by an index that has the phrases of
the other folds only. The test split is ranked by the bot's own index, which has every dev phrase.
"""

from __future__ import annotations

import argparse
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from content import lookup
from content.model import Content, Match
from content.routing_set import Counted, Decoy, Phrase, RoutingSet, counted, examples, load_routing_set

if TYPE_CHECKING:  # numpy, BM25 and the model load when the command runs, not for any `python -m content`
    from content.calibration import ModeWeights, Weights
    from content.embedding import StaticEmbedding
    from content.retrieval import TopicIndex

TARGETS = {"top1": 0.95, "top3": 0.99, "decoys": 0.03}  # on the test split
FOLDS = 5

IndexFor = Callable[[str], "TopicIndex"]  # the index a text is ranked by


@dataclass(slots=True)
class Figures:
    split: str
    phrases: int = 0
    top1: int = 0
    top3: int = 0
    first_place: int = 0
    decoys: int = 0
    decoys_found: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)  # phrases right at top-1, per kind
    kinds: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def share(self, name: str) -> float:
        total = self.decoys if name == "decoys_found" else self.phrases
        return getattr(self, name) / total if total else 0.0


def fold_of(text: str) -> int:
    """A dev text's fold (not the split's hash, which is even for every dev text)."""
    return zlib.adler32(text.encode()) % FOLDS


class HeldOut:
    """For each dev text, an index that ranks with the dev phrases of the other folds: what the lookup does
    with a phrase it was not given."""

    def __init__(self, indexes: list[TopicIndex]) -> None:
        self.indexes = indexes

    @classmethod
    def build(
        cls, content: Content, embedding: StaticEmbedding | None, weights: Weights, dev: list[Phrase]
    ) -> HeldOut:
        from content.retrieval import TopicIndex

        return cls(
            [
                TopicIndex(content, embedding, weights, examples(p for p in dev if fold_of(p.text) != fold))
                for fold in range(FOLDS)
            ]
        )

    def __call__(self, text: str) -> TopicIndex:
        return self.indexes[fold_of(text)]

    def reweighted(self, weights: ModeWeights) -> HeldOut:
        return HeldOut([index.reweighted(weights) for index in self.indexes])


def measure(
    phrases: list[Phrase], decoys: list[Decoy], content: Content, index_for: IndexFor, split: str
) -> Figures:
    figures = Figures(split, phrases=len(phrases), decoys=len(decoys))
    for phrase in phrases:
        index = index_for(phrase.text)
        match = lookup.find(phrase.text, content, index)
        shown = [match.topic.key] if match.topic else []
        shown += [topic.key for topic in match.suggestions]
        right = match.topic is not None and match.topic.key in phrase.topics
        figures.top1 += right
        figures.top3 += any(key in phrase.topics for key in shown[:3])
        figures.first_place += _first_place(phrase.text, index, match) in phrase.topics
        figures.kinds[phrase.kind] += 1
        figures.by_kind[phrase.kind] += right
        if not right:
            got = match.topic.key if match.topic else "no card; offered " + (", ".join(shown) or "nothing")
            figures.misses.append(f"{phrase.text!r}: {got} (wanted {' or '.join(phrase.topics)})")
    for decoy in decoys:
        match = lookup.find(decoy.text, content, index_for(decoy.text))
        if match.topic is not None:
            figures.decoys_found += 1
            figures.misses.append(f"decoy {decoy.text!r}: found {match.topic.key} ({match.how})")
    return figures


def _first_place(text: str, index: TopicIndex, match: Match) -> str | None:
    if match.how in ("term", "spelling"):
        return match.topic.key if match.topic else None
    if not lookup.normalise(text):
        return None
    return index.topics[index.rank(text).order[0]].key


# --- calibration --------------------------------------------------------------------------------------


def calibrate(phrases: list[Phrase], decoys: list[Decoy], content: Content, held_out: HeldOut) -> ModeWeights:
    """Weights and threshold fitted on ``phrases`` and ``decoys`` (the dev split), each ranked by its
    held-out index: the ranking's weights, then the model of whether a text is about a topic at all (the
    phrases are, the decoys are not), then the threshold its held-out confidences put on the decoys."""
    import numpy as np

    from content.calibration import DECOY_RATE, ModeWeights, fit_confidence, fit_rank, pick_threshold
    from content.retrieval import CONFIDENCE_FEATURES

    ranked_phrases = [p for p in phrases if lookup.first_steps(p.text, content) is None]
    ranked_decoys = [d for d in decoys if lookup.first_steps(d.text, content) is None]
    samples = [
        (held_out(p.text).rank_features(p.text), [held_out(p.text).position(k) for k in p.topics])
        for p in ranked_phrases
    ]
    rank = fit_rank(samples)
    width = len(CONFIDENCE_FEATURES)
    trial = held_out.reweighted(ModeWeights(rank, (0.0,) * width, (1.0,) * width, (0.0,) * width, 0.0, 0.5))
    texts = [p.text for p in ranked_phrases] + [d.text for d in ranked_decoys]
    ranks = [trial(text).rank(text) for text in texts]
    figures = np.array([ranked.features for ranked in ranks])
    about = np.array([1.0] * len(ranked_phrases) + [0.0] * len(ranked_decoys))
    fitted = fit_confidence(figures, about)
    # the threshold from confidences each decoy gets from a model fitted without its fold
    folds = np.array([fold_of(text) for text in texts])
    confidences = []
    for fold in range(FOLDS):
        weights = ModeWeights(rank, *fit_confidence(figures[folds != fold], about[folds != fold]), 0.5)
        for n in np.flatnonzero((folds == fold) & (about == 0)):
            sure = weights.confidence(ranks[n].features) if lookup.says_enough(ranks[n]) else 0.0
            confidences.append(sure)
    early_found = sum(lookup.first_steps(d.text, content) not in (None, Match(None)) for d in decoys)
    allowed = max(0, int(DECOY_RATE * len(decoys)) - early_found)
    return ModeWeights(rank, *fitted, pick_threshold(confidences, allowed))


# --- the command --------------------------------------------------------------------------------------


def run(
    content: Content, embedding: StaticEmbedding | None, *, lexical: bool = False, refit: bool = False
) -> str:
    """The report of `python -m content eval`; with ``refit``, new weights are fitted on dev and saved."""
    from content.calibration import Weights, load_weights, save_weights

    routing = load_routing_set()
    model = None if lexical else embedding
    weights = load_weights()
    index = lookup.build_index(content, model, weights=weights)
    sorted_out = counted(routing, content, index.uses_a_word_of)
    dev = RoutingSet(sorted_out.phrases, routing.decoys).in_split("dev")
    all_dev = [p for p in routing.phrases if p.split == "dev"]
    held_out = HeldOut.build(content, model, weights, all_dev)
    if refit:
        fitted = calibrate(list(dev.phrases), list(dev.decoys), content, held_out)
        if model is None:
            weights = Weights(weights.semantic, fitted)
        else:
            plain = HeldOut.build(content, None, weights, all_dev)
            weights = Weights(fitted, calibrate(list(dev.phrases), list(dev.decoys), content, plain))
        save_weights(weights)
        index = index.reweighted(fitted)
        held_out = held_out.reweighted(fitted)
    test = RoutingSet(sorted_out.phrases, routing.decoys).in_split("test")
    results = [
        measure(list(dev.phrases), list(dev.decoys), content, held_out, "dev"),
        measure(list(test.phrases), list(test.decoys), content, lambda _: index, "test"),
    ]
    lines = _header(routing, content, sorted_out, index) + _table(results)
    lines.append(
        f"Threshold {index.weights.threshold:.3f} (calibrated on dev: its decoys find a card at most 2%)."
    )
    for figures in results:
        lines.append(f"\nMisses, {figures.split} split ({len(figures.misses)}):")
        lines += [f"  {miss}" for miss in figures.misses]
    return "\n".join(lines)


def _header(routing: RoutingSet, content: Content, sorted_out: Counted, index: TopicIndex) -> list[str]:
    waiting = Counter(key for phrase in sorted_out.new_topics for key in phrase.topics[:1])
    mode = "the wordllama embedding model, BM25 and terms" if index.embedding else "BM25 and terms (no model)"
    return [
        f"Routing set: {len(routing.phrases)} phrases, {len(routing.decoys)} decoys; bank: "
        f"{len(content.topics)} topics; ranking with {mode}; dev measured in {FOLDS} held-out folds.",
        f"Skipped {len(sorted_out.new_topics)} phrases whose topics the bank does not have yet: "
        + (", ".join(f"{key} {n}" for key, n in sorted(waiting.items())) or "none"),
        f"Skipped {len(sorted_out.unknown_words)} phrases the bank has no word of (aliases wanted): "
        + (", ".join(p.text for p in sorted_out.unknown_words) or "none"),
        "",
    ]


def _table(results: list[Figures]) -> list[str]:
    lines = [
        f"{'split':<6} {'phrases':>7} {'top-1':>7} {'top-3':>7} {'first place':>11} {'decoys':>6} "
        f"{'found':>6}"
    ]
    for f in results:
        lines.append(
            f"{f.split:<6} {f.phrases:>7} {f.share('top1'):>7.1%} {f.share('top3'):>7.1%} "
            f"{f.share('first_place'):>11.1%} {f.decoys:>6} {f.share('decoys_found'):>6.1%}"
        )
        kinds = ", ".join(f"{kind} {f.by_kind[kind]}/{n}" for kind, n in sorted(f.kinds.items()))
        lines.append(f"{'':<6} top-1 by kind: {kinds}")
    lines.append(
        f"Targets on the test split: top-1 >= {TARGETS['top1']:.0%}, top-3 >= {TARGETS['top3']:.0%}, "
        f"decoys found <= {TARGETS['decoys']:.0%}."
    )
    return lines


def test_figures(content: Content, index: TopicIndex, routing_file: Path | None = None) -> Figures:
    """The figures of the test split, ranked by ``index``, for the tests."""
    routing = load_routing_set(routing_file) if routing_file else load_routing_set()
    measured = counted(routing, content, index.uses_a_word_of).phrases
    chosen = RoutingSet(measured, routing.decoys).in_split("test")
    return measure(list(chosen.phrases), list(chosen.decoys), content, lambda _: index, "test")


def add_command(commands: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """`python -m content eval [--lexical] [--calibrate]`."""
    parser = commands.add_parser("eval", parents=parents, help="measure the lookup on the routing set")
    parser.add_argument("--lexical", action="store_true", help="rank without the embedding model")
    parser.add_argument("--calibrate", action="store_true", help="refit weights and threshold on dev first")
    parser.set_defaults(run=command)


def command(data: Content, args: argparse.Namespace) -> int:
    from content.embedding import load

    print(run(data, None if args.lexical else load(), lexical=args.lexical, refit=args.calibrate))
    return 0
